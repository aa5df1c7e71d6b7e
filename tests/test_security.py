"""Security properties, each proved: headers, lock-outs, passwords, sessions, CSRF,
error pages, the tamper-proof history and the health check."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test import Client, override_settings
from django.urls import path, reverse

from claims.models import Claim, ClaimEvent, ClaimStatus, EventKind, Via
from newsdesk.middleware import SEEN, STARTED
from tests.factories import ClaimFactory

PASSWORD = "correct horse battery staple"
REQUIRED_DIRECTIVES = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
]


def every_get_url():
    """Every page of the roles x URLs table that a member can open."""
    from tests.test_url_matrix import EXPECTED, request_for

    return [
        request_for(name, "GET")[0]
        for name, methods in EXPECTED.items()
        if methods["GET"]["superuser"] == 200
    ]


def test_every_page_sends_the_security_headers(db, client, superuser):
    client.force_login(superuser)
    urls = every_get_url()
    assert len(urls) >= 8
    for url in urls:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        for directive in REQUIRED_DIRECTIVES:
            assert directive in policy, url
        assert "unsafe-inline" not in policy
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert len(response["X-Request-ID"]) == 16


def test_no_page_carries_inline_script_or_style(db, client, superuser):
    client.force_login(superuser)
    for url in every_get_url():
        response = client.get(url)
        if response.streaming:  # a download, not a page
            continue
        html = response.content.decode()
        assert "<script>" not in html
        assert " style=" not in html
        assert "<style" not in html


def test_production_sends_hsts_for_a_year_with_subdomains():
    from tests.newsdesk.test_settings import GOOD_KEY, load_settings

    result = load_settings(
        "newsdesk.settings.prod",
        DJANGO_SECRET_KEY=GOOD_KEY,
        PRINT="settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS",
    )
    seconds, subdomains = result.stdout.split()
    assert int(seconds) >= 31_536_000
    assert subdomains == "True"


# --- logins ------------------------------------------------------------------------------


def attempt(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_five_failures_lock_the_username_at_that_address(db, reviewer, reviewer2):
    client = Client()
    for _ in range(4):
        assert attempt(client, "rui", "wrong").status_code == 200
    locked = attempt(client, "rui", "wrong")
    assert locked.status_code == 429
    assert "locked" in locked.content.decode()
    assert "15 minutes" in locked.content.decode()
    assert attempt(client, "rui", PASSWORD).status_code == 429  # even the right password
    # Another user at the same address, and the same user elsewhere, are unaffected.
    assert attempt(Client(), "rania", PASSWORD).status_code == 302
    assert attempt(Client(), "rui", PASSWORD, address="10.0.0.2").status_code == 302


def test_the_lock_lifts_after_fifteen_minutes(db, reviewer, settings):
    from datetime import timedelta

    settings.AXES_COOLOFF_TIME = timedelta(seconds=1)
    client = Client()
    for _ in range(5):
        attempt(client, "rui", "wrong")
    assert attempt(client, "rui", PASSWORD).status_code == 429
    time.sleep(1.1)
    assert attempt(client, "rui", PASSWORD).status_code == 302


# Behind the TLS proxy every request arrives from the proxy's address; the proxy appends the
# address it saw to X-Forwarded-For. A client can send that header itself, so only as many
# right-most entries as there are trusted proxies (NEWSDESK_TRUSTED_PROXIES) are believed.
PROXY = "127.0.0.1"
ATTACKER, ADMIN_HOME, COLLEAGUE = "203.0.113.9", "198.51.100.7", "192.0.2.44"


def proxied(client, username, password, forwarded_for, peer=PROXY):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=peer,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_a_direct_client_cannot_dodge_a_lockout_by_forging_forwarded_for(db, reviewer, settings):
    settings.NEWSDESK_TRUSTED_PROXIES = 0
    for number in range(5):
        proxied(Client(), "rui", "wrong", f"10.9.9.{number}", peer=ATTACKER)
    # Locked at the address it really connects from, whatever it claims to be.
    assert proxied(Client(), "rui", PASSWORD, "10.9.9.99", peer=ATTACKER).status_code == 429


def test_a_direct_client_cannot_lock_others_out_by_forging_forwarded_for(db, superuser, settings):
    settings.NEWSDESK_TRUSTED_PROXIES = 0
    for _ in range(6):
        proxied(Client(), "ada", "wrong", ADMIN_HOME, peer=ATTACKER)
    assert proxied(Client(), "ada", PASSWORD, "", peer=ADMIN_HOME).status_code == 302


def test_behind_the_proxy_each_client_is_locked_out_on_its_own(db, superuser, settings):
    settings.NEWSDESK_TRUSTED_PROXIES = 1
    for _ in range(5):
        assert proxied(Client(), "ada", "wrong", ATTACKER).status_code in (200, 429)
    assert proxied(Client(), "ada", PASSWORD, ATTACKER).status_code == 429
    # The real admin, through the same proxy from elsewhere, still logs in.
    assert proxied(Client(), "ada", PASSWORD, ADMIN_HOME).status_code == 302


def test_behind_the_proxy_a_forged_left_entry_is_not_believed(db, superuser, settings):
    settings.NEWSDESK_TRUSTED_PROXIES = 1
    # The attacker sends "X-Forwarded-For: <the admin's address>"; the proxy appends the
    # attacker's own, so the right-most entry is the attacker.
    for _ in range(5):
        proxied(Client(), "ada", "wrong", f"{ADMIN_HOME}, {ATTACKER}")
    assert proxied(Client(), "ada", PASSWORD, ADMIN_HOME).status_code == 302
    assert proxied(Client(), "ada", PASSWORD, f"{ADMIN_HOME}, {ATTACKER}").status_code == 429


def test_two_proxies_believe_the_second_entry_from_the_right(db, superuser, settings):
    settings.NEWSDESK_TRUSTED_PROXIES = 2
    chain = f"{ADMIN_HOME}, {ATTACKER}, 10.0.0.5"  # forged, the client, the first proxy
    for _ in range(5):
        proxied(Client(), "ada", "wrong", chain)
    assert proxied(Client(), "ada", PASSWORD, f"{ADMIN_HOME}, 10.0.0.5").status_code == 302
    assert proxied(Client(), "ada", PASSWORD, chain).status_code == 429


def spray(usernames, forwarded_for="", peer=ATTACKER):
    """One wrong password for each username, as a password-spraying attack does."""
    return [proxied(Client(), name, "wrong", forwarded_for, peer=peer) for name in usernames]


def test_one_address_trying_many_usernames_is_stopped(db, reviewer, reviewer2, settings):
    limit = settings.NEWSDESK_LOGIN_ADDRESS_FAILURE_LIMIT
    assert 5 < limit <= 30
    answers = spray([f"user{number}" for number in range(40)])
    codes = [response.status_code for response in answers]
    assert codes[: limit - 1] == [200] * (limit - 1)
    assert set(codes[limit - 1 :]) == {429}
    page = answers[-1].content.decode()
    assert "from your address" in page
    # The whole address is stopped, even a real user with the right password...
    assert proxied(Client(), "rui", PASSWORD, "", peer=ATTACKER).status_code == 429
    # ...but nobody elsewhere.
    assert proxied(Client(), "rui", PASSWORD, "", peer=COLLEAGUE).status_code == 302


def test_behind_the_proxy_the_address_limit_is_per_client(db, reviewer, settings):
    settings.NEWSDESK_TRUSTED_PROXIES = 1
    codes = [r.status_code for r in spray([f"user{n}" for n in range(40)], ATTACKER, PROXY)]
    assert 429 in codes
    assert proxied(Client(), "rui", PASSWORD, COLLEAGUE).status_code == 302


def test_the_limits_come_from_the_settings(db, reviewer, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.NEWSDESK_LOGIN_ADDRESS_FAILURE_LIMIT = 3
    assert [r.status_code for r in spray(["rui", "rui"])] == [200, 429]
    assert [r.status_code for r in spray(["a", "b"], peer=COLLEAGUE)] == [200, 200]
    assert spray(["c"], peer=COLLEAGUE)[0].status_code == 429


def test_an_administrator_can_lift_a_lockout(db, reviewer):
    from django.core.management import call_command

    spray([f"user{number}" for number in range(40)])
    for _ in range(5):
        proxied(Client(), "rui", "wrong", "", peer=COLLEAGUE)
    assert proxied(Client(), "rui", PASSWORD, "", peer=ATTACKER).status_code == 429
    assert proxied(Client(), "rui", PASSWORD, "", peer=COLLEAGUE).status_code == 429
    call_command("axes_reset_ip", ATTACKER, verbosity=0)
    call_command("axes_reset_username", "rui", verbosity=0)
    assert proxied(Client(), "rui", PASSWORD, "", peer=ATTACKER).status_code == 302
    assert proxied(Client(), "rui", PASSWORD, "", peer=COLLEAGUE).status_code == 302


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("short-pass1", False),  # 11 characters
        ("password1234", False),  # on the common list
        ("the convoy reached melin at dawn", True),  # a long passphrase
        ("123456789012345678", True),  # no composition rules
    ],
)
def test_password_rules(db, password, accepted):
    user = get_user_model()(username="newcomer")
    if accepted:
        validate_password(password, user)
    else:
        with pytest.raises(ValidationError):
            validate_password(password, user)


# --- sessions ----------------------------------------------------------------------------


def test_login_issues_a_new_session_key_and_logout_kills_it(db, reviewer):
    client = Client()
    client.get(reverse("login"))
    before = client.cookies.get("sessionid")
    attempt(client, "rui", PASSWORD)
    after = client.cookies["sessionid"].value
    assert before is None or before.value != after
    assert client.get(reverse("dashboard")).status_code == 200
    client.post(reverse("logout"))
    stale = Client()
    stale.cookies["sessionid"] = after
    assert stale.get(reverse("dashboard")).status_code == 302


def test_a_deactivated_user_is_signed_out_at_once(client, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("dashboard")).status_code == 200
    get_user_model().objects.filter(pk=reviewer.pk).update(is_active=False)
    assert client.get(reverse("dashboard")).status_code == 302


@pytest.mark.parametrize(("key", "age"), [(SEEN, 31 * 60), (STARTED, 12 * 3600 + 60)])
def test_idle_and_old_sessions_end(client, reviewer, key, age):
    client.force_login(reviewer)
    session = client.session
    session[key] = time.time() - age
    session.save()
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get(reverse("dashboard")).status_code == 302


def test_an_active_session_is_not_written_on_every_request(client, reviewer):
    client.force_login(reviewer)
    client.get(reverse("dashboard"))
    seen = client.session[SEEN]
    client.get(reverse("dashboard"))
    assert client.session[SEEN] == seen


# --- CSRF and safe methods -----------------------------------------------------------------


def state_changing_urls():
    """Every URL that accepts a POST, from the roles x URLs table, plus the admin's."""
    from tests.test_url_matrix import EXPECTED, request_for

    urls = [
        request_for(name, "POST")
        for name, methods in EXPECTED.items()
        if any(code != 405 for code in methods["POST"].values()) and name != "login"
    ]
    return [url for url, _ in urls] + [
        reverse("admin:claims_claim_changelist"),
        reverse("admin:claims_claim_add"),
        reverse("admin:claims_source_add"),
        reverse("admin:articles_article_add"),
    ]


