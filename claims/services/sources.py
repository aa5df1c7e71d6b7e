"""Sources on claims: adding one, removing one or many, never a confirmation's last
support."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from articles.links import url_key
from claims import events as events_of
from claims.models import Claim, ClaimEvent, EventKind, Source, Stance, Via
from claims.services.common import CHUNK, batched, lock_claim, lock_claims
from claims.workflow import TransitionRefused, removal_refusal, removals_refusals
from newsdesk.auth import ADD_SOURCE, DELETE_SOURCE, require_perm
from newsdesk.errors import NewsdeskError, who_when
from newsdesk.text import normalize_text


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
    require_perm(by, ADD_SOURCE, to="add sources")
    # The claim row is locked so a decision in flight sees this source or none of it.
    locked = lock_claim(claim, None)
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
    refusal = repeated_link(claim=locked, url=source.url)
    if refusal is not None:
        raise refusal
    source.save()
    events_of.source_added(locked, source, by=by, via=via).save()
    return source


def repeated_link(*, claim: Claim, url: str) -> ValidationError | None:
    """The refusal a link meets on `claim` if the claim cites it already: the same story
    (http or https, with or without www., a trailing slash or tracking parameters, as
    `url_key` compares links) would be counted twice, on the claim page and in every
    report. Forms ask it before saving, so that the page keeps what was typed; the service
    asks again with the claim locked, so two people adding the link at once cannot both
    pass."""
    existing = cited_already(claim.sources.all(), url)
    if existing is not None:
        when = timezone.localtime(existing.added_at)
        return ValidationError(
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
    return None


def cited_already(sources: Iterable[Source], url: str) -> Source | None:
    """The first of `sources` citing the same story as `url` (`url_key` compares them),
    if any: the rule `repeated_link` words, for callers that need only the answer."""
    key = url_key(url)
    if not key:
        return None
    return next((source for source in sources if url_key(source.url) == key), None)


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


@transaction.atomic
def source_remove(
    *, source: Source, by: AbstractBaseUser, note: str = "", via: Via = Via.WEB
) -> None:
    """Detach a source; the history keeps what it was and who removed it.

    A confirmed claim keeps the sources its confirmation rests on: removing one of
    those is refused until the claim is reopened.
    """
    require_perm(by, DELETE_SOURCE, to="remove sources")
    claim = lock_claim(Claim(pk=source.claim_id), None)
    sources = list(claim.sources.all())
    if all(s.pk != source.pk for s in sources):
        raise SourceGone(source)
    refusal = removal_refusal(claim, source, sources)
    if refusal is not None:
        raise TransitionRefused(refusal)
    events_of.source_removed(claim, source, by=by, via=via, note=normalize_text(note)).save()
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
    require_perm(by, DELETE_SOURCE, to="remove sources")
    wanted = sorted(sources, key=lambda source: source.pk)
    by_claim: dict[int, list[Source]] = {}
    for source in wanted:
        by_claim.setdefault(source.claim_id, []).append(source)
    reasons: list[str] = []
    # Those that could go, named after the refusals: the person selects them again alone.
    spare: list[str] = []
    events: list[ClaimEvent] = []
    for claim in lock_claims(by_claim):
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
        events.extend(
            events_of.source_removed(claim, s, by=by, via=via, note=normalize_text(note))
            for s in removing
        )
    if reasons:
        raise SourcesRefused([*reasons, *spare])
    ClaimEvent.objects.bulk_create(events)
    for chunk in batched([s.pk for s in wanted], CHUNK):
        Source.objects.filter(pk__in=chunk).delete()
    return wanted


@dataclass
class SourcesCopied:
    """What `sources_add_copies` did: the new sources, and each original left out with the
    source of the claim that cites its link already."""

    copied: list[Source] = field(default_factory=list)
    already: list[tuple[Source, Source]] = field(default_factory=list)


# What a copy takes from its original: everything the person who found it recorded.
COPIED_FIELDS = ("url", "title", "publisher", "excerpt", "stance", "accessed_on", "archived_url")


@transaction.atomic
def sources_add_copies(
    *, claim: Claim, originals: Iterable[Source], by: AbstractBaseUser, via: Via = Via.WEB
) -> SourcesCopied:
    """Add a copy of each of `originals` (sources of other claims) to `claim`, in one
    transaction, each recorded as a source added with where it came from.

    An original whose link the claim cites already (`repeated_link`'s rule, also among
    the copies themselves) is left out, not refused: copying the evidence of the same
    claim again is how a reviewer catches up with sources added since. A copy keeps its
    original's `added_by`, who found the evidence, and records who copied it (`copied_by`):
    the four-eyes rule counts both, so neither finding evidence nor moving it to another
    claim lets one person confirm on it alone.
    """
    require_perm(by, ADD_SOURCE, to="add sources")
    locked = lock_claim(claim, None)
    originals = list(originals)
    # The history names each copy's finder: one query for them all, not one a copy.
    prefetch_related_objects(originals, "added_by")
    present = list(locked.sources.all())
    result = SourcesCopied()
    pairs: list[tuple[Source, Source]] = []
    for original in originals:
        existing = cited_already(present, original.url)
        if existing is not None:
            result.already.append((original, existing))
            continue
        copy = Source(
            claim=locked,
            added_by=original.added_by,
            copied_by=by,
            **{name: getattr(original, name) for name in COPIED_FIELDS},
        )
        # The fields' own rules (web links only, lengths, choices) as a source added by
        # hand meets them; the stance's constraint is its choices, so no query per copy.
        copy.full_clean(
            exclude=["claim", "added_by", "copied_by"],
            validate_unique=False,
            validate_constraints=False,
        )
        present.append(copy)
        pairs.append((copy, original))
    if not pairs:
        return result
    Source.objects.bulk_create([copy for copy, _ in pairs])
    now = timezone.now()
    ClaimEvent.objects.bulk_create(
        events_of.source_copied(locked, copy, original=original, by=by, via=via, at=now)
        for copy, original in pairs
    )
    result.copied = [copy for copy, _ in pairs]
    return result
