from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import ClaimEvent, EventKind, Via
from related.models import ClaimLink, ClaimMatch, LinkKind
from tests.factories import ClaimFactory, ClaimLinkFactory

pytestmark = pytest.mark.django_db

LINKS = reverse("admin:related_claimlink_changelist")
MATCHES = reverse("admin:related_claimmatch_changelist")


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def match(claim, other, **extra) -> ClaimMatch:
    values = {"score": 0.8, "same": True, "reasons": ["same numbers: five"], **extra}
    return ClaimMatch.objects.create(claim=claim, other=other, **values)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("nobody", 302),
        ("reviewer", 302),
        ("editor", 302),
        ("staff", 200),
        ("superuser", 200),
    ],
)
@pytest.mark.parametrize("url", [LINKS, MATCHES])
def test_the_lists_are_for_staff_only(client, request, role, expected, url):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.get(url)
    assert response.status_code == expected


def test_staff_without_a_newsroom_role_may_not_read_links(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="clerk", is_staff=True))
    assert client.get(LINKS).status_code == 403


def test_links_are_listed_searchable_by_either_claim_and_filtered_by_kind(client, staff):
    one = ClaimLinkFactory(kind=LinkKind.SAME)
    two = ClaimLinkFactory(kind=LinkKind.RELATED)
    client.force_login(staff)
    page = client.get(LINKS).content.decode()
    assert f"#{one.claim_id}" in page
    assert f"#{two.other_id}" in page
    for term in (str(one.other_id), f"#{one.claim_id}"):
        found = client.get(LINKS, {"q": term}).context["cl"].result_list
        assert list(found) == [one]
    assert list(client.get(LINKS, {"q": "convoys"}).context["cl"].result_list) == []
    related = client.get(LINKS, {"kind__exact": "related"}).context["cl"].result_list
    assert list(related) == [two]


def test_links_are_neither_added_nor_changed_in_the_admin(client, superuser):
    link = ClaimLinkFactory(kind=LinkKind.SAME)
    client.force_login(superuser)
    assert client.get(reverse("admin:related_claimlink_add")).status_code == 403
    url = reverse("admin:related_claimlink_change", args=[link.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(url, {"kind": "related"}).status_code == 403
    assert ClaimLink.objects.get().kind == LinkKind.SAME


def test_removing_a_link_goes_through_the_service_and_writes_history(client, staff):
    link = ClaimLinkFactory(kind=LinkKind.SAME)
    client.force_login(staff)
    url = reverse("admin:related_claimlink_delete", args=[link.pk])
    page = client.get(url).content.decode()
    assert "<title>Remove this link?" in page
    assert "Are you sure" not in page
    assert 'value="Remove the link"' in page
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert response["Location"] == LINKS
    assert messages_of(response) == [f"Removed the link {link}; both claims' history records it."]
    assert not ClaimLink.objects.exists()
    events = ClaimEvent.objects.filter(kind=EventKind.UNLINKED)
    assert {(e.claim_id, e.data["other"]) for e in events} == {
        (link.claim_id, link.other_id),
        (link.other_id, link.claim_id),
    }
    assert {(e.actor, e.via) for e in events} == {(staff, Via.ADMIN)}


def test_removing_selected_links_removes_all_and_records_each(client, staff):
    links = ClaimLinkFactory.create_batch(3)
    client.force_login(staff)
    selected = {"action": "delete_selected", "_selected_action": [link.pk for link in links]}
    # The confirmation page, in the app's words: a link goes, nothing else does.
    asked = client.post(LINKS, selected)
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "<title>Remove 3 links?" in page
    assert "Remove the selected links" in client.get(LINKS).content.decode()
    for stock in ("Delete multiple objects", "Are you sure", "deleted"):
        assert stock not in page
    assert all(str(link) in page for link in links)
    assert ClaimLink.objects.count() == 3
    response = client.post(LINKS, {**selected, "post": "yes"}, follow=True)
    assert response.status_code == 200
    assert messages_of(response) == ["Removed 3 links; both claims' history records it."]
    assert "Successfully deleted" not in response.content.decode()
    assert not ClaimLink.objects.exists()
    assert ClaimEvent.objects.filter(kind=EventKind.UNLINKED).count() == 6


def test_removing_one_selected_link_says_so_in_the_singular(client, staff):
    link = ClaimLinkFactory()
    client.force_login(staff)
    selected = {"action": "delete_selected", "_selected_action": [link.pk]}
    assert "<title>Remove 1 link?" in client.post(LINKS, selected).content.decode()
    response = client.post(LINKS, {**selected, "post": "yes"}, follow=True)
    assert messages_of(response) == ["Removed 1 link; both claims' history records it."]


def test_removing_links_is_all_or_nothing(client, staff, monkeypatch):
    import related.admin
    from related.services import LinkMissing

    links = ClaimLinkFactory.create_batch(2)
    real = related.admin.claims_unlink
    calls = []

    def fails_second(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise LinkMissing("Claims #1 and #2 are not linked.")
        return real(**kwargs)

    monkeypatch.setattr(related.admin, "claims_unlink", fails_second)
    client.force_login(staff)
    response = client.post(
        LINKS,
        {"action": "delete_selected", "_selected_action": [link.pk for link in links], "post": 1},
        follow=True,
    )
    assert messages_of(response) == ["Nothing was removed: Claims #1 and #2 are not linked."]
    assert ClaimLink.objects.count() == 2
    assert not ClaimEvent.objects.filter(kind=EventKind.UNLINKED).exists()


def test_the_matches_list_is_called_claim_matches(client, staff):
    client.force_login(staff)
    assert ClaimMatch._meta.verbose_name_plural == "claim matches"
    page = client.get(MATCHES).content.decode()
    assert "Claim matches" in page
    assert "matchs" not in page.lower()


def test_link_list_queries_do_not_grow(client, staff):
    client.force_login(staff)

    def count(n: int) -> int:
        ClaimLinkFactory.create_batch(n)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LINKS).status_code == 200
        return len(ctx.captured_queries)

    assert count(1) == count(20)


def test_matches_are_read_only_and_searchable_by_claim(client, superuser):
    claim, other, third = ClaimFactory(), ClaimFactory(), ClaimFactory()
    row = match(claim, other)
    match(other, third, same=False, reasons=["numbers differ: four vs five"])
    client.force_login(superuser)
    page = client.get(MATCHES).content.decode()
    assert "Same claim" in page
    assert "Related, not the same" in page
    assert "numbers differ: four vs five" in page
    assert list(client.get(MATCHES, {"q": str(claim.pk)}).context["cl"].result_list) == [row]
    assert client.get(reverse("admin:related_claimmatch_add")).status_code == 403
    delete = reverse("admin:related_claimmatch_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert ClaimMatch.objects.count() == 2


def test_match_list_queries_do_not_grow(client, staff):
    client.force_login(staff)

    def count(n: int) -> int:
        for _ in range(n):
            match(ClaimFactory(), ClaimFactory())
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(MATCHES).status_code == 200
        return len(ctx.captured_queries)

    assert count(1) == count(20)
