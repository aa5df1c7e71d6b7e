"""Keyset pages at any depth, and the admin's changelist past its page cap.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsdesk_bench .venv/bin/python bench/keyset.py

For each queue (unfiltered newest first, oldest first, by status, by status and assignee,
by article) the script finds the row at 0, 100,000, 500,000 and 900,000 rows deep (with one
OFFSET, here only) and times the page after it: the cursor as the app writes it, a
row-value comparison `(status_changed_at, id) < (t, pk)`, against the OR form it replaced,
`status_changed_at < t OR (status_changed_at = t AND id < pk)`, alternated in one run. A
filtered queue shorter than the depth is measured at its last page. Then EXPLAIN ANALYZE of
the deepest page of each queue, and the admin's claim list at `?p=10001` (500,000 rows
deep at 50 a page) with the page cap and without it. Everything runs in a transaction that
is rolled back (the admin needs a staff login): the database is left as it was.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
from _common import setup, table

RUNS = 5
DEPTHS = (0, 100_000, 500_000, 900_000)
PAGE = 25


class Rollback(Exception):
    pass


def queues() -> list[tuple[str, str, dict]]:
    from django.db.models import Count

    from claims.models import Claim

    # The busiest reviewer, and the biggest article: the deepest filtered queues there are.
    reviewer = (
        Claim.objects.filter(assignee__isnull=False)
        .values_list("assignee", flat=True)
        .order_by("assignee")
        .first()
    )
    article = (
        Claim.objects.values("article")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("article", flat=True)
        .first()
    )
    return [
        ("unfiltered, recent", "recent", {}),
        ("unfiltered, oldest", "oldest", {}),
        ("status=sourced", "recent", {"status": "sourced"}),
        ("status=sourced, oldest", "oldest", {"status": "sourced"}),
        ("status=sourced + assignee", "recent", {"status": "sourced", "assignee_id": reviewer}),
        ("status=unverified + unassigned", "recent", {"status": "unverified", "assignee": None}),
        ("status in (unverified, sourced)", "recent", {"status__in": ["unverified", "sourced"]}),
        ("assignee", "recent", {"assignee_id": reviewer}),
        (f"article #{article}", "recent", {"article_id": article}),
    ]


def or_form(position, *, descending: bool):
    from django.db.models import Q

    at, pk = position
    if descending:
        return Q(status_changed_at__lt=at) | Q(status_changed_at=at, pk__lt=pk)
    return Q(status_changed_at__gt=at) | Q(status_changed_at=at, pk__gt=pk)


def page_queries(filters: dict, order: str, depth: int):
    """The page after the row `depth` deep, in both forms, and the depth actually reached."""
    from claims.selectors import ORDERS, RowBeyond, claims_listed

    ordering = ORDERS[order]
    descending = ordering[0].startswith("-")
    base = claims_listed().filter(**filters)
    rows = base.order_by(*ordering).values_list("status_changed_at", "id")
    if depth == 0:
        return base.order_by(*ordering)[: PAGE + 1], base.order_by(*ordering)[: PAGE + 1], 0
    found = list(rows[depth : depth + 1])
    if not found:  # a shorter queue: its last page
        depth = max(0, base.count() - PAGE - 1)
        found = list(rows[depth : depth + 1])
    position = found[0]
    row = base.filter(RowBeyond(position, descending=descending)).order_by(*ordering)
    old = base.filter(or_form(position, descending=descending)).order_by(*ordering)
    return row[: PAGE + 1], old[: PAGE + 1], depth


def timed(queryset) -> float:
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        list(queryset._chain())
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


def explain(queryset) -> list[str]:
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql, params)
        lines = [row[0] for row in cursor.fetchall()]
    # The claim's own scan is what depth can change; the joins above it are the same at
    # every depth.
    keep = ("Limit", "Sort", "claims_claim ", "Index Cond", "Filter", "Rows Removed", "Execution")
    return [line for line in lines if any(k in line for k in keep) and "u0" not in line]


def pages() -> tuple[list[tuple], list[tuple[str, list[str]]]]:
    rows, plans = [], []
    for name, order, filters in queues():
        for depth in DEPTHS:
            row, old, reached = page_queries(filters, order, depth)
            timed(row)  # warm the pages this depth reads
            row_ms, old_ms = timed(row), timed(old)
            rows.append(
                (name, f"{reached:,}", f"{row_ms:.2f}", f"{old_ms:.2f}", f"{old_ms / row_ms:.1f}x")
            )
            if depth == DEPTHS[-1]:
                plans.append((f"{name}, {reached:,} deep, row value", explain(row)))
                plans.append((f"{name}, {reached:,} deep, OR form", explain(old)))
            print(".", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return rows, plans


def admin_pages() -> list[tuple]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    # Outside the rolled-back transaction: a statement that times out would abort it. The
    # login and its session are removed again at the end.
    user = get_user_model().objects.create(
        username="bench-keyset-admin", is_staff=True, is_superuser=True
    )
    client = Client()
    client.force_login(user)
    try:
        return _admin_rows(client)
    finally:
        client.logout()
        user.delete()


def _admin_rows(client) -> list[tuple]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from newsdesk import admin_options

    cap = admin_options.PAGE_CAP_ROWS
    rows = []
    for name, url in [
        ("claims, p=201 (10,000 deep)", "/admin/claims/claim/?p=201"),
        ("claims, p=10001 (500,000 deep)", "/admin/claims/claim/?p=10001"),
        ("history, p=5001 (500,000 deep)", "/admin/claims/claimevent/?p=5001"),
    ]:
        figures = []
        for capped in (True, False):
            admin_options.PAGE_CAP_ROWS = cap if capped else 10**12
            client.get(url)
            times = []
            for _ in range(RUNS):
                with CaptureQueriesContext(connection) as ctx:
                    began = time.perf_counter()
                    response = client.get(url)
                    times.append(time.perf_counter() - began)
            offsets = [q["sql"].rsplit("OFFSET", 1)[-1].strip() for q in ctx.captured_queries]
            deepest = max((int(o) for o in offsets if o.isdigit()), default=0)
            # Uncapped, a deep OFFSET may outlast the web requests' statement_timeout: 503.
            ms = statistics.median(times) * 1000
            figures += [ms, f"{ms:.0f} ({response.status_code})", f"{deepest:,}"]
        admin_options.PAGE_CAP_ROWS = cap
        rows.append((name, *figures[1:3], *figures[4:6], f"{figures[3] / figures[0]:.1f}x"))
    return rows


def main() -> None:
    setup()
    from django.db import connection, transaction

    from claims.models import Claim

    print(f"{Claim.objects.count():,} claims, PostgreSQL {connection.pg_version // 10000}\n")
    try:
        with transaction.atomic():
            rows, plans = pages()
            print(table(rows, ("queue", "rows deep", "row value ms", "OR form ms", "OR / row")))
            for name, lines in plans:
                print(f"\n{name}:\n```\n" + "\n".join(lines) + "\n```")
            raise Rollback
    except Rollback:
        pass
    print()
    headers = (
        "admin list",
        "capped ms (status)",
        "capped deepest OFFSET",
        "uncapped ms (status)",
        "uncapped deepest OFFSET",
        "uncapped / capped",
    )
    print(table(admin_pages(), headers))


if __name__ == "__main__":
    sys.exit(main())
