"""Whatever a form or a URL can send, no page answers 500 and nothing is half-written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimEvent, ClaimStatus
from tests.factories import ClaimFactory, SourceFactory

HOSTILE = [
    "\x00",
    "a\x00b",
    "x" * 5000,
    "99999999999999999999999",
    "-1",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "😀" * 10,
    "2026-13-45",
    "²",
    "1.5",
    "",
]


@pytest.fixture
def target(db):
    claim = ClaimFactory(status=ClaimStatus.SOURCED)
    SourceFactory(claim=claim)
    return claim


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize(
    "param",
    [
        "status",
        "assignee",
        "article",
        "outlet",
        "attributed_to",
        "q",
        "changed_after",
        "changed_before",
        "order",
        "after",
        "before",
        "page",
        "from",
    ],
)
def test_get_parameters_never_break_a_page(client, staff, target, param, value):
    client.force_login(staff)
    for url in (
        reverse("claims:queue"),
        reverse("articles:list"),
        reverse("dashboard"),
        reverse("claims:detail", args=[target.pk]),
    ):
        response = client.get(url, {param: value})
        assert response.status_code < 500, (url, param, value)


@pytest.mark.parametrize("value", HOSTILE)
def test_posted_fields_never_break_a_form(client, staff, target, value):
    client.force_login(staff)
    before = (
        Claim.objects.values_list("status", "version").get(pk=target.pk),
        ClaimEvent.objects.count(),
    )
    posts = [
        (
            reverse("claims:decide", args=[target.pk]),
            {"to": value, "note": value, "rationale": value, "expected_version": value},
        ),
        (
            reverse("claims:decide", args=[target.pk]),
            {"to": "disputed", "note": value, "rationale": value, "expected_version": value},
        ),
        (
            reverse("claims:add_source", args=[target.pk]),
            {
                "url": value,
                "stance": value,
                "publisher": value,
                "title": value,
                "excerpt": value,
                "accessed_on": value,
                "archived_url": value,
            },
        ),
        (
            reverse("claims:edit", args=[target.pk]),
            {
                "quote": value,
                "start": value,
                "attributed_to": value,
                "assignee": value,
                "expected_version": value,
            },
        ),
        (
            reverse("articles:add_claim", args=[target.article_id]),
            {"quote": value, "start": value, "attributed_to": value, "assignee": value},
        ),
        (reverse("claims:assign"), {"claim": value, "take": value, "to": value, "next": value}),
        (reverse("claims:remove_source", args=[target.pk, 999]), {"note": value}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code < 500, (url, value)
    after = (
        Claim.objects.values_list("status", "version").get(pk=target.pk),
        ClaimEvent.objects.count(),
    )
    assert after == before


@pytest.mark.parametrize("pk", ["0", "99999999999999999999999"])
def test_out_of_range_ids_are_404(client, staff, pk):
    client.force_login(staff)
    for url in (f"/claims/{pk}/", f"/articles/{pk}/", f"/claims/{pk}/edit/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/claims/{pk}/decide/", {"to": "keep"}).status_code == 404


ADMIN_LISTS = [
    "admin:claims_claim_changelist",
    "admin:claims_claimevent_changelist",
    "admin:claims_source_changelist",
    "admin:articles_article_changelist",
]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize(
    "param",
    [
        "q",
        "status",
        "assignee",
        "outlet",
        "origin",
        "kind",
        "via",
        "actor__id__exact",
        "batch",
        "claim",
        "stance",
        "o",
        "p",
        "language",
        "published_on__gte",
    ],
)
def test_admin_lists_never_break(client, superuser, target, param, value):
    client.force_login(superuser)
    for name in ADMIN_LISTS:
        response = client.get(reverse(name), {param: value})
        assert response.status_code < 500, (name, param, value)


def test_a_nul_in_a_query_string_is_a_clear_400(client, staff):
    client.force_login(staff)
    response = client.get(reverse("claims:queue"), {"q": "a\x00b"})
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


@pytest.mark.parametrize("value", ["abc", "1.5", "²", "99999999999999999999999", ""])
@pytest.mark.parametrize(
    ("url_name", "action"),
    [
        ("admin:claims_claim_changelist", "mark_sourced"),
        ("admin:claims_claim_changelist", "mark_disputed"),
        ("admin:claims_claim_changelist", "assign_to_me"),
        ("admin:claims_claim_changelist", "export_csv"),
        ("admin:articles_article_changelist", "delete_selected"),
        ("admin:claims_source_changelist", "delete_selected"),
    ],
)
def test_admin_actions_refuse_ids_that_are_not_ids(
    client, superuser, target, url_name, action, value
):
    client.force_login(superuser)
    response = client.post(
        reverse(url_name),
        {"action": action, "index": 0, "_selected_action": [value], "apply": "1", "note": "n"},
    )
    assert response.status_code < 500
    assert not ClaimEvent.objects.exists()
