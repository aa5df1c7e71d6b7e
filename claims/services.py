"""Every write to claims, their sources and their history.

Each function checks who acts and what the rules allow, writes, and records the
history row in the same transaction, so a claim never changes without a trace.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Prefetch
from django.utils import timezone

from articles.anchoring import TextEdit, same_words
from articles.links import url_key
from articles.models import Article
from articles.text import normalize_text
from claims.models import (
    ANCHOR_CONTEXT,
    Claim,
    ClaimEvent,
    ClaimOrigin,
    ClaimStatus,
    EventKind,
    Source,
    Stance,
    Via,
)
from claims.selectors import claim_last_change, claims_last_changes
from claims.workflow import (
    Refusal,
    TransitionRefused,
    refusal_for,
    removal_refusal,
    removals_refusals,
)
from newsdesk.auth import require_perm
from newsdesk.errors import NewsdeskError, who_when
from newsdesk.fields import fingerprint

# Keeps each `pk IN (…)` well under SQLite's bound on query parameters.
CHUNK = 900


# What a claim's edit form shows of it: how a refusal names each, and its value as text.
CLAIM_SHOWN = {
    "quote": ("Quote", lambda claim: claim.text),
    "place": (
        "Place in the text",
        lambda claim: f"{claim.start}:{claim.end}:{'orphaned' if claim.orphaned else ''}",
    ),
    "attributed_to": ("Attributed to", lambda claim: claim.attributed_to),
    "assignee": ("Assignee", lambda claim: str(claim.assignee_id or "")),
    "status": ("Status", lambda claim: claim.status),
    "rationale": ("Rationale", lambda claim: claim.rationale),
}


def claim_loaded(claim: Claim) -> dict[str, str]:
    """Fingerprints of what an edit form opened on `claim` shows: carried by the form, they
    let a refusal name what someone else changed since (StaleClaim)."""
    return {name: fingerprint(value(claim)) for name, (_, value) in CLAIM_SHOWN.items()}


def changed_by(last_change: ClaimEvent | None) -> str:
    """'rania changed this claim at …', from the claim's last change (`claim_last_change`)."""
    if last_change is None:
        return "Someone changed this claim"
    return who_when(last_change.actor, last_change.at, "changed this claim", nobody="The system")


class StaleClaim(NewsdeskError):
    """The claim changed after the person loaded it; nothing was written. Given what the
    form was loaded with (`claim_loaded`), the refusal names what changed since."""

    def __init__(self, claim: Claim, loaded: Mapping[str, str] | None = None) -> None:
        self.claim = claim
        self.last_change = claim_last_change(claim_id=claim.pk)
        now = claim_loaded(claim) if loaded else {}
        self.changed = [
            label for name, (label, _) in CLAIM_SHOWN.items() if now and loaded[name] != now[name]
        ]
        super().__init__(self.refusal.message)

    @property
    def refusal(self) -> Refusal:
        state = f"it is now {self.claim.get_status_display()}, version {self.claim.version}"
        since = f"; changed since then: {', '.join(self.changed)}" if self.changed else ""
        return Refusal(
            "stale",
            f"{changed_by(self.last_change)} after you opened it{since} ({state}). Your change "
            "was not saved; check the current state and try again.",
            "changed by someone else since they were selected",
        )


class ArticleChanged(ValidationError):
    """The article was saved after the page a claim was being made on showed it: offsets
    chosen on that page count in an older text, and may point at other words now."""

    def __init__(self, article: Article) -> None:
        self.article = article
        saved = who_when(article.last_saved_by, article.updated_at, "saved it")
        super().__init__(
            f"The article was changed after you opened this page ({saved}), so the words "
            "you selected may stand elsewhere in it now, or be gone. Nothing was saved. This "
            "page now shows the article as it is: select the words again.",
            code="article_changed",
        )


