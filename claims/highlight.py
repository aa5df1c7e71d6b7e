"""Split an article body into paragraphs of segments, each covered by zero or more claims.

Highlights are built from offsets, never by searching for quotes in HTML, and each
segment's text is escaped when rendered (see claims/templatetags/newsdesk.py), so a
quote cannot inject markup and overlapping claims cannot break the nesting.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Protocol

# Non-empty lines joined by single line breaks; blank lines separate paragraphs.
PARAGRAPH = re.compile(r"[^\n]+(?:\n[^\n]+)*")


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
    body: str, claims: Sequence[Span], suggestions: Sequence[Suggested] = ()
) -> list[list[Segment]]:
    ordered = sorted(claims, key=lambda c: (c.start, -c.end, c.pk))
    offered = sorted(suggestions, key=lambda s: s.start)
    # One pass over the paragraphs in order: a span joins `open_*` when its paragraph is
    # reached and leaves once a paragraph begins after its end, so a long article with many
    # spans costs what its spans and paragraphs do, not their product.
    open_claims: list[Span] = []
    open_offered: list[Suggested] = []
    next_claim = next_suggestion = 0
    result = []
    for match in PARAGRAPH.finditer(body):
        p_start, p_end = match.span()
        while next_claim < len(ordered) and ordered[next_claim].start < p_end:
            open_claims.append(ordered[next_claim])
            next_claim += 1
        while next_suggestion < len(offered) and offered[next_suggestion].start < p_end:
            open_offered.append(offered[next_suggestion])
            next_suggestion += 1
        open_claims = [c for c in open_claims if c.end > p_start]
        open_offered = [s for s in open_offered if s.end > p_start]
        inside, near = open_claims, open_offered
        cuts = {p_start, p_end}
        for span in (*inside, *near):
            cuts.update(x for x in (span.start, span.end) if p_start < x < p_end)
        bounds = sorted(cuts)
        segments = []
        for a, b in pairwise(bounds):
            covering = [c for c in inside if c.start < b and c.end > a]
            opening = [c for c in covering if c.start == a or (a == p_start and c.start < a)]
            suggestion = next((s for s in near if s.start < b and s.end > a), None)
            segments.append(Segment(body[a:b], a, covering, opening, suggestion))
        result.append(segments)
    return result


def paragraphs_around(body: str, claim: Span) -> list[list[Segment]]:
    """Only the paragraphs a claim touches, with that claim alone highlighted."""
    return [segments for segments in paragraphs(body, [claim]) if any(s.claims for s in segments)]
