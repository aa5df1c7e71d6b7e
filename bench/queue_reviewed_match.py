"""The queue filtered by "Has a reviewed match", and its row markers, at scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python \\
        bench/queue_reviewed_match.py --every 2

Loads `related_claimmatch` rows as the matcher stores them (both directions, three matches
per matched claim, to claims of other articles) for every `--every`-th claim, then times
the queue's queries as the view makes them: the first page and a page 50,000 rows deep of
the filtered queue, newest first and oldest first, with and without a status filter; the
per-status counts the page shows; and the markers of a page (`reviewed_before`). Prints
EXPLAIN ANALYZE of the deep page and of the counts. The matches loaded stay (run it again
with another --every to change the density: it replaces them).
"""

from __future__ import annotations

import argparse
import statistics
import time

from _common import setup, table

RUNS = 5
PER_CLAIM = 3


def load_matches(every: int) -> int:
    from django.db import connection

    from newsdesk.db import long_statements

    with long_statements(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE related_claimmatch")
        # Claims of one article are consecutive ids (seed_bulk): +100 · j is another article.
        cursor.execute(
            """
            INSERT INTO related_claimmatch
                (claim_id, other_id, score, same, reasons, other_reviewed, scored_at)
            SELECT a, b, 0.9 - j * 0.1, j = 1, '[]', other_status <> 'unverified', now()
            FROM (
                SELECT c.id AS a, o.id AS b, j, o.status AS other_status FROM claims_claim c
                CROSS JOIN generate_series(1, %s) AS j
                JOIN claims_claim o ON o.id = c.id + 100 * j
                WHERE c.id %% %s = 0
                UNION ALL
                SELECT o.id, c.id, j, c.status FROM claims_claim c
                CROSS JOIN generate_series(1, %s) AS j
                JOIN claims_claim o ON o.id = c.id + 100 * j
                WHERE c.id %% %s = 0
            ) pairs
            ON CONFLICT DO NOTHING
            """,
            [PER_CLAIM, every, PER_CLAIM, every],
        )
        cursor.execute("ANALYZE related_claimmatch")
        cursor.execute("SELECT count(*) FROM related_claimmatch")
        return cursor.fetchone()[0]


def timed(work) -> float:
    work()
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


def explain(queryset) -> str:
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def measure(label: str, query: str, request) -> tuple[tuple, str]:
    from django.http import QueryDict

    from claims.filters import ClaimFilter
    from claims.models import Claim
    from claims.selectors import (
        ORDERS,
        RowBeyond,
        capped_status_counts,
        claims_listed,
        encode_cursor,
        keyset_page,
        reviewed_before,
    )

    filterset = ClaimFilter(QueryDict(query), queryset=claims_listed(), request=request)
    queryset, order = filterset.qs, filterset.sort
    ordering = ORDERS[order]
    first = keyset_page(queryset, order=order)
    # A cursor 50,000 matching rows deep, found once with OFFSET (here only).
    deep_claim = queryset.order_by(*ordering)[50_000:50_001].first() or first.items[-1]
    cursor = encode_cursor(deep_claim)
    ids = [claim.pk for claim in first.items]
    unfiltered_status = QueryDict(query.replace("&status=sourced", ""))
    first_ms = timed(lambda: keyset_page(queryset, order=order))
    deep_ms = timed(lambda: keyset_page(queryset, order=order, after=cursor))
    counts_ms = timed(
        lambda: capped_status_counts(
            ClaimFilter(unfiltered_status, queryset=Claim.objects.all(), request=request).qs
        )
    )
    marks_ms = timed(lambda: reviewed_before(claim_ids=ids))
    marked = len(reviewed_before(claim_ids=ids))
    row = (
        label,
        f"{first_ms:.1f}",
        f"{deep_ms:.1f}",
        f"{counts_ms:.1f}",
        f"{marks_ms:.1f} ({marked}/{len(ids)} marked)",
    )
    plan = ""
    if query.startswith("reviewed_match=yes") and "oldest" not in query:
        descending = order != "oldest"
        page = queryset.filter(
            RowBeyond((deep_claim.status_changed_at, deep_claim.pk), descending=descending)
        ).order_by(*ordering)[:26]
        plan = explain(page)
    return row, plan


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--every", type=int, default=2, help="Match every N-th claim.")
    args = parser.parse_args()
    setup()
    from django.db import connection
    from django.test import RequestFactory

    from claims.models import Claim
    from claims.selectors import has_reviewed_match

    rows_loaded = load_matches(args.every)
    total = Claim.objects.count()
    matched = Claim.objects.filter(has_reviewed_match()).count()
    print(
        f"{total:,} claims, {rows_loaded:,} stored matches, {matched:,} claims with a "
        f"reviewed match; PostgreSQL {connection.pg_version // 10000}\n"
    )
    request = RequestFactory().get("/claims/")
    request.user = None
    figures = []
    plans = []
    for label, query in [
        ("reviewed_match=yes", "reviewed_match=yes"),
        ("reviewed_match=yes, oldest", "reviewed_match=yes&order=oldest"),
        ("reviewed_match=yes + status=sourced", "reviewed_match=yes&status=sourced"),
        ("no filter (markers only)", ""),
    ]:
        row, plan = measure(label, query, request)
        figures.append(row)
        if plan:
            plans.append((f"{label}, 50,000 deep", plan))
    print(
        table(
            figures,
            ("queue", "first page ms", "50,000 deep ms", "status counts ms", "markers ms"),
        )
    )
    for name, plan in plans:
        print(f"\n{name}:\n```\n{plan}\n```")


if __name__ == "__main__":
    main()