@dataclass
class BulkResult:
    """What one bulk action did, claim by claim."""

    batch: uuid.UUID
    changed: list[Claim] = field(default_factory=list)
    refused: list[tuple[Claim, Refusal]] = field(default_factory=list)
    unchanged: list[Claim] = field(default_factory=list)

    def refusals_by_reason(self) -> list[tuple[str, list[int]]]:
        """Each reason, most common first, with the claims refused for it."""
        grouped: dict[str, list[int]] = {}
        for claim, refusal in self.refused:
            grouped.setdefault(refusal.summary, []).append(claim.pk)
        return sorted(grouped.items(), key=lambda item: -len(item[1]))

    def describe(self, done: str) -> str:
        """'40 claims confirmed; 3 refused: need 2 supporting sources from … (#4, #9, #12)'"""
        parts = [f"{_claims(len(self.changed))} {done}"]
        if self.unchanged:
            parts.append(f"{len(self.unchanged)} already were")
        if self.refused:
            reasons = "; ".join(
                f"{reason} ({_numbers(ids)})" for reason, ids in self.refusals_by_reason()
            )
            parts.append(f"{len(self.refused)} refused: {reasons}")
        return "; ".join(parts) + "."


def _numbers(ids: list[int], shown: int = 10) -> str:
    """Which claims, so a desk can find them: '#4, #9' or '#4, … and 31 more'."""
    listed = ", ".join(f"#{pk}" for pk in ids[:shown])
    return listed if len(ids) <= shown else f"{listed} and {len(ids) - shown} more"


def batched(items: list[int], size: int):
    """itertools.batched, which arrives only in Python 3.12."""
    for at in range(0, len(items), size):
        yield items[at : at + size]


def _claims(n: int) -> str:
    return f"{n} claim" if n == 1 else f"{n} claims"


# A note or a rationale is read by people and printed in reports: a few pages at most.
# Anything longer is a paste gone wrong, or an attempt to bloat the history, which is never
# deleted.
NOTE_MAX_LENGTH = 5_000


def _check_length(**texts: str | None) -> None:
    errors = {
        name: f"A {name} may be at most {NOTE_MAX_LENGTH:,} characters; "
        f"this one has {len(normalize_text(text)):,}."
        for name, text in texts.items()
        if text is not None and len(normalize_text(text)) > NOTE_MAX_LENGTH
    }
    if errors:
        raise ValidationError(errors)


def _anchor(body: str, start: int, end: int) -> dict[str, object]:
    if not 0 <= start < end <= len(body):
        raise ValidationError(
            {"start": f"The span {start} to {end} is outside the article (0 to {len(body)})."}
        )
    quote = body[start:end]
    if not quote.strip():
        raise ValidationError({"start": "The span holds only blank space; select some words."})
    return {
        "text": quote,
        "start": start,
        "end": end,
        "prefix": body[max(0, start - ANCHOR_CONTEXT) : start],
        "suffix": body[end : end + ANCHOR_CONTEXT],
    }


def _lock(claim_ids: Iterable[int]) -> list[Claim]:
    """The claims as stored now, locked in pk order (so bulk actions cannot deadlock),
    with the sources the rules look at."""
    ids = sorted(set(claim_ids))
    locked: list[Claim] = []
    for chunk in batched(ids, CHUNK):
        locked.extend(
            Claim.objects.select_for_update()
            .filter(pk__in=chunk)
            .order_by("pk")
            .prefetch_related(Prefetch("sources", queryset=Source.objects.order_by()))
        )
    return locked


def _lock_one(claim: Claim, expected_version: int | None) -> Claim:
    locked = _lock([claim.pk])
    if not locked:
        raise Claim.DoesNotExist(f"Claim {claim.pk} no longer exists.")
    if expected_version is not None and locked[0].version != expected_version:
        raise StaleClaim(locked[0])
    return locked[0]


def _ids(claims: Iterable[Claim | int]) -> list[int]:
    return [c.pk if isinstance(c, Claim) else int(c) for c in claims]


def _bump(claims: list[Claim], now, **values) -> None:
    """One UPDATE per chunk for every changed claim: same values, version + 1."""
    for chunk in batched([c.pk for c in claims], CHUNK):
        Claim.objects.filter(pk__in=chunk).update(
            version=F("version") + 1, updated_at=now, **values
        )
    for claim in claims:
        claim.version += 1
        claim.updated_at = now
        for name, value in values.items():
            setattr(claim, name, value)


