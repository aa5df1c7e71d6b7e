"""The admin's lists page by OFFSET only down to a cap: past it they show the last page
they offer and tell the person to filter or search, never an error, never a deeper OFFSET."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, ClaimEvent, EventKind, Via
from newsdesk import admin_options
from tests.factories import ArticleFactory, ClaimFactory

CAP = 6  # rows; with 2 rows a page, page 3 is the last one offered


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(admin_options, "PAGE_CAP_ROWS", CAP)
    for model in (Claim, ClaimEvent):
        monkeypatch.setattr(admin.site._registry[model], "list_per_page", 2)


@pytest.fixture
def twenty_claims(db) -> list[Claim]:
    article = ArticleFactory()
    claims = [ClaimFactory(article=article, sentence=i % 4) for i in range(20)]
    for claim in claims:  # a history row each, for the history's list
        ClaimEvent.objects.create(
            claim=claim, kind=EventKind.CREATED, to_status=claim.status, via=Via.ADMIN
        )
    return claims


def offsets(queries) -> list[int]:
    return [int(n) for q in queries for n in re.findall(r"OFFSET (\d+)", q["sql"])]


@pytest.mark.parametrize(
    "changelist", ["admin:claims_claim_changelist", "admin:claims_claimevent_changelist"]
)
@pytest.mark.parametrize("page", ["4", "10001", "99999999999999999999"])
def test_a_page_past_the_cap_shows_the_last_page_offered_and_says_to_filter(
    client, staff, small_pages, twenty_claims, changelist, page
):
    client.force_login(staff)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(changelist), {"p": page})
    assert response.status_code == 200
    cl = response.context["cl"]
    assert cl.page_num == 3
    assert len(cl.result_list) == 2
    assert max(offsets(ctx.captured_queries)) == CAP - 2  # never deeper than the cap
    name = cl.opts.verbose_name_plural
    past = f"Page {int(page):,} is past the end: this is page 3, the last. "
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"{past}This list pages through its first {CAP} {name} only: "
        f"filter or search to narrow it to the {name} you are looking for."
    ]
    # The page links stop at the last page offered, the one shown.
    assert '<span class="this-page">3</span>' in response.text
    assert "?p=4" not in response.text
    assert "?p=10" not in response.text


def test_pages_within_the_cap_are_untouched(client, staff, small_pages, twenty_claims):
    client.force_login(staff)
    response = client.get(reverse("admin:claims_claim_changelist"), {"p": "2"})
    newest_first = sorted(twenty_claims, key=lambda c: (c.status_changed_at, c.pk), reverse=True)
    assert [c.pk for c in response.context["cl"].result_list] == [c.pk for c in newest_first[2:4]]
    assert list(get_messages(response.wsgi_request)) == []


def test_a_list_shorter_than_the_cap_says_nothing_on_its_last_page(client, staff, small_pages):
    article = ArticleFactory()
    for i in range(5):
        ClaimFactory(article=article, sentence=i % 4)
    client.force_login(staff)
    response = client.get(reverse("admin:claims_claim_changelist"), {"p": "3"})
    assert response.context["cl"].page_num == 3
    assert len(response.context["cl"].result_list) == 1
    assert list(get_messages(response.wsgi_request)) == []


def test_the_cap_is_ten_thousand_rows_deep():
    assert admin_options.PAGE_CAP_ROWS == 10_000
    assert admin_options.last_page(50) == 200  # claims
    assert admin_options.last_page(100) == 100  # history
