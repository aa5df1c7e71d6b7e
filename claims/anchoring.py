"""Finding quotes in article text."""

from __future__ import annotations


def quote_occurrences(body: str, quote: str) -> list[int]:
    """Every offset at which `quote` starts in `body`, overlapping ones included."""
    if not quote:
        return []
    found, at = [], body.find(quote)
    while at != -1:
        found.append(at)
        at = body.find(quote, at + 1)
    return found