def lock_article(article: Article) -> Article:
    """The article row, locked: two Editors accepting at once must not make the same
    sentence a claim twice, and an edit must not land between a check and an insert."""
    return Article.objects.select_for_update().get(pk=article.pk)


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
    require_perm(by, "claims.add_claim", "You need the Editor role to create claims.")
    if assignee is not None:
        _check_may_assign(by, assignee)
        _check_assignable(assignee)
    if expected_article_version is not None:
        # Locked, so an edit cannot land between this check and the claim's insert.
        article = lock_article(article)
        if article.version != expected_article_version:
            raise ArticleChanged(article)
    claim = Claim(
        article=article,
        attributed_to=normalize_text(attributed_to),
        assignee=assignee,
        origin=origin,
        created_by=by,
        **_anchor(article.body, start, end),
    )
    # Constraints are left to the database: _anchor made the span and quote agree, and a
    # check of each by query would cost five round trips per claim (accept-all makes many).
    claim.full_clean(exclude=["article", "assignee", "created_by"], validate_constraints=False)
    claim.save()
    events = [
        ClaimEvent(
            claim=claim,
            actor=by,
            kind=EventKind.CREATED,
            via=via,
            to_status=claim.status,
            batch=batch,
            data={"origin": origin, **(why or {})},
        )
    ]
    if assignee is not None:
        events.append(_assigned_event(claim, None, assignee, by=by, via=via, batch=batch))
    ClaimEvent.objects.bulk_create(events)
    return claim


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
    `_rationale_to_write`)."""
    current = _lock_one(claim, expected_version)
    rationale = _rationale_to_write(current, rationale, expected_rationale)
    changes: dict[str, list[object]] = {}
    if start is not None or end is not None:
        require_perm(
            by, "claims.change_claim", "You need the Editor role to change a claim's quote."
        )
        anchor = _anchor(
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
        require_perm(by, "claims.change_claim", "You need the Editor role to change attribution.")
        changes["attributed_to"] = [current.attributed_to, normalize_text(attributed_to)]
        current.attributed_to = normalize_text(attributed_to)
    if rationale is not None and normalize_text(rationale) != normalize_text(current.rationale):
        require_perm(
            by, "claims.change_claim_status", "You need the Reviewer role to write a rationale."
        )
        _check_length(rationale=rationale)
        changes["rationale"] = [current.rationale, normalize_text(rationale)]
        current.rationale = normalize_text(rationale)
    if not changes:
        return current
    current.full_clean(exclude=["article", "assignee", "created_by"])
    now = timezone.now()
    fields = ["text", "start", "end", "prefix", "suffix", "attributed_to", "rationale"]
    values = {name: getattr(current, name) for name in fields}
    data: dict[str, object] = {"changes": changes}
    if start is not None or end is not None:
        values["orphaned"] = False  # anchored again, by hand
        if current.orphaned:
            data["anchored_again"] = True
    events = [
        ClaimEvent(claim=current, actor=by, kind=EventKind.EDITED, via=via, at=now, data=data)
    ]
    if "text" in changes:
        _reopen_for_new_words(
            current,
            values,
            events,
            words=changes["text"],
            via=via,
            now=now,
            note=f"{by.get_username()} changed the quote, so the earlier verdict no longer "
            "applies; reopened for review.",
        )
    _bump([current], now, **values)
    ClaimEvent.objects.bulk_create(events)
    return current


class RationaleChanged(StaleClaim):
    """The rationale stored now is not the one the person's edit started from: writing
    theirs would replace someone else's words unseen."""

    @property
    def refusal(self) -> Refusal:
        return Refusal(
            "rationale_changed",
            f"{changed_by(self.last_change)}, and the rationale saved now is not the one "
            "you started from. Nothing was saved: choose whether to keep the saved "
            "rationale or replace it with yours.",
            "the rationale was changed by someone else",
        )


