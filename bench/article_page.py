"""The article page of a 2 MB article with 25,000 claims, as a Reviewer and as an Editor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<own db> .venv/bin/python bench/article_page.py
    .venv/bin/python bench/article_page.py --sqlite     # a throwaway SQLite file under /tmp

Creates the article and its claims (one per sentence, every status) inside a transaction
that is rolled back at the end, so the database is left as it was; never point it at a
database others rely on while it runs. Each page is fetched in-process with Django's test
client, and the figures are the median of RUNS fetches after one to warm up, except
"Editor, cold", the first fetch after the suggestion cache is cleared: it queues the job
that scores every sentence (suggestions.tasks, under the database task backend) and shows
its progress. "job" is that job, run in this process as `db_worker` would (the worker could
not see the rolled-back rows), and "Editor, scores from the run" the first fetch after the
cache is cleared again: the scores come from the run's row. Two shapes of text: paragraphs
of five sentences, and the same words as one paragraph (what a pasted text without blank
lines gives).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
# The article page queues long scoring as production does; the job is run here by hand.
os.environ["NEWSDESK_TASKS"] = "database"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

RUNS = 5
CLAIMS = 25_000
STATUSES = ("unverified", "sourced", "disputed", "confirmed")
PLACES = ("Karsk", "Mueda", "Pemba", "Tete", "Lichinga", "Nampula", "Beira", "Quelimane")


class Rollback(Exception):
    pass


def sentence(n: int) -> str:
    """About 80 characters, every one different and worth checking."""
    place = PLACES[n % len(PLACES)]
    return f"Officials said {n} trucks were hit near {place} on Monday, the army spokesman said."


def body_of(claims: int, *, one_paragraph: bool) -> str:
    sentences = [sentence(n) for n in range(claims)]
    if one_paragraph:
        return " ".join(sentences)
    return "\n\n".join(" ".join(sentences[i : i + 5]) for i in range(0, claims, 5))


def make_article(body: str, editor):
    from articles.models import Article
    from claims.models import Claim

    article = Article.objects.create(title="A very long report", body=body, created_by=editor)
    claims, at = [], 0
    for n in range(CLAIMS):
        text = sentence(n)
        at = body.index(text, at)
        claims.append(
            Claim(
                article=article,
                text=text,
                start=at,
                end=at + len(text),
                prefix=body[max(0, at - 32) : at],
                suffix=body[at + len(text) : at + len(text) + 32],
                status=STATUSES[n % 4],
                created_by=editor,
            )
        )
        at += len(text)
    Claim.objects.bulk_create(claims, batch_size=2_000)
    return article


def fetch(client, url: str) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        began = time.perf_counter()
        response = client.get(url)
        took = time.perf_counter() - began
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return took, len(ctx.captured_queries), len(response.content)


def measure(client, url: str) -> tuple[float, int, int]:
    fetch(client, url)
    runs = [fetch(client, url) for _ in range(RUNS)]
    return statistics.median(r[0] for r in runs), runs[-1][1], runs[-1][2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sqlite", action="store_true", help="measure a throwaway SQLite file")
    args = parser.parse_args()
    if args.sqlite:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    import django
    from _common import table

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    from newsdesk.auth import EDITORS, REVIEWERS
    from suggestions.models import SuggestionRun
    from suggestions.tasks import suggestions_prepare

    if args.sqlite:
        call_command("migrate", verbosity=0)
    rows = []
    try:
        with transaction.atomic():
            users = get_user_model().objects
            editor = users.create(username="bench-page-editor")
            editor.groups.add(Group.objects.get(name=EDITORS))
            reviewer = users.create(username="bench-page-reviewer")
            reviewer.groups.add(Group.objects.get(name=REVIEWERS))
            for one_paragraph in (False, True):
                body = body_of(CLAIMS, one_paragraph=one_paragraph)
                article = make_article(body, editor)
                shape = "one paragraph" if one_paragraph else "paragraphs of 5 sentences"
                url = f"/articles/{article.pk}/"
                middle = f"{url}?at={len(body) // 2}"
                client = Client()
                client.force_login(reviewer)
                for name, where in (("first part", url), ("middle part", middle)):
                    took, queries, size = measure(client, where)
                    rows.append((shape, f"Reviewer, {name}", f"{took:.3f}", queries, size))
                client.force_login(editor)
                cache.clear()
                took, queries, size = fetch(client, url)
                rows.append((shape, "Editor, cold (queues the job)", f"{took:.3f}", queries, size))
                run = SuggestionRun.objects.filter(article=article).latest("id")
                began = time.perf_counter()
                suggestions_prepare.call(run.pk)
                took = time.perf_counter() - began
                rows.append((shape, "job (scores the text)", f"{took:.3f}", "-", "-"))
                cache.clear()
                took, queries, size = fetch(client, url)
                rows.append((shape, "Editor, scores from the run", f"{took:.3f}", queries, size))
                for name, where in (("first part", url), ("middle part", middle)):
                    took, queries, size = measure(client, where)
                    rows.append((shape, f"Editor, {name}", f"{took:.3f}", queries, size))
            raise Rollback
    except Rollback:
        pass
    print(
        f"{connection.vendor}, a {len(body.encode()) / 1e6:.1f} MB article with "
        f"{CLAIMS:,} claims; median of {RUNS} after a warm-up\n"
    )
    print(table(rows, ("text", "page", "seconds", "queries", "bytes")))


if __name__ == "__main__":
    main()
