"""How long the database may take: the web's limits on every PostgreSQL connection, the
long limit for exports and commands, and the app's own pages when a limit is hit."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

import psycopg
import pytest
from django.db import DataError, OperationalError, connection, transaction
from django.http import StreamingHttpResponse
from django.urls import reverse

from claims.models import ClaimEvent, ClaimStatus
from newsdesk.db import long_statements
from tests.factories import ClaimFactory, reviewer_factory
from tests.newsdesk.test_settings import GOOD_KEY, ROOT, load_settings

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="time limits are PostgreSQL's"
)
POSTGRES_URL = "postgres://u:p@db.example:5432/newsdesk"


def show(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


# --- the settings ---------------------------------------------------------------------------


def options(url: str = POSTGRES_URL, **env: str) -> str:
    result = load_settings(
        "newsdesk.settings.prod",
        DJANGO_SECRET_KEY=GOOD_KEY,
        DATABASE_URL=url,
        PRINT="settings.DATABASES['default']['OPTIONS'].get('options')",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_web_connections_get_the_web_limits():
    assert options() == "-c statement_timeout=15000 -c lock_timeout=3000"
    assert options(NEWSDESK_DB_STATEMENT_TIMEOUT_MS="5000", NEWSDESK_DB_LOCK_TIMEOUT_MS="500") == (
        "-c statement_timeout=5000 -c lock_timeout=500"
    )


def test_commands_get_the_long_limit_and_keep_the_lock_limit():
    assert options(NEWSDESK_DB_LONG_STATEMENTS="1") == (
        "-c statement_timeout=1800000 -c lock_timeout=3000"
    )


def test_options_from_the_database_url_are_kept():
    url = POSTGRES_URL + "?options=-c%20search_path%3Dnews"
    assert options(url=url) == (
        "-c search_path=news -c statement_timeout=15000 -c lock_timeout=3000"
    )


def test_sqlite_gets_no_postgresql_options():
    result = load_settings(
        "newsdesk.settings.dev", PRINT="settings.DATABASES['default']['OPTIONS'].get('options')"
    )
    assert result.stdout.strip() == "None"


def test_a_negative_limit_is_refused():
    result = load_settings("newsdesk.settings.dev", NEWSDESK_DB_LOCK_TIMEOUT_MS="-1")
    assert "must be 0 (no limit) or more" in result.stderr


@pytest.mark.parametrize(
    ("command", "long"),
    [("migrate", True), ("export_claims", True), ("runserver", False), ("test", False)],
)
def test_manage_py_gives_commands_the_long_limit_but_not_the_server(monkeypatch, command, long):
    monkeypatch.syspath_prepend(str(ROOT))
    import manage

    monkeypatch.delenv("NEWSDESK_DB_LONG_STATEMENTS", raising=False)
    monkeypatch.setattr(sys, "argv", ["manage.py", command])
    seen = []
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line",
        lambda argv: seen.append(os.environ.get("NEWSDESK_DB_LONG_STATEMENTS")),
    )
    manage.main()
    assert seen == (["1"] if long else [None])
    monkeypatch.delenv("NEWSDESK_DB_LONG_STATEMENTS", raising=False)  # set by main(), not us


# --- long_statements() ----------------------------------------------------------------------


@postgresql_only
@pytest.mark.django_db
def test_the_suite_runs_with_the_web_limits():
    assert (show("statement_timeout"), show("lock_timeout")) == ("15s", "3s")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_long_statements_lift_the_limit_meanwhile_and_put_it_back():
    with long_statements():
        assert show("statement_timeout") == "30min"
        with long_statements():
            assert show("statement_timeout") == "30min"
        assert show("statement_timeout") == "30min"  # the outer block still runs
    assert (show("statement_timeout"), show("lock_timeout")) == ("15s", "3s")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_that_rolls_back_the_limit_goes_with_it(caplog):
    def fail_inside_long_statements() -> None:
        with transaction.atomic(), long_statements():
            assert show("statement_timeout") == "30min"
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1/0")  # the transaction is now aborted

    with pytest.raises(DataError):
        fail_inside_long_statements()
    assert show("statement_timeout") == "15s"
    assert "Could not put" not in caplog.text  # left to the rollback, not attempted


def streamed(rows: int):
    """A download's body, as the exports write it: the limit is lifted inside the generator,
    which runs after the view has returned, while the server writes the response."""

    def body():
        with long_statements():
            for row in range(rows):
                yield f"{row},{show('statement_timeout')}\n"

    return StreamingHttpResponse(body())


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_download_the_client_drops_halfway_leaves_a_persistent_connection_bounded(
    monkeypatch,
):
    pid = backend_pid()
    monkeypatch.setattr(connection, "close_at", None)  # CONN_MAX_AGE > 0: kept for the next
    response = streamed(1000)
    chunks = iter(response)
    assert [next(chunks), next(chunks)] == [b"0,30min\n", b"1,30min\n"]
    response.close()  # what the WSGI server does when the client goes away
    assert backend_pid() == pid  # the same connection, as the next request would get it
    assert show("statement_timeout") == "15s"


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_download_closed_with_its_connection_does_not_open_another(monkeypatch):
    backend_pid()
    monkeypatch.setattr(connection, "close_at", 0)  # CONN_MAX_AGE = 0: closed at the end
    response = streamed(1000)
    next(iter(response))
    response.close()
    assert connection.connection is None
    assert show("statement_timeout") == "15s"  # a new connection, with the web's limit


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_limit_left_raised_is_put_back_when_the_next_request_starts(client, monkeypatch):
    pid = backend_pid()
    monkeypatch.setattr(connection, "close_at", None)
    left_open = long_statements()
    left_open.__enter__()  # a generator dropped without being closed
    assert show("statement_timeout") == "30min"
    assert client.get(reverse("healthz")).status_code == 200
    assert (backend_pid(), show("statement_timeout")) == (pid, "15s")


# --- the limits, hit --------------------------------------------------------------------------


@contextmanager
def limits(*, statement_ms: int, lock_ms: int):
    """The connections this test opens get these limits, as the settings would give them."""
    saved = connection.settings_dict["OPTIONS"].get("options")
    connection.close()
    connection.settings_dict["OPTIONS"]["options"] = (
        f"-c statement_timeout={statement_ms} -c lock_timeout={lock_ms}"
    )
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["OPTIONS"]["options"] = saved


@contextmanager
def row_held(claim_pk: int):
    """Another connection holds the claim's row, as a slow save elsewhere would."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    with psycopg.connect(**params) as other:
        other.execute("SELECT id FROM claims_claim WHERE id = %s FOR UPDATE", [claim_pk])
        yield other


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_statement_past_its_limit_is_cancelled_unless_the_limit_was_lifted(settings):
    settings.DB_LONG_STATEMENT_TIMEOUT_MS = 10_000
    with limits(statement_ms=200, lock_ms=200):
        with pytest.raises(OperationalError) as stopped, connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.5)")
        assert stopped.value.__cause__.sqlstate == "57014"
        with long_statements(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.5)")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_decision_on_a_claim_someone_else_holds_gets_the_409_page(
    client, roles_for_transactional_tests
):
    reviewer = reviewer_factory(username="rui")
    claim = ClaimFactory()
    client.force_login(reviewer)
    with limits(statement_ms=5_000, lock_ms=300), row_held(claim.pk) as other:
        response = client.post(
            reverse("claims:decide", args=[claim.pk]),
            {"to": "disputed", "note": "Old photo", "expected_version": claim.version},
            secure=True,
        )
        # Answered while the other save still holds the row: the request gave up at the
        # lock limit rather than wait for it.
        assert other.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else is saving this claim; try again in a moment." in page
    assert response["X-Request-ID"] in page
    assert response["X-Frame-Options"] == "DENY"  # made inside the security middleware
    assert "Content-Security-Policy" in response
    claim.refresh_from_db()
    assert (claim.status, claim.version) == (ClaimStatus.UNVERIFIED, 1)
    assert not ClaimEvent.objects.filter(claim=claim).exists()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_taking_claims_someone_else_holds_names_them_all(client, roles_for_transactional_tests):
    reviewer = reviewer_factory(username="rui")
    claim = ClaimFactory()
    client.force_login(reviewer)
    with limits(statement_ms=5_000, lock_ms=300), row_held(claim.pk):
        response = client.post(
            reverse("claims:assign"),
            {"take": claim.pk, f"version-{claim.pk}": claim.version},
            secure=True,
        )
    assert response.status_code == 409
    assert "Someone else is saving one of these claims" in response.content.decode()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_request_past_the_statement_limit_gets_the_503_page(
    client, roles_for_transactional_tests, monkeypatch, settings
):
    def slow(**kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(1)")

    monkeypatch.setattr("claims.views.desk.claim_assign", slow)
    settings.DB_STATEMENT_TIMEOUT_MS = 200
    reviewer = reviewer_factory(username="rui")
    claim = ClaimFactory()
    client.force_login(reviewer)
    with limits(statement_ms=200, lock_ms=200):
        response = client.post(
            reverse("claims:assign"),
            {"take": claim.pk, f"version-{claim.pk}": claim.version},
            secure=True,
        )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "<h1>This took too long</h1>" in page
    assert "stopped this after 0.2 seconds" in page
    assert "nothing was saved" in page
    assert "pg_sleep" not in page  # no internals
    assert response["X-Request-ID"] in page