def _rationale_to_write(
    current: Claim, rationale: str | None, expected_rationale: str | None
) -> str | None:
    """The rationale to store, or None to leave the stored one alone.

    With `expected_rationale` (what the person's form showed when they began), a rationale
    they did not edit is not written back, so resending an old form cannot restore old
    words over newer ones; an edited one is refused (RationaleChanged) if someone else
    changed the stored rationale meanwhile, unless it already reads the same.
    """
    if rationale is None or expected_rationale is None:
        return rationale
    new, seen = normalize_text(rationale), normalize_text(expected_rationale)
    if new == seen:
        return None
    if normalize_text(current.rationale) not in (seen, new):
        raise RationaleChanged(current)
    return new


def _reopen_for_new_words(
    claim: Claim, values: dict, events: list, *, words: list[str], via, now, note: str
):
    """A verdict belongs to the words it was reached on: a reviewed claim whose `words`
    changed (old, new) goes back to unverified, its rationale with it, and a history row
    says why.

    Nobody decided this, so the row names no actor (the note says whose edit caused it),
    and reports do not credit the editor with a verdict. Capitals, punctuation and spacing
    are not words: "The Red Cross opened …" run into "… said, and the Red Cross opened …"
    keeps its verdict.
    """
    if claim.status == ClaimStatus.UNVERIFIED or same_words(*words):
        return
    data = {"rationale_cleared": claim.rationale} if claim.rationale else {}
    events.append(
        ClaimEvent(
            claim=claim,
            actor=None,
            kind=EventKind.STATUS_CHANGED,
            via=via,
            at=now,
            from_status=claim.status,
            to_status=ClaimStatus.UNVERIFIED,
            note=note,
            data=data,
        )
    )
    values.update(status=ClaimStatus.UNVERIFIED, status_changed_at=now, rationale="")


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
    _check_length(note=note, rationale=rationale)
    result = BulkResult(batch=batch or uuid.uuid4())
    for claim in claims:
        if claim.status == to:
            result.unchanged.append(claim)
            continue
        refusal = refusal_for(claim, to, user=by, sources=claim.sources.all(), note=note)
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
    _bump(result.changed, now, **values)
    ClaimEvent.objects.bulk_create(
        ClaimEvent(
            claim=claim,
            actor=by,
            kind=EventKind.STATUS_CHANGED,
            via=via,
            at=now,
            from_status=origins[claim.pk],
            to_status=to,
            note=normalize_text(note),
            batch=batch,
            data={"rationale": values["rationale"]} if rationale is not None else {},
        )
        for claim in result.changed
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
    locked = [_lock_one(claim, expected_version)]
    rationale = _rationale_to_write(locked[0], rationale, expected_rationale)
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
        _lock(_ids(claims)),
        to=ClaimStatus(to),
        by=by,
        note=note,
        rationale=rationale,
        via=via,
        batch=batch,
    )


def _check_assignable(assignee: AbstractBaseUser) -> None:
    if not assignee.is_active or not assignee.has_perm("claims.change_claim_status"):
        raise ValidationError(
            {"assignee": f"{assignee.get_username()} cannot review claims; assign a Reviewer."}
        )


def _check_may_assign(by: AbstractBaseUser, assignee: AbstractBaseUser | None) -> None:
    if by.has_perm("claims.assign_claim"):
        return
    # Reviewers may take work for themselves without the Editor role.
    if assignee is not None and assignee.pk == by.pk and by.has_perm("claims.change_claim_status"):
        return
    raise PermissionDenied("You need the Editor role to assign claims to other people.")


