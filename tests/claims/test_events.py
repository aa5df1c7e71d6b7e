"""Each kind of history row is built in one place (claims/events.py): what the history
page, the admin and the reports read of a row is the same whoever wrote it."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from claims import events
from claims.models import ClaimEvent, ClaimStatus, EventKind, Stance, Via
from tests.factories import ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_a_status_change_names_both_statuses_and_any_rationale(reviewer):
    claim = ClaimFactory(status=ClaimStatus.CONFIRMED)
    batch, at = uuid.uuid4(), timezone.now()
    row = events.status_changed(
        claim,
        by=reviewer,
        via=Via.WEB,
        at=at,
        from_status=ClaimStatus.SOURCED,
        note="Two wires agree.",
        rationale="Confirmed by two wires.",
        batch=batch,
    )
    row.save()
    stored = ClaimEvent.objects.get()
    assert (stored.kind, stored.from_status, stored.to_status) == (
        EventKind.STATUS_CHANGED,
        ClaimStatus.SOURCED,
        ClaimStatus.CONFIRMED,
    )
    assert (stored.actor, stored.at, stored.batch, stored.note) == (
        reviewer,
        at,
        batch,
        "Two wires agree.",
    )
    assert stored.data == {"rationale": "Confirmed by two wires."}


def test_a_status_change_without_a_rationale_carries_no_payload(reviewer):
    claim = ClaimFactory(status=ClaimStatus.DISPUTED)
    row = events.status_changed(
        claim, by=reviewer, via=Via.ADMIN, at=timezone.now(), from_status=ClaimStatus.UNVERIFIED
    )
    assert row.data == {}
    assert row.via == Via.ADMIN


def test_a_reopening_for_new_words_names_no_actor_and_keeps_the_cleared_rationale():
    claim = ClaimFactory(status=ClaimStatus.CONFIRMED)
    row = events.reopened_for_new_words(
        claim, via=Via.WEB, at=timezone.now(), note="elena edited", rationale_cleared="Was true."
    )
    assert row.actor is None
    assert (row.from_status, row.to_status) == (ClaimStatus.CONFIRMED, ClaimStatus.UNVERIFIED)
    assert row.data == {"rationale_cleared": "Was true."}
    empty = events.reopened_for_new_words(
        claim, via=Via.WEB, at=timezone.now(), note="", rationale_cleared=""
    )
    assert empty.data == {}


def test_an_assignment_keeps_names_beside_ids(editor, reviewer):
    claim = ClaimFactory()
    row = events.assigned(claim, old=None, new=reviewer, by=editor, via=Via.WEB)
    assert row.kind == EventKind.ASSIGNED
    assert row.data == {
        "from": None,
        "from_id": None,
        "to": reviewer.get_username(),
        "to_id": reviewer.pk,
    }


def test_a_created_row_says_where_the_claim_came_from_and_why(editor):
    claim = ClaimFactory(origin="suggested")
    row = events.created(claim, by=editor, via=Via.WEB, why={"score": 0.7, "reasons": ["a"]})
    assert (row.kind, row.to_status) == (EventKind.CREATED, claim.status)
    assert row.data == {"origin": "suggested", "score": 0.7, "reasons": ["a"]}


def test_an_edit_lists_changes_and_marks_a_claim_placed_again(editor):
    claim = ClaimFactory()
    changes = {"attributed_to": ["", "the ministry"]}
    row = events.edited(claim, by=editor, via=Via.WEB, at=timezone.now(), changes=changes)
    assert row.data == {"changes": changes}
    again = events.edited(
        claim, by=editor, via=Via.WEB, at=timezone.now(), changes={}, anchored_again=True
    )
    assert again.data == {"changes": {}, "anchored_again": True}


def test_a_reanchoring_row_says_where_the_claim_was_and_is(editor):
    claim = ClaimFactory()
    row = events.reanchored(
        claim, by=editor, via=Via.WEB, at=timezone.now(), outcome="moved", start=5, text="x"
    )
    assert row.data == {
        "changes": {},
        "reanchored": "moved",
        "was_orphaned": False,
        "start": [claim.start, 5],
        "text": [claim.text, "x"],
    }


def test_source_rows_keep_a_snapshot_of_the_source(reviewer):
    source = SourceFactory(stance=Stance.SUPPORTS, publisher="Wire", added_by=reviewer)
    added = events.source_added(source.claim, source, by=reviewer, via=Via.WEB)
    removed = events.source_removed(source.claim, source, by=reviewer, via=Via.WEB, note="dup")
    assert added.kind == EventKind.SOURCE_ADDED
    assert removed.kind == EventKind.SOURCE_REMOVED
    assert added.data == removed.data == events.source_snapshot(source)
    assert added.data["publisher"] == "Wire"
    assert added.data["added_by"] == reviewer.get_username()
    assert removed.note == "dup"
