"""Quotes in article text: where a quote stands, which of its copies a person meant, the
anchor a claim keeps (W3C TextQuoteSelector: the quote, its offsets and the context on
each side) and whether two quotes say the same words."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from newsdesk.text import normalize_text

_WORD_ONLY = re.compile(r"\w+")

# W3C TextQuoteSelector context kept on each side of a quote, so a claim can be
# found again after its article is edited.
ANCHOR_CONTEXT = 32


def anchor_at(body: str, start: int, end: int) -> dict[str, object]:
    """The fields that anchor a claim to `body[start:end]`: the quote, its offsets and the
    W3C TextQuoteSelector context on each side."""
    if not 0 <= start < end <= len(body):
        raise ValidationError(
            {"start": f"The span {start} to {end} is outside the article (0 to {len(body)})."}
        )
    quote = body[start:end]
    if not quote.strip():
        raise ValidationError({"start": "The span holds only blank space; select some words."})
    return {
        "text": quote,
        "start": start,
        "end": end,
        "prefix": body[max(0, start - ANCHOR_CONTEXT) : start],
        "suffix": body[end : end + ANCHOR_CONTEXT],
    }


def quote_occurrences(body: str, quote: str) -> list[int]:
    """Every offset at which `quote` starts in `body`, overlapping ones included."""
    if not quote:
        return []
    found, at = [], body.find(quote)
    while at != -1:
        found.append(at)
        at = body.find(quote, at + 1)
    return found


def locate_quote(body: str, quote: str, start: int | None = None) -> tuple[int, int]:
    """The span of `quote` in `body`; `start` picks one occurrence when there are several.

    Raises a ValidationError naming the field to fix: the quote when it is not in the
    text, the start offset when it is ambiguous or wrong.
    """
    # Pasted text may arrive decomposed or with \r\n; the body is stored normalised.
    quote = normalize_text(quote)
    if not quote:
        raise ValidationError({"quote": "Enter the exact words of the claim."})
    if start is not None:
        if body[start : start + len(quote)] != quote:
            raise ValidationError(
                {"start": "The quote does not stand at this offset in the article."}
            )
        return start, start + len(quote)
    found = quote_occurrences(body, quote)
    if not found:
        raise ValidationError({"quote": "These exact words are not in the article body."})
    if len(found) > 1:
        offsets = ", ".join(str(at) for at in found[:10])
        raise ValidationError(
            {
                "start": ValidationError(
                    f"The quote appears {len(found)} times (at offsets {offsets}); "
                    "choose the one you mean.",
                    code="ambiguous",
                    params={"offsets": found},
                )
            }
        )
    return found[0], found[0] + len(quote)


def occurrence_choices(body: str, quote: str, *, context: int = 40) -> list[tuple[int, str]]:
    """Each place a quote stands, with the words around it, for a person to pick from."""
    quote = normalize_text(quote)
    choices = []
    for at in quote_occurrences(body, quote)[:20]:
        before = body[max(0, at - context) : at].replace("\n", " ")
        after = body[at + len(quote) : at + len(quote) + context].replace("\n", " ")
        choices.append((at, f"…{before}[{quote}]{after}…"))
    return choices


def same_words(a: str, b: str) -> bool:
    """Whether two texts say the same words, whatever their capitals, punctuation and
    spacing ("The Red Cross opened" and "the Red Cross opened,")."""
    return [w.casefold() for w in _WORD_ONLY.findall(a)] == [
        w.casefold() for w in _WORD_ONLY.findall(b)
    ]
