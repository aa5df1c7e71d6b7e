"""The serve configuration is the one the README describes, and gunicorn accepts it."""

from __future__ import annotations

import re
import runpy

import pytest
from gunicorn.config import Config

from tests.newsdesk.test_settings import ROOT

README = (ROOT / "README.md").read_text()


@pytest.fixture
def conf(monkeypatch) -> dict[str, object]:
    for name in ("HOST", "PORT", "WORKERS", "THREADS", "GUNICORN_TIMEOUT", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    namespace = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    return {k: v for k, v in namespace.items() if not k.startswith("_") and k != "os"}


def readme_default(variable: str) -> int:
    found = re.search(rf"`{variable}`\**\s*\(default (\d+)", README)
    assert found, f"README.md does not give {variable}'s default"
    return int(found.group(1))


def test_gunicorn_accepts_every_setting(conf):
    config = Config()
    for name, value in conf.items():
        config.set(name, value)  # raises on an unknown setting or a value of the wrong kind
    assert config.worker_class_str == "gthread"


def test_the_readme_describes_the_serve_configuration(conf):
    assert conf["worker_class"] == "gthread"
    assert "gthread" in README
    assert conf["workers"] == readme_default("WORKERS")
    assert conf["threads"] == readme_default("THREADS")
    assert conf["timeout"] == readme_default("GUNICORN_TIMEOUT")
    assert conf["bind"] == "127.0.0.1:8000"


def test_make_serve_uses_the_configuration():
    makefile = (ROOT / "Makefile").read_text()
    serve = makefile.split("\nserve:", 1)[1].split("\n\n", 1)[0]
    assert "--config gunicorn.conf.py" in serve
    assert "WORKERS=$(WORKERS)" in serve
    assert "THREADS=$(THREADS)" in serve


def test_the_environment_sizes_a_bigger_host(monkeypatch):
    monkeypatch.setenv("WORKERS", "9")
    monkeypatch.setenv("THREADS", "8")
    monkeypatch.setenv("PORT", "8123")
    namespace = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (namespace["workers"], namespace["threads"]) == (9, 8)
    assert namespace["bind"] == "127.0.0.1:8123"
