"""How the pages grow with the data: the first and the deepest page of each list, at each size.

    .venv/bin/python bench/growth.py \\
        postgres://postgres@127.0.0.1:5432/newsdesk_bench_100k \\
        postgres://postgres@127.0.0.1:5432/newsdesk_bench \\
        postgres://postgres@127.0.0.1:5432/newsdesk_bench_5m

Each database is loaded with `seed_bulk --articles N --claims-per-article 100
--sources-per-claim 2`. For each one, in a process of its own, every page is fetched
in-process with Django's test client (one warm-up, then the median of five), as a
reviewer for the app's pages and as a superuser for the admin's, inside a transaction
that is rolled back. "Deepest" is the last page of the list: the queue's oldest 25 claims
reached by its cursor, the admin's last page it offers (it offers none past 10,000 rows).
Prints one table: a row per page, a column per database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
import scale
from _common import setup, table


def timed_get(client, url: str) -> tuple[float, int]:
    """Milliseconds (median of scale.RUNS after a warm-up) and queries of one page."""
    seconds, queries = scale.timed_get(client, url)
    return seconds * 1000, queries


def last_cursor(queryset) -> str:
    """The cursor after which the queue's last page starts (newest first)."""
    from claims.selectors import encode_cursor

    oldest = list(queryset.order_by("status_changed_at", "id")[:26])
    return encode_cursor(oldest[-1])


def measure_one() -> dict:
    setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.test import Client

    from articles.models import Article
    from claims.models import Claim

    reviewer = get_user_model().objects.get(username="bulk-reviewer1")
    everything = Claim.objects.all()
    unverified = Claim.objects.filter(status="unverified")
    mine = unverified.filter(assignee=reviewer)
    article = Article.objects.order_by("pk").first()
    queue = [
        ("queue", "/claims/", f"/claims/?after={last_cursor(everything)}"),
        (
            "queue, status",
            "/claims/?status=unverified",
            f"/claims/?status=unverified&after={last_cursor(unverified)}",
        ),
        (
            "queue, status + assignee",
            f"/claims/?status=unverified&assignee={reviewer.pk}",
            f"/claims/?status=unverified&assignee={reviewer.pk}&after={last_cursor(mine)}",
        ),
        (
            "queue, article",
            f"/claims/?article={article.pk}",
            f"/claims/?article={article.pk}&after={last_cursor(article.claims.all())}",
        ),
    ]
    admin = [
        ("admin claims", "/admin/claims/claim/", "/admin/claims/claim/?p=99999999"),
        ("admin history", "/admin/claims/claimevent/", "/admin/claims/claimevent/?p=99999999"),
    ]
    single = [
        ("claim page", f"/claims/{article.claims.order_by('pk').first().pk}/"),
        ("article page (100 claims)", f"/articles/{article.pk}/"),
        ("dashboard", "/"),
        ("printable report (500 of all reviewed)", "/claims/report/"),
    ]
    results: dict[str, str] = {"claims": f"{everything.count():,}"}
    try:
        with transaction.atomic():
            client = Client()
            client.force_login(reviewer)
            for name, first, deepest in queue:
                for label, url in (("first", first), ("deepest", deepest)):
                    ms, queries = timed_get(client, url)
                    results[f"{name}, {label}"] = f"{ms:.1f} ({queries})"
            for name, url in single:
                ms, queries = timed_get(client, url)
                results[name] = f"{ms:.1f} ({queries})"
            staff = get_user_model().objects.create_superuser("growth-bench", "", None)
            client.force_login(staff)
            for name, first, deepest in admin:
                for label, url in (("first", first), ("deepest offered", deepest)):
                    ms, queries = timed_get(client, url)
                    results[f"{name}, {label}"] = f"{ms:.1f} ({queries})"
            raise scale.Rollback
    except scale.Rollback:
        pass
    return results


def main() -> None:
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure_one()))
        return
    urls = sys.argv[1:]
    if not urls:
        sys.exit(__doc__)
    columns = []
    for url in urls:
        output = subprocess.run(
            [sys.executable, __file__, "--one"],
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        columns.append(json.loads(output.strip().splitlines()[-1]))
        print(f"{url}: done", flush=True)
    names = list(columns[0])
    headers = ("page: ms (queries)", *(f"{c['claims']} claims" for c in columns))
    rows = [(name, *(c.get(name, "-") for c in columns)) for name in names if name != "claims"]
    print(table(rows, headers))


if __name__ == "__main__":
    main()
