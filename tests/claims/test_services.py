from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim, ClaimEvent, ClaimOrigin, ClaimStatus, EventKind, Stance, Via
from claims.services import (
    StaleClaim,
    claim_assign,
    claim_create,
    claim_transition,
    claim_update,
    claims_bulk_assign,
    claims_bulk_transition,
    source_add,
    source_remove,
)
from claims.workflow import TransitionRefused
from newsdesk.errors import NewsdeskError, who_when
from tests.factories import SENTENCES, ClaimFactory, SourceFactory, reviewer_factory

S = ClaimStatus
ALLOWED = {
    (S.UNVERIFIED, S.SOURCED),
    (S.UNVERIFIED, S.CONFIRMED),
    (S.SOURCED, S.CONFIRMED),
    (S.DISPUTED, S.CONFIRMED),
    (S.UNVERIFIED, S.DISPUTED),
    (S.SOURCED, S.DISPUTED),
    (S.CONFIRMED, S.DISPUTED),
    (S.SOURCED, S.UNVERIFIED),
    (S.DISPUTED, S.UNVERIFIED),
    (S.CONFIRMED, S.UNVERIFIED),
}
NEEDS_NOTE = {pair for pair in ALLOWED if pair[1] in (S.DISPUTED, S.UNVERIFIED)} | {
    (S.DISPUTED, S.CONFIRMED)
}
PAIRS = [(a, b) for a, b in itertools.product(S, S) if a != b]
MAY_CHANGE_STATUS = {
    "reviewer": True,
    "staff": True,
    "superuser": True,
    "editor": False,
    "nobody": False,
}


def well_sourced(claim, by):
    """Two supporting sources from different publishers, added by someone else."""
    SourceFactory(claim=claim, publisher="Wire A", added_by=by)
    SourceFactory(claim=claim, publisher="Wire B", added_by=by)


def move(claim, to, by, note="", **kwargs):
    return claim_transition(
        claim=claim, to=to, by=by, expected_version=claim.version, note=note, **kwargs
    )


@pytest.mark.parametrize(("origin", "target"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
@pytest.mark.parametrize("role", list(MAY_CHANGE_STATUS))
def test_every_transition_for_every_role(db, request, role, origin, target, reviewer2):
    user = request.getfixturevalue(role)
    claim = ClaimFactory(status=origin)
    well_sourced(claim, by=reviewer2)

    if MAY_CHANGE_STATUS[role] and (origin, target) in ALLOWED:
        moved = move(claim, target, user, note="Checked against both wires.")
        assert moved.status == target
        assert moved.version == 2
        event = ClaimEvent.objects.get(claim=claim)
        assert (event.kind, event.from_status, event.to_status) == (
            EventKind.STATUS_CHANGED,
            origin,
            target,
        )
        assert event.actor == user
        assert event.batch is None
    else:
        with pytest.raises(TransitionRefused) as refused:
            move(claim, target, user, note="Checked against both wires.")
        expected = "not_allowed" if MAY_CHANGE_STATUS[role] else "permission"
        assert refused.value.refusal.code == expected
        claim.refresh_from_db()
        assert (claim.status, claim.version) == (origin, 1)
        assert not ClaimEvent.objects.filter(claim=claim).exists()


@pytest.mark.parametrize(("origin", "target"), sorted(NEEDS_NOTE))
@pytest.mark.parametrize("note", ["", "   \n "])
def test_transitions_that_need_a_note_refuse_without_one(origin, target, note, reviewer, reviewer2):
    claim = ClaimFactory(status=origin)
    well_sourced(claim, by=reviewer2)
    with pytest.raises(TransitionRefused, match="needs a note saying why"):
        move(claim, target, reviewer, note=note)
    assert not ClaimEvent.objects.filter(claim=claim).exists()


def test_marking_sourced_needs_a_source(reviewer):
    claim = ClaimFactory()
    with pytest.raises(TransitionRefused, match="at least one source; this claim has none"):
        move(claim, S.SOURCED, reviewer)
    SourceFactory(claim=claim, stance=Stance.CONTEXT)
    assert move(claim, S.SOURCED, reviewer).status == S.SOURCED


def test_reviewer_cannot_confirm_with_one_supporting_source(reviewer, reviewer2):
    claim = ClaimFactory(status=S.SOURCED)
    SourceFactory(claim=claim, stance=Stance.SUPPORTS, added_by=reviewer2)
    SourceFactory(claim=claim, stance=Stance.CONTRADICTS, added_by=reviewer2)
    with pytest.raises(TransitionRefused) as refused:
        move(claim, S.CONFIRMED, reviewer)
    assert str(refused.value) == (
        "Confirming needs 2 supporting sources from different publishers; this claim has 1."
    )
    assert not ClaimEvent.objects.filter(claim=claim).exists()
    claim.refresh_from_db()
    assert claim.status == S.SOURCED


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("Reuters", "https://a.example/1"), (" reuters ", "https://b.example/2")),
        (("", "https://www.wire.example/1"), ("", "https://wire.example/2")),
        (("", "https://wire.example/1"), ("wire.example", "https://other.example/2")),
    ],
    ids=["same-publisher-name", "same-domain", "name-equals-domain"],
)
def test_sources_from_one_publisher_count_once(first, second, reviewer, reviewer2):
    claim = ClaimFactory(status=S.SOURCED)
    for publisher, url in (first, second):
        SourceFactory(claim=claim, publisher=publisher, url=url, added_by=reviewer2)
    with pytest.raises(TransitionRefused, match="this claim has 1"):
        move(claim, S.CONFIRMED, reviewer)


