from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from claims.models import ClaimEvent, ClaimStatus, EventKind, Source, Stance, Via
from claims.services import claim_transition, source_add
from claims.workflow import TransitionRefused
from related.models import ClaimLink, LinkKind
from related.services import LinkMissing, LinkRefused, claims_link, claims_unlink, sources_copy
from tests.factories import ClaimFactory, ClaimLinkFactory, SourceFactory, reviewer_factory

pytestmark = pytest.mark.django_db


def history(claim) -> list[tuple[str, dict]]:
    return [(e.kind, e.data) for e in ClaimEvent.objects.filter(claim=claim).order_by("id")]


# --- linking -------------------------------------------------------------------------


def test_linking_stores_one_row_and_writes_both_histories(wire_pair, reviewer):
    new, before = wire_pair
    link = claims_link(claim=new, other=before, kind=LinkKind.SAME, by=reviewer)
    # Stored once, lower id first, whichever end was given first.
    assert (link.claim_id, link.other_id) == (before.pk, new.pk)
    assert ClaimLink.objects.count() == 1
    assert history(new) == [
        (
            EventKind.LINKED,
            {
                "other": before.pk,
                "article": before.article_id,
                "title": "Supply convoys attacked",
                "kind": "same",
            },
        )
    ]
    assert history(before) == [
        (
            EventKind.LINKED,
            {
                "other": new.pk,
                "article": new.article_id,
                "title": "Convoys attacked in the north",
                "kind": "same",
            },
        )
    ]
    rows = ClaimEvent.objects.filter(kind=EventKind.LINKED)
    assert {(e.actor, e.via) for e in rows} == {(reviewer, Via.WEB)}
    assert len({e.at for e in rows}) == 1


def test_linking_moves_neither_claims_version(wire_pair, reviewer):
    new, before = wire_pair
    claims_link(claim=new, other=before, kind=LinkKind.RELATED, by=reviewer)
    new.refresh_from_db()
    before.refresh_from_db()
    assert (new.version, before.version) == (1, 1)


def test_a_claim_is_not_linked_to_itself(claim, reviewer):
    with pytest.raises(LinkRefused, match="cannot be linked to itself"):
        claims_link(claim=claim, other=claim, kind=LinkKind.SAME, by=reviewer)
    assert not ClaimEvent.objects.exists()


def test_claims_of_the_same_article_are_not_linked(article, reviewer):
    one, two = ClaimFactory(article=article), ClaimFactory(article=article, sentence=1)
    with pytest.raises(LinkRefused, match=r"both in .*different articles"):
        claims_link(claim=one, other=two, kind=LinkKind.RELATED, by=reviewer)
    assert not ClaimLink.objects.exists()
    assert not ClaimEvent.objects.exists()


def test_a_link_that_exists_is_refused_naming_who_made_it(wire_pair, reviewer, reviewer2):
    new, before = wire_pair
    claims_link(claim=before, other=new, kind=LinkKind.SAME, by=reviewer2)
    with pytest.raises(LinkRefused, match=r"already linked as the same claim \(rania linked"):
        claims_link(claim=new, other=before, kind=LinkKind.SAME, by=reviewer)
    assert ClaimEvent.objects.filter(kind=EventKind.LINKED).count() == 2


def test_changing_a_links_kind_is_allowed_and_recorded(wire_pair, reviewer, reviewer2):
    new, before = wire_pair
    claims_link(claim=new, other=before, kind=LinkKind.SAME, by=reviewer)
    link = claims_link(claim=before, other=new, kind=LinkKind.RELATED, by=reviewer2)
    assert (link.kind, link.linked_by) == (LinkKind.RELATED, reviewer2)
    assert ClaimLink.objects.get().kind == LinkKind.RELATED
    kind, data = history(new)[-1]
    assert (kind, data["kind"], data["previous_kind"]) == (EventKind.LINKED, "related", "same")


@pytest.mark.parametrize("who", ["editor", "reviewer", "staff"])
def test_reviewers_and_editors_may_link(request, wire_pair, who):
    new, before = wire_pair
    claims_link(claim=new, other=before, kind=LinkKind.SAME, by=request.getfixturevalue(who))
    assert ClaimLink.objects.count() == 1


def test_a_member_without_a_role_may_not_link(wire_pair, nobody):
    new, before = wire_pair
    with pytest.raises(PermissionDenied, match="Reviewer or Editor role to link claims"):
        claims_link(claim=new, other=before, kind=LinkKind.SAME, by=nobody)


def test_an_unknown_kind_is_refused(wire_pair, reviewer):
    new, before = wire_pair
    with pytest.raises(ValueError, match="identical"):
        claims_link(claim=new, other=before, kind="identical", by=reviewer)


# --- unlinking -----------------------------------------------------------------------


