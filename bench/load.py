"""Throughput of `make serve`: requests per second and latency at 1, 10 and 20 clients.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsdesk_bench .venv/bin/python bench/load.py

Needs wrk (Debian: apt-get install wrk). Each server configuration is started as
`make serve` starts it (gunicorn.conf.py, production settings, on a free port of
127.0.0.1), then wrk sends signed-in GETs for `--seconds` per concurrency: the queue (first
page, a status filter, a deep keyset page) and claim pages, in turn, as a reviewer works.
wrk counts any answer that is not 2xx or 3xx as an error.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import tempfile
import urllib.request
from pathlib import Path

from _common import setup, table
from _serve import logged_in, served

CONFIGS = {
    # name: gunicorn options on top of gunicorn.conf.py
    "sync, 3 workers (before)": ("--worker-class", "sync", "--workers", "3"),
    "gthread, 3 workers x 4 threads": ("--workers", "3", "--threads", "4"),
    "gthread, 5 workers x 4 threads": ("--workers", "5", "--threads", "4"),
    "gthread, 2 workers x 8 threads": ("--workers", "2", "--threads", "8"),
}
RESULT = re.compile(
    r"RESULT requests=(\d+) seconds=([\d.]+) p50=([\d.]+) p95=([\d.]+) p99=([\d.]+) errors=(\d+)"
)


def paths() -> list[str]:
    """What a reviewer's session asks for: queue pages and the claims they open."""
    from claims.models import Claim
    from claims.selectors import encode_cursor

    claims = list(Claim.objects.order_by("?")[:200])
    deep = Claim.objects.order_by("-status_changed_at", "-id")[100_000]
    queue = [
        "/claims/",
        "/claims/?status=unverified",
        f"/claims/?after={encode_cursor(deep)}",
    ]
    pages = []
    for i, claim in enumerate(claims):
        pages.append(f"/claims/{claim.pk}/")
        pages.append(queue[i % len(queue)])
    return pages


def check_signed_in(url: str, cookie: str, pages: list[str]) -> None:
    """A redirect to the login page would count as a fast success: refuse to measure it."""
    for path in pages[:2]:
        request = urllib.request.Request(url + path, headers={"Cookie": cookie})
        with urllib.request.urlopen(request) as answer:
            if answer.status != 200 or "/login" in answer.url:
                raise SystemExit(f"{path} did not answer 200 to the signed-in reviewer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 10, 20])
    parser.add_argument("--configs", nargs="+", choices=list(CONFIGS), default=list(CONFIGS))
    args = parser.parse_args()
    setup()
    with logged_in() as cookie:
        rows = measure(args, cookie)
    print()
    print(
        table(
            rows,
            ("server", "clients", "requests/s", "p50 ms", "p95 ms", "p99 ms", "errors"),
        )
    )


def measure(args: argparse.Namespace, cookie: str) -> list[tuple]:
    rows = []
    pages = paths()
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(pages) + "\n")
    env = {**os.environ, "NEWSDESK_PATHS": listing.name}
    for name in args.configs:
        with served(options=CONFIGS[name]) as server:
            url = server.url
            check_signed_in(url, cookie, pages)
            for clients in args.clients:
                command = [
                    "wrk",
                    f"--threads={min(clients, 2)}",
                    f"--connections={clients}",
                    f"--duration={args.seconds}s",
                    "--timeout=30s",
                    f"--script={Path(__file__).with_name('load.lua')}",
                    f"--header=Cookie: {cookie}",
                    url,
                ]
                output = subprocess.run(
                    command, env=env, capture_output=True, text=True, check=True
                ).stdout
                found = RESULT.search(output)
                if not found:
                    raise SystemExit(f"wrk printed no result:\n{output}")
                requests, seconds, p50, p95, p99, errors = found.groups()
                rate = int(requests) / float(seconds)
                rows.append((name, clients, f"{rate:.1f}", p50, p95, p99, errors))
                print(rows[-1], flush=True)
    os.unlink(listing.name)
    return rows


if __name__ == "__main__":
    main()
