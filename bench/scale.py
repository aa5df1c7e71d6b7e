"""Scale benchmark: pages, search and bulk edits against the data in DATABASE_URL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsdesk_bench .venv/bin/python bench/scale.py

Load data first with `manage.py seed_bulk` (see docs/performance.md). Each page is fetched
in-process with Django's test client as a logged-in user, once to warm up and then RUNS
times; the median is printed with the number of queries. The bulk measurements run inside
transactions that are rolled back, so the database is left as it was. The script adds one
article with 500 claims if no article has that many (for the article-page figure).
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
from _common import setup, table

RUNS = 5


class Rollback(Exception):
    pass


def timed_get(client, url: str) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up caches and the connection
    times = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as ctx:
            began = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - began)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return statistics.median(times), len(ctx.captured_queries)


def pages(client, reviewer) -> list[tuple]:
    from claims.models import Claim
    from claims.selectors import encode_cursor

    depth = min(10_000, Claim.objects.count() - 200)  # 10,000 rows deep where there are
    deep = Claim.objects.order_by("-status_changed_at", "-id")[depth]
    stock_deep = f"/stock-admin/claims/claim/?p={depth // 100 + 1}"  # 100 rows a page
    mine = Claim.objects.filter(status="unverified", assignee=reviewer)
    mine_deep = mine.order_by("-status_changed_at", "-id")[min(10_000, mine.count() - 1)]
    filtered = f"status=unverified&assignee={reviewer.pk}"
    cases = [
        ("queue, first page", "/claims/", "/stock-admin/claims/claim/"),
        (
            "queue, 10,000 rows deep",
            f"/claims/?after={encode_cursor(deep)}",
            stock_deep,
        ),
        ("queue, status + assignee", f"/claims/?{filtered}", "/stock-admin/claims/claim/"),
        (
            "queue, status + assignee, deep",
            f"/claims/?{filtered}&after={encode_cursor(mine_deep)}",
            stock_deep,
        ),
    ]
    rows = []
    for name, ours, stock in cases:
        ours_time, ours_queries = timed_get(client, ours)
        stock_time, stock_queries = timed_get(client, stock)
        rows.append(
            (
                name,
                f"{ours_time * 1000:.1f}",
                ours_queries,
                f"{stock_time * 1000:.1f}",
                stock_queries,
                f"{stock_time / ours_time:.0f}x",
            )
        )
    return rows


def admin_pages(client, reviewer) -> list[tuple]:
    from articles.models import Article
    from claims.models import Claim

    depth = min(10_000, Claim.objects.count() - 200)
    article = Article.objects.filter(title__startswith="Bench: 500 claims").first()
    cases = [
        ("admin claims, first page", "/admin/claims/claim/"),
        ("admin claims, 10,000 rows deep", f"/admin/claims/claim/?p={depth // 50 + 1}"),
        (
            "admin claims, status + assignee",
            f"/admin/claims/claim/?status=unverified&assignee={reviewer.pk}",
        ),
        ("admin claims, search", "/admin/claims/claim/?q=950+convoys+came"),
        ("article page, 500 claims", f"/articles/{article.pk}/"),
        ("queue, text search", "/claims/?q=950+convoys+came"),
        ("dashboard", "/"),
    ]
    rows = []
    for name, url in cases:
        seconds, queries = timed_get(client, url)
        rows.append((name, f"{seconds * 1000:.1f}", queries))
    return rows


def search() -> list[tuple]:
    """Counting every claim that contains a phrase, with the trigram index and without."""
    from django.db import connection, transaction

    from claims.models import Claim

    term = "950 convoys came"

    def count(plain: bool) -> tuple[float, int]:
        times = []
        for _ in range(RUNS):
            with transaction.atomic():
                if plain:
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL enable_bitmapscan = off")
                        cursor.execute("SET LOCAL enable_indexscan = off")
                began = time.perf_counter()
                found = Claim.objects.filter(text__icontains=term).count()
                times.append(time.perf_counter() - began)
        return statistics.median(times), found

    indexed, found = count(plain=False)
    scanned, _ = count(plain=True)
    return [
        (
            f'"{term}" ({found} claims)',
            f"{indexed * 1000:.1f}",
            f"{scanned * 1000:.1f}",
            f"{scanned / indexed:.0f}x",
        )
    ]


def bulk(reviewer) -> list[tuple]:
    """10,000 claims disputed in one bulk call, against a loop of single transitions."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from claims.models import Claim
    from claims.services import claim_transition, claims_bulk_transition

    ids = list(
        Claim.objects.filter(status="unverified")
        .order_by("id")
        .values_list("id", flat=True)[:10_000]
    )
    loop_n = 1_000
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
            began = time.perf_counter()
            result = claims_bulk_transition(claims=ids, to="disputed", by=reviewer, note="bench")
            bulk_time = time.perf_counter() - began
            assert len(result.changed) == len(ids)
            raise Rollback
    except Rollback:
        pass
    bulk_queries = len(ctx.captured_queries)
    try:
        with transaction.atomic():
            claims = list(Claim.objects.filter(pk__in=ids[:loop_n]))
            began = time.perf_counter()
            for claim in claims:
                claim_transition(
                    claim=claim,
                    to="disputed",
                    by=reviewer,
                    note="bench",
                    expected_version=claim.version,
                )
            loop_time = time.perf_counter() - began
            raise Rollback
    except Rollback:
        pass
    loop_per_claim = loop_time / loop_n
    bulk_per_claim = bulk_time / len(ids)
    return [
        (
            f"bulk service, {len(ids):,} claims",
            f"{bulk_time:.2f}",
            bulk_queries,
            f"{bulk_per_claim * 1000:.3f}",
        ),
        (
            f"loop of claim_transition, {loop_n:,} claims",
            f"{loop_time:.2f}",
            "",
            f"{loop_per_claim * 1000:.3f}",
        ),
        ("bulk speed-up per claim", "", "", f"{loop_per_claim / bulk_per_claim:.0f}x"),
    ]


def main() -> None:
    setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from articles.models import Article
    from claims.models import Claim

    if not Article.objects.filter(title__startswith="Bench: 500 claims").exists():
        with open(os.devnull, "w") as sink:
            call_command("seed_bulk", "--articles", "1", "--claims-per-article", "500", stdout=sink)
        Article.objects.filter(pk=Article.objects.order_by("-id").values("pk")[:1]).update(
            title="Bench: 500 claims"
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # what autovacuum does for a live table
    User = get_user_model()
    reviewer = User.objects.get(username="bulk-reviewer1")
    admin_user, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    print(f"{Claim.objects.count():,} claims\n")
    with override_settings(ROOT_URLCONF="stock_urls"):
        client = Client()
        client.force_login(admin_user)
        print(
            table(
                pages(client, reviewer),
                ("page", "ms", "queries", "stock admin ms", "stock queries", "stock / ours"),
            )
        )
        print()
        print(table(admin_pages(client, reviewer), ("page", "ms", "queries")))
    print()
    print(table(search(), ("substring search (count)", "trigram ms", "plain scan ms", "ratio")))
    print()
    print(table(bulk(reviewer), ("bulk transition", "seconds", "queries", "ms per claim")))


if __name__ == "__main__":
    sys.exit(main())