def test_unlinking_removes_the_link_from_either_end_and_writes_both_histories(
    wire_pair, reviewer, editor
):
    new, before = wire_pair
    claims_link(claim=new, other=before, kind=LinkKind.SAME, by=reviewer)
    removed = claims_unlink(claim=before, other=new, by=editor, via=Via.ADMIN)
    assert removed.kind == LinkKind.SAME
    assert not ClaimLink.objects.exists()
    for claim, other in ((new, before), (before, new)):
        kind, data = history(claim)[-1]
        assert (kind, data["other"], data["kind"]) == (EventKind.UNLINKED, other.pk, "same")
    assert set(ClaimEvent.objects.filter(kind=EventKind.UNLINKED).values_list("actor", "via")) == {
        (editor.pk, Via.ADMIN)
    }


def test_unlinking_what_is_not_linked_says_who_removed_it(wire_pair, reviewer, reviewer2):
    new, before = wire_pair
    claims_link(claim=new, other=before, kind=LinkKind.RELATED, by=reviewer)
    claims_unlink(claim=new, other=before, by=reviewer2)
    with pytest.raises(LinkMissing, match="are not linked: rania removed the link at"):
        claims_unlink(claim=new, other=before, by=reviewer)
    assert ClaimEvent.objects.filter(kind=EventKind.UNLINKED).count() == 2


def test_a_member_without_a_role_may_not_unlink(wire_pair, nobody):
    new, before = wire_pair
    ClaimLinkFactory(claim=new, other=before)
    with pytest.raises(PermissionDenied):
        claims_unlink(claim=new, other=before, by=nobody)
    assert ClaimLink.objects.exists()


# --- copying sources -----------------------------------------------------------------


@pytest.fixture
def evidence(wire_pair, reviewer2):
    """The claim reviewed before, confirmed on three sources; linked as the same."""
    new, before = wire_pair
    sources = [
        SourceFactory(
            claim=before,
            url="https://wire-a.example/convoys",
            title="Convoys hit",
            publisher="Wire A",
            excerpt="Five convoys were attacked.",
            stance=Stance.SUPPORTS,
            archived_url="https://archive.example/a",
            accessed_on=date(2026, 11, 2),
            added_by=reviewer2,
        ),
        SourceFactory(
            claim=before, url="https://wire-b.example/r", stance=Stance.SUPPORTS, added_by=reviewer2
        ),
        SourceFactory(
            claim=before, url="https://map.example/x", stance=Stance.CONTEXT, added_by=reviewer2
        ),
    ]
    before.status, before.rationale = ClaimStatus.CONFIRMED, "Two wires agree."
    before.save()
    ClaimLinkFactory(claim=new, other=before, kind=LinkKind.SAME, linked_by=reviewer2)
    return new, before, sources


FIELDS = ("url", "title", "publisher", "excerpt", "stance", "accessed_on", "archived_url")


def test_copying_takes_every_source_and_records_where_each_came_from(evidence, reviewer, reviewer2):
    new, before, originals = evidence
    result = sources_copy(claim=new, source_claim=before, by=reviewer)
    assert len(result.copied) == 3
    assert result.already == []
    copies = list(Source.objects.filter(claim=new).order_by("id"))
    for copy, original in zip(copies, originals, strict=True):
        assert [getattr(copy, f) for f in FIELDS] == [getattr(original, f) for f in FIELDS]
        # Still the finder's: the four-eyes rule compares the confirmer with them.
        assert copy.added_by == original.added_by == reviewer2
    events = ClaimEvent.objects.filter(claim=new, kind=EventKind.SOURCE_ADDED).order_by("id")
    assert [(e.data["copied_from"], e.data["source"]) for e in events] == [
        (before.pk, s.pk) for s in originals
    ]
    # The history says who copied each, and who found it.
    assert {e.actor for e in events} == {reviewer}
    assert {e.data["added_by"] for e in events} == {reviewer2.username}
    assert [e.data["source_id"] for e in events] == [c.pk for c in copies]
    # Neither claim's verdict moves: this claim's own review decides it.
    new.refresh_from_db()
    before.refresh_from_db()
    assert (new.status, new.rationale) == (ClaimStatus.UNVERIFIED, "")
    assert (before.status, Source.objects.filter(claim=before).count()) == (
        ClaimStatus.CONFIRMED,
        3,
    )