def test_every_state_changing_request_needs_a_csrf_token(db, superuser):
    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser)
    urls = state_changing_urls()
    assert len(urls) >= 10
    before = ClaimEvent.objects.count()
    for url in urls:
        response = client.post(url, {"to": "disputed", "note": "n", "expected_version": 1})
        assert response.status_code == 403, url
        assert "This form has expired" in response.content.decode()
    assert ClaimEvent.objects.count() == before
    # The login form too: a login without the token is refused.
    assert Client(enforce_csrf_checks=True).post(reverse("login"), {}).status_code == 403


def test_no_get_changes_state(db, superuser):
    client = Client()
    client.force_login(superuser)
    urls = state_changing_urls()
    before = (
        list(Claim.objects.values_list("status", "version", "assignee").order_by("pk")),
        ClaimEvent.objects.count(),
    )
    for url in urls:
        client.get(url, {"to": "disputed", "note": "n", "take": 1})
    after = (
        list(Claim.objects.values_list("status", "version", "assignee").order_by("pk")),
        ClaimEvent.objects.count(),
    )
    assert after == before


# --- error pages -------------------------------------------------------------------------


def broken(request):
    raise RuntimeError("SELECT secret FROM somewhere")


urlpatterns = [path("broken/", broken)]
handler500 = "newsdesk.views.server_error"


