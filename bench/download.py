"""Big downloads through gunicorn as `make serve` runs it, each parsed to its last row.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsdesk_bench \\
        .venv/bin/python bench/download.py [--port 8201]

Starts gunicorn as `make serve` does (gunicorn.conf.py, production settings), logs in as
bulk-reviewer1 by a session made here (deleted at the end), downloads as a browser would
from the dashboard's links (all reviewed claims, CSV and JSON) and every claim (all four
statuses, CSV and JSON), each to a file, then parses each file to the end: the CSV with the
csv module, the JSON article by article. A download cut short (a killed worker) fails curl
or the parse, and says so. Prints rows, seconds, MB, whether it parsed and the largest
worker's peak memory; the printable report of the same selection is fetched too.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import tempfile
import time
from pathlib import Path

from _common import setup, table
from _serve import logged_in, served

EVERY_STATUS = "status=unverified&status=sourced&status=disputed&status=confirmed"
DOWNLOADS = (
    # name, path and query, what it holds
    ("all reviewed claims, CSV", "/claims/export/csv/", "csv"),
    ("all reviewed claims, JSON", "/claims/export/json/", "json"),
    ("every claim, CSV", f"/claims/export/csv/?{EVERY_STATUS}", "csv"),
    ("every claim, JSON", f"/claims/export/json/?{EVERY_STATUS}", "json"),
    # Not a download: the printable page of the same selection, which shows a bounded part.
    ("printable report, all reviewed", "/claims/report/", "report"),
)


def fetch(url: str, cookie: str, target: Path) -> float:
    """Download `url` into `target` with curl; the seconds it took. A stream cut short
    (chunked transfer left unfinished) or an answer other than 200 stops the bench."""
    began = time.perf_counter()
    result = subprocess.run(
        ["curl", "-sS", "-o", str(target), "-w", "%{http_code}", "-b", cookie, url],
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - began
    if result.returncode != 0 or result.stdout != "200":
        raise DownloadFailed(
            f"HTTP {result.stdout} after {elapsed:.1f} s, {target.stat().st_size:,} bytes: "
            f"{result.stderr.strip()}"
        )
    return elapsed


class DownloadFailed(Exception):
    pass


def csv_rows(path: Path) -> int:
    """Rows in the CSV after its header, every row checked for its number of columns."""
    with path.open(newline="", encoding="utf-8-sig") as file:
        reader = csv.reader(file)
        header = next(reader)
        if header[0] != "claim_id":
            raise ValueError(f"not the report's CSV: {header[:3]}")
        rows = 0
        for row in reader:
            if len(row) != len(header):
                raise ValueError(f"row {rows + 1} has {len(row)} columns")
            rows += 1
    return rows


def json_claims(path: Path) -> int:
    """Claims in the JSON report, read article by article (the whole file as Python
    objects would take gigabytes); any syntax error, or a file cut short, raises."""
    text = path.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    opening = text.index('"articles": [') + len('"articles": [')
    json.loads(text[:opening] + "]}")  # the head: generated_at, newsroom, format
    position, claims = opening, 0
    while text[position] != "]":
        article, position = decoder.raw_decode(text, position)
        claims += len(article["claims"])
        if text[position] == ",":
            position += 1
    if text[position:].strip() != "]}":
        raise ValueError(f"unexpected end: {text[position : position + 40]!r}")
    return claims


def claimreview_items(path: Path) -> int:
    """ClaimReview objects in the JSON-LD array, read one at a time."""
    text = path.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    position, items = 1, 0
    if text[0] != "[":
        raise ValueError("not a JSON array")
    while text[position] != "]":
        review, position = decoder.raw_decode(text, position)
        if review["@type"] != "ClaimReview":
            raise ValueError(f"item {items + 1} is a {review['@type']}")
        items += 1
        while text[position] in ",\n":
            position += 1
    if text[position:].strip() != "]":
        raise ValueError(f"unexpected end: {text[position : position + 40]!r}")
    return items


def report_claims(path: Path) -> int:
    """Claims shown on the printable report page."""
    page = path.read_text(encoding="utf-8")
    if "</html>" not in page:
        raise ValueError("the page is cut short")
    return page.count('class="nd-report-claim')


PARSERS = {
    "csv": csv_rows,
    "json": json_claims,
    "claimreview": claimreview_items,
    "report": report_claims,
}


def download_and_parse(base: str, cookie: str, path: str, kind: str) -> tuple:
    """(rows, seconds, MB, parsed) of one download; the file is removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="bench-download-") as folder:
        target = Path(folder) / "report"
        try:
            seconds = fetch(base + path, cookie, target)
        except DownloadFailed as error:
            size = target.stat().st_size / 1e6 if target.exists() else 0
            return "-", "-", f"{size:.0f}", f"no: {error}"
        size = target.stat().st_size / 1e6
        try:
            rows = PARSERS[kind](target)
        except (ValueError, KeyError, IndexError) as error:
            return "-", f"{seconds:.1f}", f"{size:.0f}", f"no: {error}"
        return f"{rows:,}", f"{seconds:.1f}", f"{size:.0f}", "yes"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8201)
    parser.add_argument(
        "--only", action="append", help="Only downloads whose name contains this; repeatable."
    )
    args = parser.parse_args()
    setup()
    from claims.models import Claim

    print(f"{Claim.objects.count():,} claims in the database\n")
    results = []
    with logged_in() as cookie, served(port=args.port) as server:
        for name, path, kind in DOWNLOADS:
            if args.only and not any(word in name for word in args.only):
                continue
            outcome = download_and_parse(server.url, cookie, path, kind)
            results.append((name, path, *outcome, f"{server.workers_peak_mb():.0f}"))
            print(f"{name}: {results[-1][2:]}", flush=True)
    print()
    headers = ("download", "URL", "rows", "seconds", "MB", "parsed", "worker peak MB")
    print(table(results, headers))


if __name__ == "__main__":
    main()