def test_confirmer_needs_a_second_pair_of_eyes(reviewer, reviewer2):
    claim = ClaimFactory(status=S.SOURCED)
    well_sourced(claim, by=reviewer)
    with pytest.raises(TransitionRefused, match="second pair of eyes") as refused:
        move(claim, S.CONFIRMED, reviewer)
    assert refused.value.refusal.code == "four_eyes"
    assert move(claim, S.CONFIRMED, reviewer2).status == S.CONFIRMED


def test_confirmer_who_added_one_of_the_sources_may_confirm(reviewer, reviewer2):
    claim = ClaimFactory(status=S.SOURCED)
    SourceFactory(claim=claim, publisher="Wire A", added_by=reviewer)
    SourceFactory(claim=claim, publisher="Wire B", added_by=reviewer2)
    assert move(claim, S.CONFIRMED, reviewer).status == S.CONFIRMED


def test_rules_follow_settings(settings, reviewer):
    settings.NEWSDESK_FOUR_EYES = False
    settings.NEWSDESK_CONFIRM_MIN_SOURCES = 3
    claim = ClaimFactory(status=S.SOURCED)
    well_sourced(claim, by=reviewer)
    with pytest.raises(TransitionRefused, match="needs 3 supporting sources"):
        move(claim, S.CONFIRMED, reviewer)
    SourceFactory(claim=claim, publisher="Wire C", added_by=reviewer)
    assert move(claim, S.CONFIRMED, reviewer).status == S.CONFIRMED


def test_moving_to_the_same_status_is_refused(reviewer):
    claim = ClaimFactory(status=S.DISPUTED)
    with pytest.raises(TransitionRefused, match="already disputed"):
        move(claim, S.DISPUTED, reviewer, note="again")


def test_transition_records_note_and_rationale(reviewer):
    claim = ClaimFactory()
    moved = move(claim, S.DISPUTED, reviewer, note="  Video is from 2019. ", rationale="Old.")
    assert moved.rationale == "Old."
    event = ClaimEvent.objects.get(claim=claim)
    assert event.note == "Video is from 2019."
    assert event.data == {"rationale": "Old."}
    assert event.via == Via.WEB
    claim.refresh_from_db()
    assert (claim.rationale, claim.version, claim.status) == ("Old.", 2, S.DISPUTED)


def test_stale_version_is_refused_naming_who_changed_it(reviewer, reviewer2):
    claim = ClaimFactory()
    seen_version = claim.version
    move(claim, S.DISPUTED, reviewer2, note="The photo is old.")

    with pytest.raises(StaleClaim) as stale:
        claim_transition(
            claim=claim, to=S.UNVERIFIED, by=reviewer, expected_version=seen_version, note="x"
        )
    message = str(stale.value)
    assert "rania changed this claim at" in message
    assert "Disputed" in message
    assert "not saved" in message
    assert ClaimEvent.objects.filter(claim=claim).count() == 1
    claim.refresh_from_db()
    assert (claim.status, claim.version) == (S.DISPUTED, 2)


