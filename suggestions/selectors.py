"""Reads: the scored sentences of an article, the ones still open to an Editor, and what
the article page's suggestion panel shows."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from django.core.cache import cache

from articles.models import Article
from claims.models import Claim
from newsdesk.text import text_digest
from suggestions.models import DismissedSuggestion
from suggestions.scorer import SCORER_VERSION, SHOWN_FROM, THRESHOLD, Suggestion, scored_sentences


def scored_article(body: str) -> list[Suggestion]:
    """Every sentence of an article's text with its score, computed once per text.

    Scoring a long article takes a while (0.6 s per 100,000 words) and the article page,
    accept and dismiss all need it, so it is cached under the text's digest: an edit
    gives a new key, and nothing has to be invalidated.
    """
    key = f"suggestions:{SCORER_VERSION}:{text_digest(body)}"
    return cache.get_or_set(key, lambda: list(scored_sentences(body)), timeout=24 * 60 * 60)


def open_suggestions(
    *,
    article: Article,
    claims: list[Claim] | None = None,
    dismissed: list[DismissedSuggestion] | None = None,
    floor: float = SHOWN_FROM,
) -> list[Suggestion]:
    """Sentences worth offering an Editor: scored at least `floor`, not yet a claim (no
    claim overlaps them) and not dismissed. Pass the article's claims and dismissals if
    they are already loaded."""
    if claims is None:
        taken = list(article.claims.filter(orphaned=False).values_list("start", "end"))
    else:
        taken = [(c.start, c.end) for c in claims if not c.orphaned]
    if dismissed is None:
        digests = set(
            DismissedSuggestion.objects.filter(article=article).values_list("digest", flat=True)
        )
    else:
        digests = {d.digest for d in dismissed}
    taken.sort()
    starts = [start for start, _ in taken]
    # The longest claim bounds how far back an overlapping claim can start.
    longest = max((end - start for start, end in taken), default=0)
    found = []
    for suggestion in scored_article(article.body):
        if suggestion.score < floor:
            continue
        first = bisect_left(starts, suggestion.start - longest)
        last = bisect_left(starts, suggestion.end)
        if any(e > suggestion.start for _, e in taken[first:last]):
            continue
        if digests and suggestion.digest in digests:
            continue
        found.append(suggestion)
    return found


# A very long article can hold thousands: the page lists and marks the first ones, and
# "accept all" still takes every one.
SUGGESTIONS_LISTED = 100


@dataclass(frozen=True)
class SuggestionPanel:
    """What the article page shows an Editor of its suggestions."""

    listed: list[Suggestion]  # the first SUGGESTIONS_LISTED, also marked in the text
    total: int
    above_threshold: int  # of them all, how many score THRESHOLD or more
    dismissed: list[DismissedSuggestion]  # newest first, each to be offered again
    threshold: float = THRESHOLD


def suggestion_panel(*, article: Article, claims: list[Claim]) -> SuggestionPanel:
    """The suggestion panel of the article page, which has loaded the article's `claims`
    already: one query more, for the dismissals."""
    dismissed = list(article.dismissed_suggestions.order_by("-dismissed_at", "-id"))
    found = open_suggestions(article=article, claims=claims, dismissed=dismissed)
    return SuggestionPanel(
        listed=found[:SUGGESTIONS_LISTED],
        total=len(found),
        above_threshold=sum(s.suggested for s in found),
        dismissed=dismissed,
    )
