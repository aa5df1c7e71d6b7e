"""Turning an uploaded or pasted document into an article's text and metadata.

Plain text is taken as written. HTML goes through trafilatura, which finds the article's
main text among navigation, adverts and footers and keeps its paragraphs. Markdown is
parsed by markdown-it-py and reduced to its words, a paragraph per block. Whatever the
source, the result is one paragraph per blank-line-separated block, normalised once by
`articles.text.normalize_body` before anything anchors into it.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from charset_normalizer import from_bytes
from django.utils.html import strip_tags
from markdown_it import MarkdownIt

from articles.text import normalize_body

MAX_IMPORT_BYTES = 2 * 1024 * 1024
KINDS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}
KINDS |= {".html": "html", ".htm": "html"}


class ExtractionError(ValueError):
    """The document cannot become an article; the message says why, for the person."""


@dataclass(frozen=True)
class Extracted:
    body: str
    title: str = ""
    byline: str = ""
    published_on: date | None = None
    language: str = ""
    url: str = ""
    outlet: str = ""


def kind_of(filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    if suffix not in KINDS:
        raise ExtractionError(
            f"“{PurePath(filename).name}” is not a file Newsdesk can import: upload a .txt, "
            ".md or .html file."
        )
    return KINDS[suffix]


def extract(data: bytes | str, kind: str) -> Extracted:
    """The article inside `data`; raises ExtractionError with a message for the person."""
    if isinstance(data, bytes):
        if len(data) > MAX_IMPORT_BYTES:
            raise ExtractionError(
                f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is "
                f"{MAX_IMPORT_BYTES // 1024 // 1024} MB."
            )
        if not data.strip():
            raise ExtractionError("The file is empty.")
    elif len(data.encode()) > MAX_IMPORT_BYTES:
        raise ExtractionError(
            f"The text is longer than {MAX_IMPORT_BYTES // 1024 // 1024} MB; import it in parts."
        )
    if kind == "html":
        found = _from_html(data)
    else:
        text = decode(data) if isinstance(data, bytes) else data
        found = _from_markdown(text) if kind == "markdown" else Extracted(body=text)
    body = normalize_body(found.body)
    if not body:
        raise ExtractionError("No article text was found in it.")
    return Extracted(**{**found.__dict__, "body": body})


# A document that is mostly control characters is not text, whatever decodes it.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes) -> str:
    """Bytes as text: UTF-8 (with or without BOM) first, else the encoding they show."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    elif b"\x00" in data:
        raise ExtractionError("This looks like a binary file, not text.")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            best = from_bytes(data).best()
            if best is None:
                raise ExtractionError(
                    "The file's characters could not be read; save it as UTF-8 text and "
                    "upload it again."
                ) from None
            text = str(best)
    if len(_CONTROL.findall(text)) > max(8, len(text) // 100):
        raise ExtractionError("This looks like a binary file, not text.")
    return text


def _from_html(data: bytes | str) -> Extracted:
    # Imported here: lxml and trafilatura take a moment to load and only imports need them.
    import trafilatura

    if isinstance(data, bytes) and b"\x00" in data[:4096] and not data.startswith(b"\xff"):
        raise ExtractionError("This looks like a binary file, not HTML.")
    try:
        document = trafilatura.bare_extraction(
            data,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            favor_recall=True,
        )
    except (ValueError, TypeError) as error:
        raise ExtractionError(f"The HTML could not be read ({error}).") from None
    if document is None or not (document.text or "").strip():
        raise ExtractionError("No article text was found in this HTML page.")
    title = _one_line(document.title)
    lines = [line.strip() for line in document.text.split("\n")]
    # trafilatura repeats the headline as the first paragraph; it belongs in the title.
    if lines and title and lines[0] == title:
        lines = lines[1:]
    return Extracted(
        body="\n\n".join(line for line in lines if line),
        title=title,
        byline=_one_line(document.author),
        published_on=_date(document.date),
        language=_one_line(document.language),
        url=_one_line(document.url),
        outlet=_one_line(document.sitename),
    )


def _from_markdown(text: str) -> Extracted:
    parser = MarkdownIt("commonmark")
    blocks: list[str] = []
    title = ""
    heading_level = None
    for token in parser.parse(text):
        if token.type == "heading_open":
            heading_level = token.tag
        elif token.type == "inline":
            words = _inline_text(token)
            if heading_level == "h1" and not title:
                title = words  # the document's first top-level heading is its headline
            elif words:
                blocks.append(words)
            heading_level = None
        elif token.type in ("fence", "code_block"):
            blocks.append(token.content.strip())
        elif token.type == "html_block":
            blocks.append(strip_tags(token.content).strip())
    return Extracted(body="\n\n".join(b for b in blocks if b), title=title)


def _inline_text(token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            continue  # an image's alt text is not part of the article's sentences
        elif child.type == "html_inline":
            continue
    return re.sub(r"[ \t]+", " ", "".join(parts)).strip()


def _one_line(value: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def extract_file(path: str, *, kind: str | None = None, stdin=None) -> Extracted:
    """The article in a file, or in standard input when `path` is "-" (read as `kind`,
    plain text unless told otherwise)."""
    if path == "-":
        data = (stdin or sys.stdin.buffer).read(MAX_IMPORT_BYTES + 1)
        return extract(data, kind or "text")
    kind = kind or kind_of(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_IMPORT_BYTES + 1)
    except OSError as error:
        raise ExtractionError(f"Cannot read {path}: {error.strerror}.") from None
    return extract(data, kind)