def test_bulk_transition_changes_the_allowed_and_reports_the_refused(reviewer, reviewer2):
    ready = [ClaimFactory(status=S.SOURCED) for _ in range(3)]
    for claim in ready:
        well_sourced(claim, by=reviewer2)
    thin = ClaimFactory(status=S.SOURCED)
    SourceFactory(claim=thin, added_by=reviewer2)
    done = ClaimFactory(status=S.CONFIRMED, version=4)

    result = claims_bulk_transition(
        claims=[*ready, thin, done], to=S.CONFIRMED, by=reviewer, via=Via.ADMIN
    )

    assert {c.pk for c in result.changed} == {c.pk for c in ready}
    assert [(c.pk, r.code) for c, r in result.refused] == [(thin.pk, "needs_support")]
    assert [c.pk for c in result.unchanged] == [done.pk]
    assert result.describe("confirmed") == (
        "3 claims confirmed; 1 already were; "
        f"1 refused: need 2 supporting sources from different publishers (#{thin.pk})."
    )
    events = ClaimEvent.objects.filter(kind=EventKind.STATUS_CHANGED)
    assert sorted(e.claim_id for e in events) == sorted(c.pk for c in ready)
    assert {e.batch for e in events} == {result.batch}
    assert {e.via for e in events} == {Via.ADMIN}
    thin.refresh_from_db()
    done.refresh_from_db()
    assert (thin.status, thin.version) == (S.SOURCED, 1)
    assert (done.status, done.version) == (S.CONFIRMED, 4)
    assert set(
        Claim.objects.filter(pk__in=[c.pk for c in ready]).values_list("version", flat=True)
    ) == {2}


def test_bulk_transition_summarises_mixed_reasons(reviewer):
    no_source = ClaimFactory()
    disputed = ClaimFactory(status=S.DISPUTED)
    result = claims_bulk_transition(claims=[no_source.pk, disputed.pk], to=S.SOURCED, by=reviewer)
    assert not result.changed
    assert result.describe("marked sourced") == (
        f"0 claims marked sourced; 2 refused: need at least one source (#{no_source.pk}); "
        f"cannot be marked sourced from disputed (#{disputed.pk})."
    )
    assert not ClaimEvent.objects.exists()


def test_bulk_transition_runs_a_fixed_number_of_queries(reviewer, reviewer2):
    def run(n: int) -> int:
        claims = [ClaimFactory(status=S.SOURCED) for _ in range(n)]
        for claim in claims:
            well_sourced(claim, by=reviewer2)
        user = type(reviewer).objects.get(pk=reviewer.pk)  # cold permission cache
        with CaptureQueriesContext(connection) as ctx:
            result = claims_bulk_transition(claims=claims, to=S.CONFIRMED, by=user)
        assert len(result.changed) == n
        return len(ctx.captured_queries)

    assert run(3) == run(40)


def test_bulk_transition_needs_the_reviewer_role(editor):
    claim = ClaimFactory()
    SourceFactory(claim=claim)
    result = claims_bulk_transition(claims=[claim], to=S.SOURCED, by=editor)
    assert [r.code for _, r in result.refused] == ["permission"]
    assert not ClaimEvent.objects.exists()


# --- creating and editing claims -------------------------------------------------


def test_claim_create_anchors_the_quote(editor, article, reviewer):
    start = article.body.index(SENTENCES[1])
    claim = claim_create(
        article=article,
        start=start,
        end=start + len(SENTENCES[1]),
        by=editor,
        attributed_to=" Brannock Haulage ",
        assignee=reviewer,
        origin=ClaimOrigin.SUGGESTED,
    )
    assert claim.text == SENTENCES[1]
    assert claim.prefix == article.body[start - 32 : start]
    assert claim.suffix == article.body[claim.end : claim.end + 32]
    assert claim.attributed_to == "Brannock Haulage"
    assert (claim.status, claim.version, claim.created_by) == (S.UNVERIFIED, 1, editor)
    kinds = list(
        ClaimEvent.objects.filter(claim=claim).order_by("id").values_list("kind", flat=True)
    )
    assert kinds == [EventKind.CREATED, EventKind.ASSIGNED]


