from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "Zq9-x" + "v" * 30


def load_settings(module: str, **env: str) -> subprocess.CompletedProcess:
    """Import a settings module in a fresh interpreter with only the given environment, and
    print PRINT (by default: DEBUG, the database engine and the allowed hosts)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))}
    shown = env.pop(
        "PRINT", "settings.DEBUG, settings.DATABASES['default']['ENGINE'], settings.ALLOWED_HOSTS"
    )
    code = f"import django; from django.conf import settings; django.setup(); print({shown})"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": module, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings("newsdesk.settings.prod")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("key", ["short", "django-insecure-" + "x" * 60, "a" * 64])
def test_production_refuses_a_weak_secret_key(key):
    result = load_settings("newsdesk.settings.prod", DJANGO_SECRET_KEY=key)
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_debug():
    result = load_settings("newsdesk.settings.prod", DJANGO_SECRET_KEY=GOOD_KEY, DJANGO_DEBUG="1")
    assert "DJANGO_DEBUG must be off" in result.stderr


def test_production_reads_hosts_and_database_from_the_environment():
    result = load_settings(
        "newsdesk.settings.prod",
        DJANGO_SECRET_KEY=GOOD_KEY,
        DJANGO_ALLOWED_HOSTS="news.example, desk.example",
        DATABASE_URL="postgres://u:p@db.example:5432/newsdesk",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(maxsplit=2) == [
        "False",
        "django.db.backends.postgresql",
        "['news.example', 'desk.example']\n",
    ]


def test_development_defaults_to_sqlite_with_debug():
    result = load_settings("newsdesk.settings.dev")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("True django.db.backends.sqlite3")


def test_a_misspelt_boolean_is_an_error_not_a_guess():
    result = load_settings("newsdesk.settings.dev", DJANGO_DEBUG="maybe")
    assert "DJANGO_DEBUG must be one of" in result.stderr


def deploy_check(**env: str) -> subprocess.CompletedProcess:
    """`make serve`'s first step: the deploy checks, failing on any warning."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE", "NEWSDESK_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "newsdesk.settings.prod",
            "DJANGO_SECRET_KEY": GOOD_KEY,
            "DJANGO_ALLOWED_HOSTS": "news.example",
            **env,
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


# Every variable README.md's Configuration table documents, with the values it documents.
DOCUMENTED = [
    {},
    {"DATABASE_URL": "postgres://newsdesk:secret@db.example:5432/newsdesk"},
    {"DJANGO_DEBUG": "0"},
    {"DJANGO_DEBUG": "off"},
    {"DJANGO_ALLOWED_HOSTS": "newsdesk.example.org, desk.example.org"},
    {"DJANGO_CONN_MAX_AGE": "60"},
    {"DJANGO_TIME_ZONE": "Europe/Lisbon"},
    {"DJANGO_LOG_LEVEL": "WARNING"},
    {"DJANGO_LOG_LEVEL": "debug"},
    {"DJANGO_SECURE_SSL_REDIRECT": "0"},
    {"DJANGO_SECURE_SSL_REDIRECT": "false"},
    {"DJANGO_SECURE_SSL_REDIRECT": "1"},
    {"DJANGO_SECURE_HSTS_SECONDS": "3600"},
    {"DJANGO_SECURE_HSTS_SECONDS": "0"},
    {"DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_SECURE_HSTS_SECONDS": "0"},
    {"DJANGO_STATIC_ROOT": "/srv/newsdesk/static"},
    {"NEWSDESK_CONFIRM_MIN_SOURCES": "3"},
    {"NEWSDESK_FOUR_EYES": "no"},
    {"NEWSDESK_NEWSROOM_NAME": "The Daily Example"},
    {"NEWSDESK_BASE_URL": "https://newsdesk.example.org"},
    {"NEWSDESK_TRUSTED_PROXIES": "1"},
    {"NEWSDESK_TRUSTED_PROXIES": "2"},
    {
        "NEWSDESK_DB_STATEMENT_TIMEOUT_MS": "20000",
        "NEWSDESK_DB_LOCK_TIMEOUT_MS": "1000",
        "NEWSDESK_DB_LONG_STATEMENT_TIMEOUT_MS": "0",
    },
    {"NEWSDESK_DB_LONG_STATEMENTS": "1"},
    {"CACHE_URL": "redis://127.0.0.1:6379/0"},
    {"NEWSDESK_TASKS": "immediate"},
    {"NEWSDESK_TASKS": "database", "NEWSDESK_SUGGESTIONS_INLINE_CHARS": "50000"},
    {
        "NEWSDESK_LOGIN_FAILURE_LIMIT": "3",
        "NEWSDESK_LOGIN_ADDRESS_FAILURE_LIMIT": "50",
        "NEWSDESK_LOGIN_COOLOFF_MINUTES": "60",
    },
]


