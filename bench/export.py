"""Export benchmark: the confirmed claims as CSV, four ways, side by side.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsdesk_bench \\
        .venv/bin/python bench/export.py

Load the data first (10,000 articles x 100 claims x 2 sources = 1,000,000 claims):
    .venv/bin/python manage.py seed_bulk --articles 10000 --claims-per-article 100

Needs the bench extra (django-import-export): .venv/bin/pip install -e '.[bench]'
Prints wall time, peak memory and the ratio to psql's \\copy of the same columns.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

from _common import ROOT, run, setup, table

PYTHON = sys.executable
LIMIT = 1200  # seconds we give the slowest peer


def psql_copy_command() -> list[str]:
    """psql \\copy of exactly the columns and rows our COPY path writes."""
    from django.db import connection

    from claims.exports import copy_sql
    from claims.models import Claim

    sql, params = copy_sql(Claim.objects.filter(status="confirmed"), base_url="http://bench")
    connection.ensure_connection()
    import psycopg

    inlined = psycopg.ClientCursor(connection.connection).mogrify(sql, params)
    select = inlined.removeprefix("COPY ").rsplit(" TO STDOUT", 1)[0]
    settings = connection.settings_dict
    url = (
        f"postgresql://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    return ["psql", url, "-q", "-c", f"\\copy {select} TO '/dev/null' WITH (FORMAT csv)"]


def http_download() -> tuple[float, float]:
    """Our download over HTTP from a local server, as a logged-in reviewer."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(username="bulk-reviewer1")
    session = SessionStore()
    session.update(
        {
            "_auth_user_id": str(user.pk),
            "_auth_user_hash": user.get_session_auth_hash(),
            "_auth_user_backend": settings.AUTHENTICATION_BACKENDS[0],
        }
    )
    session.create()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "127.0.0.1"}
    server = subprocess.Popen(
        [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        url = f"http://127.0.0.1:{port}/claims/export/csv/?status=confirmed"
        cookie = f"sessionid={session.session_key}"
        # A login redirect would "download" in no time: check it is the report first.
        request = urllib.request.Request(url, headers={"Cookie": cookie})
        with urllib.request.urlopen(request) as response:
            if response.read(8) != b"claim_id":
                raise SystemExit("The download did not start with the CSV header: not logged in?")
        elapsed, _ = run(["curl", "-sf", "-o", "/dev/null", "-b", cookie, url])
        with open(f"/proc/{server.pid}/status") as status:
            peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
        return elapsed, peak / 1024
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()


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

queryset = (Claim.objects.filter(status="confirmed").select_related("article")
            .annotate(decider=decided_by()).prefetch_related(Prefetch("sources"))
            .order_by("article_id", "start", "id"))
data = ClaimResource().export(queryset=queryset)
with open(os.devnull, "w") as out:
    out.write(data.csv)
"""


def main() -> None:
    setup()
    from claims.models import Claim

    total = Claim.objects.count()
    confirmed = Claim.objects.filter(status="confirmed").count()
    print(f"{total:,} claims, exporting the {confirmed:,} confirmed ones\n")
    results = []
    copy_time, copy_mem = run(psql_copy_command())
    results.append(("psql \\copy (the limit)", copy_time, copy_mem))
    command = [PYTHON, "manage.py", "export_claims", "--status", "confirmed", "--output", "-"]
    with open(os.devnull, "wb") as sink:
        results.append(("export_claims command", *run(command, cwd=ROOT, stdout=sink)))
    results.append(("HTTP download (/claims/export/csv/)", *http_download()))
    try:
        import import_export  # noqa: F401
    except ImportError:
        print("django-import-export is not installed (pip install -e '.[bench]'); skipping it.")
    else:
        script = IMPORT_EXPORT.format(root=str(ROOT))
        try:
            results.append(
                ("django-import-export", *run([PYTHON, "-c", script], cwd=ROOT, timeout=LIMIT))
            )
        except subprocess.TimeoutExpired:
            print(f"django-import-export did not finish within {LIMIT} s; stopped it.")
    rows = [
        (name, f"{secs:.2f}", f"{secs / copy_time:.2f}x", f"{mem:.0f}")
        for name, secs, mem in results
    ]
    print(table(rows, ("export", "seconds", "vs \\copy", "peak MB")))


if __name__ == "__main__":
    main()
