"""The demo's SQLite file under reviewers saving the same claim at the same moment: they
queue, one wins, the others are told; nobody gets "database is locked"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.db import OperationalError
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 12


def test_simultaneous_saves_on_a_sqlite_file_wait_for_each_other(tmp_path):
    database = tmp_path / "newsdesk.sqlite3"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))}
    # A fresh interpreter, so the settings build the connection from DATABASE_URL exactly as
    # they do for `make run`.
    result = subprocess.run(
        [sys.executable, "-m", "tests.newsdesk.sqlite_writers", str(ROUNDS)],
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "newsdesk.settings.test",
            "DATABASE_URL": f"sqlite:///{database}",
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["vendor"], report["name"]) == ("sqlite", str(database))
    assert report["journal_mode"] == "wal"
    assert report["errors"] == []
    assert report["outcomes"] == 2 * ROUNDS * 4
    for action in ("take", "decide"):
        winners = report["winners"][action]
        assert sorted(winners, key=int) == [str(r) for r in range(ROUNDS)]
        assert all(len(won) == 1 for won in winners.values()), action
    # Each claim went to the one who took it, and was disputed once on top of that.
    assert report["stored"] == [[True, ["disputed", 3]]] * ROUNDS


def test_a_database_that_stays_busy_gets_a_503_saying_nothing_was_saved(
    client, reviewer, claim, monkeypatch
):
    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("claims.views.desk.claim_assign", locked)
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:assign"),
        {"take": claim.pk, f"version-{claim.pk}": claim.version},
        secure=True,
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "<h1>The database is busy</h1>" in page
    assert "nothing was saved" in page
    assert "database is locked" not in page  # no internals
    assert response["X-Request-ID"] in page
    # Made inside the security middleware, so it carries a normal page's headers.
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response
    claim.refresh_from_db()
    assert (claim.assignee, claim.version) == (None, 1)