@override_settings(ROOT_URLCONF="tests.test_security", DEBUG=False)
def test_a_server_error_shows_no_internals_but_a_reference(db, caplog):
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Traceback" not in page
    assert "SELECT" not in page
    reference = response["X-Request-ID"]
    assert reference in page
    assert any(getattr(r, "request_id", None) == reference for r in caplog.records)


def test_not_found_and_forbidden_pages_are_our_own(client, nobody):
    client.force_login(nobody)
    assert "There is nothing at this address" in client.get("/nowhere/").content.decode()
    assert "You cannot do that here" in client.get(reverse("claims:queue")).content.decode()


def test_a_refusal_offers_the_dashboard_only_to_those_who_may_open_it(client, nobody, reviewer):
    client.force_login(nobody)
    response = client.get(reverse("claims:queue"))
    assert response.status_code == 403
    # The dashboard would refuse them again: a link back to it would go round in a circle.
    assert "Back to the dashboard" not in response.content.decode()
    assert "sign out first" in response.content.decode()
    client.force_login(reviewer)
    response = client.get(reverse("articles:import"))  # an Editor's page
    assert response.status_code == 403
    assert "Back to the dashboard" in response.content.decode()


SECURITY_HEADERS = [
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
    "Cross-Origin-Opener-Policy",
    "Strict-Transport-Security",
]


