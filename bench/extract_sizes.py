"""Extraction (articles.extract.extract) of hostile Markdown and HTML at several sizes.

    .venv/bin/python bench/extract_sizes.py                      # 0.5 MB and 2 MB
    .venv/bin/python bench/extract_sizes.py --sizes 250000,500000,1000000 --only 'md [\\n'

Prints CPU seconds (this process's, less sensitive than wall time to other work on the
machine) and the length of the text found, or why it was refused. Linear time shows as
seconds growing with size, not with its square: compare a row's columns. Needs no database.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _common import table


def documents(n: int) -> dict[str, tuple[str, str]]:
    """Each document of about `n` bytes: its kind and text."""
    return {
        "md [\\n (one paragraph of 1-char lines)": ("markdown", "[\n" * (n // 2)),
        "md [": ("markdown", "[" * n),
        "md ![\\n": ("markdown", "![\n" * (n // 3)),
        "md <\\n": ("markdown", "<\n" * (n // 2)),
        "md `": ("markdown", "`" * n),
        "md \\\\\\n": ("markdown", "\\\n" * (n // 2)),
        "md > nesting": ("markdown", "> " * (n // 2) + "x"),
        "md > lines": ("markdown", "> x\n" * (n // 4)),
        "md - nesting (one line)": ("markdown", "- " * (n // 2) + "x"),
        "md * lines": ("markdown", "* \n" * (n // 3)),
        "md setext": ("markdown", "a\n=\n" * (n // 4)),
        "md [a]:\\n": ("markdown", "[a]:\n" * (n // 5)),
        "md table, one huge row": ("markdown", "|a" * (n // 4) + "|\n" + "|-" * (n // 4) + "|\n"),
        "md table, many rows": ("markdown", "|a|b|\n|-|-|\n" + "|x|y|\n" * (n // 6)),
        "md *a": ("markdown", "*a " * (n // 3)),
        "md prose": (
            "markdown",
            "Five convoys came under *attack* on Monday, the [army](https://x.example) said.\n"
            * (n // 80),
        ),
        "html unclosed <p>": ("html", "<html><body>" + "<p>x" * (n // 4) + "</body></html>"),
        "html nested <div>": ("html", "<html><body>" + "<div>" * (n // 5) + "x</body></html>"),
        "html <": ("html", "<html><body><p>" + "<" * n + "</p></body></html>"),
        "html prose": (
            "html",
            "<html><body><article>"
            + "<p>Five convoys were attacked on Monday, the army said.</p>" * (n // 60)
            + "</article></body></html>",
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="500000,2000000")
    parser.add_argument("--only", action="append")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.test")
    import django

    django.setup()
    from articles.extract import ExtractionError, extract

    sizes = [int(size) for size in args.sizes.split(",")]
    rows = []
    for name in documents(10):
        if args.only and name not in args.only:
            continue
        row = [name]
        for size in sizes:
            kind, text = documents(size)[name]
            began = time.process_time()
            try:
                found = f"{len(extract(text.encode(), kind).body):,} chars"
            except ExtractionError as error:
                found = f"refused: {error}"[:40]
            row.append(f"{time.process_time() - began:.2f} s ({found})")
        rows.append(tuple(row))
        print(" ".join(map(str, row)), file=sys.stderr, flush=True)
    print(table(rows, ("document", *(f"{size:,} bytes" for size in sizes))))


if __name__ == "__main__":
    main()
