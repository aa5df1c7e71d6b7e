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
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.newsdesk.test_settings import GOOD_KEY, ROOT

GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    # Behind the TLS terminator the proxy says the request came in over https.
    request = urllib.request.Request(url, headers=headers or {"X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """gunicorn under production settings, behind one (pretend) TLS proxy: its base URL."""
    if shutil.which(str(GUNICORN)) is None:
        pytest.skip("gunicorn is not installed")
    tmp_path = tmp_path_factory.mktemp("serve")
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "DATABASE", "NEWSDESK_"))
        },
        "DJANGO_SETTINGS_MODULE": "newsdesk.settings.prod",
        "DJANGO_SECRET_KEY": GOOD_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "NEWSDESK_TRUSTED_PROXIES": "1",
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
        [str(GUNICORN), "newsdesk.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                fetch(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_gunicorn_serves_the_app_with_hashed_static_files(served):
    status, _, body = fetch(f"{served}/healthz")
    assert (status, body) == (200, b'{"status": "ok", "database": "ok"}')

    status, headers, page = fetch(f"{served}/login/")
    assert status == 200
    assert "Strict-Transport-Security" in headers
    css = re.search(
        rb'href="(/static/vendor/bootstrap-5\.3\.9/css/bootstrap\.min\.[0-9a-f]{12}\.css)"',
        page,
    )
    assert css, "the stylesheet is not served under a hashed name"
    status, headers, _ = fetch(served + css.group(1).decode())
    assert status == 200
    assert "max-age=315360000" in headers["Cache-Control"]  # hashed: cached for good


def test_the_health_check_answers_head_with_no_body(served):
    request = urllib.request.Request(
        f"{served}/healthz", method="HEAD", headers={"X-Forwarded-Proto": "https"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        assert response.read() == b""


def log_in(base: str, username: str, forwarded_for: str) -> int:
    """A login with a wrong password, as the proxy passes it on: the status it gets."""
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": forwarded_for}
    _, received, page = fetch(f"{base}/login/", headers)
    # The cookie is Secure, so urllib would not send it back over plain http: do it by hand.
    cookie = received["Set-Cookie"].split(";", 1)[0]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    request = urllib.request.Request(
        f"{base}/login/",
        data=urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": "wrong"}
        ).encode(),
        headers={
            **headers,
            "Cookie": cookie,
            "Origin": base.replace("http:", "https:"),
            "Referer": base.replace("http:", "https:") + "/login/",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_behind_the_proxy_a_lockout_is_the_attackers_alone(served):
    attacker, admin = "203.0.113.9", "198.51.100.7"
    codes = [log_in(served, "admin", f"{admin}, {attacker}") for _ in range(6)]
    assert codes == [200, 200, 200, 200, 429, 429]
    assert log_in(served, "admin", admin) == 200  # the form again, not the lock-out
