"""The one normal form for article text: every claim offset points into it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher


def normalize_body(text: str) -> str:
    """Unicode NFC, `\\n` line ends, no NUL bytes, no surrounding blank space.

    Offsets are counted in code points of this form, so it must be applied once,
    before anything anchors into the text, and give the same result when re-applied.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return unicodedata.normalize("NFC", text).strip()


@dataclass(frozen=True)
class DiffLine:
    """One line of a comparison: `same` (shown for context), `saved` (only in the saved
    text), `yours` (only in the typed one) or `gap` (`skipped` unchanged lines left out).
    `parts` are (text, changed) pieces, so changed words can be marked within a line."""

    kind: str
    parts: tuple[tuple[str, bool], ...] = ()
    skipped: int = 0


_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
# Past this many characters on both sides together, two texts are shown whole rather than
# compared word by word: the comparison grows with the square of the words (a 2 MB article
# with no paragraph breaks took minutes).
WORD_DIFF_LIMIT = 20_000


def word_changes(old: str, new: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Both texts as runs of (text, changed?), so the words that changed can be marked."""
    if len(old) + len(new) > WORD_DIFF_LIMIT:
        return [(old, old != new)], [(new, old != new)]
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    left: list[tuple[str, bool]] = []
    right: list[tuple[str, bool]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if i2 > i1:
            left.append(("".join(a[i1:i2]), tag != "equal"))
        if j2 > j1:
            right.append(("".join(b[j1:j2]), tag != "equal"))
    return left, right


def _word_diff(saved: str, yours: str) -> tuple[DiffLine, DiffLine]:
    left, right = word_changes(saved, yours)
    return DiffLine("saved", tuple(left)), DiffLine("yours", tuple(right))


def _lines(text: str) -> list[str]:
    return [line for line in normalize_body(text).split("\n") if line.strip()]


def text_diff(saved: str, yours: str, *, context: int = 1, limit: int = 400) -> list[DiffLine]:
    """The lines (paragraphs) where `yours` differs from `saved`, with `context` unchanged
    lines around each change and gaps for the rest; a changed line is paired with its new
    version and the changed words marked. At most `limit` lines, so a rewrite stays
    readable."""
    # Paragraphs, not blank lines: a blank line is no context worth a row.
    a, b = _lines(saved), _lines(yours)
    lines: list[DiffLine] = []
    shown_to = 0  # the saved lines accounted for so far, to count the gaps
    for group in SequenceMatcher(None, a, b).get_grouped_opcodes(context):
        if group[0][1] > shown_to:
            lines.append(DiffLine("gap", skipped=group[0][1] - shown_to))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(DiffLine("same", ((line, False),)) for line in a[i1:i2])
                continue
            pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
            for old, new in zip(a[i1 : i1 + pairs], b[j1 : j1 + pairs], strict=True):
                lines.extend(_word_diff(old, new))
            lines.extend(DiffLine("saved", ((line, True),)) for line in a[i1 + pairs : i2])
            lines.extend(DiffLine("yours", ((line, True),)) for line in b[j1 + pairs : j2])
        shown_to = group[-1][2]
        if len(lines) >= limit:
            return lines[:limit]
    if lines and shown_to < len(a):
        lines.append(DiffLine("gap", skipped=len(a) - shown_to))
    return lines