def test_neither_the_finder_nor_the_copier_may_confirm_on_copied_sources_alone(
    evidence, reviewer, reviewer2
):
    """reviewer2 found every supporting source of the claim reviewed before and rui copied
    them: for the copies, both are the same pair of eyes, and a third reviewer confirms."""
    new, before, _ = evidence
    sources_copy(claim=new, source_claim=before, by=reviewer)
    assert set(Source.objects.filter(claim=new).values_list("added_by", "copied_by")) == {
        (reviewer2.pk, reviewer.pk)
    }
    for person in (reviewer2, reviewer):
        new.refresh_from_db()
        with pytest.raises(TransitionRefused, match="second pair of eyes"):
            claim_transition(
                claim=new, to=ClaimStatus.CONFIRMED, by=person, expected_version=new.version
            )
    new.refresh_from_db()
    assert new.status == ClaimStatus.UNVERIFIED
    third = reviewer_factory()
    claim_transition(claim=new, to=ClaimStatus.CONFIRMED, by=third, expected_version=new.version)
    new.refresh_from_db()
    assert new.status == ClaimStatus.CONFIRMED


def test_copying_leaves_out_links_the_claim_cites_already(evidence, reviewer):
    new, before, originals = evidence
    # The same story, written another way: http, www., a trailing slash.
    source_add(claim=new, by=reviewer, url="http://www.wire-a.example/convoys/", stance="context")
    result = sources_copy(claim=new, source_claim=before, by=reviewer)
    assert [c.url for c in result.copied] == [originals[1].url, originals[2].url]
    assert [(o.pk, e.claim_id) for o, e in result.already] == [(originals[0].pk, new.pk)]
    again = sources_copy(claim=new, source_claim=before, by=reviewer)
    assert (again.copied, len(again.already)) == ([], 3)
    assert Source.objects.filter(claim=new).count() == 3


def test_copying_from_a_related_claim_is_refused(evidence, reviewer):
    new, before, _ = evidence
    ClaimLink.objects.update(kind=LinkKind.RELATED)
    with pytest.raises(LinkRefused, match="related, not the same"):
        sources_copy(claim=new, source_claim=before, by=reviewer)
    assert not Source.objects.filter(claim=new).exists()


def test_copying_from_a_claim_not_linked_is_refused(wire_pair, reviewer):
    new, before = wire_pair
    SourceFactory(claim=before)
    with pytest.raises(LinkMissing, match="copied only from a claim marked the same"):
        sources_copy(claim=new, source_claim=before, by=reviewer)


def test_editors_may_not_copy_sources(evidence, editor):
    new, before, _ = evidence
    with pytest.raises(PermissionDenied, match="Reviewer role to add sources"):
        sources_copy(claim=new, source_claim=before, by=editor)


def test_copying_many_sources_costs_the_same_as_copying_one(wire_pair, reviewer):
    new, before = wire_pair
    ClaimLinkFactory(claim=new, other=before)
    reviewer.has_perm("claims.add_source")  # the roles are read once per request

    def cost(n: int) -> int:
        Source.objects.filter(claim=new).delete()
        Source.objects.filter(claim=before).delete()
        SourceFactory.create_batch(n, claim=before)
        with CaptureQueriesContext(connection) as ctx:
            assert len(sources_copy(claim=new, source_claim=before, by=reviewer).copied) == n
        return len(ctx.captured_queries)

    assert cost(1) == cost(20)


def test_a_stale_version_is_refused(evidence, reviewer):
    from claims.services import StaleClaim

    new, before, _ = evidence
    with pytest.raises(StaleClaim):
        sources_copy(claim=new, source_claim=before, by=reviewer, version=new.version + 1)
    assert not Source.objects.filter(claim=new).exists()


# --- at the same moment --------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks")
@pytest.mark.django_db(transaction=True)
def test_two_people_linking_one_pair_from_either_end_at_once(roles_for_transactional_tests):
    """One link, two history rows: the second person is told the link exists, and the
    pair's claims, locked in id order, never deadlock whichever end each starts from."""
    from tests.factories import claim_with_text, reviewer_factory

    people = [reviewer_factory(username="racer1"), reviewer_factory(username="racer2")]
    for race in range(30):
        one = claim_with_text(f"Race {race}: five convoys attacked.", title=f"A{race}")
        two = claim_with_text(f"Race {race}: five convoys were attacked.", title=f"B{race}")
        start, outcomes = threading.Barrier(2), []

        def racer(user, claim, other, start=start, outcomes=outcomes) -> None:
            start.wait()
            try:
                claims_link(claim=claim, other=other, kind=LinkKind.SAME, by=user)
                outcomes.append("linked")
            except LinkRefused as refused:
                outcomes.append(str(refused))
            finally:
                connections.close_all()

        threads = [
            threading.Thread(target=racer, args=(people[0], one, two)),
            threading.Thread(target=racer, args=(people[1], two, one)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes)[1] == "linked"
        assert "already linked as the same claim" in sorted(outcomes)[0]
        assert ClaimLink.objects.filter(claim=one, other=two).count() == 1
        assert ClaimEvent.objects.filter(kind=EventKind.LINKED, claim__in=[one, two]).count() == 2
