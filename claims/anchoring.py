"""Finding quotes in article text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

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


# --- following claims when their article is edited ------------------------------------

# How alike the old quote and the text now at its place must be to count as "changed"
# rather than gone.
FUZZY_MIN_RATIO = 0.6


@dataclass(frozen=True)
class Reanchored:
    outcome: str  # "kept", "moved", "changed" or "orphaned"
    start: int = 0
    end: int = 0

    def text(self, body: str) -> str:
        return body[self.start : self.end]


def _whole_words(body: str, start: int, end: int, text: str) -> tuple[int, int]:
    while start > 0 and body[start - 1].isalnum():
        start -= 1
    while end < len(body) and body[end].isalnum():
        end += 1
    # A quote that ended on punctuation keeps it ("… on Sunday.").
    if text and not text[-1].isalnum() and end < len(body) and body[end] == text[-1]:
        end += 1
    return start, max(end, start)


def _context_score(body: str, at: int, end: int, prefix: str, suffix: str) -> int:
    before, after = body[max(0, at - len(prefix)) : at], body[end : end + len(suffix)]
    score = 0
    for x, y in zip(reversed(before), reversed(prefix), strict=False):
        if x != y:
            break
        score += 1
    for x, y in zip(after, suffix, strict=False):
        if x != y:
            break
        score += 1
    return score


_TOKEN = re.compile(r"\w+|[^\w\s]")


class Body:
    """An edited article's text, tokenised once for every claim that has to be found in it."""

    def __init__(self, text: str) -> None:
        self.text = text
        tokens = list(_TOKEN.finditer(text))
        self.words = [t.group().casefold() for t in tokens]
        self.spans = [t.span() for t in tokens]
        # Word-level matching: a character-level diff of a long article is far too slow.
        self.matcher = SequenceMatcher(None, autojunk=False)
        self.matcher.set_seq2(self.words)

    def nearest(self, quote: str) -> tuple[int, int] | None:
        """The span that shares the longest run of words with `quote`, widened to its length."""
        words = [t.group().casefold() for t in _TOKEN.finditer(quote)]
        if not words or not self.words:
            return None
        self.matcher.set_seq1(words)
        match = self.matcher.find_longest_match(0, len(words), 0, len(self.words))
        if match.size == 0:
            return None
        first = max(0, match.b - match.a)
        last = min(len(self.words) - 1, match.b + (len(words) - match.a) - 1)
        return self.spans[first][0], self.spans[last][1]


def reanchor(
    body: Body, *, start: int, end: int, text: str, prefix: str, suffix: str
) -> Reanchored:
    """Find a claim again after its article changed: by position, then quote, then fuzzily.

    1. By position: the same words still stand at the same offsets.
    2. By quote: the same words stand elsewhere; of several places, the one whose
       surroundings best match the 32 characters kept on each side.
    3. Fuzzy: the place sharing the longest run of words with the old quote holds words
       alike enough to it: the claim is "changed" and needs a new look.
    Otherwise it is "orphaned": nothing is deleted, and a person decides.
    """
    new = body.text
    if new[start:end] == text:
        return Reanchored("kept", start, end)
    places = quote_occurrences(new, text)
    if places:
        best = max(places, key=lambda at: _context_score(new, at, at + len(text), prefix, suffix))
        return Reanchored("moved", best, best + len(text))
    near = body.nearest(text)
    if near is None:
        return Reanchored("orphaned")
    new_start, new_end = _whole_words(new, *near, text)
    candidate = new[new_start:new_end]
    if candidate.strip() and SequenceMatcher(None, text, candidate).ratio() >= FUZZY_MIN_RATIO:
        return Reanchored("changed", new_start, new_end)
    return Reanchored("orphaned")
