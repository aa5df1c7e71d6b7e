"""Comparisons between two texts: what an edit changed, line by line and word by word (the
normal form they are compared in is `newsdesk.text.normalize_text`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from rapidfuzz.distance import Indel

from newsdesk.text import normalize_text


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
# with no paragraph breaks took minutes, 400 paragraphs of 10,000 characters 26 s).
WORD_DIFF_LIMIT = 4_000


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
    return [line for line in normalize_text(text).split("\n") if line.strip()]


def diff_runs(a: list[str], b: list[str]):
    """(equal, a_from, a_to, b_from, b_to) runs of a longest-common-subsequence diff of two
    lists, each deletion and insertion next to another merged into one replacement.
    RapidFuzz, not difflib: difflib took 36 s on a 2 MB article whose every paragraph
    changed."""
    run = None
    for op in Indel.opcodes(a, b):
        if op.tag == "equal":
            if run:
                yield (False, *run)
                run = None
            yield (True, op.src_start, op.src_end, op.dest_start, op.dest_end)
        elif run is None:
            run = [op.src_start, op.src_end, op.dest_start, op.dest_end]
        else:
            run[1], run[3] = op.src_end, op.dest_end
    if run:
        yield (False, *run)


def text_diff(saved: str, yours: str, *, context: int = 1, limit: int = 400) -> list[DiffLine]:
    """The lines (paragraphs) where `yours` differs from `saved`, with `context` unchanged
    lines around each change and gaps for the rest; a changed line is paired with its new
    version and the changed words marked. At most `limit` lines, so a rewrite stays
    readable and quick to show."""
    # Paragraphs, not blank lines: a blank line is no context worth a row.
    a, b = _lines(saved), _lines(yours)
    runs = list(diff_runs(a, b))
    if all(equal for equal, *_ in runs):
        return []
    lines: list[DiffLine] = []
    for k, (equal, i1, i2, j1, j2) in enumerate(runs):
        if equal:
            head = context if k > 0 else 0
            tail = context if k < len(runs) - 1 else 0
            if i2 - i1 <= head + tail:
                lines.extend(DiffLine("same", ((line, False),)) for line in a[i1:i2])
            else:
                lines.extend(DiffLine("same", ((line, False),)) for line in a[i1 : i1 + head])
                lines.append(DiffLine("gap", skipped=i2 - i1 - head - tail))
                lines.extend(DiffLine("same", ((line, False),)) for line in a[i2 - tail : i2])
            continue
        pairs = min(i2 - i1, j2 - j1)
        for old, new in zip(a[i1 : i1 + pairs], b[j1 : j1 + pairs], strict=True):
            if len(lines) >= limit:
                return lines[:limit]
            lines.extend(_word_diff(old, new))
        lines.extend(DiffLine("saved", ((line, True),)) for line in a[i1 + pairs : i2])
        lines.extend(DiffLine("yours", ((line, True),)) for line in b[j1 + pairs : j2])
        if len(lines) >= limit:
            return lines[:limit]
    return lines