def security_headers(response) -> dict[str, str | None]:
    return {name: response.get(name) for name in SECURITY_HEADERS}


def error_pages(reviewer, nobody, claim):
    """(name, status, response) for every kind of error page, each made the way it happens."""
    secure = {"secure": True}
    signed_in, no_role, csrf = Client(), Client(), Client(enforce_csrf_checks=True)
    signed_in.force_login(reviewer)
    no_role.force_login(nobody)
    csrf.force_login(reviewer)
    yield "NUL in the query", 400, signed_in.get(reverse("claims:queue"), {"q": "a\x00b"}, **secure)
    yield (
        "too big",
        400,
        signed_in.post(
            reverse("claims:decide", args=[claim.pk]), {"note": "x" * (4 * 1024 * 1024)}, **secure
        ),
    )
    yield "no role", 403, no_role.get(reverse("claims:queue"), **secure)
    yield "no CSRF token", 403, csrf.post(reverse("claims:assign"), {}, **secure)
    yield "not found", 404, signed_in.get("/nowhere/", **secure)
    yield "wrong method", 405, Client().post(reverse("healthz"), **secure)
    locked = Client()
    for _ in range(5):
        response = locked.post(reverse("login"), {"username": "ada", "password": "x"}, **secure)
    yield "locked out", 429, response
    with override_settings(ROOT_URLCONF="tests.test_security"):
        yield "server error", 500, Client(raise_request_exception=False).get("/broken/", **secure)


def test_every_error_page_carries_the_headers_of_a_normal_page(
    superuser, reviewer, nobody, claim, settings
):
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    normal = Client()
    normal.force_login(reviewer)
    expected = security_headers(normal.get(reverse("dashboard"), secure=True))
    assert all(expected.values()), expected
    for name, status, response in error_pages(reviewer, nobody, claim):
        assert response.status_code == status, name
        assert security_headers(response) == expected, name
        assert len(response["X-Request-ID"]) == 16, name


# --- caching ----------------------------------------------------------------------------


