"""Export benchmark: one selection of claims against the plainest COPY of its columns.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsdesk_bench \\
        .venv/bin/python bench/export.py [--status confirmed] [--rounds 3] [--import-export]

Load the data first (10,000 articles x 100 claims x 2 sources = 1,000,000 claims):
    .venv/bin/python manage.py seed_bulk --articles 10000 --claims-per-article 100

Rows, each run in turn in every round (so that a busy moment spreads over all of them),
the best of the rounds reported:
- the floor: psql's \\copy of a plain SELECT of the same 16 columns (LATERAL joins for the
  decider and the two source lists, no formula guard, no formatting), to /dev/null;
- the app's own COPY statement (`copy_sql`), run by psql the same way;
- `manage.py export_claims` (CSV to /dev/null);
- the CSV, JSON and ClaimReview downloads over HTTP from gunicorn with the production
  settings (bench/_serve.py starts it as `make serve` does), read by curl as a logged-in reviewer;
- with --import-export, django-import-export (needs the bench extra:
  .venv/bin/pip install -e '.[bench]'), which takes minutes.
Prints seconds, the ratio to the floor and, for the downloads, to the HTTP CSV; and peak
resident memory: GNU time's for a process, gunicorn's largest worker's (VmHWM, so far in the
run) for a download.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from _common import ROOT, run, setup, table
from _serve import logged_in, served
from download import DownloadFailed, fetch

PYTHON = sys.executable
LIMIT = 1200  # seconds we give the slowest peer

FLOOR = """
SELECT c.id, 'http://bench/claims/' || c.id || '/', c.article_id, a.title, a.outlet, a.url,
       a.published_on, c.text, c.attributed_to, c.status, c.rationale, d.decider,
       c.status_changed_at, src.supporting, src.contradicting, c.orphaned
FROM claims_claim c
JOIN articles_article a ON a.id = c.article_id
LEFT JOIN LATERAL (
    SELECT u.username AS decider FROM claims_claimevent e
    LEFT JOIN auth_user u ON u.id = e.actor_id
    WHERE e.claim_id = c.id AND e.kind = 'status_changed'
    ORDER BY e.at DESC, e.id DESC LIMIT 1
) d ON true
LEFT JOIN LATERAL (
    SELECT string_agg(s.url || ' (' || s.publisher || ')', E'\\n' ORDER BY s.added_at, s.id)
               FILTER (WHERE s.stance = 'supports') AS supporting,
           string_agg(s.url || ' (' || s.publisher || ')', E'\\n' ORDER BY s.added_at, s.id)
               FILTER (WHERE s.stance = 'contradicts') AS contradicting
    FROM claims_source s WHERE s.claim_id = c.id
) src ON true
WHERE c.status IN ({statuses})
ORDER BY c.article_id, c.start, c.id
"""


def psql(select: str) -> list[str]:
    """psql writing `select` with \\copy, as CSV, to /dev/null."""
    one_line = " ".join(select.split())
    return [
        "psql",
        os.environ["DATABASE_URL"],
        "-q",
        "-c",
        f"\\copy ({one_line}) TO '/dev/null' WITH (FORMAT csv)",
    ]


def floor_command(statuses: list[str]) -> list[str]:
    return psql(FLOOR.format(statuses=", ".join(f"'{s}'" for s in statuses)))


def app_copy_command(statuses: list[str]) -> list[str]:
    """psql running exactly the SELECT our COPY path runs."""
    import psycopg
    from django.db import connection

    from claims.exports import copy_sql
    from claims.models import Claim

    sql, params = copy_sql(Claim.objects.filter(status__in=statuses), base_url="http://bench")
    connection.ensure_connection()
    inlined = psycopg.ClientCursor(connection.connection).mogrify(sql, params)
    return psql(inlined.removeprefix("COPY (").rsplit(") TO STDOUT", 1)[0])


IMPORT_EXPORT = """
import django, os, sys
sys.path.insert(0, {root!r})
django.setup()
from django.db.models import Prefetch
from import_export import fields, resources
from claims.exports import decided_by
from claims.models import Claim, Source

