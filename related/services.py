"""Writes: linking claims of different articles, removing links, and copying the sources
of a claim marked the same.

A link is a reviewer's judgement and every change to one is written to the history of
both its claims, in the transaction that makes it. Linking touches neither claim's row (no
version moves, as adding a source moves none): a decision being written meanwhile is not
made stale by it. The two claims are locked, in id order, so that two people linking the
same pair at once are told about each other rather than both writing.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from claims import events as events_of
from claims.models import Claim, ClaimEvent, EventKind, Via
from claims.services import SourcesCopied, StaleClaim, sources_add_copies
from newsdesk.auth import ADD_SOURCE, LINK_CLAIM, require_perm
from newsdesk.errors import NewsdeskError, who_when
from related.models import ClaimLink, ClaimMatch, LinkKind
from related.retrieval import claims_compared


class LinkRefused(NewsdeskError):
    """The link asked for may not be made; nothing was written."""


class LinkMissing(NewsdeskError):
    """The two claims are not linked (any more), or not as the action needs."""


def kind_words(kind: str) -> str:
    """How a message names a link's kind: 'the same claim' or 'related'."""
    return "the same claim" if kind == LinkKind.SAME else "related"


def _lock_pair(
    claim: Claim, other: Claim, *, undone: str = "nothing was linked"
) -> tuple[Claim, Claim]:
    """Both claims as stored now, with their articles, locked in id order (so two people
    acting on one pair from either end cannot deadlock)."""
    if claim.pk == other.pk:
        raise LinkRefused(f"Claim #{claim.pk} cannot be linked to itself.")
    rows = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("article")
        .filter(pk__in=[claim.pk, other.pk])
        .order_by("pk")
    )
    found = {row.pk: row for row in rows}
    for wanted in (claim, other):
        if wanted.pk not in found:
            raise LinkRefused(f"Claim #{wanted.pk} no longer exists; {undone}.")
    return found[claim.pk], found[other.pk]


def _link_of(claim: Claim, other: Claim) -> ClaimLink | None:
    low, high = sorted((claim.pk, other.pk))
    return (
        ClaimLink.objects.select_for_update(of=("self",))
        .select_related("linked_by")
        .filter(claim_id=low, other_id=high)
        .first()
    )


@transaction.atomic
def claims_link(
    *,
    claim: Claim,
    other: Claim,
    kind: LinkKind | str,
    by: AbstractBaseUser,
    via: Via = Via.WEB,
) -> ClaimLink:
    """Mark `claim` the same as, or related to, `other`, a claim of another article.

    Refused (LinkRefused) for the claim itself, a claim of the same article, and a link
    that exists already with this kind; an existing link of the other kind changes kind,
    and that change is recorded like a new link.
    """
    require_perm(by, LINK_CLAIM, to="link claims")
    kind = LinkKind(kind)
    claim, other = _lock_pair(claim, other)
    if claim.article_id == other.article_id:
        raise LinkRefused(
            f"Claims #{claim.pk} and #{other.pk} are both in “{claim.article.title}”: links "
            "join claims of different articles. Nothing was linked."
        )
    now = timezone.now()
    link = _link_of(claim, other)
    previous = None
    if link is not None:
        if link.kind == kind:
            linked = who_when(link.linked_by, link.linked_at, "linked them")
            raise LinkRefused(
                f"Claims #{claim.pk} and #{other.pk} are already linked as "
                f"{kind_words(kind)} ({linked}). Nothing changed."
            )
        previous = link.kind
        link.kind, link.linked_by, link.linked_at = kind, by, now
        link.save(update_fields=["kind", "linked_by", "linked_at"])
    else:
        low, high = sorted((claim, other), key=lambda c: c.pk)
        link = ClaimLink(claim=low, other=high, kind=kind, linked_by=by, linked_at=now)
        try:
            # SQLite takes no row locks: two people linking the pair at once meet here.
            with transaction.atomic():
                link.save()
        except IntegrityError:
            raise LinkRefused(
                f"Someone linked claims #{claim.pk} and #{other.pk} a moment ago. "
                "Nothing was linked; reload the page to see their link."
            ) from None
    ClaimEvent.objects.bulk_create(
        [
            events_of.linked(one, two, kind=kind, by=by, via=via, at=now, previous_kind=previous)
            for one, two in ((claim, other), (other, claim))
        ]
    )
    _matches_follow_link(claim, other, same=kind == LinkKind.SAME)
    return link


