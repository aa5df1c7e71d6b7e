"""Finding quotes in article text."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from articles.text import normalize_body


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
    quote = normalize_body(quote)
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
    quote = normalize_body(quote)
    choices = []
    for at in quote_occurrences(body, quote)[:20]:
        before = body[max(0, at - context) : at].replace("\n", " ")
        after = body[at + len(quote) : at + len(quote) + context].replace("\n", " ")
        choices.append((at, f"…{before}[{quote}]{after}…"))
    return choices
