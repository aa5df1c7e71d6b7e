"""/healthz while downloads run: does the health check still answer at once?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsdesk_bench .venv/bin/python bench/healthz.py

Starts the server as `make serve` does, begins `--downloads` JSON exports of every reviewed
claim at once (each streams for a minute or more at 1,000,000 claims), and meanwhile asks
/healthz once a second; prints the slowest and median answer, for the old sync workers and
for gunicorn.conf.py's threaded ones.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time
import urllib.request

from _common import setup, table
from _serve import logged_in, served

CONFIGS = {
    "sync, 3 workers (before)": ("--worker-class", "sync", "--workers", "3"),
    "gthread (gunicorn.conf.py)": (),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--downloads", type=int, default=3)
    parser.add_argument("--probes", type=int, default=20)
    args = parser.parse_args()
    setup()
    with logged_in() as cookie:
        rows = [probe(name, options, cookie, args) for name, options in CONFIGS.items()]
    print()
    print(
        table(
            rows,
            ("server", "downloads", "still streaming", "healthz median ms", "healthz max ms"),
        )
    )


def probe(name: str, options: tuple[str, ...], cookie: str, args: argparse.Namespace) -> tuple:
    """One server configuration: /healthz's answer times while the downloads stream."""
    with served(options=options) as server:
        downloads = [
            subprocess.Popen(
                ["curl", "-s", "-o", "/dev/null", "-b", cookie, f"{server.url}/claims/export/json/"]
            )
            for _ in range(args.downloads)
        ]
        time.sleep(2)  # let every download reach its worker
        times = []
        for _ in range(args.probes):
            began = time.perf_counter()
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=60) as answer:
                answer.read()
            times.append((time.perf_counter() - began) * 1000)
            time.sleep(max(0.0, 1 - times[-1] / 1000))
        still_running = sum(d.poll() is None for d in downloads)
        for download in downloads:
            download.kill()
    median, slowest = statistics.median(times), max(times)
    row = (name, args.downloads, still_running, f"{median:.1f}", f"{slowest:.1f}")
    print(row, flush=True)
    return row


if __name__ == "__main__":
    main()
