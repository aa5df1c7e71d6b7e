"""Making and editing claims: anchor, attribution, rationale."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from articles.quotes import anchor_at
from claims import events as events_of
from claims.models import Claim, ClaimEvent, ClaimOrigin, Via
from claims.services.assignment import check_assignable, check_may_assign, claim_assign
from claims.services.common import (
    ArticleChanged,
    bump,
    check_length,
    lock_claim,
    rationale_to_write,
    reopen_for_new_words,
)
from claims.signals import words_changed
from newsdesk.auth import ADD_CLAIM, CHANGE_CLAIM, REVIEW, require_perm
from newsdesk.text import normalize_text


@transaction.atomic
def claim_create(
    *,
    article: Article,
    start: int,
    end: int,
    by: AbstractBaseUser,
    attributed_to: str = "",
    assignee: AbstractBaseUser | None = None,
    origin: ClaimOrigin = ClaimOrigin.MANUAL,
    via: Via = Via.WEB,
    why: dict[str, object] | None = None,
    batch: uuid.UUID | None = None,
    expected_article_version: int | None = None,
) -> Claim:
    """Anchor a new claim to `article.body[start:end]`.

    `why` goes into the history row: for a suggestion, its score and reasons. `batch` ties
    together the claims one action created. With `expected_article_version` (the version
    of the article the offsets were chosen on), ArticleChanged is raised if the article
    has been saved since, and nothing is written.
    """
    require_perm(by, ADD_CLAIM, to="create claims")
    if assignee is not None:
        check_may_assign(by, assignee)
        check_assignable(assignee)
    if expected_article_version is not None:
        # Locked, so an edit cannot land between this check and the claim's insert.
        article = Article.objects.locked(article.pk)
        if article.version != expected_article_version:
            raise ArticleChanged(article)
    claim = Claim(
        article=article,
        attributed_to=normalize_text(attributed_to),
        assignee=assignee,
        origin=origin,
        created_by=by,
        **anchor_at(article.body, start, end),
    )
    # Constraints are left to the database: anchor_at made the span and quote agree, and a
    # check of each by query would cost five round trips per claim (accept-all makes many).
    claim.full_clean(exclude=["article", "assignee", "created_by"], validate_constraints=False)
    claim.save()
    events = [events_of.created(claim, by=by, via=via, batch=batch, why=why)]
    if assignee is not None:
        events.append(
            events_of.assigned(claim, old=None, new=assignee, by=by, via=via, batch=batch)
        )
    ClaimEvent.objects.bulk_create(events)
    words_changed([claim.pk])
    return claim


@dataclass(frozen=True)
class NewClaim:
    """One claim of `claims_create_many`: its span, attribution and history's `why`."""

    start: int
    end: int
    attributed_to: str = ""
    why: dict[str, object] | None = None


@transaction.atomic
def claims_create_many(
    *,
    article: Article,
    spans: Sequence[NewClaim],
    by: AbstractBaseUser,
    origin: ClaimOrigin = ClaimOrigin.MANUAL,
    via: Via = Via.WEB,
    batch: uuid.UUID | None = None,
) -> list[Claim]:
    """`claim_create` for many unassigned claims of one article at once: the same checks
    and history rows, in two INSERTs per thousand claims rather than a savepoint and two
    INSERTs per claim (accepting the 25,000 suggestions of a 2 MB text took minutes)."""
    require_perm(by, ADD_CLAIM, to="create claims")
    claims = []
    for span in spans:
        claim = Claim(
            article=article,
            attributed_to=normalize_text(span.attributed_to),
            origin=origin,
            created_by=by,
            **anchor_at(article.body, span.start, span.end),
        )
        claim.full_clean(exclude=["article", "assignee", "created_by"], validate_constraints=False)
        claims.append(claim)
    Claim.objects.bulk_create(claims, batch_size=1_000)
    ClaimEvent.objects.bulk_create(
        [
            events_of.created(claim, by=by, via=via, batch=batch, why=span.why)
            for claim, span in zip(claims, spans, strict=True)
        ],
        batch_size=1_000,
    )
    words_changed(claim.pk for claim in claims)
    return claims


@transaction.atomic
def claim_update(
    *,
    claim: Claim,
    by: AbstractBaseUser,
    expected_version: int,
    start: int | None = None,
    end: int | None = None,
    attributed_to: str | None = None,
    rationale: str | None = None,
    expected_rationale: str | None = None,
    via: Via = Via.WEB,
) -> Claim:
    """Edit a claim's anchor, attribution or rationale; statuses move only by transition.

    `expected_rationale` is the rationale the person's form started from (see
    `rationale_to_write`)."""
    current = lock_claim(claim, expected_version)
    rationale = rationale_to_write(current, rationale, expected_rationale)
    changes: dict[str, list[object]] = {}
    if start is not None or end is not None:
        require_perm(by, CHANGE_CLAIM, to="edit claims")
        anchor = anchor_at(
            current.article.body,
            current.start if start is None else start,
            current.end if end is None else end,
        )
        for name in ("text", "start", "end"):
            if getattr(current, name) != anchor[name]:
                changes[name] = [getattr(current, name), anchor[name]]
        for name, value in anchor.items():
            setattr(current, name, value)
    # Compared in the stored normal form on both sides: a value saved before it was
    # normalised (trailing blanks, say) is not rewritten by an untouched form.
    if attributed_to is not None and normalize_text(attributed_to) != normalize_text(
        current.attributed_to
    ):
        require_perm(by, CHANGE_CLAIM, to="edit claims")
        changes["attributed_to"] = [current.attributed_to, normalize_text(attributed_to)]
        current.attributed_to = normalize_text(attributed_to)
    if rationale is not None and normalize_text(rationale) != normalize_text(current.rationale):
        require_perm(by, REVIEW, to="decide on claims")
        check_length(rationale=rationale)
        changes["rationale"] = [current.rationale, normalize_text(rationale)]
        current.rationale = normalize_text(rationale)
    if not changes:
        return current
    if changes.keys() & {"text", "attributed_to"}:
        words_changed([current.pk])
    current.full_clean(exclude=["article", "assignee", "created_by"])
    now = timezone.now()
    fields = ["text", "start", "end", "prefix", "suffix", "attributed_to", "rationale"]
    values = {name: getattr(current, name) for name in fields}
    if start is not None or end is not None:
        values["orphaned"] = False  # anchored again, by hand
    events = [
        events_of.edited(
            current,
            by=by,
            via=via,
            at=now,
            changes=changes,
            anchored_again=current.orphaned and (start is not None or end is not None),
        )
    ]
    if "text" in changes:
        reopen_for_new_words(
            current,
            values,
            events,
            words=changes["text"],
            via=via,
            now=now,
            note=f"{by.get_username()} changed the quote, so the earlier verdict no longer "
            "applies; reopened for review.",
        )
    bump([current], now, **values)
    ClaimEvent.objects.bulk_create(events)
    return current


@transaction.atomic
def claim_edit(
    *,
    claim: Claim,
    by: AbstractBaseUser,
    expected_version: int,
    start: int,
    end: int,
    attributed_to: str,
    assignee: AbstractBaseUser | None,
    via: Via = Via.WEB,
) -> Claim:
    """An Editor's edit form in one transaction: anchor, attribution and assignee."""
    edited = claim_update(
        claim=claim,
        by=by,
        expected_version=expected_version,
        start=start,
        end=end,
        attributed_to=attributed_to,
        via=via,
    )
    if edited.assignee_id != (assignee.pk if assignee else None):
        edited = claim_assign(
            claim=edited, assignee=assignee, by=by, expected_version=edited.version, via=via
        )
    return edited
