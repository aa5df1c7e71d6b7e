"""One builder per kind of history row, so every row of a kind carries the same fields and
the same `data` payload, whoever writes it (reports and the history page read them).

The builders only build: the services save them, in the transaction of the change they
record. `at` defaults to now; a service that stamps the claim with a time passes the same
one, so the claim's `updated_at` and its history row agree.

The one other writer of history rows is `seed_bulk`, a loader of synthetic data at scale
that writes rows by COPY for speed; it is not a path any person's action takes.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from claims.models import Claim, ClaimEvent, ClaimStatus, EventKind, Source, Via

# Who acted: None when the system did, on its own.
Actor = AbstractBaseUser | None


def _event(claim: Claim, kind: EventKind, *, by: Actor, via: Via, at: datetime | None, **fields):
    return ClaimEvent(claim=claim, actor=by, kind=kind, via=via, at=at or timezone.now(), **fields)


def created(
    claim: Claim,
    *,
    by: Actor,
    via: Via,
    batch: uuid.UUID | None = None,
    why: dict[str, object] | None = None,
) -> ClaimEvent:
    """A claim was made; `why` holds what a suggestion said of it (score, reasons)."""
    return _event(
        claim,
        EventKind.CREATED,
        by=by,
        via=via,
        at=None,
        to_status=claim.status,
        batch=batch,
        data={"origin": claim.origin, **(why or {})},
    )


def status_changed(
    claim: Claim,
    *,
    by: Actor,
    via: Via,
    at: datetime,
    from_status: str,
    note: str = "",
    rationale: str | None = None,
    batch: uuid.UUID | None = None,
) -> ClaimEvent:
    """`claim` (already holding its new status) moved from `from_status`; `rationale` is
    the verdict written with the move, if one was."""
    return _event(
        claim,
        EventKind.STATUS_CHANGED,
        by=by,
        via=via,
        at=at,
        from_status=from_status,
        to_status=claim.status,
        note=note,
        batch=batch,
        data={} if rationale is None else {"rationale": rationale},
    )


def reopened_for_new_words(
    claim: Claim, *, via: Via, at: datetime, note: str, rationale_cleared: str
) -> ClaimEvent:
    """The system reopened a reviewed claim whose words changed: no actor, as nobody
    decided it (the note names whose edit caused it)."""
    return _event(
        claim,
        EventKind.STATUS_CHANGED,
        by=None,
        via=via,
        at=at,
        from_status=claim.status,
        to_status=ClaimStatus.UNVERIFIED,
        note=note,
        data={"rationale_cleared": rationale_cleared} if rationale_cleared else {},
    )


def assigned(
    claim: Claim,
    *,
    old: AbstractBaseUser | None,
    new: AbstractBaseUser | None,
    by: Actor,
    via: Via,
    at: datetime | None = None,
    batch: uuid.UUID | None = None,
) -> ClaimEvent:
    """`claim` went from `old` to `new` (either may be nobody); names are kept beside the
    ids so the history reads the same after an account is renamed."""
    return _event(
        claim,
        EventKind.ASSIGNED,
        by=by,
        via=via,
        at=at,
        batch=batch,
        data={
            "from": old.get_username() if old else None,
            "from_id": old.pk if old else None,
            "to": new.get_username() if new else None,
            "to_id": new.pk if new else None,
        },
    )


def edited(
    claim: Claim,
    *,
    by: Actor,
    via: Via,
    at: datetime,
    changes: dict[str, list[object]],
    anchored_again: bool = False,
) -> ClaimEvent:
    """Someone changed the claim's quote, attribution or rationale: `changes` maps each
    field to [old, new]; `anchored_again` when an orphaned claim was placed by hand."""
    data: dict[str, object] = {"changes": changes}
    if anchored_again:
        data["anchored_again"] = True
    return _event(claim, EventKind.EDITED, by=by, via=via, at=at, data=data)


def reanchored(
    claim: Claim,
    *,
    by: Actor,
    via: Via,
    at: datetime,
    outcome: str,
    start: int | None,
    text: str,
) -> ClaimEvent:
    """An edit of the article moved, changed or orphaned `claim` (as stored before the
    edit); `start` and `text` are where and what it is now (start None when orphaned)."""
    return _event(
        claim,
        EventKind.EDITED,
        by=by,
        via=via,
        at=at,
        data={
            "changes": {},
            "reanchored": outcome,
            # An orphan found again reads differently from a claim that moved.
            "was_orphaned": claim.orphaned,
            "start": [claim.start, start],
            "text": [claim.text, text],
        },
    )


def source_snapshot(source: Source) -> dict[str, object]:
    """What the history keeps of a source, which may be removed later."""
    return {
        "source_id": source.pk,
        "url": source.url,
        "title": source.title,
        "publisher": source.publisher_name,
        "stance": source.stance,
        "added_by": source.added_by.get_username() if source.added_by_id else None,
    }


def source_added(claim: Claim, source: Source, *, by: Actor, via: Via) -> ClaimEvent:
    return _event(
        claim, EventKind.SOURCE_ADDED, by=by, via=via, at=None, data=source_snapshot(source)
    )


def source_removed(
    claim: Claim, source: Source, *, by: Actor, via: Via, note: str = ""
) -> ClaimEvent:
    return _event(
        claim,
        EventKind.SOURCE_REMOVED,
        by=by,
        via=via,
        at=None,
        note=note,
        data=source_snapshot(source),
    )


def link_snapshot(other: Claim) -> dict[str, object]:
    """What the history keeps of the claim at the other end of a link, which may change
    or go later: its number, and its article's number and title."""
    return {"other": other.pk, "article": other.article_id, "title": other.article.title}


def linked(
    claim: Claim,
    other: Claim,
    *,
    kind: str,
    by: Actor,
    via: Via,
    at: datetime,
    previous_kind: str | None = None,
) -> ClaimEvent:
    """Someone marked `claim` the same as (or related to) `other`, a claim of another
    article; `previous_kind` when an existing link changed kind. Written on both claims."""
    data: dict[str, object] = {**link_snapshot(other), "kind": kind}
    if previous_kind is not None:
        data["previous_kind"] = previous_kind
    return _event(claim, EventKind.LINKED, by=by, via=via, at=at, data=data)


def unlinked(
    claim: Claim, other: Claim, *, kind: str, by: Actor, via: Via, at: datetime
) -> ClaimEvent:
    """Someone removed the link (of `kind`) between `claim` and `other`."""
    return _event(
        claim,
        EventKind.UNLINKED,
        by=by,
        via=via,
        at=at,
        data={**link_snapshot(other), "kind": kind},
    )


def source_copied(
    claim: Claim, source: Source, *, original: Source, by: Actor, via: Via, at: datetime
) -> ClaimEvent:
    """`source` was copied onto `claim` from `original`, a source of a claim marked the
    same: a source added like any other, which says where it came from."""
    return _event(
        claim,
        EventKind.SOURCE_ADDED,
        by=by,
        via=via,
        at=at,
        data={
            **source_snapshot(source),
            "copied_from": original.claim_id,
            "source": original.pk,
        },
    )
