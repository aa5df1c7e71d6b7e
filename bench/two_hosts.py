"""Two app hosts over one PostgreSQL and one Redis: what one host does, the other sees.

Starts `make serve` twice (production settings, gunicorn as the Makefile starts it) on ports
8101 and 8102, each with its own static files, over a database of its own
(newsdesk_twohosts, dropped and made again, migrated, seeded with seed_demo) and Redis
database 13 (emptied first), then prints a PASS or FAIL line for each of:

- a login made through host 1 is a session host 2 knows;
- a lock-out made through host 1 (five wrong passwords) holds on host 2, even for the right
  password, and not for another user;
- the suggestion scores computed when host 1 opened the article pages are in Redis, and
  host 2 opening the same pages reads them (Redis MONITOR shows a GET of each, no SET).

Then it stops both hosts. Exits 1 if anything failed.

    python bench/two_hosts.py [--postgres postgres://postgres@127.0.0.1:5432]
                              [--redis redis://127.0.0.1:6379/13]
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "newsdesk_twohosts"
PORTS = (8101, 8102)
PASSWORD = "newsdesk-demo"  # seed_demo's
results: list[bool] = []


def check(ok: bool, what: str) -> None:
    results.append(ok)
    print(f"{'PASS' if ok else 'FAIL'} {what}", flush=True)


class Browser:
    """One person's browser: its cookies, sent back by hand because production cookies are
    Secure and these hosts are reached over plain http (as behind a TLS proxy)."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(self, url: str, data: dict[str, str] | None = None) -> tuple[int, str, float]:
        origin = re.match(r"https?://[^/]+", url).group(0).replace("http:", "https:")
        headers = {
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers |= {"Origin": origin, "Referer": origin + urllib.parse.urlsplit(url).path}
        request = urllib.request.Request(url, data=body, headers=headers)
        opener = urllib.request.build_opener(NoRedirect)
        began = time.perf_counter()
        try:
            with opener.open(request, timeout=60) as response:
                status, received, text = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, received, text = error.code, error.headers, error.read()
        elapsed = time.perf_counter() - began
        for cookie in received.get_all("Set-Cookie") or []:
            name, value = cookie.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return status, text.decode(errors="replace"), elapsed

    def log_in(self, base: str, username: str, password: str) -> int:
        _, page, _ = self.request(f"{base}/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, _, _ = self.request(
            f"{base}/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password},
        )
        return status


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a login's 302 is the answer we want to see


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def start(env: dict[str, str], port: int, static: Path) -> subprocess.Popen:
    """`make serve` on one port, in a process group of its own so it can be stopped whole."""
    return subprocess.Popen(
        ["make", "serve", f"PORT={port}", "HOST=127.0.0.1"],
        cwd=ROOT,
        env={**env, "DJANGO_STATIC_ROOT": str(static)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_healthy(base: str, server: subprocess.Popen) -> None:
    for _ in range(600):
        if server.poll() is not None:
            raise SystemExit(f"make serve for {base} exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{base} did not answer /healthz")


class Monitor(threading.Thread):
    """Every command Redis runs on one database while it is on (Redis MONITOR)."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.client = redis.Redis.from_url(url)
        self.db = self.client.connection_pool.connection_kwargs.get("db", 0)
        self.commands: list[str] = []
        self.ready = threading.Event()

    def run(self) -> None:
        with self.client.monitor() as monitor:
            self.ready.set()
            for event in monitor.listen():
                if event["command"] == "ECHO two-hosts-done":
                    return
                if int(event["db"]) == self.db:
                    self.commands.append(event["command"])

    def stop(self) -> list[str]:
        self.client.echo("two-hosts-done")
        self.join(timeout=10)
        return self.commands


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    args = parser.parse_args()

    with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    store = redis.Redis.from_url(args.redis)
    store.flushdb()  # the bench's own database number

    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSDESK_"))},
        "DATABASE_URL": f"{args.postgres}/{DATABASE}",
        "CACHE_URL": args.redis,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),  # throwaway
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
    }
    manage({**env, "DJANGO_SETTINGS_MODULE": "newsdesk.settings.prod"}, "migrate", "--noinput")
    # seed_demo refuses production settings: the demo newsroom is loaded as in development.
    manage({**env, "DJANGO_SETTINGS_MODULE": "newsdesk.settings.dev"}, "seed_demo")
    with psycopg.connect(f"{args.postgres}/{DATABASE}") as db:
        articles = [pk for (pk,) in db.execute("SELECT id FROM articles_article ORDER BY id")]

    servers: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            for port in PORTS:
                servers.append(start(env, port, Path(tmp) / str(port)))
                wait_healthy(f"http://127.0.0.1:{port}", servers[-1])
            one, two = (f"http://127.0.0.1:{port}" for port in PORTS)
            print(f"hosts {one} and {two} up, over {DATABASE} and {args.redis}", flush=True)
            run_checks(one, two, articles, store, args.redis)
        finally:
            for server in servers:
                os.killpg(server.pid, signal.SIGTERM)
            for server in servers:
                server.wait(timeout=60)
    print(f"{results.count(True)} passed, {results.count(False)} failed")
    sys.exit(0 if all(results) else 1)


def run_checks(one: str, two: str, articles: list[int], store: redis.Redis, url: str) -> None:
    editor = Browser()
    check(editor.log_in(one, "editor", PASSWORD) == 302, "editor logs in on host 1")
    status, _, _ = editor.request(f"{two}/")
    check(status == 200, f"host 2 knows host 1's session (dashboard: {status})")

    attacker = Browser()
    codes = [attacker.log_in(one, "reviewer", "wrong password") for _ in range(5)]
    check(codes[-1] == 429, f"five wrong passwords on host 1 lock 'reviewer' out ({codes})")
    status = Browser().log_in(two, "reviewer", PASSWORD)
    check(status == 429, f"the lock-out holds on host 2, right password and all ({status})")
    status = Browser().log_in(two, "reviewer2", PASSWORD)
    check(status == 302, f"another user logs in on host 2 meanwhile ({status})")

    check(not store.keys("*suggestions:*"), "no suggestion scores cached before")
    first = [editor.request(f"{one}/articles/{pk}/") for pk in articles]
    keys = sorted(key.decode() for key in store.keys("*suggestions:*"))
    check(
        all(status == 200 for status, _, _ in first) and len(keys) == len(articles),
        f"host 1 opened {len(articles)} article pages and cached {len(keys)} texts' scores "
        f"in Redis: {', '.join(keys)}",
    )
    monitor = Monitor(url)
    monitor.start()
    monitor.ready.wait(timeout=10)
    second = [editor.request(f"{two}/articles/{pk}/") for pk in articles]
    commands = [c for c in monitor.stop() if "suggestions:" in c]
    read = {c.split()[1].strip('"') for c in commands if c.startswith("GET ")}
    written = [c.split()[0:2] for c in commands if not c.startswith("GET ")]
    check(
        all(status == 200 for status, _, _ in second) and read == set(keys) and not written,
        f"host 2 read every cached score ({len(read)} GET) and scored nothing again "
        f"({len(written)} writes: {written})",
    )
    for pk, (_, _, took1), (_, _, took2) in zip(articles, first, second, strict=True):
        print(f"  article {pk}: host 1 (scored) {took1 * 1e3:.0f} ms, host 2 {took2 * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
