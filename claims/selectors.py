"""Reads that more than one caller needs."""

from __future__ import annotations

from claims.models import ClaimEvent, EventKind

# Kinds that change the claim row itself, and so its version.
VERSIONED_KINDS = (
    EventKind.CREATED,
    EventKind.STATUS_CHANGED,
    EventKind.ASSIGNED,
    EventKind.EDITED,
)


def claim_last_change(*, claim_id: int) -> ClaimEvent | None:
    """The latest history row that changed the claim itself: who saved it last, and when."""
    return (
        ClaimEvent.objects.filter(claim_id=claim_id, kind__in=VERSIONED_KINDS)
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
