"""Who works on which claim: assigning, taking, handing over, one or many."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from claims import events as events_of
from claims.models import Claim, ClaimEvent, EventKind, Via
from claims.selectors import claims_last_changes
from claims.services.common import (
    CHUNK,
    JUDGED_FIELDS,
    BulkResult,
    StaleClaim,
    batched,
    bump,
    changed_by,
    ids_of,
    lock_claim,
    lock_claims,
    save_history,
)
from claims.workflow import Refusal
from newsdesk.auth import ASSIGN, REVIEW, may_review, not_assignable, refusal_text
from newsdesk.errors import NewsdeskError, who_when


def check_assignable(assignee: AbstractBaseUser) -> None:
    if not may_review(assignee):
        raise ValidationError({"assignee": not_assignable(assignee.get_username())})


def check_may_assign(by: AbstractBaseUser, assignee: AbstractBaseUser | None) -> None:
    if by.has_perm(ASSIGN):
        return
    # Reviewers may take work for themselves without the Editor role.
    if assignee is not None and assignee.pk == by.pk and by.has_perm(REVIEW):
        return
    raise PermissionDenied(refusal_text(ASSIGN, to="assign claims to other people"))


def _taken_refusal(holder: AbstractBaseUser | None) -> Refusal:
    name = holder.get_username() if holder else "someone else"
    return Refusal(
        "taken",
        f"This claim is assigned to {name}; nothing was changed.",
        f"already assigned to {name}",
    )


def _stale_refusal(claim: Claim, last_change: ClaimEvent | None) -> Refusal:
    """A claim that changed after the page listed it, with who changed it and when. The
    summary, shared by the claims refused alike, names who but not when."""
    if last_change is None:
        by = "someone else"
    else:
        by = last_change.actor.get_username() if last_change.actor else "the system"
    state = f"it is now {claim.get_status_display()}, version {claim.version}"
    return Refusal(
        "stale",
        f"{changed_by(last_change)} after the page was shown ({state}); nothing was changed.",
        f"changed by {by} since the page was shown",
    )


def _assign_all(
    claims: list[Claim],
    *,
    assignee: AbstractBaseUser | None,
    by: AbstractBaseUser,
    via: Via,
    batch: uuid.UUID | None,
    expected_versions: Mapping[int, int] | None = None,
    if_unassigned: bool = False,
) -> BulkResult:
    """Assign `claims` (locked) to `assignee`. A claim someone else holds is refused when
    `if_unassigned` is set, and always when the person acting may not assign others (a
    Reviewer takes free claims, never someone else's); a claim whose version moved past
    the one in `expected_versions` is refused as stale."""
    result = BulkResult(batch=batch or uuid.uuid4())
    target_id = assignee.pk if assignee else None
    keep_holders = if_unassigned or not by.has_perm(ASSIGN)
    held = {c.assignee_id for c in claims if c.assignee_id not in (None, target_id)}
    users = get_user_model().objects.in_bulk(held) if held else {}
    versions = expected_versions or {}
    moved = [c.pk for c in claims if c.pk in versions and versions[c.pk] != c.version]
    last_changes: dict[int, ClaimEvent] = {}
    for chunk in batched(moved, CHUNK):
        last_changes.update(claims_last_changes(claim_ids=chunk))
    for claim in claims:
        if claim.assignee_id == target_id:
            result.unchanged.append(claim)
        elif keep_holders and claim.assignee_id is not None:
            result.refused.append((claim, _taken_refusal(users.get(claim.assignee_id))))
        elif claim.pk in versions and versions[claim.pk] != claim.version:
            result.refused.append((claim, _stale_refusal(claim, last_changes.get(claim.pk))))
        else:
            result.changed.append(claim)
    if not result.changed:
        return result
    previous = {claim.pk: claim.assignee_id for claim in result.changed}
    now = timezone.now()
    bump(result.changed, now, assignee=assignee)
    save_history(
        [
            events_of.assigned(
                claim,
                old=users.get(previous[claim.pk]),
                new=assignee,
                by=by,
                via=via,
                at=now,
                batch=batch,
            )
            for claim in result.changed
        ]
    )
    return result


class ClaimTaken(NewsdeskError):
    """Someone else holds the claim: taking it would silently push them off it."""

    def __init__(self, claim: Claim) -> None:
        self.claim = claim
        event = (
            ClaimEvent.objects.filter(claim_id=claim.pk, kind=EventKind.ASSIGNED)
            .select_related("actor")
            .order_by("-at", "-id")
            .first()
        )
        holder = claim.assignee.get_username()
        if event is None or event.data.get("to_id") != claim.assignee_id:
            said = f"This claim is assigned to {holder}"
        elif event.actor_id == claim.assignee_id:
            said = who_when(claim.assignee, event.at, "took this claim")
        else:
            said = who_when(
                event.actor, event.at, f"assigned this claim to {holder}", nobody="The system"
            )
        super().__init__(f"{said}; it stays with {holder}. Nothing was changed.")


@transaction.atomic
def claim_assign(
    *,
    claim: Claim,
    assignee: AbstractBaseUser | None,
    by: AbstractBaseUser,
    expected_version: int | None = None,
    if_unassigned: bool = False,
    via: Via = Via.WEB,
) -> Claim:
    """Assign one claim (or unassign it), with no batch in the history.

    With `expected_version`, refuse (StaleClaim) if the claim changed since; every web
    path passes the version its page showed. A claim that someone else holds is refused
    (ClaimTaken) when `if_unassigned` is set ("assign to me") and always for a person who
    may not assign others. A claim already with `assignee` is left as it is.
    """
    check_may_assign(by, assignee)
    if assignee is not None:
        check_assignable(assignee)
    locked = lock_claim(claim, None, with_sources=False)
    result = _assign_all(
        [locked],
        assignee=assignee,
        by=by,
        via=via,
        batch=None,
        expected_versions=None if expected_version is None else {locked.pk: expected_version},
        if_unassigned=if_unassigned,
    )
    if result.refused:
        refusal = result.refused[0][1]
        if refusal.code == "taken":
            raise ClaimTaken(Claim.objects.select_related("assignee").get(pk=locked.pk))
        raise StaleClaim(locked)
    return locked


@transaction.atomic
def claims_bulk_assign(
    *,
    claims: Iterable[Claim | int],
    assignee: AbstractBaseUser | None,
    by: AbstractBaseUser,
    expected_versions: Mapping[int, int] | None = None,
    if_unassigned: bool = False,
    via: Via = Via.WEB,
) -> BulkResult:
    """Assign many claims to one reviewer (or to nobody), one batch in the history.

    Claims whose version moved past the one in `expected_versions` (the page that listed
    them is out of date), and claims someone else holds when `if_unassigned` is set or the
    person acting may not assign others, are refused and reported, never overwritten.

    The web passes a version for every claim (AssignForm refuses a post without one). The
    admin's bulk action passes none: it is a deliberate hand-over by staff of the claims
    they ticked, as those claims stand when the action runs, so none is refused as stale.
    """
    check_may_assign(by, assignee)
    if assignee is not None:
        check_assignable(assignee)
    return _assign_all(
        lock_claims(ids_of(claims), with_sources=False, fields=JUDGED_FIELDS),
        assignee=assignee,
        by=by,
        via=via,
        batch=uuid.uuid4(),
        expected_versions=expected_versions,
        if_unassigned=if_unassigned,
    )
