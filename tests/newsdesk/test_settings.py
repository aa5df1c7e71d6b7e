from __future__ import annotations

import os
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


def test_deploy_checks_pass_under_production_settings():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "newsdesk.settings.prod",
            "DJANGO_SECRET_KEY": GOOD_KEY,
            "DJANGO_ALLOWED_HOSTS": "news.example",
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_confirming_on_no_evidence_cannot_be_configured():
    result = load_settings("newsdesk.settings.dev", NEWSDESK_CONFIRM_MIN_SOURCES="0")
    assert "NEWSDESK_CONFIRM_MIN_SOURCES must be 1 or more" in result.stderr
