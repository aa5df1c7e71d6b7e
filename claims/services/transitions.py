"""Moving claims through the review workflow, one or many: the rules are
`claims.workflow`'s, applied to each claim as stored now."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from claims import events as events_of
from claims.models import Claim, ClaimStatus, Via
from claims.services.common import (
    JUDGED_FIELDS,
    BulkResult,
    bump,
    check_length,
    claims_sources,
    ids_of,
    lock_claim,
    lock_claims,
    rationale_to_write,
    save_history,
)
from claims.workflow import TransitionRefused, reads_sources, refusal_for
from newsdesk.text import normalize_text


def _transition_all(
    claims: list[Claim],
    *,
    to: ClaimStatus,
    by: AbstractBaseUser,
    note: str,
    rationale: str | None,
    via: Via,
    batch: uuid.UUID | None,
) -> BulkResult:
    check_length(note=note, rationale=rationale)
    result = BulkResult(batch=batch or uuid.uuid4())
    moving = [claim.pk for claim in claims if claim.status != to]
    sources = claims_sources(moving) if moving and reads_sources(to) else {}
    for claim in claims:
        if claim.status == to:
            result.unchanged.append(claim)
            continue
        refusal = refusal_for(claim, to, user=by, sources=sources.get(claim.pk, ()), note=note)
        if refusal is None:
            result.changed.append(claim)
        else:
            result.refused.append((claim, refusal))
    if not result.changed:
        return result
    now = timezone.now()
    origins = {claim.pk: claim.status for claim in result.changed}
    values: dict[str, object] = {"status": to, "status_changed_at": now}
    if rationale is not None:
        values["rationale"] = normalize_text(rationale)
    bump(result.changed, now, **values)
    note = normalize_text(note)
    save_history(
        [
            events_of.status_changed(
                claim,
                by=by,
                via=via,
                at=now,
                from_status=origins[claim.pk],
                note=note,
                rationale=values.get("rationale"),
                batch=batch,
            )
            for claim in result.changed
        ]
    )
    return result


@transaction.atomic
def claim_transition(
    *,
    claim: Claim,
    to: ClaimStatus,
    by: AbstractBaseUser,
    expected_version: int,
    note: str = "",
    rationale: str | None = None,
    expected_rationale: str | None = None,
    via: Via = Via.WEB,
) -> Claim:
    """Move one claim to `to`, or raise TransitionRefused / StaleClaim having written nothing.

    `expected_rationale`: as for `claim_update`."""
    locked = [lock_claim(claim, expected_version, with_sources=False)]
    rationale = rationale_to_write(locked[0], rationale, expected_rationale)
    result = _transition_all(
        locked,
        to=ClaimStatus(to),
        by=by,
        note=note,
        rationale=rationale,
        via=via,
        batch=None,
    )
    if result.refused:
        raise TransitionRefused(result.refused[0][1])
    if result.unchanged:
        # The workflow says why (no role, or already there) in its own words.
        raise TransitionRefused(refusal_for(locked[0], to, user=by, sources=[], note=None))
    return result.changed[0]


@transaction.atomic
def claims_bulk_transition(
    *,
    claims: Iterable[Claim | int],
    to: ClaimStatus,
    by: AbstractBaseUser,
    note: str = "",
    rationale: str | None = None,
    via: Via = Via.WEB,
) -> BulkResult:
    """Apply one transition to many claims, each judged by the same rules as a single one.

    Claims the rules refuse are left untouched and reported with their reason; the
    others change together, their history rows sharing one batch uuid.
    """
    batch = uuid.uuid4()
    return _transition_all(
        lock_claims(ids_of(claims), with_sources=False, fields=JUDGED_FIELDS),
        to=ClaimStatus(to),
        by=by,
        note=note,
        rationale=rationale,
        via=via,
        batch=batch,
    )
