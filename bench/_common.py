"""Helpers shared by the benchmarks: Django set-up, timing and peak memory of a command."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.dev")
os.environ.setdefault("DJANGO_DEBUG", "0")  # DEBUG would keep every query in memory


def setup() -> None:
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("The benchmarks measure PostgreSQL: set DATABASE_URL=postgres://…")


def run(command: list[str], **kwargs) -> tuple[float, float]:
    """Run a command; return its wall time in seconds and peak memory in MB (GNU time)."""
    kwargs.setdefault("stdout", subprocess.DEVNULL)
    began = time.perf_counter()
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *command], stderr=subprocess.PIPE, text=True, **kwargs
    )
    elapsed = time.perf_counter() - began
    if result.returncode != 0:
        raise SystemExit(f"{command[0]} failed:\n{result.stderr[-2000:]}")
    peak_kb = int(re.findall(r"^(\d+)$", result.stderr, re.M)[-1])
    return elapsed, peak_kb / 1024


def table(rows: list[tuple], headers: tuple[str, ...]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=False)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"
    rule = "| " + " | ".join("-" * w for w in widths) + " |"
    body = [
        "| " + " | ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    return "\n".join([line, rule, *body])