@transaction.atomic
def claims_unlink(
    *, claim: Claim, other: Claim, by: AbstractBaseUser, via: Via = Via.WEB
) -> ClaimLink:
    """Remove the link between `claim` and `other` (whichever end is given first); the
    history of both says who removed it and what it was. Returns the removed link."""
    require_perm(by, LINK_CLAIM, to="remove links between claims")
    claim, other = _lock_pair(claim, other, undone="no link was removed")
    link = _link_of(claim, other)
    if link is None:
        raise LinkMissing(_not_linked(claim, other))
    removed = ClaimLink(
        pk=link.pk,
        claim_id=link.claim_id,
        other_id=link.other_id,
        kind=link.kind,
        linked_by=link.linked_by,
        linked_at=link.linked_at,
    )
    link.delete()
    now = timezone.now()
    ClaimEvent.objects.bulk_create(
        [
            events_of.unlinked(one, two, kind=removed.kind, by=by, via=via, at=now)
            for one, two in ((claim, other), (other, claim))
        ]
    )
    # Without the reviewer's word, the matcher's verdict stands again.
    _matches_follow_link(claim, other, same=claims_compared(claim, other).same)
    return removed


def _matches_follow_link(claim: Claim, other: Claim, *, same: bool) -> None:
    """The stored matches of a linked pair say what the reviewer said, so the queue's "has
    a reviewed match" agrees with the link."""
    ClaimMatch.objects.filter(
        Q(claim_id=claim.pk, other_id=other.pk) | Q(claim_id=other.pk, other_id=claim.pk)
    ).update(same=same)


def _not_linked(claim: Claim, other: Claim) -> str:
    """'Claims #3 and #9 are not linked: rui removed the link at …', naming the removal
    when the history holds one."""
    said = f"Claims #{claim.pk} and #{other.pk} are not linked"
    removal = (
        ClaimEvent.objects.filter(claim_id=claim.pk, kind=EventKind.UNLINKED, data__other=other.pk)
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    if removal is not None:
        said += ": " + who_when(removal.actor, removal.at, "removed the link", nobody="The system")
    return said + "."


@transaction.atomic
def sources_copy(
    *,
    claim: Claim,
    source_claim: Claim,
    by: AbstractBaseUser,
    via: Via = Via.WEB,
    version: int | None = None,
) -> SourcesCopied:
    """Copy onto `claim` every source of `source_claim` it does not cite already.

    Only from a claim marked the same: a related claim's evidence bears on other words.
    Each copy is recorded with where it came from. The verdict, status and rationale are
    never copied: this claim's own review, under the workflow's rules, decides them. With
    `version`, refused (StaleClaim) if `claim` changed since it was at that version.
    """
    require_perm(by, ADD_SOURCE, to="add sources")
    claim, source_claim = _lock_pair(claim, source_claim, undone="nothing was copied")
    if version is not None and claim.version != version:
        raise StaleClaim(claim)
    link = _link_of(claim, source_claim)
    if link is None:
        raise LinkMissing(
            _not_linked(claim, source_claim)
            + " Sources are copied only from a claim marked the same; nothing was copied."
        )
    if link.kind != LinkKind.SAME:
        raise LinkRefused(
            f"Claim #{source_claim.pk} is linked as related, not the same: sources are "
            "copied only from a claim marked the same. Nothing was copied."
        )
    originals = source_claim.sources.order_by("added_at", "id")
    return sources_add_copies(claim=claim, originals=originals, by=by, via=via)