@pytest.mark.parametrize(("start", "end"), [(-1, 5), (5, 5), (8, 3), (0, 10_000)])
def test_claim_create_refuses_spans_outside_the_article(editor, article, start, end):
    with pytest.raises(ValidationError, match="outside the article"):
        claim_create(article=article, start=start, end=end, by=editor)
    assert not Claim.objects.exists()


def test_claim_create_refuses_a_blank_span(editor, article):
    gap = article.body.index("\n\n")
    with pytest.raises(ValidationError, match="only blank space"):
        claim_create(article=article, start=gap, end=gap + 2, by=editor)


def test_claim_create_needs_the_editor_role(reviewer, article):
    with pytest.raises(PermissionDenied, match="Editor role"):
        claim_create(article=article, start=0, end=4, by=reviewer)


def test_claim_create_refuses_an_assignee_who_cannot_review(editor, article):
    with pytest.raises(ValidationError, match="assign a Reviewer"):
        claim_create(article=article, start=0, end=4, by=editor, assignee=editor)
    assert not Claim.objects.exists()


def test_claim_update_reanchors_and_records_the_edit(editor, claim):
    body = claim.article.body
    start = body.index("convoys")
    updated = claim_update(
        claim=claim, by=editor, expected_version=1, start=start, end=start + len("convoys")
    )
    assert (updated.text, updated.version) == ("convoys", 2)
    event = ClaimEvent.objects.get(claim=claim)
    assert event.kind == EventKind.EDITED
    assert event.data["changes"]["text"] == [SENTENCES[0], "convoys"]


def test_claim_update_without_changes_writes_nothing(editor, claim):
    claim_update(claim=claim, by=editor, expected_version=1, attributed_to="Officials")
    assert not ClaimEvent.objects.exists()
    claim.refresh_from_db()
    assert claim.version == 1


def test_claim_update_with_a_stale_version_is_refused(editor, claim):
    with pytest.raises(StaleClaim):
        claim_update(claim=claim, by=editor, expected_version=7, attributed_to="Someone")


def test_rationale_is_the_reviewers_to_write(editor, reviewer, claim):
    with pytest.raises(PermissionDenied, match="Reviewer role"):
        claim_update(claim=claim, by=editor, expected_version=1, rationale="Looks right")
    assert (
        claim_update(claim=claim, by=reviewer, expected_version=1, rationale="Ok").rationale == "Ok"
    )


# --- assignment ------------------------------------------------------------------


def test_editor_assigns_and_history_names_both_sides(editor, reviewer, reviewer2, claim):
    claim_assign(claim=claim, assignee=reviewer, by=editor)
    claim_assign(claim=claim, assignee=reviewer2, by=editor)
    claim.refresh_from_db()
    assert (claim.assignee, claim.version) == (reviewer2, 3)
    last = ClaimEvent.objects.filter(claim=claim).first()
    assert last.data["from"] == "rui"
    assert last.data["to"] == "rania"


def test_reviewer_may_take_a_claim_but_not_hand_it_to_someone_else(reviewer, reviewer2, claim):
    claim_assign(claim=claim, assignee=reviewer, by=reviewer)
    with pytest.raises(PermissionDenied, match="Editor role"):
        claim_assign(claim=claim, assignee=reviewer2, by=reviewer)


def test_only_reviewers_can_be_assigned(editor, nobody, claim):
    with pytest.raises(ValidationError, match="nina cannot review claims"):
        claim_assign(claim=claim, assignee=nobody, by=editor)


def test_bulk_assign_writes_one_batch_and_skips_claims_already_assigned(editor, reviewer):
    claims = [ClaimFactory() for _ in range(4)]
    claim_assign(claim=claims[0], assignee=reviewer, by=editor)
    result = claims_bulk_assign(claims=claims, assignee=reviewer, by=editor)
    assert len(result.changed) == 3
    assert [c.pk for c in result.unchanged] == [claims[0].pk]
    batch_events = ClaimEvent.objects.filter(batch=result.batch)
    assert batch_events.count() == 3
    assert result.describe("assigned to rui") == "3 claims assigned to rui; 1 already were."


