"""Keyset pages of the queue: every claim once, in order, across equal timestamps; and a
cursor the database can start an index scan at, so a deep page costs what the first does."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from claims.models import Claim, ClaimStatus
from claims.selectors import RowBeyond, claim_after, claims_listed, encode_cursor, keyset_page
from tests.factories import ArticleFactory, ClaimFactory, UserFactory

S = ClaimStatus
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
# `("claims_claim"."status_changed_at", "claims_claim"."id") < (…, …)`, either direction.
ROW_VALUE = re.compile(
    r'\("claims_claim"\."status_changed_at", "claims_claim"\."id"\) ([<>]) \(', re.IGNORECASE
)


@pytest.fixture
def claims(db) -> list[Claim]:
    """Eleven claims over four timestamps, three of which several claims share."""
    article = ArticleFactory()
    made = [ClaimFactory(article=article, sentence=i % 4) for i in range(11)]
    for i, claim in enumerate(made):
        Claim.objects.filter(pk=claim.pk).update(status_changed_at=T0 + timedelta(hours=i % 4))
    return list(Claim.objects.order_by("status_changed_at", "id"))


def walk(order: str, *, size: int) -> list[list[int]]:
    """Every page of the queue from the first, following its next cursor."""
    pages, after = [], None
    while True:
        page = keyset_page(Claim.objects.all(), order=order, after=after, size=size)
        pages.append([c.pk for c in page.items])
        if page.next_cursor is None:
            return pages
        after = page.next_cursor


@pytest.mark.parametrize("order", ["recent", "oldest"])
def test_pages_list_every_claim_once_in_order_across_equal_timestamps(claims, order):
    expected = [c.pk for c in (claims if order == "oldest" else claims[::-1])]
    pages = walk(order, size=3)
    assert [pk for page in pages for pk in page] == expected
    assert [len(page) for page in pages] == [3, 3, 3, 2]


@pytest.mark.parametrize("order", ["recent", "oldest"])
def test_going_back_gives_the_same_pages_as_going_forward(claims, order):
    forward = walk(order, size=3)
    after = None
    cursors = []
    for _ in forward:
        page = keyset_page(Claim.objects.all(), order=order, after=after, size=3)
        cursors.append(page.prev_cursor)
        after = page.next_cursor
    # From the last page back, each previous page is the one seen on the way forward.
    back = keyset_page(Claim.objects.all(), order=order, before=cursors[-1], size=3)
    assert [c.pk for c in back.items] == forward[-2]
    first = keyset_page(Claim.objects.all(), order=order, before=cursors[1], size=3)
    assert [c.pk for c in first.items] == forward[0]
    assert first.prev_cursor is None  # nothing before the first page


@pytest.mark.parametrize("order", ["recent", "oldest"])
def test_save_and_next_goes_to_the_claim_after_ties_included(claims, order):
    ordered = claims if order == "oldest" else claims[::-1]
    for current, following in pairwise(ordered):
        position = (current.status_changed_at, current.pk)
        found = claim_after(Claim.objects.all(), order=order, position=position, exclude=current.pk)
        assert found == following
    last = ordered[-1]
    position = (last.status_changed_at, last.pk)
    assert claim_after(Claim.objects.all(), order=order, position=position, exclude=0) is None


@pytest.mark.parametrize("order", ["recent", "oldest"])
def test_the_cursor_is_one_row_value_comparison(claims, order):
    cursor = encode_cursor(claims[5])
    with CaptureQueriesContext(connection) as ctx:
        keyset_page(Claim.objects.all(), order=order, after=cursor)
        keyset_page(Claim.objects.all(), order=order, before=cursor)
        claim_after(
            Claim.objects.all(),
            order=order,
            position=(claims[5].status_changed_at, claims[5].pk),
            exclude=claims[5].pk,
        )
    forward = "<" if order == "recent" else ">"
    backward = ">" if order == "recent" else "<"
    found = [ROW_VALUE.findall(q["sql"]) for q in ctx.captured_queries]
    assert found == [[forward], [backward], [forward]]
    # Not the `a < t OR (a = t AND id < pk)` form, which the database filters row by row.
    assert not any(" OR " in q["sql"] for q in ctx.captured_queries)


def queue_plan(queryset) -> str:
    """How the database runs the first 26 claims of `queryset` past a cursor, newest first."""
    position = (T0 + timedelta(hours=2), 10**6)
    page = queryset.filter(RowBeyond(position, descending=True))
    sql, params = page.order_by("-status_changed_at", "-id")[:26].query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A handful of rows: left to itself the planner reads the whole table. What
            # matters here is that an index scan can start at the cursor at all.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({}, "claim_recent_idx"),
        ({"status": S.SOURCED}, "claim_status_idx"),
        ({"status": S.SOURCED, "assignee": "reviewer"}, "claim_queue_idx"),
        ({"assignee": "reviewer"}, "claim_mine_idx"),
        ({"article": "article"}, "claim_article_queue_idx"),
    ],
)
def test_every_filtered_queue_starts_its_index_scan_at_the_cursor(claims, filters, index):
    reviewer = UserFactory()
    queryset = claims_listed()
    if "status" in filters:
        queryset = queryset.filter(status=filters["status"])
    if "assignee" in filters:
        queryset = queryset.filter(assignee=reviewer)
    if "article" in filters:
        queryset = queryset.filter(article_id=claims[0].article_id)
    plan = queue_plan(queryset)
    if connection.vendor == "postgresql":
        # Which index a planner picks for a handful of rows says nothing of a million (see
        # bench/keyset.py for those plans); that some index serves order and cursor does.
        assert re.search(r"Index Cond: .*ROW\(status_changed_at, id\) < ROW\(", plan), plan
        assert "Sort" not in plan
    else:
        assert re.search(rf"USING INDEX {index} \(.*status_changed_at<\?\)", plan), plan
        assert "TEMP B-TREE" not in plan
