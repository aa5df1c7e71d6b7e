"""Reads: a claim's links as its page shows them, in a fixed number of queries."""

from __future__ import annotations

import logging
from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass

from django.db import OperationalError, connection, transaction
from django.db.models import Q

from claims.models import Claim, ClaimStatus, Source
from claims.services import cited_already
from newsdesk.auth import ADD_SOURCE, role_needed
from related.models import ClaimLink, LinkKind
from related.retrieval import Match, claim_matches, claims_compared

# Said where a same link's "Copy N sources" button would be, to whoever may not add sources.
COPY_NEEDS = f"Copying sources needs {role_needed(ADD_SOURCE)}."


@dataclass(frozen=True)
class ShownLink:
    """One link seen from `claim`'s end: the claim at the other end (with its article),
    how many sources it has, and how many of those `claim` does not cite yet. A link
    marked the same carries what the matcher holds against it (`conflicts`), so the
    reasons to doubt it stay in sight after a reviewer linked it anyway."""

    link: ClaimLink
    other: Claim
    sources_count: int
    copyable: int
    conflicts: tuple[str, ...] = ()

    @property
    def same(self) -> bool:
        return self.link.kind == LinkKind.SAME


def links_of(claim_id: int) -> Q:
    """The links with `claim_id` at either end (a link is stored once, lower id first)."""
    return Q(claim_id=claim_id) | Q(other_id=claim_id)


def claim_links(*, claim: Claim) -> list[ShownLink]:
    """`claim`'s links, newest first, each from `claim`'s end, in two queries (the links
    with both claims and their articles, then the other claims' source links), plus one
    for `claim`'s own sources unless they are prefetched."""
    links = list(
        ClaimLink.objects.filter(links_of(claim.pk))
        .select_related("claim__article", "other__article", "linked_by")
        .order_by("-linked_at", "-id")
    )
    if not links:
        return []
    others = {link.pk: link.other if link.claim_id == claim.pk else link.claim for link in links}
    urls: dict[int, list[Source]] = defaultdict(list)
    other_ids = [other.pk for other in others.values()]
    for source in Source.objects.filter(claim_id__in=other_ids).only("claim_id", "url"):
        urls[source.claim_id].append(source)
    present = list(claim.sources.all())
    shown = []
    for link in links:
        other = others[link.pk]
        theirs = urls[other.pk]
        if link.kind == LinkKind.SAME:
            copyable = sum(1 for source in theirs if cited_already(present, source.url) is None)
            conflicts = matcher_conflicts(claim, other)
        else:
            copyable, conflicts = 0, ()
        shown.append(ShownLink(link, other, len(theirs), copyable, conflicts))
    return shown


def matcher_conflicts(claim: Claim, other: Claim) -> tuple[str, ...]:
    """What the matcher holds against `claim` and `other` being the same claim ("numbers
    differ: 18 vs sixteen"), from their words alone: no query."""
    return claims_compared(claim, other, weighted=False).conflicts


logger = logging.getLogger(__name__)

# How many matches the claim page shows under "Reviewed before".
MATCHES_SHOWN = 5


@dataclass(frozen=True)
class ReviewedBefore:
    """What a claim page shows of other articles: the links reviewers made, and the
    matcher's live matches among the claims not linked yet."""

    links: list[ShownLink]
    matches: list[Match]
    copy_needs: str = COPY_NEEDS

    @property
    def same(self) -> list[ShownLink]:
        return [shown for shown in self.links if shown.same]

    @property
    def related(self) -> list[ShownLink]:
        return [shown for shown in self.links if not shown.same]


def reviewed_before(*, claim: Claim, limit: int = MATCHES_SHOWN) -> ReviewedBefore:
    """`claim`'s links, and `limit` of its matches that are not linked already (those are
    listed with the links, not offered again): the reviewed ones first, then the others,
    each group in the matcher's order."""
    links = claim_links(claim=claim)
    linked = {shown.other.pk for shown in links}
    # A search the database gave up on (its time limit) costs the panel its matches, never
    # the claim page; the savepoint keeps an enclosing transaction usable.
    guard = transaction.atomic() if connection.in_atomic_block else nullcontext()
    try:
        with guard:
            # More than are shown: a wire story's unreviewed near copies outscore a
            # reviewed rewording of it, and would otherwise crowd it out of the panel.
            found = claim_matches(claim=claim, limit=3 * limit + len(linked))
    except OperationalError:
        logger.warning("Matching claim %s gave up", claim.pk, exc_info=True)
        found = []
    unlinked = [match for match in found if match.claim.pk not in linked]
    # A stable sort: within each group the matcher's order stands.
    unlinked.sort(key=lambda match: match.claim.status == ClaimStatus.UNVERIFIED)
    return ReviewedBefore(links=links, matches=unlinked[:limit])