def test_bulk_unassign(editor, reviewer):
    claims = [ClaimFactory(assignee=reviewer) for _ in range(2)]
    result = claims_bulk_assign(claims=claims, assignee=None, by=editor)
    assert len(result.changed) == 2
    assert not Claim.objects.filter(assignee__isnull=False).exists()


# --- sources ---------------------------------------------------------------------


def test_source_add_records_an_event(reviewer, claim):
    source = source_add(
        claim=claim,
        by=reviewer,
        url="https://www.wire.example/story",
        stance=Stance.CONTRADICTS,
        title=" The story ",
    )
    assert (source.title, source.publisher_name, source.added_by) == (
        "The story",
        "wire.example",
        reviewer,
    )
    event = ClaimEvent.objects.get(claim=claim)
    assert event.kind == EventKind.SOURCE_ADDED
    assert event.data["stance"] == "contradicts"


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://files.example/a", "data:text/html,hi", "not a url", ""],
)
def test_source_add_accepts_only_web_links(reviewer, claim, url):
    with pytest.raises(ValidationError) as error:
        source_add(claim=claim, by=reviewer, url=url, stance=Stance.SUPPORTS)
    assert "url" in error.value.message_dict
    assert not ClaimEvent.objects.exists()


def test_source_add_refuses_an_unknown_stance(reviewer, claim):
    with pytest.raises(ValidationError) as error:
        source_add(claim=claim, by=reviewer, url="https://a.example", stance="maybe")
    assert "stance" in error.value.message_dict


def test_source_add_needs_the_reviewer_role(editor, claim):
    with pytest.raises(PermissionDenied):
        source_add(claim=claim, by=editor, url="https://a.example", stance=Stance.SUPPORTS)


@pytest.mark.parametrize(
    "again",
    [
        "https://wire.example/story",
        "http://www.wire.example/story/",
        "https://WIRE.example/story#top",
        "https://wire.example/story?utm_source=rss",
    ],
)
def test_source_add_refuses_a_link_the_claim_has_already(reviewer, reviewer2, claim, again):
    first = source_add(
        claim=claim,
        by=reviewer,
        url="https://wire.example/story",
        stance=Stance.SUPPORTS,
        publisher="Wire",
    )
    with pytest.raises(ValidationError) as error:
        source_add(claim=claim, by=reviewer2, url=again, stance=Stance.CONTRADICTS)
    (message,) = error.value.message_dict["url"]
    assert f"source #{first.pk} (Wire, supports, added by rui" in message
    assert claim.sources.count() == 1
    assert ClaimEvent.objects.filter(claim=claim).count() == 1
    # Another claim may cite the same story, and this one another story of the same site.
    assert source_add(claim=ClaimFactory(), by=reviewer, url=again, stance=Stance.SUPPORTS)
    assert source_add(
        claim=claim, by=reviewer, url="https://wire.example/story-2", stance=Stance.SUPPORTS
    )


def test_source_remove_keeps_a_record(reviewer, claim):
    source = SourceFactory(claim=claim, publisher="Wire A")
    source_remove(source=source, by=reviewer, note="Dead link")
    assert not claim.sources.exists()
    event = ClaimEvent.objects.get(claim=claim)
    assert (event.kind, event.note, event.data["publisher"]) == (
        EventKind.SOURCE_REMOVED,
        "Dead link",
        "Wire A",
    )


def test_source_remove_needs_the_reviewer_role(editor, claim):
    source = SourceFactory(claim=claim)
    with pytest.raises(PermissionDenied):
        source_remove(source=source, by=editor)
    assert claim.sources.count() == 1
    assert not ClaimEvent.objects.exists()


# --- review follow-ups ------------------------------------------------------------------