@pytest.mark.parametrize(
    "env",
    DOCUMENTED,
    ids=lambda env: " ".join(f"{k}={v}" for k, v in env.items()) or "defaults",
)
def test_deploy_checks_pass_with_every_documented_setting(env):
    result = deploy_check(**env)
    assert result.returncode == 0, result.stderr + result.stdout


def test_every_documented_variable_is_tried():
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", table, flags=re.M))
    tried = {name for env in DOCUMENTED for name in env} | {"DJANGO_SETTINGS_MODULE"}
    assert documented - {"DJANGO_SECRET_KEY"} <= tried
    assert "NEWSDESK_TRUSTED_PROXIES" in documented


def test_turning_the_redirect_off_silences_only_its_own_check():
    result = load_settings(
        "newsdesk.settings.prod",
        DJANGO_SECRET_KEY=GOOD_KEY,
        DJANGO_SECURE_SSL_REDIRECT="0",
        PRINT="settings.SILENCED_SYSTEM_CHECKS",
    )
    assert result.stdout.strip() == "['security.W008']"
    result = load_settings(
        "newsdesk.settings.prod",
        DJANGO_SECRET_KEY=GOOD_KEY,
        PRINT="settings.SILENCED_SYSTEM_CHECKS",
    )
    assert result.stdout.strip() == "[]"


def test_deploy_checks_still_catch_what_was_not_chosen():
    # An empty host list is a mistake, not a setting: the check still stops it.
    result = deploy_check(DJANGO_ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "security.W020" in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"NEWSDESK_TRUSTED_PROXIES": "-1"}, "NEWSDESK_TRUSTED_PROXIES must be 0 or more"),
        ({"NEWSDESK_LOGIN_FAILURE_LIMIT": "0"}, "must be 1 or more"),
        (
            {"NEWSDESK_LOGIN_FAILURE_LIMIT": "10", "NEWSDESK_LOGIN_ADDRESS_FAILURE_LIMIT": "5"},
            "must be at least NEWSDESK_LOGIN_FAILURE_LIMIT",
        ),
        ({"DJANGO_SECURE_HSTS_SECONDS": "-1"}, "DJANGO_SECURE_HSTS_SECONDS must be 0 or more"),
        ({"NEWSDESK_TASKS": "celery"}, "NEWSDESK_TASKS must be one of immediate, database"),
        (
            {"NEWSDESK_SUGGESTIONS_INLINE_CHARS": "-1"},
            "NEWSDESK_SUGGESTIONS_INLINE_CHARS must be 0 or more",
        ),
    ],
)
def test_a_nonsensical_login_or_proxy_setting_is_refused(env, message):
    result = load_settings("newsdesk.settings.prod", DJANGO_SECRET_KEY=GOOD_KEY, **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_confirming_on_no_evidence_cannot_be_configured():
    result = load_settings("newsdesk.settings.dev", NEWSDESK_CONFIRM_MIN_SOURCES="0")
    assert "NEWSDESK_CONFIRM_MIN_SOURCES must be 1 or more" in result.stderr
