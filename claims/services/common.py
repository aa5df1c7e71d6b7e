"""What every claim write shares: locking, the staleness refusal, bulk results, and the
rule that a verdict belongs to the words it was reached on."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, Prefetch

from articles.models import Article
from articles.quotes import same_words
from claims import events as events_of
from claims.models import Claim, ClaimEvent, ClaimStatus, Source
from claims.selectors import claim_last_change
from claims.signals import status_changed
from claims.workflow import Refusal
from newsdesk.errors import NewsdeskError, who_when
from newsdesk.fields import fingerprint
from newsdesk.text import normalize_text

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


def check_length(**texts: str | None) -> None:
    errors = {
        name: f"A {name} may be at most {NOTE_MAX_LENGTH:,} characters; "
        f"this one has {len(normalize_text(text)):,}."
        for name, text in texts.items()
        if text is not None and len(normalize_text(text)) > NOTE_MAX_LENGTH
    }
    if errors:
        raise ValidationError(errors)


# What the workflow's rules and a bulk action's result read of a claim, and of its
# sources. A bulk action reads only these for its thousands of claims: loading their
# quotes, contexts and dates as well took longer than judging them. Any other field read
# from those claims costs a query each (tests pin each bulk action's query count).
JUDGED_FIELDS = ("status", "version", "assignee")
JUDGED_SOURCE_FIELDS = ("claim", "url", "publisher", "stance", "added_by", "copied_by")


def lock_claims(
    claim_ids: Iterable[int],
    *,
    with_sources: bool = True,
    fields: Sequence[str] | None = None,
) -> list[Claim]:
    """The claims as stored now, locked in pk order (so bulk actions cannot deadlock),
    with the sources the rules look at unless `with_sources` is off (`claims_sources`
    reads them faster, for many claims, when the rules need them at all). With `fields`,
    only those are read (`JUDGED_FIELDS`)."""
    ids = sorted(set(claim_ids))
    locked: list[Claim] = []
    for chunk in batched(ids, CHUNK):
        claims = Claim.objects.select_for_update().filter(pk__in=chunk).order_by("pk")
        if fields is not None:
            # FOR UPDATE locks the whole row whichever columns are read.
            claims = claims.only(*fields)
        if with_sources:
            claims = claims.prefetch_related(
                Prefetch("sources", queryset=Source.objects.order_by())
            )
        locked.extend(claims)
    return locked


def lock_claim(claim: Claim, expected_version: int | None, *, with_sources: bool = True) -> Claim:
    locked = lock_claims([claim.pk], with_sources=with_sources)
    if not locked:
        raise Claim.DoesNotExist(f"Claim {claim.pk} no longer exists.")
    if expected_version is not None and locked[0].version != expected_version:
        raise StaleClaim(locked[0])
    return locked[0]


def claims_sources(claim_ids: Iterable[int]) -> dict[int, list[Source]]:
    """The sources of each of `claim_ids` (locked), one query per chunk: a prefetch builds
    a queryset per claim, which costs more than judging the claim does."""
    sources: dict[int, list[Source]] = {}
    for chunk in batched(sorted(set(claim_ids)), CHUNK):
        chunk_sources = Source.objects.filter(claim_id__in=chunk).only(*JUDGED_SOURCE_FIELDS)
        for source in chunk_sources.order_by():
            sources.setdefault(source.claim_id, []).append(source)
    return sources


def ids_of(claims: Iterable[Claim | int]) -> list[int]:
    return [c.pk if isinstance(c, Claim) else int(c) for c in claims]


def bump(claims: list[Claim], now, **values) -> None:
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
    if "status" in values:
        status_changed(c.pk for c in claims)


def save_history(events: Sequence[ClaimEvent]) -> None:
    """Insert the history rows of one action, in one statement.

    The rows a bulk action writes differ in a column or two (the claim, the status it
    left); on PostgreSQL only those columns travel, as arrays, and the others once. That
    takes half the time of `bulk_create`, which converts and sends every value of every
    row and has the server parse each. The rows are the builders' (`claims.events`) all
    the same. Elsewhere, and for rows that differ in nothing, `bulk_create`.
    """
    fields = [f for f in ClaimEvent._meta.concrete_fields if not f.primary_key]
    selected: list[str] = []
    constants: list[object] = []
    arrays: list[str] = []
    columns: list[list[object]] = []
    if connection.vendor == "postgresql" and len(events) > 1:
        for model_field in fields:
            values = [model_field.pre_save(event, True) for event in events]
            # As Django's own UNNEST insert does: no length, so nothing is truncated.
            cast = model_field.db_type(connection).split("(")[0]
            if all(value == values[0] for value in values):
                selected.append(f"%s::{cast}")
                constants.append(model_field.get_db_prep_save(values[0], connection))
            else:
                selected.append(f"u.c{len(arrays)}")
                arrays.append(f"%s::{cast}[]")
                columns.append([model_field.get_db_prep_save(v, connection) for v in values])
    if not arrays:
        ClaimEvent.objects.bulk_create(events)
        return
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    aliases = ", ".join(f"c{i}" for i in range(len(arrays)))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(ClaimEvent._meta.db_table)} ({names}) "
            f"SELECT {', '.join(selected)} FROM unnest({', '.join(arrays)}) AS u({aliases})",
            [*constants, *columns],
        )


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


def rationale_to_write(
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


def reopen_for_new_words(
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
    events.append(
        events_of.reopened_for_new_words(
            claim, via=via, at=now, note=note, rationale_cleared=claim.rationale
        )
    )
    values.update(status=ClaimStatus.UNVERIFIED, status_changed_at=now, rationale="")
