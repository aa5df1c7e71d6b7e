"""The review workflow as data: which status may follow which, and what each move needs.

Every caller (web views, admin actions, commands) reaches these rules through
`claims.services`; nothing else decides whether a claim may change status.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings

from claims.models import (
    Claim,
    ClaimStatus,
    Source,
    Stance,
    publisher_name_key,
    registrable_domain,
)
from newsdesk.auth import REVIEW, refusal_text, role_needed
from newsdesk.errors import NewsdeskError

S = ClaimStatus


@dataclass(frozen=True)
class Refusal:
    code: str
    # Said to the person about this one claim.
    message: str
    # Shared by every claim refused for the same reason, for bulk summaries.
    summary: str


class TransitionRefused(NewsdeskError):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


@dataclass(frozen=True)
class Check:
    """What a rule sees: the claim as stored now, its sources and who acts."""

    claim: Claim
    sources: Sequence[Source]
    user: object


Requirement = Callable[[Check], Refusal | None]


def has_a_source(check: Check) -> Refusal | None:
    if check.sources:
        return None
    return Refusal(
        "needs_source",
        "Marking a claim sourced needs at least one source; this claim has none.",
        "need at least one source",
    )


def independent_publishers(sources: Iterable[Source]) -> int:
    """How many different publishers stand behind these sources.

    A source is its publisher's name when one was typed, else its web domain (the part a
    publisher registers: uk.reuters.com is reuters.com). Two sources are the same
    publisher when their names match, when their domains match, or when one's typed name
    is the other's domain ("Reuters" and a bare reuters.com link). Two bare links are never
    joined by a look-alike label: brannock.example.com and meridian.example.org differ.
    """
    sources = list(sources)
    parent = list(range(len(sources)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        parent[root(i)] = root(j)

    by_name: dict[str, int] = {}
    by_domain: dict[str, int] = {}
    for i, source in enumerate(sources):
        name = publisher_name_key(source.publisher)
        if not name:
            join(i, by_domain.setdefault(registrable_domain(source.url), i))
        elif "." in source.publisher.strip() and " " not in source.publisher.strip():
            # A typed domain ("wire.example") is a domain.
            join(
                i, by_domain.setdefault(source.publisher.strip().casefold().removeprefix("www."), i)
            )
        else:
            join(i, by_name.setdefault(name, i))
    for domain, i in by_domain.items():
        label = domain.split(".")[0]
        if label in by_name:
            join(i, by_name[label])
    return len({root(i) for i in range(len(sources))})


def confirmation_refusal(sources: Sequence[Source]) -> Refusal | None:
    """Whether these sources are enough to confirm a claim, whoever confirms it."""
    needed = settings.NEWSDESK_CONFIRM_MIN_SOURCES
    have = independent_publishers(s for s in sources if s.stance == Stance.SUPPORTS)
    if have >= needed:
        return None
    noun = "supporting source" if needed == 1 else "supporting sources"
    return Refusal(
        "needs_support",
        f"Confirming needs {needed} {noun} from different publishers; this claim has {have}.",
        f"need {needed} {noun} from different publishers",
    )


def removal_refusal(claim: Claim, source: Source, sources: Sequence[Source]) -> Refusal | None:
    """Why `source` may not be removed from `claim` now: a confirmed claim keeps the
    sources its confirmation rests on until it is reopened."""
    return removals_refusal(claim, [source], sources)


def removals_refusal(
    claim: Claim, removing: Sequence[Source], sources: Sequence[Source]
) -> Refusal | None:
    """Why `removing` may not all be removed from `claim` together: each may be spare on
    its own while the confirmation rests on them taken together."""
    gone = {s.pk for s in removing}
    remaining = [s for s in sources if s.pk not in gone]
    if claim.status != ClaimStatus.CONFIRMED or confirmation_refusal(remaining) is None:
        return None
    these = "this source" if len(gone) == 1 else "these sources"
    return Refusal(
        "confirmation_rests_on_source",
        f"This claim is confirmed on the strength of {these}; reopen the claim before "
        f"removing {'it' if len(gone) == 1 else 'them'}.",
        "the confirmation rests on it" if len(gone) == 1 else "the confirmation rests on them",
    )


def _support(sources: Iterable[Source]) -> int:
    return independent_publishers(s for s in sources if s.stance == Stance.SUPPORTS)


def removals_refusals(
    claim: Claim, removing: Sequence[Source], sources: Sequence[Source]
) -> list[tuple[list[Source], Refusal | None]]:
    """Why `removing` may not all be removed from `claim` together, each source with its own
    reason rather than the group's: empty when they may all go.

    Each entry is (sources, refusal): a source the confirmation rests on alone; then the
    ones it rests on only taken together; then, with no refusal, those it does not rest on
    at all (a context source, a second link from a publisher still counted), which would
    be removable on their own.
    """
    if removals_refusal(claim, removing, sources) is None:
        return []
    verdicts: list[tuple[list[Source], Refusal | None]] = []
    rest: list[Source] = []
    for source in removing:
        alone = removals_refusal(claim, [source], sources)
        if alone is None:
            rest.append(source)
        else:
            verdicts.append(([source], alone))
    together = removals_refusal(claim, rest, sources)
    if together is not None:
        gone = {s.pk for s in rest}
        kept = [s for s in sources if s.pk not in gone]
        # Kept back, a source that adds no publisher to those staying changes nothing.
        counted = [s for s in rest if _support([*kept, s]) > _support(kept)]
        verdicts.append((counted, removals_refusal(claim, counted, sources)))
        rest = [s for s in rest if s not in counted]
    if rest:
        verdicts.append((rest, None))
    return verdicts


def enough_independent_support(check: Check) -> Refusal | None:
    return confirmation_refusal(check.sources)


def second_pair_of_eyes(check: Check) -> Refusal | None:
    if not settings.NEWSDESK_FOUR_EYES:
        return None
    supporting = [s for s in check.sources if s.stance == Stance.SUPPORTS]
    user_id = getattr(check.user, "pk", None)
    # A copied source (related claims) belongs to who found it and to who copied it here:
    # copying evidence and confirming on it alone is one pair of eyes.
    if not supporting or any(
        user_id not in (s.added_by_id, getattr(s, "copied_by_id", None)) for s in supporting
    ):
        return None
    return Refusal(
        "four_eyes",
        "Confirming needs a second pair of eyes: you added or copied every supporting source "
        "yourself, so another reviewer must confirm this claim.",
        "the confirming reviewer added or copied every supporting source (a second reviewer "
        "must confirm)",
    )


@dataclass(frozen=True)
class Transition:
    origins: frozenset[ClaimStatus]
    target: ClaimStatus
    verb: str  # the button: "Confirm"
    done: str  # the result: "confirmed"
    note_required: bool
    requirements: tuple[Requirement, ...] = ()

    @property
    def note_refusal(self) -> Refusal:
        return Refusal(
            "needs_note",
            f"{self.verb} needs a note saying why.",
            "need a note saying why",
        )


_CONFIRM = (enough_independent_support, second_pair_of_eyes)

TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        frozenset({S.UNVERIFIED}),
        S.SOURCED,
        "Mark sourced",
        "marked sourced",
        False,
        (has_a_source,),
    ),
    Transition(
        frozenset({S.UNVERIFIED, S.SOURCED}), S.CONFIRMED, "Confirm", "confirmed", False, _CONFIRM
    ),
    # Overturning a dispute is a reversal of a recorded verdict: say why.
    Transition(frozenset({S.DISPUTED}), S.CONFIRMED, "Confirm", "confirmed", True, _CONFIRM),
    Transition(
        frozenset({S.UNVERIFIED, S.SOURCED, S.CONFIRMED}), S.DISPUTED, "Dispute", "disputed", True
    ),
    Transition(
        frozenset({S.SOURCED, S.DISPUTED, S.CONFIRMED}), S.UNVERIFIED, "Reopen", "reopened", True
    ),
)

# Every move into a status shares its verb and result, whatever it comes from.
VERB = {t.target: t.verb for t in TRANSITIONS}
DONE = {t.target: t.done for t in TRANSITIONS}


def transition_between(origin: str, target: str) -> Transition | None:
    for transition in TRANSITIONS:
        if origin in transition.origins and transition.target == target:
            return transition
    return None


def transitions_from(origin: str) -> list[Transition]:
    return [t for t in TRANSITIONS if origin in t.origins]


def reads_sources(target: str) -> bool:
    """Whether judging a move into `target` looks at the claim's sources: only requirements
    do, so a bulk move into a status none guards need not read them."""
    return any(t.requirements for t in TRANSITIONS if t.target == target)


def note_required(origin: str, target: str) -> bool:
    transition = transition_between(origin, target)
    return bool(transition and transition.note_required)


def refusal_for(
    claim: Claim,
    target: str,
    *,
    user,
    sources: Sequence[Source],
    note: str | None,
) -> Refusal | None:
    """Why `user` may not move `claim` (as stored now) to `target`, or None if they may.

    With `note=None` the note is not judged, so a page can list the moves open to the
    user before they have written anything.
    """
    if not user.has_perm(REVIEW):
        return Refusal(
            "permission",
            refusal_text(REVIEW, to="decide on claims"),
            f"{role_needed(REVIEW)} is needed",
        )
    current = ClaimStatus(claim.status)
    if current == target:
        return Refusal(
            "unchanged",
            f"The claim is already {current.label.lower()}.",
            f"already {current.label.lower()}",
        )
    transition = transition_between(current, target)
    if transition is None:
        allowed = ", ".join(t.verb.lower() for t in transitions_from(current)) or "nothing"
        return Refusal(
            "not_allowed",
            f"A {current.label.lower()} claim cannot be {DONE[ClaimStatus(target)]} directly; "
            f"from {current.label.lower()} you may {allowed}.",
            f"cannot be {DONE[ClaimStatus(target)]} from {current.label.lower()}",
        )
    check = Check(claim=claim, sources=sources, user=user)
    for requirement in transition.requirements:
        refusal = requirement(check)
        if refusal is not None:
            return refusal
    if note is not None and transition.note_required and not note.strip():
        return transition.note_refusal
    return None
