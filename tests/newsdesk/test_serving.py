"""Production serving, end to end: gunicorn, WhiteNoise's hashed static files, the health
check, under production settings against a database of its own."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.newsdesk.test_settings import GOOD_KEY, ROOT

GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    # Behind the TLS terminator the proxy says the request came in over https.
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


@pytest.mark.skipif(shutil.which(str(GUNICORN)) is None, reason="gunicorn is not installed")
def test_gunicorn_serves_the_app_with_hashed_static_files(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))},
        "DJANGO_SETTINGS_MODULE": "newsdesk.settings.prod",
        "DJANGO_SECRET_KEY": GOOD_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
    }
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    port = free_port()
    server = subprocess.Popen(
        [str(GUNICORN), "newsdesk.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                status, _, body = fetch(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.1)
        assert (status, body) == (200, b'{"status": "ok", "database": "ok"}')

        status, headers, page = fetch(f"{base}/login/")
        assert status == 200
        assert "Strict-Transport-Security" in headers
        css = re.search(
            rb'href="(/static/vendor/bootstrap-5\.3\.9/css/bootstrap\.min\.[0-9a-f]{12}\.css)"',
            page,
        )
        assert css, "the stylesheet is not served under a hashed name"
        status, headers, _ = fetch(base + css.group(1).decode())
        assert status == 200
        assert "max-age=315360000" in headers["Cache-Control"]  # hashed: cached for good
    finally:
        server.terminate()
        server.wait(timeout=10)