class ClaimResource(resources.ModelResource):
    claim_id = fields.Field(attribute="id", column_name="claim_id")
    claim_url = fields.Field(column_name="claim_url")
    article_title = fields.Field(attribute="article__title", column_name="article_title")
    outlet = fields.Field(attribute="article__outlet", column_name="outlet")
    article_url = fields.Field(attribute="article__url", column_name="article_url")
    published_on = fields.Field(attribute="article__published_on", column_name="published_on")
    quote = fields.Field(attribute="text", column_name="quote")
    decided_by = fields.Field(attribute="decider", column_name="decided_by")
    supporting_sources = fields.Field(column_name="supporting_sources")
    contradicting_sources = fields.Field(column_name="contradicting_sources")

    class Meta:
        model = Claim
        fields = ("claim_id", "claim_url", "article", "article_title", "outlet", "article_url",
                  "published_on", "quote", "attributed_to", "status", "rationale", "decided_by",
                  "status_changed_at", "supporting_sources", "contradicting_sources",
                  "orphaned")
        export_order = fields
        # The default (100) pages 250,000 rows with OFFSET 2,500 times; a tuned setting
        # is the fairer comparison.
        chunk_size = 2000

    def dehydrate_claim_url(self, claim):
        return f"http://bench/claims/{{claim.pk}}/"

    def _lines(self, claim, stance):
        return "\\n".join(f"{{s.url}} ({{s.publisher}})" for s in claim.sources.all()
                         if s.stance == stance)

    def dehydrate_supporting_sources(self, claim):
        return self._lines(claim, "supports")

    def dehydrate_contradicting_sources(self, claim):
        return self._lines(claim, "contradicts")

queryset = (Claim.objects.filter(status__in={statuses!r}).select_related("article")
            .annotate(decider=decided_by()).prefetch_related(Prefetch("sources"))
            .order_by("article_id", "start", "id"))
data = ClaimResource().export(queryset=queryset)
with open(os.devnull, "w") as out:
    out.write(data.csv)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--status", action="append", help="Claims in this status (repeatable); default confirmed."
    )
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--port", type=int, default=8202)
    parser.add_argument("--import-export", action="store_true")
    args = parser.parse_args()
    statuses = args.status or ["confirmed"]
    setup()
    from claims.models import Claim

    total = Claim.objects.count()
    selected = Claim.objects.filter(status__in=statuses).count()
    print(f"{total:,} claims, exporting the {selected:,} in {', '.join(statuses)}\n")
    query = "?" + "&".join(f"status={s}" for s in statuses)
    command = [PYTHON, "manage.py", "export_claims", "--output", "-"]
    for status in statuses:
        command += ["--status", status]
    best: dict[str, float] = {}
    peak: dict[str, float] = {}

    def keep(name: str, seconds: float, mb: float) -> None:
        best[name] = min(seconds, best.get(name, seconds))
        peak[name] = max(mb, peak.get(name, mb))

    floor, app_copy = floor_command(statuses), app_copy_command(statuses)
    with logged_in() as cookie, served(port=args.port) as server:
        for round_ in range(args.rounds):
            keep("psql \\copy, plain SELECT (the floor)", *run(floor))
            keep("psql \\copy of the app's COPY query", *run(app_copy))
            with open(os.devnull, "wb") as sink:
                keep("export_claims command (CSV)", *run(command, cwd=ROOT, stdout=sink))
            for fmt in ("csv", "json", "claimreview"):
                url = f"{server.url}/claims/export/{fmt}/{query}"
                try:
                    seconds = fetch(url, cookie, Path(os.devnull))
                except DownloadFailed as error:
                    sys.exit(f"The {fmt} download failed: {error}")
                keep(f"HTTP {fmt}", seconds, server.workers_peak_mb())
            print(f"round {round_ + 1}: " + ", ".join(f"{k} {v:.2f}" for k, v in best.items()))
    if args.import_export:
        script = IMPORT_EXPORT.format(root=str(ROOT), statuses=statuses)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsdesk.settings.dev"}
        try:
            keep(
                "django-import-export",
                *run([PYTHON, "-c", script], cwd=ROOT, timeout=LIMIT, env=env),
            )
        except subprocess.TimeoutExpired:
            print(f"django-import-export did not finish within {LIMIT} s; stopped it.")
    floor_seconds = best["psql \\copy, plain SELECT (the floor)"]
    rows = [
        (
            name,
            f"{seconds:.2f}",
            f"{seconds / floor_seconds:.2f}x",
            f"{seconds / best['HTTP csv']:.2f}x" if name.startswith("HTTP ") else "",
            f"{peak[name]:.0f}",
        )
        for name, seconds in best.items()
    ]
    print()
    print(table(rows, ("export", "seconds", "vs floor", "vs HTTP csv", "peak MB")))


if __name__ == "__main__":
    main()