@pytest.mark.parametrize("status", [S.SOURCED, S.DISPUTED, S.CONFIRMED])
def test_changing_the_quote_of_a_reviewed_claim_reopens_it(editor, status):
    claim = ClaimFactory(status=status)
    start = claim.article.body.index("Five convoys")
    edited = claim_update(
        claim=claim, by=editor, expected_version=1, start=start, end=start + len("Five convoys")
    )
    assert edited.status == S.UNVERIFIED
    kinds = list(
        ClaimEvent.objects.filter(claim=claim).order_by("id").values_list("kind", "to_status")
    )
    assert kinds == [(EventKind.EDITED, ""), (EventKind.STATUS_CHANGED, S.UNVERIFIED)]
    claim.refresh_from_db()
    assert (claim.status, claim.version) == (S.UNVERIFIED, 2)


def test_changing_only_the_attribution_keeps_the_verdict(editor):
    claim = ClaimFactory(status=S.CONFIRMED)
    assert (
        claim_update(claim=claim, by=editor, expected_version=1, attributed_to="Ministry").status
        == S.CONFIRMED
    )


def test_a_confirmed_claim_keeps_the_sources_its_confirmation_rests_on(reviewer, reviewer2):
    claim = ClaimFactory(status=S.CONFIRMED)
    first = SourceFactory(claim=claim, publisher="Wire A", added_by=reviewer2)
    SourceFactory(claim=claim, publisher="Wire B", added_by=reviewer2)
    extra = SourceFactory(claim=claim, publisher="Wire C", added_by=reviewer2)
    source_remove(source=extra, by=reviewer)  # two independent ones remain: fine
    with pytest.raises(TransitionRefused, match="reopen the claim before removing it"):
        source_remove(source=first, by=reviewer)
    assert claim.sources.count() == 2
    assert ClaimEvent.objects.filter(kind=EventKind.SOURCE_REMOVED).count() == 1


def test_who_did_what_and_when_is_said_one_way(reviewer, settings):
    settings.TIME_ZONE = "Europe/Lisbon"
    at = datetime(2026, 7, 1, 12, 45, 2, 700_000, tzinfo=UTC)
    assert (
        who_when(reviewer, at, "changed this claim")
        == "rui changed this claim at 1 Jul 2026 13:45:02"
    )
    assert who_when(None, at, "saved it") == "Someone saved it at 1 Jul 2026 13:45:02"
    assert who_when(None, at, "removed it", nobody="The system").startswith("The system removed")


def test_removing_a_source_twice_is_refused_once(reviewer, claim):
    source = SourceFactory(claim=claim)
    source_remove(source=source, by=reviewer)
    with pytest.raises(NewsdeskError, match="is gone already"):
        source_remove(source=source, by=reviewer)
    assert ClaimEvent.objects.filter(kind=EventKind.SOURCE_REMOVED).count() == 1


def test_claim_edit_is_all_or_nothing(editor, claim):
    from claims.services import claim_edit

    with pytest.raises(ValidationError, match="cannot review claims"):
        claim_edit(
            claim=claim,
            by=editor,
            expected_version=1,
            start=0,
            end=4,
            attributed_to="Someone",
            assignee=editor,
        )
    claim.refresh_from_db()
    assert (claim.attributed_to, claim.version) == ("Officials", 1)
    assert not ClaimEvent.objects.exists()


def test_creating_an_assigned_claim_needs_the_right_to_assign(article, reviewer):
    from django.contrib.auth.models import Permission

    creator = reviewer_factory(username="maker")
    creator.user_permissions.add(Permission.objects.get(codename="add_claim"))
    creator = type(creator).objects.get(pk=creator.pk)
    with pytest.raises(PermissionDenied, match="Editor role to assign"):
        claim_create(article=article, start=0, end=4, by=creator, assignee=reviewer)


def test_multi_line_text_is_stored_with_unix_line_ends(reviewer, claim):
    moved = move(claim, S.DISPUTED, reviewer, note="a\r\nb", rationale="one\r\ntwo\r")
    assert moved.rationale == "one\ntwo"
    assert ClaimEvent.objects.get().note == "a\nb"


def test_a_long_list_of_refused_claims_is_cut_short(reviewer):
    claims = [ClaimFactory() for _ in range(13)]
    result = claims_bulk_transition(claims=claims, to=S.SOURCED, by=reviewer)
    ids = ", ".join(f"#{c.pk}" for c in claims[:10])
    assert result.describe("marked sourced") == (
        f"0 claims marked sourced; 13 refused: need at least one source ({ids} and 3 more)."
    )
