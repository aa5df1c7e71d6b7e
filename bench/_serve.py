"""A production server for the benchmarks: gunicorn as `make serve` starts it, on a port of
its own, and a signed-in session to send it."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from _common import ROOT

BIN = ROOT / ".venv" / "bin"
# One key for the server and for this process, which signs the sessions it hands out.
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(64))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(**extra: str) -> dict[str, str]:
    """Production settings on plain HTTP at 127.0.0.1, against DATABASE_URL."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsdesk.settings.prod",
        "DJANGO_SECRET_KEY": os.environ["DJANGO_SECRET_KEY"],
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        **extra,
    }


@dataclass(frozen=True)
class Server:
    url: str
    pid: int

    def workers_peak_mb(self) -> float:
        """The largest peak resident memory (VmHWM) among gunicorn's workers so far."""
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
        peaks = [0]
        for pid in children:
            try:
                status = Path(f"/proc/{pid}/status").read_text().splitlines()
            except FileNotFoundError:  # a worker restarting
                continue
            peaks += [int(line.split()[1]) for line in status if line.startswith("VmHWM")]
        return max(peaks) / 1024


@contextmanager
def served(
    *, port: int | None = None, options: tuple[str, ...] = (), **env: str
) -> Iterator[Server]:
    """gunicorn with gunicorn.conf.py (plus `options`), until the block ends.

    The static files are collected first, as `make serve` does: the manifest storage
    refuses to render a page without them.
    """
    port = port or free_port()
    environment = production_env(**env)
    subprocess.run(
        [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    environment["PORT"] = str(port)
    # gunicorn's and Django's log (tracebacks included), for when a figure looks wrong.
    log = open(Path(tempfile.gettempdir()) / f"newsdesk-bench-{port}.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", *options, "newsdesk.wsgi"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit(f"no answer from gunicorn on port {port}; its log: {log.name}")
        yield Server(url=url, pid=server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@contextmanager
def logged_in(username: str = "bulk-reviewer1") -> Iterator[str]:
    """A `Cookie` header value for a session of `username`, as the login page would make it
    (Django must be set up against the server's DATABASE_URL); the session is deleted
    afterwards, so the bench database is left as it was."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.utils.module_loading import import_string

    user = get_user_model().objects.get(username=username)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session.update(
        {
            "_auth_user_id": str(user.pk),
            "_auth_user_hash": user.get_session_auth_hash(),
            # The backend that loads users (the first is django-axes' lockout check).
            "_auth_user_backend": next(
                path
                for path in settings.AUTHENTICATION_BACKENDS
                if hasattr(import_string(path), "get_user")
            ),
        }
    )
    session.create()
    try:
        yield f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    finally:
        session.delete()
