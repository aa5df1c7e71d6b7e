"""Keeping the matcher's stored guesses (`ClaimMatch`) in step with the claims' words.

When claims are written or their words change (`claims.signals.claims_worded`, sent after
the transaction commits), `claims_match` is enqueued with their ids; it matches each one
and replaces its rows, in both directions. Under the database backend `manage.py db_worker`
runs it beside the web server; under the immediate backend (tests, the demo) it runs at
once. The queue's "has a reviewed match" filter and the admin read these rows; pages that
show matches compute them afresh.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django_tasks import task

from claims.models import Claim, ClaimStatus
from related import matching
from related.models import ClaimLink, ClaimMatch, LinkKind
from related.retrieval import reading_of, term_stats, texts_judged

# Matches kept per claim: what the queue and the admin need, not a ranking to page through.
KEPT = 10
# Claims matched per transaction: a bulk import's claims are matched in short steps.
STEP = 200


def claims_match_refresh(*, claim_ids: Sequence[int]) -> int:
    """Match these claims afresh and store their matches both ways; returns rows written."""
    written = 0
    ids = sorted(set(claim_ids))
    for start in range(0, len(ids), STEP):
        written += _refresh(ids[start : start + STEP])
    return written


def _refresh(ids: list[int]) -> int:
    claims = list(
        Claim.objects.filter(id__in=ids).only("id", "article_id", "text", "attributed_to", "status")
    )
    by_article: dict[int, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_article[claim.article_id].append(claim)
    now = timezone.now()
    idf = term_stats().idf
    rows: dict[tuple[int, int], ClaimMatch] = {}
    readings = {}
    for article_id, group in by_article.items():
        group_readings = [reading_of(c.text, c.attributed_to) for c in group]
        judged = texts_judged(group_readings, exclude_article_id=article_id)
        for claim, reading, pool in zip(group, group_readings, judged, strict=True):
            readings[claim.pk] = reading
            # The best few, and every one the matcher calls the same: a reviewed rewording
            # must not be crowded out by a dozen copies of one wire story.
            for other, verdict in pool[:KEPT] + [p for p in pool[KEPT:] if p[1].same]:
                back = matching.compare(other.reading, reading, idf)
                _keep_pair(rows, claim.id, other.id, verdict, back, now)
    # Claims that had these among their matches keep them while they still match: one
    # claim's new best few decide nothing about another claim's.
    earlier = (
        ClaimMatch.objects.filter(other_id__in=ids)
        .exclude(claim_id__in=ids)
        .values_list("claim_id", "other_id")
    )
    pending = [(c, o) for c, o in earlier if (c, o) not in rows and o in readings]
    if pending:
        kept_by = Claim.objects.filter(id__in={c for c, _ in pending}).only(
            "id", "text", "attributed_to"
        )
        theirs = {c.pk: reading_of(c.text, c.attributed_to) for c in kept_by}
        for claim_id, other_id in pending:
            if claim_id not in theirs:
                continue
            verdict = matching.compare(theirs[claim_id], readings[other_id], idf)
            if verdict.score >= matching.RELATED_AT:
                back = matching.compare(readings[other_id], theirs[claim_id], idf)
                _keep_pair(rows, claim_id, other_id, verdict, back, now)
    reviewed = {c.pk for c in claims if c.status != ClaimStatus.UNVERIFIED} | set(
        Claim.objects.filter(id__in={other for _, other in rows})
        .exclude(status=ClaimStatus.UNVERIFIED)
        .values_list("id", flat=True)
    )
    # A reviewer's link outranks the matcher: "related" is not the same, "same" is.
    links = {
        (link.claim_id, link.other_id): link.kind
        for link in ClaimLink.objects.filter(Q(claim_id__in=ids) | Q(other_id__in=ids))
    }
    for (claim_id, other_id), row in rows.items():
        row.other_reviewed = other_id in reviewed
        kind = links.get((min(claim_id, other_id), max(claim_id, other_id)))
        if kind is not None:
            row.same = kind == LinkKind.SAME
    with transaction.atomic():
        ClaimMatch.objects.filter(Q(claim_id__in=ids) | Q(other_id__in=ids)).delete()
        ClaimMatch.objects.bulk_create(rows.values(), batch_size=1000, ignore_conflicts=True)
    return len(rows)


def _keep_pair(rows: dict, claim_id: int, other_id: int, there, back, now) -> None:
    """Both rows of a pair: `claim_id`'s, which replaces any, and `other_id`'s, unless
    that claim's own matching wrote it already."""
    rows[claim_id, other_id] = _row(claim_id, other_id, there, now)
    rows.setdefault((other_id, claim_id), _row(other_id, claim_id, back, now))


def _row(claim_id: int, other_id: int, verdict: matching.Verdict, now) -> ClaimMatch:
    return ClaimMatch(
        claim_id=claim_id,
        other_id=other_id,
        score=verdict.score,
        same=verdict.same,
        reasons=list(verdict.reasons),
        scored_at=now,
    )


def claim_matches_follow_status(*, claim_ids: Sequence[int]) -> int:
    """Mark the stored matches that point at these claims reviewed or not, as their status
    now says; returns the rows updated."""
    reviewed = Exists(
        Claim.objects.filter(pk=OuterRef("other_id")).exclude(status=ClaimStatus.UNVERIFIED)
    )
    ids = sorted(set(claim_ids))
    return sum(
        ClaimMatch.objects.filter(other_id__in=ids[start : start + 1000]).update(
            other_reviewed=reviewed
        )
        for start in range(0, len(ids), 1000)
    )


@task()
def claims_match(claim_ids: list[int]) -> int:
    return claims_match_refresh(claim_ids=claim_ids)