def test_signed_in_pages_are_not_stored_by_browsers_or_proxies(db, superuser):
    client = Client()
    client.force_login(superuser)
    pages = 0
    for url in every_get_url():
        response = client.get(url)
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        if response.streaming:  # a download keeps its own header
            assert directives == {"no-store"}, url
            continue
        assert {"private", "no-store"} <= directives, url
        pages += 1
    assert pages >= 8


def test_a_response_that_sets_its_own_cache_control_keeps_it(client, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("healthz"))
    assert "max-age=0" in response["Cache-Control"]  # never_cache's, not ours


# --- the history and the health check --------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "statement",
    ["UPDATE claims_claimevent SET note = 'rewritten'", "DELETE FROM claims_claimevent"],
)
def test_the_database_refuses_to_rewrite_history(db, claim, statement):
    ClaimEvent.objects.create(claim=claim, kind=EventKind.CREATED, via=Via.WEB, note="original")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert ClaimEvent.objects.get().note == "original"


def test_health_check_answers_without_login(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_check_answers_head_without_a_body(client, db):
    response = client.head(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b""


def test_health_check_reports_a_dead_database(client, db, monkeypatch):
    from newsdesk import views

    class DeadDatabase:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr(views, "connection", DeadDatabase())
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


# --- nothing half-written ------------------------------------------------------------------


def test_a_failure_between_the_status_write_and_the_history_write_leaves_nothing(
    reviewer, monkeypatch
):
    from claims.services import claim_transition

    claim = ClaimFactory()

    def broken_history(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(ClaimEvent.objects, "bulk_create", broken_history)
    with pytest.raises(DatabaseError):
        claim_transition(
            claim=claim, to=ClaimStatus.DISPUTED, by=reviewer, expected_version=1, note="n"
        )
    claim.refresh_from_db()
    assert (claim.status, claim.version) == (ClaimStatus.UNVERIFIED, 1)


# --- input size ----------------------------------------------------------------------------

HUGE = "x" * 200_000


def test_a_huge_decision_note_is_refused_with_a_form_error(client, reviewer, claim):
    client.force_login(reviewer)
    url = reverse("claims:decide", args=[claim.pk])
    expected_version = claim.version
    for field in ("note", "rationale"):
        data = {"to": "disputed", "note": "Checked.", "expected_version": expected_version}
        response = client.post(url, {**data, field: HUGE})
        assert response.status_code == 400
        assert "at most 5000 characters" in response.content.decode()
    claim.refresh_from_db()
    assert (claim.status, claim.version, claim.rationale) == (ClaimStatus.UNVERIFIED, 1, "")
    assert not ClaimEvent.objects.filter(claim=claim).exists()


@pytest.mark.parametrize("field", ["note", "rationale"])
def test_the_services_refuse_a_huge_note_or_rationale_whoever_calls(reviewer, field):
    from claims.services import claim_transition, claim_update, claims_bulk_transition

    claim = ClaimFactory()
    text = {"note": "Checked.", "rationale": "Fine.", field: HUGE}
    with pytest.raises(ValidationError, match="at most 5,000 characters"):
        claim_transition(
            claim=claim, to=ClaimStatus.DISPUTED, by=reviewer, expected_version=1, **text
        )
    with pytest.raises(ValidationError, match="at most 5,000 characters"):
        claims_bulk_transition(claims=[claim.pk], to=ClaimStatus.DISPUTED, by=reviewer, **text)
    if field == "rationale":
        with pytest.raises(ValidationError, match="at most 5,000 characters"):
            claim_update(claim=claim, by=reviewer, expected_version=1, rationale=HUGE)
    claim.refresh_from_db()
    assert (claim.status, claim.version, claim.rationale) == (ClaimStatus.UNVERIFIED, 1, "")


def test_a_note_of_exactly_the_limit_is_kept_whole(reviewer):
    from claims.services import NOTE_MAX_LENGTH, claim_transition

    claim = ClaimFactory()
    note = "y" * NOTE_MAX_LENGTH
    claim_transition(
        claim=claim, to=ClaimStatus.DISPUTED, by=reviewer, expected_version=1, note=note
    )
    assert ClaimEvent.objects.get(claim=claim, kind=EventKind.STATUS_CHANGED).note == note
