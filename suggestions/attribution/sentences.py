"""An article read for attribution: its sentences as tokens, what is quoted in them, and
the names the article mentions (NameIndex), so that a short form finds its fullest
mention and "he" finds a person named before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from suggestions.attribution.names import Span, bare, is_possessive, name_runs, strip_titles
from suggestions.attribution.words import (
    ADJECTIVE_ENDINGS,
    CLOSING,
    DATELINE,
    DATELINE_MARK,
    DETERMINERS,
    FEMALE,
    MALE,
    MARKS,
    NOUN_ADJECTIVES,
    OPENING,
    ORG_WORDS,
    TITLES,
    TOKEN,
    first_name_gender,
    is_person_role,
)


@dataclass
class Sentence:
    text: str  # the sentence as read: without a dateline
    tokens: list[str]
    lows: list[str]  # the tokens in lower case
    quoted: list[bool]  # whether each token is inside a quotation (or is a quotation mark)
    opens_inside: bool  # a quotation was open when the sentence began
    ends_inside: bool  # and is still open where it ends
    tagged: bool = False  # it gives a quotation's speaker ("…,” she said)

    def low(self, i: int) -> str:
        return self.lows[i] if 0 <= i < len(self.lows) else ""

    def noun(self, i: int) -> bool:
        """Whether the word at i, a verb of saying or a noun, is the noun: "the report", "an
        early estimate", "the agency's latest estimate" (but "the company estimates")."""
        for k in range(i - 1, max(-1, i - 4), -1):
            token, low = self.tokens[k], self.lows[k]
            if low in DETERMINERS or is_possessive(token):
                return True
            if not token.islower() or not (
                low in NOUN_ADJECTIVES or low.endswith(ADJECTIVE_ENDINGS)
            ):
                return False
        return False

    def closing_mark(self, i: int) -> bool:
        return 0 <= i < len(self.tokens) and self.tokens[i] in CLOSING + '"' and self.quoted[i]


def quote_marks(tokens: list[str], inside: bool) -> tuple[list[bool], bool]:
    """Which tokens are quoted, and whether a quotation is still open after them."""
    if not any(token in MARKS for token in tokens):
        return [inside] * len(tokens), inside
    quoted = []
    for token in tokens:
        if token in OPENING:
            inside = True
        elif token == '"':
            inside = not inside
        quoted.append(inside or token in MARKS)
        if token in CLOSING:
            inside = False
    return quoted, inside


def read_sentences(body: str, spans: Sequence[Span]) -> list[Sentence]:
    """The sentences `body[start:end]` of `spans` as attribution reads them: without a
    dateline, in tokens, with what is quoted."""
    out: list[Sentence] = []
    inside = False
    previous_end = 0
    for start, end in spans:
        paragraph_start = not out or "\n" in body[previous_end:start]
        previous_end = end
        text = body[start:end].strip()
        if paragraph_start:
            dateline = DATELINE.match(text)
            if dateline and dateline.end() < len(text) and DATELINE_MARK.search(dateline.group()):
                text = text[dateline.end() :]
        tokens = TOKEN.findall(text)
        opens_inside = inside
        if paragraph_start:
            # A quotation runs on into the next paragraph only if that one reopens it
            # (and its opening mark then opens it again).
            opens_inside = bool(inside and tokens and tokens[0] in OPENING + '"')
            inside = False
        quoted, inside = quote_marks(tokens, inside)
        lows = [token.lower() for token in tokens]
        out.append(Sentence(text, tokens, lows, quoted, opens_inside, inside))
    return out


class NameIndex:
    """The names an article mentions, sentence by sentence."""

    def __init__(self, body: str, sentences: Sequence[Sentence]) -> None:
        # Words the article writes in lower case: capitalised, they only open a sentence.
        self.common = frozenset(re.findall(r"(?<![\w’'-])[a-z][a-z’'-]*", body))
        self.midcaps: set[str] = set()  # words capitalised inside a sentence
        self.names: list[tuple[int, list[str]]] = []  # (sentence, words) of every name
        # (sentence, words, gender) of every name that is plainly a person's.
        self.people: list[tuple[int, list[str], str]] = []
        # Each distinct name once: a name repeated thousands of times must not make every
        # lookup walk all its mentions.
        self.by_first: dict[str, dict[tuple[str, ...], list[str]]] = {}
        self.by_last: dict[str, dict[tuple[str, ...], list[str]]] = {}
        for index, s in enumerate(sentences):
            for a, b in name_runs(s.tokens, 0, len(s.tokens), self.common):
                if a > 0:
                    self.midcaps.add(s.tokens[a].lower())
                words, titles = strip_titles([*s.tokens[a : b - 1], bare(s.tokens[b - 1])])
                if words:
                    self.names.append((index, words))
                    gender = self.person_gender(s, a, words, titles)
                    if gender is not None:
                        self.people.append((index, words, gender))
                    key = tuple(words)
                    self.by_first.setdefault(words[0].lower(), {}).setdefault(key, words)
                    self.by_last.setdefault(words[-1].lower(), {}).setdefault(key, words)
        self.name_sentences = [index for index, _ in self.names]
        self.people_sentences = [index for index, _, _ in self.people]

    @staticmethod
    def person_gender(s: Sentence, a: int, words: list[str], titles: set[str]) -> str | None:
        """If the name `words` (at token a, after `titles`) is plainly a person's, their
        gender ("m", "f" or ""); else None. Plainly: a title or a role before it ("Mayor
        Stefan Iliev", "union negotiator Niels de Boer") or a first name that tells."""
        low = [w.lower() for w in words]
        if not 2 <= len(low) <= 4 or any(w in ORG_WORDS for w in low) or s.low(a - 1) == "the":
            return None
        before = {s.low(k) for k in range(max(0, a - 3), a)} | titles
        gender = first_name_gender(low[0])
        if before & FEMALE:
            gender = "f"
        elif before & MALE:
            gender = "m"
        titled = titles & TITLES or is_person_role(s.low(a - 1))
        return gender if titled or gender else None

    def fullest(self, words: list[str]) -> list[str]:
        """The fullest mention in the article of the name `words`: "Feld" -> "Marcus Feld",
        "Cordillera Minerals" -> "Cordillera Minerals Corp."."""
        best, n = words, len(words)
        low = [w.lower() for w in words]
        firsts = self.by_first.get(low[0], {}).values()
        lasts = self.by_last.get(low[-1], {}).values()
        for other in [*firsts, *lasts]:
            if len(other) > len(best):
                other_low = [w.lower() for w in other]
                if other_low[:n] == low or other_low[-n:] == low:
                    best = other
        return best