def _assigned_event(claim, old, new, *, by, via, batch) -> ClaimEvent:
    return ClaimEvent(
        claim=claim,
        actor=by,
        kind=EventKind.ASSIGNED,
        via=via,
        batch=batch,
        data={
            "from": old.get_username() if old else None,
            "from_id": old.pk if old else None,
            "to": new.get_username() if new else None,
            "to_id": new.pk if new else None,
        },
    )


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
    keep_holders = if_unassigned or not by.has_perm("claims.assign_claim")
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
    _bump(result.changed, now, assignee=assignee)
    events = []
    for claim in result.changed:
        event = _assigned_event(
            claim, users.get(previous[claim.pk]), assignee, by=by, via=via, batch=batch
        )
        event.at = now
        events.append(event)
    ClaimEvent.objects.bulk_create(events)
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
    _check_may_assign(by, assignee)
    if assignee is not None:
        _check_assignable(assignee)
    locked = _lock_one(claim, None)
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
    _check_may_assign(by, assignee)
    if assignee is not None:
        _check_assignable(assignee)
    return _assign_all(
        _lock(_ids(claims)),
        assignee=assignee,
        by=by,
        via=via,
        batch=uuid.uuid4(),
        expected_versions=expected_versions,
        if_unassigned=if_unassigned,
    )


@transaction.atomic
def source_add(
    *,
    claim: Claim,
    by: AbstractBaseUser,
    url: str,
    stance: Stance,
    title: str = "",
    publisher: str = "",
    excerpt: str = "",
    accessed_on: date | None = None,
    archived_url: str = "",
    via: Via = Via.WEB,
) -> Source:
    """Attach a source to a claim; only http(s) links pass (`newsdesk.fields.web_url`)."""
    require_perm(by, "claims.add_source", "You need the Reviewer role to add sources.")
    # The claim row is locked so a decision in flight sees this source or none of it.
    locked = _lock_one(claim, None)
    source = Source(
        claim=locked,
        url=url.strip(),
        stance=stance,
        title=normalize_text(title),
        publisher=normalize_text(publisher),
        excerpt=normalize_text(excerpt),
        accessed_on=accessed_on or timezone.localdate(),
        archived_url=archived_url.strip(),
        added_by=by,
    )
    source.full_clean(exclude=["claim", "added_by"])
    _refuse_repeated_link(locked, source.url)
    source.save()
    ClaimEvent.objects.create(
        claim=locked,
        actor=by,
        kind=EventKind.SOURCE_ADDED,
        via=via,
        data=_source_snapshot(source),
    )
    return source


def _refuse_repeated_link(claim: Claim, url: str) -> None:
    """A claim cites a story once: the same link again (http or https, with or without
    www., a trailing slash or tracking parameters, as `url_key` compares links) would be
    counted twice, on the claim page and in every report. `claim` is locked with its
    sources, so two people adding the same link at once cannot both pass."""
    key = url_key(url)
    for existing in claim.sources.all() if key else ():
        if url_key(existing.url) == key:
            when = timezone.localtime(existing.added_at)
            raise ValidationError(
                {
                    "url": ValidationError(
                        "This claim already has this link: source #%(pk)s (%(publisher)s, "
                        "%(stance)s, added by %(who)s on %(when)s). Nothing was added.",
                        code="repeated_link",
                        params={
                            "pk": existing.pk,
                            "publisher": existing.publisher_name,
                            "stance": existing.get_stance_display().lower(),
                            "who": existing.added_by.get_username(),
                            "when": f"{when:%-d %b %Y}",
                        },
                    )
                }
            )


class SourceGone(NewsdeskError):
    """The source was removed already, by someone else or by an earlier click."""

    def __init__(self, source: Source) -> None:
        self.source = source
        event = (
            ClaimEvent.objects.filter(
                claim_id=source.claim_id,
                kind=EventKind.SOURCE_REMOVED,
                data__source_id=source.pk,
            )
            .select_related("actor")
            .order_by("-at", "-id")
            .first()
        )
        said = f"Source #{source.pk} ({source.publisher_name}) is gone already"
        if event is not None:
            said += ": " + who_when(event.actor, event.at, "removed it", nobody="The system")
        super().__init__(said + ".")


def _removed_event(claim: Claim, source: Source, *, by, via: Via, note: str) -> ClaimEvent:
    return ClaimEvent(
        claim=claim,
        actor=by,
        kind=EventKind.SOURCE_REMOVED,
        via=via,
        note=normalize_text(note),
        data=_source_snapshot(source),
    )


