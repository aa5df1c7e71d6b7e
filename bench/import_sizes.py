"""Imports of 2 MB of each kind, with and without accepting the suggestions.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<own db> .venv/bin/python bench/import_sizes.py
    … bench/import_sizes.py --only markdown-brackets --size 1000000

Each import runs as the import page does (extract, then
`suggestions.jobs.article_import_with_suggestion_job`, under the database task backend)
inside a transaction that is rolled back, with the suggestion cache cleared first, so every
row pays for scoring its text. "extract" is the conversion to text and "request" the rest of
what the import request does: for a long text with "accept", saving the article and queueing
the job. "job" is the job itself (suggestions.tasks.suggestions_prepare: scoring, then
accepting), run in this process as `db_worker` would run it (the worker could not see the
rolled-back rows). `--inline` measures the old way too: everything inside the request
(`suggestions.services.article_import_with_suggestions`).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# Jobs are queued, as in production, and run here by hand (see above).
os.environ["NEWSDESK_TASKS"] = "database"

from _common import setup, table


class Rollback(Exception):
    pass


def news(size: int) -> str:
    from bench.suggestions import load_all

    corpus = "\n\n".join(a.body for a in load_all())
    text, n = corpus, 0
    while len(text.encode()) < size:
        n += 1
        text += "\n\n" + corpus.replace("said", f"said on day {n}")
    return text.encode()[:size].decode(errors="ignore")


def documents(size: int) -> dict[str, tuple[str, bytes]]:
    # Room for the markup the Markdown and HTML versions wrap around each paragraph.
    text = news(size * 9 // 10)
    paragraphs = text.split("\n\n")
    html = "".join(f"<p>{p}</p>" for p in paragraphs)
    return {
        "text": ("text", text.encode()),
        "markdown": ("markdown", "\n\n".join(f"Some *{p}*" for p in paragraphs).encode()),
        "html": ("html", f"<html><body><article>{html}</article></body></html>".encode()),
        "markdown-brackets": ("markdown", b"[" * size),
        "markdown-stars": ("markdown", b"*a " * (size // 3)),
        "markdown-nesting": ("markdown", b"> " * (size // 4) + b"x"),
        "markdown-bracket-lines": ("markdown", b"[\n" * (size // 2)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=2 * 1024 * 1024 - 16)
    parser.add_argument("--only", action="append")
    parser.add_argument("--inline", action="store_true", help="also score inside the request")
    args = parser.parse_args()
    setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import transaction

    from articles.extract import ExtractionError, extract
    from suggestions.jobs import article_import_with_suggestion_job
    from suggestions.services import article_import_with_suggestions
    from suggestions.tasks import suggestions_prepare

    ways = [("job", article_import_with_suggestion_job)]
    if args.inline:
        ways.append(("inline", article_import_with_suggestions))
    rows = []
    for name, (kind, data) in documents(args.size).items():
        if args.only and name not in args.only:
            continue
        for accept in (False, True):
            for way, importer in ways if accept else ways[:1]:
                cache.clear()
                began = time.perf_counter()
                try:
                    found = extract(data, kind)
                except ExtractionError as error:
                    took = time.perf_counter() - began
                    rows.append((name, accept, way, f"{took:.2f}", "-", "-", f"refused: {error}"))
                    break
                extracted = time.perf_counter() - began
                job = "-"
                try:
                    with transaction.atomic():
                        user = get_user_model().objects.create(
                            username="bench-importer", is_superuser=True
                        )
                        result = importer(
                            by=user,
                            title="Bench",
                            body=found.body,
                            accept_suggestions=accept,
                            allow_duplicate=True,
                        )
                        took = time.perf_counter() - extracted - began
                        claims = len(result.claims)
                        run = getattr(result, "run", None)
                        if run is not None:
                            began = time.perf_counter()
                            claims = suggestions_prepare.call(run.pk)
                            job = f"{time.perf_counter() - began:.2f}"
                        raise Rollback
                except Rollback:
                    pass
                rows.append((name, accept, way, f"{extracted:.2f}", f"{took:.2f}", job, claims))
                print(*rows[-1], flush=True)
    print(f"\n{args.size:,} bytes each; seconds\n")
    print(table(rows, ("document", "accept", "way", "extract", "request", "job", "claims")))


if __name__ == "__main__":
    main()
