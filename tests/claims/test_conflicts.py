"""Writes that can meet another person's: assignment, decisions resent after a conflict,
admin edits of claims and admin removal of sources. The stale one is refused, says who
got there first and when, keeps what was typed, and writes nothing."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from claims.admin import ClaimAdmin
from claims.models import Claim, ClaimEvent, ClaimStatus, EventKind, Source, Stance
from claims.services import (
    ClaimTaken,
    RationaleChanged,
    SourceGone,
    SourcesRefused,
    StaleClaim,
    claim_assign,
    claim_transition,
    claim_update,
    claims_bulk_assign,
    source_remove,
    sources_bulk_remove,
)
from tests.factories import SourceFactory, reviewer_factory

S = ClaimStatus
ASSIGN = reverse("claims:assign")


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def stamp(at) -> str:
    return timezone.localtime(at).strftime("%-d %b %Y %H:%M:%S")


def take(client, claim, version=1):
    return client.post(ASSIGN, {"take": claim.pk, f"version-{claim.pk}": version})


# --- "Assign to me" --------------------------------------------------------------------


def test_five_reviewers_taking_one_claim_leave_it_with_the_first(client, claim):
    takers = [reviewer_factory(username=f"taker{n}") for n in range(5)]
    said = []
    for taker in takers:  # each in a browser of their own, from a page showing version 1
        browser = Client()
        browser.force_login(taker)
        said.append(messages_of(take(browser, claim)))
    claim.refresh_from_db()
    assert (claim.assignee, claim.version) == (takers[0], 2)
    assert said[0] == [f"Claim #{claim.pk} is assigned to you."]
    event = ClaimEvent.objects.get(kind=EventKind.ASSIGNED)
    refusal = (
        f"taker0 took this claim at {stamp(event.at)}; it stays with taker0. Nothing was changed."
    )
    assert said[1:] == [[refusal]] * 4


def test_a_reviewer_cannot_take_a_claim_someone_else_holds(client, reviewer, reviewer2, claim):
    claim_assign(claim=claim, assignee=reviewer2, by=reviewer2)
    client.force_login(reviewer)
    response = take(client, claim, version=2)  # even from an up-to-date page
    [said] = messages_of(response)
    assert said.startswith("rania took this claim at ")
    assert "choose yourself" not in said  # a Reviewer is offered nothing more
    claim.refresh_from_db()
    assert (claim.assignee, claim.version) == (reviewer2, 2)


def test_an_editor_is_told_how_to_take_over_and_may_do_so_by_name(
    client, staff, editor, reviewer2, claim
):
    claim_assign(claim=claim, assignee=reviewer2, by=editor)
    client.force_login(staff)
    [said] = messages_of(take(client, claim, version=2))
    assert said.startswith("elena assigned this claim to rania at ")
    assert said.endswith("To take it over, choose yourself under Assignment on the claim's page.")
    assert Claim.objects.get(pk=claim.pk).assignee == reviewer2
    # Choosing oneself by name is deliberate, and goes through.
    response = client.post(ASSIGN, {"claim": claim.pk, "to": staff.pk, f"version-{claim.pk}": 2})
    assert messages_of(response)[-1] == f"Claim #{claim.pk} is assigned to you."
    assert Claim.objects.get(pk=claim.pk).assignee == staff


def test_a_take_from_an_out_of_date_page_names_who_changed_the_claim(
    client, reviewer, reviewer2, claim
):
    claim_transition(claim=claim, to=S.DISPUTED, by=reviewer2, expected_version=1, note="Old")
    event = ClaimEvent.objects.get(kind=EventKind.STATUS_CHANGED)
    client.force_login(reviewer)
    [said] = messages_of(take(client, claim, version=1))
    # Worded, and timed to the second, as every other conflict is.
    assert said.startswith(f"rania changed this claim at {stamp(event.at)} after you opened it")
    assert "Your change was not saved" in said
    assert Claim.objects.get(pk=claim.pk).assignee is None


@pytest.mark.parametrize("version", [None, "", "x", "0"])
def test_a_take_that_does_not_say_its_version_is_refused(client, reviewer, claim, version):
    client.force_login(reviewer)
    data = {"take": claim.pk}
    if version is not None:
        data[f"version-{claim.pk}"] = version
    [said] = messages_of(client.post(ASSIGN, data))
    assert said.startswith(f"This page did not say which version of claim #{claim.pk} it showed")
    assert not ClaimEvent.objects.exists()


@pytest.mark.parametrize("version", [None, "", "x", "0", "2.0"])
def test_an_editor_assigning_from_a_page_without_versions_assigns_nothing(
    client, editor, reviewer, claim, version
):
    """A page from before versions were carried, or a garbled field: the claim would be
    handed over unchecked, over whatever happened to it since."""
    client.force_login(editor)
    data = {"claim": claim.pk, "to": reviewer.pk}
    if version is not None:
        data[f"version-{claim.pk}"] = version
    [said] = messages_of(client.post(ASSIGN, data))
    assert said == (
        f"This page did not say which version of claim #{claim.pk} it showed, so Newsdesk "
        "cannot tell whether someone changed it meanwhile. Nothing was assigned: reload the "
        "page and try again."
    )
    assert Claim.objects.get(pk=claim.pk).assignee is None
    assert not ClaimEvent.objects.exists()


def test_a_selection_with_one_claim_missing_its_version_assigns_none_of_them(
    client, editor, reviewer, claim_factory
):
    first, second, third = (claim_factory(sentence=n) for n in range(3))
    client.force_login(editor)
    data = {
        "claim": [first.pk, second.pk, third.pk],
        "to": reviewer.pk,
        f"version-{first.pk}": 1,
        f"version-{third.pk}": "one",
    }
    [said] = messages_of(client.post(ASSIGN, data))
    assert said.startswith(
        f"This page did not say which version of claims #{second.pk}, #{third.pk} it showed"
    )
    assert set(Claim.objects.values_list("assignee", flat=True)) == {None}
    assert not ClaimEvent.objects.exists()


def test_one_assignment_is_not_a_bulk_action(client, reviewer, claim):
    client.force_login(reviewer)
    take(client, claim)
    assert ClaimEvent.objects.get().batch is None
    page = client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    assert "assigned it to rui" in page
    assert "bulk action" not in page


def test_assign_selected_to_me_keeps_others_claims_and_refuses_changed_ones(
    client, reviewer, reviewer2, claim_factory
):
    free, held, changed, mine = (claim_factory(sentence=n) for n in range(4))
    claim_assign(claim=held, assignee=reviewer2, by=reviewer2)
    claim_transition(claim=changed, to=S.DISPUTED, by=reviewer2, expected_version=1, note="x")
    claim_assign(claim=mine, assignee=reviewer, by=reviewer)
    client.force_login(reviewer)
    # The page listed all four at the versions it showed.
    data = {"claim": [free.pk, held.pk, changed.pk, mine.pk], "to_me": "1"}
    data |= {f"version-{c.pk}": 1 for c in (free, held, changed)} | {f"version-{mine.pk}": 2}
    response = client.post(ASSIGN, data)
    assert messages_of(response) == [
        f"1 claim assigned to you; 1 already were; 2 refused: already assigned to rania "
        f"(#{held.pk}); changed by rania since the page was shown (#{changed.pk})."
    ]
    owners = dict(Claim.objects.values_list("pk", "assignee"))
    assert owners == {
        free.pk: reviewer.pk,
        held.pk: reviewer2.pk,
        changed.pk: None,
        mine.pk: reviewer.pk,
    }


def test_a_bulk_assignment_names_who_changed_each_stale_claim_and_when(
    reviewer, reviewer2, editor, claim_factory, django_assert_num_queries
):
    claims = [claim_factory(sentence=n) for n in range(4)]
    for claim in claims[:3]:
        claim_transition(claim=claim, to=S.DISPUTED, by=reviewer2, expected_version=1, note="x")
    claim_assign(claim=claims[2], assignee=reviewer, by=editor, expected_version=2)
    # One look-up for the last change of every stale claim, however many there are: with
    # the lock, the holders, the write, its history and the savepoint's two (an assignment
    # reads no sources).
    with django_assert_num_queries(7):
        result = claims_bulk_assign(
            claims=claims,
            assignee=reviewer2,
            by=editor,
            expected_versions={claim.pk: 1 for claim in claims},
        )
    assert result.changed == [claims[3]]
    refused = {claim.pk: refusal for claim, refusal in result.refused}
    for claim, who, version in ((claims[0], "rania", 2), (claims[1], "rania", 2)):
        event = ClaimEvent.objects.filter(claim=claim).latest("at", "id")
        assert refused[claim.pk].message == (
            f"{who} changed this claim at {stamp(event.at)} after the page was shown (it is "
            f"now Disputed, version {version}); nothing was changed."
        )
    last = ClaimEvent.objects.filter(claim=claims[2]).latest("at", "id")
    assert refused[claims[2].pk].message.startswith(
        f"elena changed this claim at {stamp(last.at)} after the page was shown"
    )
    assert [(reason, ids) for reason, ids in result.refusals_by_reason()] == [
        ("changed by rania since the page was shown", [claims[0].pk, claims[1].pk]),
        ("changed by elena since the page was shown", [claims[2].pk]),
    ]


def test_the_queue_offers_assign_to_me_for_free_claims_only(
    client, reviewer, reviewer2, claim_factory
):
    free, held = claim_factory(sentence=0), claim_factory(sentence=1)
    claim_assign(claim=held, assignee=reviewer2, by=reviewer2)
    client.force_login(reviewer)
    page = client.get(reverse("claims:queue")).content.decode()
    assert f'name="take" value="{free.pk}"' in page
    assert f'name="take" value="{held.pk}"' not in page
    assert f'name="version-{free.pk}" value="1"' in page
    assert f'name="version-{held.pk}" value="2"' in page
    detail = client.get(reverse("claims:detail", args=[held.pk])).content.decode()
    assert 'name="take"' not in detail


def test_claim_assign_service_refusals(reviewer, reviewer2, editor, staff, claim):
    claim_assign(claim=claim, assignee=reviewer2, by=reviewer2, expected_version=1)
    with pytest.raises(ClaimTaken):
        claim_assign(claim=claim, assignee=reviewer, by=reviewer, expected_version=2)
    with pytest.raises(ClaimTaken):  # "me" from an Editor keeps the holder too
        claim_assign(claim=claim, assignee=staff, by=staff, if_unassigned=True)
    with pytest.raises(StaleClaim):
        claim_assign(claim=claim, assignee=reviewer, by=editor, expected_version=1)
    assert Claim.objects.get(pk=claim.pk).version == 2
    # An Editor handing it over by name, from the current version, goes through.
    assert claim_assign(claim=claim, assignee=reviewer, by=editor, expected_version=2).version == 3


def test_bulk_assign_refuses_changed_claims_when_versions_are_given(
    editor, reviewer, claim_factory
):
    first, second = claim_factory(sentence=0), claim_factory(sentence=1)
    claim_update(claim=second, by=editor, expected_version=1, attributed_to="Ministry")
    result = claims_bulk_assign(
        claims=[first, second],
        assignee=reviewer,
        by=editor,
        expected_versions={first.pk: 1, second.pk: 1},
    )
    assert [c.pk for c in result.changed] == [first.pk]
    assert [(c.pk, r.code) for c, r in result.refused] == [(second.pk, "stale")]
    assert Claim.objects.get(pk=second.pk).assignee is None


# --- a decision resent after a conflict (point 7) ---------------------------------------


def decide(client, claim, **data):
    return client.post(reverse("claims:decide", args=[claim.pk]), data)


@pytest.fixture
def disputed_meanwhile(claim, reviewer2):
    """Rui opened the claim at version 1, rationale empty; Rania disputed it since."""
    claim_transition(
        claim=claim,
        to=S.DISPUTED,
        by=reviewer2,
        expected_version=1,
        note="Old photo",
        rationale="The photo is from 2019.",
    )
    return claim


def test_resending_after_a_conflict_does_not_replace_the_other_verdict(
    client, reviewer, disputed_meanwhile
):
    claim = disputed_meanwhile
    client.force_login(reviewer)
    mine = {"rationale": "Checked with the ministry.", "expected_rationale": ""}
    conflict = decide(client, claim, to="keep", expected_version=1, **mine)
    assert conflict.status_code == 409
    page = conflict.content.decode()
    assert "rania changed this claim at" in page
    assert "Someone else changed the rationale" in page
    assert "The photo is from 2019." in page
    assert "Checked with the ministry." in page  # what was typed is kept
    retry = conflict.context["decision_form"]
    assert (retry["to"].value(), retry["expected_version"].value()) == ("", 2)
    assert retry["expected_rationale"].value() == ""  # still what Rui started from
    # Pressing save again as it stands asks for a decision...
    again = decide(client, claim, expected_version=2, **mine)
    assert again.status_code == 400
    assert "Choose what to do with the claim as it stands now." in again.content.decode()
    # ...and "keep", without saying which rationale stands, is refused again.
    kept = decide(client, claim, to="keep", expected_version=2, **mine)
    assert kept.status_code == 409
    assert "choose whether to keep the saved rationale or replace it" in kept.content.decode()
    claim.refresh_from_db()
    assert (claim.status, claim.rationale, claim.version) == (
        S.DISPUTED,
        "The photo is from 2019.",
        2,
    )


@pytest.mark.parametrize(
    ("choice", "stored"),
    [("keep_saved", "The photo is from 2019."), ("replace", "Checked with the ministry.")],
)
def test_after_a_conflict_an_explicit_choice_decides_the_rationale(
    client, reviewer, disputed_meanwhile, choice, stored
):
    claim = disputed_meanwhile
    client.force_login(reviewer)
    response = decide(
        client,
        claim,
        to="keep",
        expected_version=2,
        rationale="Checked with the ministry.",
        expected_rationale="",
        rationale_choice=choice,
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.rationale) == (S.DISPUTED, stored)


def test_an_untouched_rationale_is_not_written_back(client, reviewer, disputed_meanwhile):
    claim = disputed_meanwhile
    client.force_login(reviewer)
    conflict = decide(
        client,
        claim,
        to=S.CONFIRMED,
        note="",
        rationale="",
        expected_rationale="",
        expected_version=1,
    )
    assert conflict.status_code == 409
    # Rui typed nothing, so the form now shows Rania's words, and no choice is asked.
    retry = conflict.context["decision_form"]
    assert retry["rationale"].value() == "The photo is from 2019."
    assert "Someone else changed the rationale" not in conflict.content.decode()
    # A form resent with the old, untouched rationale leaves the saved one alone.
    decide(
        client,
        claim,
        to=S.UNVERIFIED,
        note="Needs another look",
        rationale="",
        expected_rationale="",
        expected_version=2,
    )
    claim.refresh_from_db()
    assert (claim.status, claim.rationale) == (S.UNVERIFIED, "The photo is from 2019.")


def test_the_services_refuse_a_rationale_over_one_they_did_not_start_from(
    reviewer, disputed_meanwhile
):
    claim = disputed_meanwhile
    with pytest.raises(RationaleChanged) as refused:
        claim_update(
            claim=claim, by=reviewer, expected_version=2, rationale="Mine", expected_rationale=""
        )
    event = ClaimEvent.objects.filter(claim=claim).latest("at", "id")
    assert str(refused.value).startswith(f"rania changed this claim at {stamp(event.at)}, and ")
    with pytest.raises(RationaleChanged):
        claim_transition(
            claim=claim,
            to=S.UNVERIFIED,
            by=reviewer,
            expected_version=2,
            note="n",
            rationale="Mine",
            expected_rationale="",
        )
    assert Claim.objects.get(pk=claim.pk).rationale == "The photo is from 2019."


def test_a_decision_that_does_not_say_its_version_is_refused_where_it_shows(
    client, reviewer, claim
):
    client.force_login(reviewer)
    response = decide(client, claim, to="keep", rationale="Mine")
    assert response.status_code == 400
    assert "did not say which version of the claim" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).rationale == ""


# --- the admin's claim form --------------------------------------------------------------


def admin_claim_data(claim, **extra):
    return {
        "quote": claim.text,
        "attributed_to": claim.attributed_to,
        "sources-TOTAL_FORMS": 0,
        "sources-INITIAL_FORMS": 0,
        "sources-2-TOTAL_FORMS": 0,
        "sources-2-INITIAL_FORMS": 0,
        "events-TOTAL_FORMS": 0,
        "events-INITIAL_FORMS": 0,
        **extra,
    }


def test_admin_claim_edit_without_a_version_is_refused(client, staff, claim):
    client.force_login(staff)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    response = client.post(url, admin_claim_data(claim, attributed_to="Ministry"))
    assert response.status_code == 200
    assert "did not say which version of the claim" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).attributed_to == "Officials"


def test_admin_claim_edit_overtaken_between_check_and_save(
    client, staff, editor, claim, monkeypatch
):
    """Someone saves after the form checked the version and before the save: the save is
    refused under lock, and the form comes back naming them, with the typing kept."""
    opened = Claim.objects.get(pk=claim.pk)  # as the form's check saw it, at version 1
    claim_update(claim=claim, by=editor, expected_version=1, attributed_to="The army")
    loads = []

    def get_object(admin_, request, object_id, from_field=None):
        loads.append(object_id)
        if len(loads) == 1:
            return opened
        return ClaimAdmin.get_object.__wrapped__(admin_, request, object_id, from_field)

    get_object.__wrapped__ = ClaimAdmin.get_object
    monkeypatch.setattr(ClaimAdmin, "get_object", get_object)
    client.force_login(staff)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = admin_claim_data(claim, attributed_to="Ministry", expected_version=1)
    response = client.post(url, data)
    assert len(loads) == 2  # refused at the save, then shown again against version 2
    assert response.status_code == 200
    page = response.content.decode()
    assert "elena changed this claim at" in page
    assert 'value="Ministry"' in page
    claim.refresh_from_db()
    assert (claim.attributed_to, claim.version) == ("The army", 2)
    assert not LogEntry.objects.exists()


# --- removing sources in the admin (point 6) ----------------------------------------------


@pytest.fixture
def confirmed(claim, reviewer2):
    """Confirmed on three supporting sources from three publishers; two are needed."""
    for name in ("Wire A", "Wire B", "Wire C"):
        SourceFactory(claim=claim, publisher=name, added_by=reviewer2)
    Claim.objects.filter(pk=claim.pk).update(status=S.CONFIRMED)
    return Claim.objects.get(pk=claim.pk)


def delete_selected(client, sources):
    return client.post(
        reverse("admin:claims_source_changelist"),
        {"action": "delete_selected", "post": "yes", "_selected_action": [s.pk for s in sources]},
        follow=True,
    )


def test_deleting_every_source_of_a_confirmed_claim_deletes_none(client, staff, confirmed):
    client.force_login(staff)
    sources = list(confirmed.sources.order_by("pk"))
    response = delete_selected(client, sources)
    assert response.status_code == 200
    named = ", ".join(f"#{s.pk} ({s.publisher})" for s in sources)
    assert messages_of(response) == [
        f"Nothing was deleted. Sources {named} on claim #{confirmed.pk}: This claim is "
        "confirmed on the strength of these sources; reopen the claim before removing them."
    ]
    assert Source.objects.count() == 3
    assert not ClaimEvent.objects.exists()
    assert not LogEntry.objects.exists()


def test_two_spare_sources_together_are_not_spare(client, staff, confirmed, source_factory):
    elsewhere = source_factory(stance=Stance.CONTEXT)
    client.force_login(staff)
    first, second, _ = confirmed.sources.order_by("pk")
    response = delete_selected(client, [first, second, elsewhere])
    [said] = messages_of(response)
    assert said.startswith(f"Nothing was deleted. Sources #{first.pk} (Wire A), #{second.pk}")
    assert Source.objects.count() == 4
    # One of them, with the source from elsewhere, may go.
    response = delete_selected(client, [first, elsewhere])
    assert messages_of(response) == ["Successfully deleted 2 sources."]
    assert set(Source.objects.values_list("publisher", flat=True)) == {"Wire B", "Wire C"}
    assert ClaimEvent.objects.filter(kind=EventKind.SOURCE_REMOVED).count() == 2


def test_each_refused_source_is_named_with_its_own_reason(client, staff, claim, reviewer2):
    """Confirmed on two supporting sources, both needed, with a context source beside them:
    deleting one supporting source and the context source names the first as what the
    confirmation rests on and the second as removable on its own, and deletes neither."""
    tribune = SourceFactory(claim=claim, publisher="Texas Tribune", added_by=reviewer2)
    SourceFactory(claim=claim, publisher="Wire B", added_by=reviewer2)
    blog = SourceFactory(claim=claim, publisher="Some Blog", stance=Stance.CONTEXT)
    Claim.objects.filter(pk=claim.pk).update(status=S.CONFIRMED)
    client.force_login(staff)
    response = delete_selected(client, [tribune, blog])
    assert messages_of(response) == [
        f"Nothing was deleted. Source #{tribune.pk} (Texas Tribune) on claim #{claim.pk}: This "
        "claim is confirmed on the strength of this source; reopen the claim before removing "
        f"it. Source #{blog.pk} (Some Blog) on claim #{claim.pk} would be removable on its own."
    ]
    assert Source.objects.count() == 3
    assert not ClaimEvent.objects.exists()
    # And so it is.
    response = delete_selected(client, [blog])
    assert messages_of(response) == ["Successfully deleted 1 source."]


def test_sources_needed_only_together_are_told_apart_from_spare_ones(
    staff, confirmed, source_factory
):
    first, second, _ = confirmed.sources.order_by("pk")
    context = source_factory(claim=confirmed, publisher="Background", stance=Stance.CONTEXT)
    # A second link from a publisher that stays: the count of publishers does not move.
    repeat = source_factory(claim=confirmed, publisher="Wire C")
    elsewhere = source_factory(publisher="Elsewhere")
    with pytest.raises(SourcesRefused) as refused:
        sources_bulk_remove(sources=[first, second, context, repeat, elsewhere], by=staff)
    assert refused.value.reasons == [
        f"Sources #{first.pk} (Wire A), #{second.pk} (Wire B) on claim #{confirmed.pk}: This "
        "claim is confirmed on the strength of these sources; reopen the claim before "
        "removing them.",
        f"Sources #{context.pk} (Background), #{repeat.pk} (Wire C) on claim #{confirmed.pk} "
        "would be removable on their own.",
        f"Source #{elsewhere.pk} (Elsewhere) on claim #{elsewhere.claim_id} would be removable "
        "on its own.",
    ]
    assert Source.objects.count() == 6


def test_deleting_a_source_a_confirmation_rests_on_from_its_page(client, staff, confirmed):
    source_remove(source=confirmed.sources.first(), by=staff)
    kept = confirmed.sources.order_by("pk").first()
    client.force_login(staff)
    url = reverse("admin:claims_source_delete", args=[kept.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:claims_source_change", args=[kept.pk])
    assert messages_of(response) == [
        f"Nothing was deleted: source #{kept.pk} (Wire B): This claim is confirmed on the "
        "strength of this source; reopen the claim before removing it."
    ]
    assert Source.objects.filter(pk=kept.pk).exists()
    assert not LogEntry.objects.exists()


def test_a_source_removed_meanwhile_is_named_with_who_and_when(staff, reviewer2, claim):
    source = SourceFactory(claim=claim, added_by=reviewer2, publisher="Wire A")
    source_remove(source=source, by=reviewer2)
    event = ClaimEvent.objects.get(kind=EventKind.SOURCE_REMOVED)
    expected = (
        f"Source #{source.pk} (Wire A) is gone already: rania removed it at {stamp(event.at)}."
    )
    with pytest.raises(SourceGone) as gone:
        source_remove(source=source, by=staff)
    assert str(gone.value) == expected
    other = SourceFactory(claim=claim, added_by=reviewer2)
    with pytest.raises(SourcesRefused) as refused:
        sources_bulk_remove(sources=[source, other], by=staff)
    spare = f"Source #{other.pk} ({other.publisher}) on claim #{claim.pk} would be removable"
    assert str(refused.value) == f"Nothing was deleted. {expected} {spare} on its own."
    assert Source.objects.filter(pk=other.pk).exists()


def test_ticking_a_source_someone_removed_meanwhile_says_so(client, staff, claim, reviewer2):
    # A page opened before another desk removed a source: its row can only come back as
    # an empty one, which used to be reported as "Source #None () is gone already".
    from tests.html_forms import submitted

    gone, kept = (SourceFactory(claim=claim, publisher=p) for p in ("Wire A", "Wire B"))
    client.force_login(staff)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = submitted(
        client.get(url).content.decode(), selector="//form[@id='claim_form']", button="_save"
    )
    row = next(k for k, v in data.items() if k.endswith("-id") and v == [str(gone.pk)])
    data[row.removesuffix("-id") + "-DELETE"] = ["on"]
    source_remove(source=gone, by=reviewer2)
    response = client.post(url, data, follow=True)
    [said] = messages_of(response)
    assert said == (
        "Nothing was saved: a source ticked for deletion was removed by someone else after "
        "this page was opened. Reload the page to see the claim's sources as they are now."
    )
    assert list(claim.sources.all()) == [kept]
    assert ClaimEvent.objects.filter(kind=EventKind.SOURCE_REMOVED).count() == 1
