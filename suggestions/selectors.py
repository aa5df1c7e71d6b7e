"""Reads: the scored sentences of an article, the ones still open to an Editor, and what
the article page's suggestion panel shows, each suggestion with the reviewed claim of
another article it repeats, if any."""

from __future__ import annotations

import json
import logging
import zlib
from bisect import bisect_left, bisect_right
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from articles.models import Article
from claims.models import Claim
from newsdesk.text import text_digest
from related.retrieval import Match, texts_matches
from suggestions.models import OPEN_RUN, DismissedSuggestion, RunStatus, SuggestionRun
from suggestions.scorer import SCORER_VERSION, SHOWN_FROM, THRESHOLD, Suggestion, scored_sentences

SCORES_KEPT = 24 * 60 * 60
# A run that has reported no progress for this long has stopped (its worker was restarted
# or killed): it reports every few hundred sentences, a second or two apart.
RUN_STALLED_AFTER = timedelta(minutes=5)

logger = logging.getLogger(__name__)


def is_long(body: str) -> bool:
    """Whether scoring this text would take too long for a request: its suggestions are
    then prepared by a job (suggestions.tasks) whenever they are not cached."""
    return len(body) > settings.NEWSDESK_SUGGESTIONS_INLINE_CHARS


def _scores_key(body: str) -> str:
    return f"suggestions:{SCORER_VERSION}:{text_digest(body)}"


def scores_packed(scored: list[Suggestion]) -> bytes:
    """The scores as a run keeps them: compressed JSON without the sentences' words, which
    the text holds (a 2 MB article's 25,000 sentences take about a tenth of its size)."""
    # known_reasons: None where scoring left them to be worked out if read (below SHOWN_FROM).
    rows = [[s.start, s.end, s.score, s.known_reasons, s.attributed_to] for s in scored]
    return zlib.compress(json.dumps(rows, separators=(",", ":")).encode())


def _scores_unpacked(packed: bytes, body: str) -> list[Suggestion]:
    return [
        Suggestion(start, end, body[start:end], score, _tupled(reasons), attributed_to)
        for start, end, score, reasons, attributed_to in json.loads(zlib.decompress(packed))
    ]


def _tupled(reasons: list[str] | None) -> tuple[str, ...] | None:
    return None if reasons is None else tuple(reasons)


def scores_remember(body: str, scored: list[Suggestion]) -> None:
    """Put a text's scores where scored_article() finds them."""
    cache.set(_scores_key(body), scored, timeout=SCORES_KEPT)


def cached_scores(body: str) -> list[Suggestion] | None:
    """The text's scores if they are at hand: in the cache or, for a long text, kept by
    the run that scored it (the worker is another process, and its cache may not be the
    web's); None if the text would have to be scored."""
    found = cache.get(_scores_key(body))
    if found is not None or not is_long(body):
        return found
    packed = (
        SuggestionRun.objects.filter(
            digest=text_digest(body), scorer_version=SCORER_VERSION, status=RunStatus.DONE
        )
        .exclude(scores=b"")
        .order_by("-id")
        .values_list("scores", flat=True)
        .first()
    )
    if packed is None:
        return None
    found = _scores_unpacked(bytes(packed), body)
    scores_remember(body, found)
    return found


def scored_article(body: str) -> list[Suggestion]:
    """Every sentence of an article's text with its score, computed once per text.

    Scoring a long article takes a while (about 1 ms a sentence) and the article page,
    accept and dismiss all need it, so it is cached under the text's digest: an edit
    gives a new key, and nothing has to be invalidated. The article page has a long text
    scored by a job rather than here (suggestion_panel).
    """
    found = cached_scores(body)
    if found is None:
        found = list(scored_sentences(body))
        scores_remember(body, found)
    return found


def latest_run(article: Article) -> SuggestionRun | None:
    """The newest run for the article's text as it is now, without its scores."""
    return (
        SuggestionRun.objects.filter(
            article=article, digest=text_digest(article.body), scorer_version=SCORER_VERSION
        )
        .defer("scores")
        .order_by("-id")
        .first()
    )


def run_stalled(run: SuggestionRun) -> bool:
    return run.is_open and run.updated_at < timezone.now() - RUN_STALLED_AFTER


def open_run(article: Article) -> SuggestionRun | None:
    """The run under way for the article's text as it is now, if any."""
    return (
        SuggestionRun.objects.filter(
            OPEN_RUN,
            article=article,
            digest=text_digest(article.body),
            scorer_version=SCORER_VERSION,
        )
        .defer("scores")
        .first()
    )