@transaction.atomic
def source_remove(
    *, source: Source, by: AbstractBaseUser, note: str = "", via: Via = Via.WEB
) -> None:
    """Detach a source; the history keeps what it was and who removed it.

    A confirmed claim keeps the sources its confirmation rests on: removing one of
    those is refused until the claim is reopened.
    """
    require_perm(by, "claims.delete_source", "You need the Reviewer role to remove sources.")
    claim = _lock_one(Claim(pk=source.claim_id), None)
    sources = list(claim.sources.all())
    if all(s.pk != source.pk for s in sources):
        raise SourceGone(source)
    refusal = removal_refusal(claim, source, sources)
    if refusal is not None:
        raise TransitionRefused(refusal)
    _removed_event(claim, source, by=by, via=via, note=note).save()
    Source.objects.filter(pk=source.pk).delete()


class SourcesRefused(NewsdeskError):
    """Some of the sources asked for may not be removed; none was."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__("Nothing was deleted. " + " ".join(reasons))


@transaction.atomic
def sources_bulk_remove(
    *, sources: Iterable[Source], by: AbstractBaseUser, note: str = "", via: Via = Via.WEB
) -> list[Source]:
    """Detach many sources, all or none: if any may not go (already removed, or a
    confirmation rests on it, alone or with the others removed from the same claim),
    SourcesRefused names each with its own reason, and the ones that could have gone, and
    nothing is removed."""
    require_perm(by, "claims.delete_source", "You need the Reviewer role to remove sources.")
    wanted = sorted(sources, key=lambda source: source.pk)
    by_claim: dict[int, list[Source]] = {}
    for source in wanted:
        by_claim.setdefault(source.claim_id, []).append(source)
    reasons: list[str] = []
    # Those that could go, named after the refusals: the person selects them again alone.
    spare: list[str] = []
    events: list[ClaimEvent] = []
    for claim in _lock(by_claim):
        present = {s.pk for s in claim.sources.all()}
        removing = by_claim[claim.pk]
        reasons.extend(str(SourceGone(s)) for s in removing if s.pk not in present)
        removing = [s for s in removing if s.pk in present]
        verdicts = removals_refusals(claim, removing, list(claim.sources.all()))
        for refused, refusal in verdicts or [(removing, None)]:
            if not refused:
                continue
            named = ", ".join(f"#{s.pk} ({s.publisher_name})" for s in refused)
            noun = "Source" if len(refused) == 1 else "Sources"
            if refusal is None:
                own = "its own" if len(refused) == 1 else "their own"
                spare.append(f"{noun} {named} on claim #{claim.pk} would be removable on {own}.")
            else:
                reasons.append(f"{noun} {named} on claim #{claim.pk}: {refusal.message}")
        events.extend(_removed_event(claim, s, by=by, via=via, note=note) for s in removing)
    if reasons:
        raise SourcesRefused([*reasons, *spare])
    ClaimEvent.objects.bulk_create(events)
    for chunk in batched([s.pk for s in wanted], CHUNK):
        Source.objects.filter(pk__in=chunk).delete()
    return wanted


def _source_snapshot(source: Source) -> dict[str, object]:
    return {
        "source_id": source.pk,
        "url": source.url,
        "title": source.title,
        "publisher": source.publisher_name,
        "stance": source.stance,
        "added_by": source.added_by.get_username() if source.added_by_id else None,
    }


REANCHORED_FIELDS = ["text", "start", "end", "prefix", "suffix", "orphaned"]


@dataclass
class ReanchorReport:
    """What an edit of an article's text did to each of its claims."""

    text_changed: bool = False
    kept: list[Claim] = field(default_factory=list)
    moved: list[Claim] = field(default_factory=list)
    changed: list[Claim] = field(default_factory=list)
    orphaned: list[Claim] = field(default_factory=list)
    # Orphaned by an earlier edit and still not found: not news, but not forgotten either.
    still_orphaned: list[Claim] = field(default_factory=list)

    def describe(self) -> str:
        if not self.text_changed:
            return "The text did not change."
        parts = [
            f"{len(getattr(self, name))} {name}"
            for name in ("kept", "moved", "changed", "orphaned")
        ]
        said = "Claims: " + ", ".join(parts)
        if self.still_orphaned:
            said += f" ({len(self.still_orphaned)} still orphaned from an earlier edit)"
        return said + "."


