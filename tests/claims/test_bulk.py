"""Bulk actions: each judges every claim by the rules a single move applies, writes the
history a single move writes, and costs the same number of queries for 3 claims as for 40."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim, ClaimEvent, ClaimStatus, Stance, Via
from claims.services import (
    claim_assign,
    claim_transition,
    claims_bulk_assign,
    claims_bulk_transition,
)
from tests.factories import ClaimFactory, SourceFactory, reviewer_factory

S = ClaimStatus
# Each action: the status its claims start from, and where it takes them.
ACTIONS = {
    "confirm": (S.SOURCED, S.CONFIRMED),
    "dispute": (S.UNVERIFIED, S.DISPUTED),
    "reopen": (S.CONFIRMED, S.UNVERIFIED),
    "mark sourced": (S.UNVERIFIED, S.SOURCED),
    "assign": (S.UNVERIFIED, None),
}
EVENT_FIELDS = ("kind", "actor_id", "from_status", "to_status", "note", "via", "data")
CLAIM_FIELDS = ("status", "version", "rationale", "assignee_id")


def movable(action: str, *, sources_by) -> Claim:
    """A claim `action` may move, with two supporting sources from different publishers."""
    claim = ClaimFactory(status=ACTIONS[action][0])
    SourceFactory(claim=claim, publisher="Wire A", added_by=sources_by)
    SourceFactory(claim=claim, publisher="Wire B", added_by=sources_by)
    return claim


def in_bulk(action: str, claims: list[Claim], *, by, assignee):
    if action == "assign":
        return claims_bulk_assign(claims=claims, assignee=assignee, by=by, via=Via.ADMIN)
    return claims_bulk_transition(
        claims=claims, to=ACTIONS[action][1], by=by, note="Checked.", via=Via.ADMIN
    )


def alone(action: str, claim: Claim, *, by, assignee) -> None:
    if action == "assign":
        claim_assign(
            claim=claim, assignee=assignee, by=by, expected_version=claim.version, via=Via.ADMIN
        )
    else:
        claim_transition(
            claim=claim,
            to=ACTIONS[action][1],
            by=by,
            expected_version=claim.version,
            note="Checked.",
            via=Via.ADMIN,
        )


def actor_for(action: str, reviewer, editor):
    return editor if action == "assign" else reviewer


@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_bulk_action_runs_a_fixed_number_of_queries(action, reviewer, reviewer2, editor):
    by = actor_for(action, reviewer, editor)

    def run(n: int) -> int:
        claims = [movable(action, sources_by=reviewer2) for _ in range(n)]
        # Cold permission caches.
        user, assignee = (type(by).objects.get(pk=u.pk) for u in (by, reviewer2))
        with CaptureQueriesContext(connection) as ctx:
            result = in_bulk(action, claims, by=user, assignee=assignee)
        assert len(result.changed) == n
        return len(ctx.captured_queries)

    assert run(3) == run(40)


@pytest.mark.parametrize("action", list(ACTIONS))
def test_a_bulk_action_writes_what_the_single_action_writes(action, reviewer, reviewer2, editor):
    by = actor_for(action, reviewer, editor)
    one, other = movable(action, sources_by=reviewer2), movable(action, sources_by=reviewer2)

    alone(action, one, by=by, assignee=reviewer2)
    result = in_bulk(action, [other], by=by, assignee=reviewer2)

    [single] = ClaimEvent.objects.filter(claim=one)
    assert single.batch is None
    [batched] = ClaimEvent.objects.filter(batch=result.batch)
    assert batched.claim_id == other.pk
    assert [getattr(batched, f) for f in EVENT_FIELDS] == [getattr(single, f) for f in EVENT_FIELDS]
    assert batched.at == Claim.objects.get(pk=other.pk).updated_at
    stored = Claim.objects.filter(pk__in=[one.pk, other.pk]).order_by("pk")
    assert len({tuple(getattr(c, f) for f in CLAIM_FIELDS) for c in stored}) == 1
    [changed] = result.changed
    assert [getattr(changed, f) for f in CLAIM_FIELDS] == [
        getattr(stored[1], f) for f in CLAIM_FIELDS
    ]


def test_bulk_confirm_judges_each_claim_by_its_own_sources(reviewer, reviewer2):
    ready = movable("confirm", sources_by=reviewer2)
    one_domain = ClaimFactory(status=S.SOURCED)
    for path in ("1", "2"):
        SourceFactory(
            claim=one_domain,
            publisher="",
            url=f"https://www.wire.example/{path}",
            added_by=reviewer2,
        )
    named_as_domain = ClaimFactory(status=S.SOURCED)
    SourceFactory(claim=named_as_domain, publisher="", url="https://wire.example/1")
    SourceFactory(claim=named_as_domain, publisher="wire.example", url="https://b.example/2")
    own = movable("confirm", sources_by=reviewer)
    against = ClaimFactory(status=S.SOURCED)
    SourceFactory(claim=against, publisher="Wire A", added_by=reviewer2)
    SourceFactory(claim=against, publisher="Wire B", stance=Stance.CONTRADICTS)

    result = claims_bulk_transition(
        claims=[ready, one_domain, named_as_domain, own, against], to=S.CONFIRMED, by=reviewer
    )

    assert [c.pk for c in result.changed] == [ready.pk]
    assert [(c.pk, r.code) for c, r in result.refused] == [
        (one_domain.pk, "needs_support"),
        (named_as_domain.pk, "needs_support"),
        (own.pk, "four_eyes"),
        (against.pk, "needs_support"),
    ]
    assert set(Claim.objects.exclude(pk=ready.pk).values_list("status", "version").distinct()) == {
        (S.SOURCED, 1)
    }


def test_bulk_dispute_records_where_each_claim_came_from(reviewer):
    claims = [ClaimFactory(status=status) for status in (S.UNVERIFIED, S.SOURCED, S.CONFIRMED)]
    result = claims_bulk_transition(
        claims=claims, to=S.DISPUTED, by=reviewer, note="Old photo.", rationale="From 2019."
    )
    rows = ClaimEvent.objects.filter(batch=result.batch).order_by("claim_id")
    assert [(e.claim_id, e.from_status, e.to_status) for e in rows] == [
        (claim.pk, claim.status, S.DISPUTED) for claim in claims
    ]
    assert {(e.actor_id, e.note, e.via) for e in rows} == {(reviewer.pk, "Old photo.", Via.WEB)}
    assert [e.data for e in rows] == [{"rationale": "From 2019."}] * 3


def test_bulk_assign_records_who_held_each_claim(editor, reviewer, reviewer2):
    third = reviewer_factory(username="rosa")
    claims = [ClaimFactory(assignee=holder) for holder in (None, reviewer, reviewer2)]
    result = claims_bulk_assign(claims=claims, assignee=third, by=editor)
    rows = ClaimEvent.objects.filter(batch=result.batch).order_by("claim_id")
    assert [(e.claim_id, e.data) for e in rows] == [
        (
            claim.pk,
            {
                "from": holder and holder.username,
                "from_id": holder and holder.pk,
                "to": "rosa",
                "to_id": third.pk,
            },
        )
        for claim, holder in zip(claims, (None, reviewer, reviewer2), strict=True)
    ]
    assert set(Claim.objects.values_list("assignee", "version")) == {(third.pk, 2)}