def open_suggestions(
    *,
    article: Article,
    claims: list[Claim] | None = None,
    dismissed: list[DismissedSuggestion] | None = None,
    floor: float = SHOWN_FROM,
    part: tuple[int, int] | None = None,
    scored: list[Suggestion] | None = None,
) -> list[Suggestion]:
    """Sentences worth offering an Editor: scored at least `floor`, not yet a claim (no
    claim overlaps them) and not dismissed. Pass the article's claims and dismissals if
    they are already loaded. With `part`, a `(start, end)` of the text, only the sentences
    that stand in it (and `claims` need hold only those overlapping it). Pass the text's
    `scored` sentences if they are already at hand."""
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
    if scored is None:
        scored = scored_article(article.body)
    if part is not None:
        # Sentences are in text order: the part's are found by bisection, not a scan.
        ends = [s.end for s in scored]
        scored = scored[bisect_right(ends, part[0]) :]
        scored = scored[: bisect_left([s.start for s in scored], part[1])]
    for suggestion in scored:
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
class ReviewedNote:
    """What a suggestion's note says of the reviewed claim it matches: "Confirmed in
    <article> as #N", and if the matcher holds them apart, "related, not the same" with
    the reason that matters most."""

    match: Match

    @property
    def claim(self) -> Claim:
        return self.match.claim

    @property
    def same(self) -> bool:
        return self.match.same

    @property
    def status_label(self) -> str:
        return self.match.claim.get_status_display()

    @property
    def main_reason(self) -> str:
        """What keeps them apart: a fact (numbers, dates, negation, speaker), or too few
        words in common to call them one claim."""
        if self.match.conflicts:
            return self.match.conflicts[0]
        return "too few words in common"


@dataclass(frozen=True)
class SuggestionPanel:
    """What the article page shows an Editor of its suggestions."""

    listed: list[Suggestion]  # the first SUGGESTIONS_LISTED, also marked in the text
    total: int
    above_threshold: int  # of them all, how many score THRESHOLD or more
    dismissed: list[DismissedSuggestion]  # newest first, each to be offered again
    threshold: float = THRESHOLD
    # A long text whose scores are not at hand, or whose suggestions a job is accepting:
    # the panel shows the run's progress (or its failure) instead of suggestions. `run` is
    # None when none was asked for yet.
    waiting: bool = False
    run: SuggestionRun | None = None
    # For each of `listed`, in order: the reviewed claim of another article it repeats,
    # or None. Empty when matching could not be done in time (the panel shows no notes).
    reviewed: tuple[ReviewedNote | None, ...] = ()

    @property
    def stalled(self) -> bool:
        return self.run is not None and run_stalled(self.run)

    @property
    def listed_with_reviewed(self) -> list[tuple[Suggestion, ReviewedNote | None]]:
        reviewed = self.reviewed or (None,) * len(self.listed)
        return list(zip(self.listed, reviewed, strict=True))


def suggestions_reviewed(suggestions: list[Suggestion], *, article: Article) -> tuple:
    """For each suggestion, the closest reviewed claim of another article, or None: one
    batch for them all (related.retrieval.texts_matches), so the panel's queries do not
    grow with its suggestions.

    The notes help, the panel does not need them: if the database gives up on the matching
    (a statement timeout), the panel is shown without them. Within a transaction a
    savepoint keeps the cancelled statement from breaking the rest of it; outside one (a
    page, as the web serves it) none is needed, and none is paid for."""
    if not suggestions:
        return ()
    guard = transaction.atomic() if connection.in_atomic_block else nullcontext()
    try:
        with guard:
            found = texts_matches(
                texts=[(s.text, s.attributed_to) for s in suggestions],
                exclude_article_id=article.pk,
                reviewed_only=True,
                limit=1,
            )
    except OperationalError:
        logger.warning("Matching the suggestions of article %s gave up", article.pk, exc_info=True)
        return ()
    return tuple(ReviewedNote(matches[0]) if matches else None for matches in found)


def suggestion_panel(
    *, article: Article, claims: list[Claim], part: tuple[int, int] | None = None
) -> SuggestionPanel:
    """The suggestion panel of the article page, which has loaded the article's `claims`
    already: one query more, for the dismissals.

    With `part` (a `(start, end)` of the text), only the suggestions within that part are
    counted and listed, and `claims` need only be those overlapping it: any claim that
    overlaps a sentence of the part overlaps the part.

    A long text is never scored here: without its scores at hand, or while a job accepts
    its suggestions, the panel is `waiting`, with the latest run of the text (if any) to
    show; the page asks for one (suggestions.jobs). A short text's scores cost no query.

    The listed suggestions (those of the part shown, no others) are matched against the
    reviewed claims of other articles in one batch (`suggestions_reviewed`)."""
    scored = None
    if is_long(article.body):
        run = latest_run(article)
        accepting = run is not None and run.is_open and run.accept
        # Read once here and handed on: unpickling a 2 MB text's scores takes a while.
        scored = cached_scores(article.body)
        if accepting or scored is None:
            return SuggestionPanel(
                listed=[], total=0, above_threshold=0, dismissed=[], waiting=True, run=run
            )
    dismissed = list(article.dismissed_suggestions.order_by("-dismissed_at", "-id"))
    found = open_suggestions(
        article=article, claims=claims, dismissed=dismissed, part=part, scored=scored
    )
    listed = found[:SUGGESTIONS_LISTED]
    return SuggestionPanel(
        listed=listed,
        total=len(found),
        above_threshold=sum(s.suggested for s in found),
        dismissed=dismissed,
        reviewed=suggestions_reviewed(listed, article=article),
    )