@transaction.atomic
def article_body_update(
    *, article: Article, body: str, by: AbstractBaseUser, via: Via = Via.WEB
) -> ReanchorReport:
    """Change an article's text and follow every claim into it.

    Claims whose words are still there move with them; a claim whose words changed takes
    the new ones and, if it had been reviewed, goes back to unverified; a claim whose
    words are gone is marked orphaned. Every claim that changed gets a history row that
    says what happened. Nothing is deleted.
    """
    require_perm(by, "articles.change_article", "You need the Editor role to edit articles.")
    locked = Article.objects.select_for_update().get(pk=article.pk)
    old_body, new_body = locked.body, normalize_text(body)
    report = ReanchorReport(text_changed=new_body != old_body)
    if not report.text_changed:
        return report
    if not new_body.strip():
        raise ValidationError({"body": "An article needs some text."})
    locked.body = new_body
    locked.save_version(by=by, fields=["body"])
    edit = TextEdit(old_body, new_body)
    now = timezone.now()
    events: list[ClaimEvent] = []
    followed: list[Claim] = []
    shifted: dict[int, list[int]] = {}
    claims = list(locked.claims.select_for_update().order_by("pk"))
    for claim in claims:
        found = edit.follow(
            start=claim.start,
            end=claim.end,
            text=claim.text,
            prefix=claim.prefix,
            suffix=claim.suffix,
            orphaned=claim.orphaned,
        )
        values: dict[str, object] = {}
        if found.outcome == "orphaned" and claim.orphaned:
            report.still_orphaned.append(claim)
            continue
        getattr(report, found.outcome).append(claim)
        if found.outcome == "orphaned":
            values["orphaned"] = True
        else:
            anchor = _anchor(new_body, found.start, found.end)
            same_context = (anchor["prefix"], anchor["suffix"]) == (claim.prefix, claim.suffix)
            if found.outcome == "kept" and not claim.orphaned and same_context:
                continue
            values.update(anchor, orphaned=False)
        events.append(
            ClaimEvent(
                claim=claim,
                actor=by,
                kind=EventKind.EDITED,
                via=via,
                at=now,
                data={
                    "changes": {},
                    "reanchored": found.outcome,
                    # An orphan found again reads differently from a claim that moved.
                    "was_orphaned": claim.orphaned,
                    "start": [claim.start, values.get("start")],
                    "text": [claim.text, values.get("text", claim.text)],
                },
            )
        )
        if found.outcome == "changed":
            _reopen_for_new_words(
                claim,
                values,
                events,
                words=[claim.text, values["text"]],
                via=via,
                now=now,
                note=f"{by.get_username()} edited the article and the quote changed, so the "
                "earlier verdict no longer applies; reopened for review.",
            )
        changed = {name for name, value in values.items() if getattr(claim, name) != value}
        shift = values.get("start", claim.start) - claim.start
        if changed <= {"start", "end"} and values.get("end", claim.end) - claim.end == shift:
            # Words and surroundings as they were, only further along: most claims after
            # an edit near the top. These move together, one UPDATE per shift.
            shifted.setdefault(shift, []).append(claim.pk)
            continue
        # The rows are locked, so the version can be set rather than incremented in SQL.
        values.update(version=claim.version + 1, updated_at=now)
        for name, value in values.items():
            setattr(claim, name, value)
        followed.append(claim)
    for shift, ids in shifted.items():
        for chunk in batched(ids, CHUNK):
            Claim.objects.filter(pk__in=chunk).update(
                start=F("start") + shift,
                end=F("end") + shift,
                version=F("version") + 1,
                updated_at=now,
            )
    Claim.objects.bulk_update(
        followed,
        [*REANCHORED_FIELDS, "status", "status_changed_at", "rationale", "version", "updated_at"],
        batch_size=500,
    )
    ClaimEvent.objects.bulk_create(events, batch_size=1000)
    return report
