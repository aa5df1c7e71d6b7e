"""Turning an uploaded or pasted document into an article's text and metadata.

Plain text is taken as written. HTML goes through trafilatura, which finds the article's
main text among navigation, adverts and footers and keeps its paragraphs. Markdown is
parsed by markdown-it-py and reduced to its words, a paragraph per block. Whatever the
source, the result is one paragraph per blank-line-separated block, normalised once by
`articles.text.normalize_text` before anything anchors into it.
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import BinaryIO

from charset_normalizer import from_bytes
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from markdown_it import MarkdownIt
from markdown_it.token import Token

from articles.models import Article, language_tag
from newsdesk.fields import web_url
from newsdesk.text import normalize_text

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_MB = MAX_IMPORT_BYTES // 1024 // 1024
KINDS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}
KINDS |= {".html": "html", ".htm": "html"}
# What a command's --format may say, for standard input or a file with another extension.
FORMAT_NAMES = {"text": "text", "markdown": "markdown", "md": "markdown", "html": "html"}


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
    # How the bytes were read, when they were not UTF-8: worth telling the person.
    encoding: str = ""

    def details(self, typed: dict[str, object]) -> dict[str, object]:
        """The article's details: what the person typed, else what the document says,
        cut to what an article holds (a document's own odd link is dropped, not refused)."""
        details = dict(typed)
        for name in ("title", "outlet", "byline"):
            if not details.get(name):
                limit = Article._meta.get_field(name).max_length
                details[name] = getattr(self, name)[:limit].strip()
        if not details.get("published_on"):
            details["published_on"] = self.published_on
        if not details.get("language"):
            details["language"] = self._language() or Article._meta.get_field("language").default
        if not details.get("url") and self.url:
            try:
                web_url(self.url)
            except ValidationError:
                pass
            else:
                if len(self.url) <= Article._meta.get_field("url").max_length:
                    details["url"] = self.url
        return details

    def _language(self) -> str:
        """The document's language if it is a tag an article may hold, else nothing: a
        document's odd tag is dropped, as its odd link is, not refused."""
        try:
            language_tag(self.language)
        except ValidationError:
            return ""
        return self.language if len(self.language) <= 16 else ""


def kind_of(filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    if suffix not in KINDS:
        raise ExtractionError(
            f"“{PurePath(filename).name}” is not a file Newsdesk can import: it takes .txt, "
            ".md and .html files."
        )
    return KINDS[suffix]


def too_large(size: int | None = None) -> ExtractionError:
    if size is None:
        return ExtractionError(f"The text is larger than {MAX_MB} MB, the limit.")
    return ExtractionError(f"The file is {size / 1024 / 1024:.1f} MB; the limit is {MAX_MB} MB.")


def extract(data: bytes | str, kind: str) -> Extracted:
    """The article inside `data`; raises ExtractionError with a message for the person."""
    if isinstance(data, bytes):
        if len(data) > MAX_IMPORT_BYTES:
            raise too_large(len(data))
        if not data.strip():
            raise ExtractionError("The file is empty.")
    elif len(data.encode()) > MAX_IMPORT_BYTES:
        raise ExtractionError(f"The text is longer than {MAX_MB} MB; import it in parts.")
    if kind == "html":
        found = _from_html(data)
    else:
        text, encoding = decode(data) if isinstance(data, bytes) else (data, "")
        found = _from_markdown(text) if kind == "markdown" else Extracted(body=text)
        found = dataclasses.replace(found, encoding=encoding)
    body = normalize_text(found.body)
    if not body:
        raise ExtractionError("No article text was found in it.")
    return dataclasses.replace(found, body=body)


# A document that is mostly control characters is not text, whatever decodes it.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _latin(text: str) -> bool:
    return all(ord(c) < 0x250 or not c.isalpha() for c in text)


def decode(data: bytes) -> tuple[str, str]:
    """Bytes as text, and the encoding they were read in if it was not UTF-8."""
    encoding = ""
    if data.startswith(_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ExtractionError(
                "The file says it is UTF-16 text but is not; save it as UTF-8 and try again."
            ) from None
        encoding = "UTF-16"
    elif b"\x00" in data:
        raise ExtractionError("This looks like a binary file, not text.")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text, encoding = _guess(data)
    if len(_CONTROL.findall(text)) > max(8, len(text) // 100):
        raise ExtractionError("This looks like a binary file, not text.")
    return text, encoding


def _guess(data: bytes) -> tuple[str, str]:
    best = from_bytes(data).best()
    if best is None:
        raise ExtractionError(
            "The file's characters could not be read; save it as UTF-8 text and upload it again."
        )
    # On short texts the detector cannot tell Western code pages apart (it reads "café" as
    # cp775 or cp1250). When both its guess and Windows-1252 give Latin letters, the far
    # more common Windows-1252 is the one to trust; Cyrillic, Greek or CJK stay as guessed.
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and _latin(western) and _latin(str(best)):
        return western, "Windows-1252"
    return str(best), best.encoding


# <html lang="fr">, or the older <meta http-equiv="content-language" content="fr">.
_LANG = re.compile(
    rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)"
    rb"|<meta\b[^>]*?content-language[^>]*?content\s*=\s*[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)",
    re.IGNORECASE,
)


# trafilatura spends about 100 µs on each element (2 MB of unclosed <p> took 48 s of CPU):
# a page with more tags than this is read by `_plain_html`, in linear time. A news page has
# a few thousand.
HTML_PARSED_TAGS = 40_000
# Elements whose end ends a paragraph, for `_plain_html`.
_BLOCK_TAGS = (
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol",
    "p", "pre", "section", "table", "td", "th", "tr", "ul",
)  # fmt: skip


def _from_html(data: bytes | str) -> Extracted:
    # Imported here: lxml and trafilatura take a moment to load and only imports need them.
    import trafilatura

    raw = data if isinstance(data, bytes) else data.encode()
    if b"\x00" in raw[:4096] and not raw.startswith(_BOMS):
        raise ExtractionError("This looks like a binary file, not HTML.")
    if raw.count(b"<") > HTML_PARSED_TAGS:
        return _plain_html(raw)
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
    language = _LANG.search(raw[:65536])
    return Extracted(
        body="\n\n".join(line for line in lines if line),
        title=title,
        byline=_one_line(document.author),
        published_on=_date(document.date),
        language=_one_line(
            document.language or (language and (language[1] or language[2]).decode())
        ),
        url=_one_line(document.url),
        outlet=_one_line(document.sitename),
    )


def _plain_html(raw: bytes) -> Extracted:
    """The words of a page with too many tags for trafilatura (`HTML_PARSED_TAGS`), by lxml
    alone: a paragraph wherever a block element ends, scripts, styles and the head left out,
    the <title> as the title. Navigation and footers stay: trafilatura's choice of the main
    text is what costs."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.document_fromstring(raw)
    except (ParserError, ValueError) as error:
        raise ExtractionError(f"The HTML could not be read ({error}).") from None
    title = _one_line(root.findtext(".//title"))
    for element in list(root.iter("script", "style", "noscript", "template", "head")):
        element.drop_tree()
    for element in root.iter(*_BLOCK_TAGS):
        element.tail = "\n\n" + (element.tail or "")
    blocks = (" ".join(block.split()) for block in _BLANK_LINES.split(root.text_content()))
    return Extracted(body="\n\n".join(b for b in blocks if b), title=title)


# Raw HTML in Markdown: a script or a style is code, not words of the article.
_CODE_BLOCKS = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


# markdown-it-py's inline parser is quadratic on some runs of brackets and emphasis marks
# (a 1 MB paragraph of "[" took 54 s), so a block longer than this is reduced to its words
# by `_plain_inline`, in linear time. News paragraphs are far shorter.
INLINE_PARSED = 5_000


# markdown-it-py's block parser is linear but slow: 5-15 µs a line, a table row several
# times that, and some rules read a long line once per level of nesting. 2 MB of "[\n" took
# 45 s, one line of "- - - …" 8 s, one table row of 500,000 cells 16 s. A document with more
# lines than this, or a longer line, is read by `_plain_markdown` in one linear pass. An
# article has far fewer: 2 MB of prose wrapped at 80 characters has some 30,000 lines, and
# a paragraph written as one line a few thousand characters.
MARKDOWN_PARSED_LINES = 50_000
MARKDOWN_PARSED_LINE = 20_000


def _from_markdown(text: str) -> Extracted:
    if (
        text.count("\n") >= MARKDOWN_PARSED_LINES
        or max(map(len, text.split("\n"))) > MARKDOWN_PARSED_LINE
    ):
        return _plain_markdown(text)
    # Inline parsing is left to `_inline_text`, block by block.
    parser = MarkdownIt("commonmark").enable("table").disable("inline")
    env: dict = {}
    blocks: list[str] = []
    row: list[str] | None = None
    title = ""
    heading_level = None
    for token in parser.parse(text, env):
        if token.type == "heading_open":
            heading_level = token.tag
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            blocks.append(" | ".join(row))  # a table row reads as one line
            row = None
        elif token.type == "inline":
            words = _inline_text(parser, token, env)
            if row is not None:
                row.append(words)
            elif heading_level == "h1" and not title:
                title = words  # the document's first top-level heading is its headline
            elif words:
                blocks.append(words)
            heading_level = None
        elif token.type in ("fence", "code_block"):
            blocks.append(token.content.strip())
        elif token.type == "html_block":
            blocks.append(strip_tags(_CODE_BLOCKS.sub("", token.content)).strip())
    return Extracted(body="\n\n".join(b for b in blocks if b), title=title)


def _inline_text(parser: MarkdownIt, token: Token, env: dict) -> str:
    if len(token.content) > INLINE_PARSED:
        return _plain_inline(token.content)
    children: list[Token] = []
    parser.inline.parse(token.content, parser, env, children)
    # Images (their alt text) and inline HTML tags are not part of the article's sentences.
    parts = []
    for child in children:
        if child.type in ("text", "text_special", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return re.sub(r"[ \t]+", " ", "".join(parts)).strip()


_IMAGE = re.compile(r"!\[[^\[\]\n]*\](?:\([^()\n]*\))?")
_LINK = re.compile(r"\[([^\[\]\n]*)\](?:\([^()\s]*(?:\s+\"[^\"]*\")?\)|\[[^\[\]]*\])?")
_INLINE_TAG = re.compile(r"<[A-Za-z/][^<>\n]*>")
_MARKS = re.compile(r"(?<![\w\\])[*_]+|(?<!\\)[*_]+(?!\w)|`+")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _plain_inline(content: str) -> str:
    """A block's words without its Markdown, by a few linear passes: link and image
    syntax gives its text, images and tags and emphasis marks go, escapes give their character,
    line breaks become spaces. Less exact than the parser, and used where the parser is
    too slow (`INLINE_PARSED`)."""
    return re.sub(r"\s+", " ", _unmarked(content)).strip()


def _unmarked(content: str) -> str:
    text = _LINK.sub(r"\1", _IMAGE.sub("", content))
    text = _INLINE_TAG.sub("", text)
    text = _MARKS.sub("", text)
    return _ESCAPE.sub(r"\1", text)


_BLANK_LINES = re.compile(r"\n[ \t]*\n")
# What opens a line in Markdown's block syntax: quotation marks, a list's bullet or number,
# heading marks. And lines that are all syntax: a fence, a rule, a table's delimiter row.
_LINE_MARKS = re.compile(
    r"^[ \t]*(?:>[ \t]?)*(?:[-+*][ \t]+|\d{1,9}[.)][ \t]+|#{1,6}(?=[ \t]|$))?", re.MULTILINE
)
_SYNTAX_LINE = re.compile(r"^(?:[ \t]*(?:`{3,}|~{3,})[^\n]*|[-=*_ \t|:]+)$", re.MULTILINE)
_HEADLINE = re.compile(r"^[ \t]{0,3}#[ \t]+([^\n]*)", re.MULTILINE)


def _plain_markdown(text: str) -> Extracted:
    """The words of a document too many lines long for the parser (`MARKDOWN_PARSED_LINES`),
    in linear time: the first top-level heading is the title; the rest is a paragraph per
    blank-line-separated block, its lines without the marks that open them, its words as
    `_plain_inline` finds them. Less exact than the parser, as `_plain_inline` is."""
    title = ""
    headline = _HEADLINE.search(text)
    if headline:
        title = _plain_inline(headline[1].rstrip(" \t#"))
        text = text[: headline.start()] + text[headline.end() :]
    text = _LINE_MARKS.sub("", _SYNTAX_LINE.sub("", _CODE_BLOCKS.sub("", text)))
    # The whole text at once: a pass per block costs too much where blocks are a word long.
    text = _unmarked(text.replace("|", " "))
    blocks = (" ".join(block.split()) for block in _BLANK_LINES.split(text))
    return Extracted(body="\n\n".join(b for b in blocks if b), title=title)


def _one_line(value: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def extract_file(path: str, *, kind: str | None = None, stdin: BinaryIO | None = None) -> Extracted:
    """The article in a file, or in standard input when `path` is "-" (read as `kind`,
    plain text unless told otherwise)."""
    if path == "-":
        data = (stdin or sys.stdin.buffer).read(MAX_IMPORT_BYTES + 1)
        if len(data) > MAX_IMPORT_BYTES:
            raise too_large()
        return extract(data, kind or "text")
    if kind is None:
        try:
            kind = kind_of(path)
        except ExtractionError as error:
            raise ExtractionError(f"{error} Name the format with --format.") from None
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > MAX_IMPORT_BYTES:
                raise too_large(os.fstat(handle.fileno()).st_size)
            data = handle.read(MAX_IMPORT_BYTES + 1)
    except OSError as error:
        raise ExtractionError(f"Cannot read {path}: {error.strerror}.") from None
    return extract(data, kind)
