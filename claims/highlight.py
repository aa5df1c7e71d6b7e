"""Split an article body into paragraphs of segments, each covered by zero or more claims.

Highlights are built from offsets, never by searching for quotes in HTML, and each
segment's text is escaped when rendered (see claims/templatetags/newsdesk.py), so a
quote cannot inject markup and overlapping claims cannot break the nesting.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Protocol

# Non-empty lines joined by single line breaks; blank lines separate paragraphs.
PARAGRAPH = re.compile(r"[^\n]+(?:\n[^\n]+)*")
# The article page shows the text a part of about this many characters at a time.
PART_CHARS = 20_000


def text_parts(body: str, size: int | None = None) -> list[tuple[int, int]]:
    """The article cut into parts of at most `size` (PART_CHARS) characters, each
    `(start, end)`, so that a page shows one part at a time and costs the same whatever
    the article's length.

    Parts end at a paragraph break where one falls at `size` or before; a paragraph longer
    than `size` is cut at its last blank before the limit (or at the limit, if it has
    none). Every character belongs to exactly one part, so an offset names its part."""
    size = size or PART_CHARS
    parts: list[tuple[int, int]] = []
    start = 0
    total = len(body)
    while start < total:
        limit = start + size
        if limit >= total:
            parts.append((start, total))
            break
        # The last paragraph break within the limit; failing that, a blank; failing that,
        # the limit itself.
        cut = body.rfind("\n\n", start + 1, limit)
        if cut != -1:
            cut += 2
        else:
            cut = max(body.rfind(" ", start + 1, limit), body.rfind("\n", start + 1, limit))
            cut = cut + 1 if cut != -1 else limit
        parts.append((start, cut))
        start = cut
    return parts or [(0, 0)]


def part_of(parts: Sequence[tuple[int, int]], offset: int) -> int:
    """The index of the part holding `offset` (the last part for an offset past the end)."""
    return max(0, min(bisect_right([start for start, _ in parts], offset) - 1, len(parts) - 1))


def paragraph_count(text: str) -> int:
    """How many paragraphs a piece of the text touches (static/newsdesk/article.js counts
    a selection the same way)."""
    return len(PARAGRAPH.findall(text))


class Span(Protocol):
    pk: int
    start: int
    end: int
    status: str


class Suggested(Protocol):
    start: int
    end: int
    score: float
    reasons: tuple[str, ...]

    @property
    def suggested(self) -> bool:
        """Whether it scores enough to be suggested; weaker ones are drawn dotted."""
        ...


@dataclass
class Segment:
    text: str
    start: int
    claims: list[Span] = field(default_factory=list)  # every claim covering this text
    opening: list[Span] = field(default_factory=list)  # claims that begin here
    # The suggested sentence this text belongs to; suggestions never overlap claims.
    suggestion: Suggested | None = None

    @property
    def innermost(self) -> Span | None:
        """The shortest covering claim: its colour is the one that shows."""
        return min(self.claims, key=lambda c: (c.end - c.start, c.pk), default=None)


def paragraphs(
    body: str,
    claims: Sequence[Span],
    suggestions: Sequence[Suggested] = (),
    *,
    part: tuple[int, int] | None = None,
) -> list[list[Segment]]:
    """The paragraphs of `body` (of `part` of it only, a `(start, end)` from `text_parts`)
    as segments, each with the claims and the suggestion covering it."""
    first, last = part if part is not None else (0, len(body))
    ordered = sorted(claims, key=lambda c: (c.start, -c.end, c.pk))
    offered = sorted(suggestions, key=lambda s: s.start)
    # One pass over the paragraphs in order: a span joins `open_*` when its paragraph is
    # reached and leaves once a paragraph begins after its end, so a long article with many
    # spans costs what its spans and paragraphs do, not their product.
    open_claims: list[Span] = []
    open_offered: list[Suggested] = []
    next_claim = next_suggestion = 0
    result = []
    for match in PARAGRAPH.finditer(body, first, last):
        p_start, p_end = match.span()
        while next_claim < len(ordered) and ordered[next_claim].start < p_end:
            open_claims.append(ordered[next_claim])
            next_claim += 1
        while next_suggestion < len(offered) and offered[next_suggestion].start < p_end:
            open_offered.append(offered[next_suggestion])
            next_suggestion += 1
        open_claims = [c for c in open_claims if c.end > p_start]
        open_offered = [s for s in open_offered if s.end > p_start]
        result.append(_segments(body, p_start, p_end, open_claims, open_offered))
    return result


def _segments(
    body: str, p_start: int, p_end: int, inside: list[Span], near: list[Suggested]
) -> list[Segment]:
    """One paragraph's segments, by a sweep over its cuts: the claims covering a segment
    are those open at its start, so a paragraph with thousands of claims costs what its
    segments hold, not its segments times its claims."""
    cuts = {p_start, p_end}
    for span in (*inside, *near):
        cuts.update(x for x in (span.start, span.end) if p_start < x < p_end)
    bounds = sorted(cuts)
    # `inside` is in (start, -end, pk) order, and a dict keeps the order claims joined in,
    # so each segment lists its claims in that order too.
    starting: dict[int, list[Span]] = {}
    ending: dict[int, list[Span]] = {}
    for claim in inside:
        starting.setdefault(max(claim.start, p_start), []).append(claim)
        ending.setdefault(claim.end, []).append(claim)
    suggestions = iter(sorted(near, key=lambda s: s.start))
    suggestion = next(suggestions, None)
    active: dict[int, Span] = {}
    segments = []
    for a, b in pairwise(bounds):
        for claim in ending.get(a, ()):
            active.pop(id(claim), None)
        opening = starting.get(a, [])
        for claim in opening:
            active[id(claim)] = claim
        while suggestion is not None and suggestion.end <= a:
            suggestion = next(suggestions, None)
        here = suggestion if suggestion is not None and suggestion.start < b else None
        segments.append(Segment(body[a:b], a, list(active.values()), list(opening), here))
    return segments


def paragraphs_around(body: str, claim: Span) -> list[list[Segment]]:
    """Only the paragraphs a claim touches, with that claim alone highlighted."""
    return [segments for segments in paragraphs(body, [claim]) if any(s.claims for s in segments)]
