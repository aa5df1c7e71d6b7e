"""Proper names in a sentence's tokens: where one starts and ends ("the Guardians of the
Two Rivers – ‘Usbat al-Raqim" is one name, "Sofia Marchetti of Banca Orsolina" two), the
titles dropped before a person's name, and how a name is written back out.
"""

from __future__ import annotations

from suggestions.attribution.words import (
    ABBREVIATION,
    COMMON_START,
    DESCRIPTOR_SUFFIX,
    DETERMINERS,
    IN_NAMES,
    NAME_JOINERS,
    NAME_PARTICLE,
    NOT_NAMES,
    ORG_WORDS,
    POSSESSIVE_PRONOUNS,
    PRONOUNS,
    TITLES,
    is_role,
)

Span = tuple[int, int]  # [start, end): of characters in a body, or of tokens


def is_cap(token: str) -> bool:
    first = token[0]
    if first.isupper():
        return True
    if first == "‘":
        return token[1:2].isupper()  # "‘Usbat"
    return "-" in token[:5] and bool(NAME_PARTICLE.match(token))  # "al-Raqim"


def is_possessive(token: str) -> bool:
    return len(token) > 2 and token.endswith(("'s", "’s"))


def bare(token: str) -> str:
    """A possessive's owner: "Peru's" -> "Peru"."""
    return token[:-2] if is_possessive(token) else token


def is_abbreviation(token: str) -> bool:
    return bool(ABBREVIATION.fullmatch(token))


def join_name(words: list[str]) -> str:
    text = " ".join(words)
    if text.endswith(".") and not is_abbreviation(words[-1]):
        text = text[:-1]
    return text.strip(" ,")


def normal(text: str) -> str:
    text = " ".join(text.replace("’", "'").replace("‘", "'").split()).casefold()
    return text[4:] if text.startswith("the ") else text


def name_word(tokens: list[str], i: int, common: frozenset[str], *, inside: bool = False) -> bool:
    """Whether tokens[i] can be a word of a proper name (`inside` a name already begun)."""
    token = tokens[i]
    if not is_cap(token) or DESCRIPTOR_SUFFIX.search(token):
        return False
    low = bare(token).lower()
    if low in NOT_NAMES:
        return False
    if inside:
        return low not in PRONOUNS  # "Guardians of the Two Rivers"
    if low in DETERMINERS or low in PRONOUNS or low in POSSESSIVE_PRONOUNS:
        return False
    # A sentence's first word is capitalised anyway: "Police", "Rival", "Observers".
    return not (i == 0 and (low in COMMON_START or low in common or is_role(low)))


def name_runs(tokens: list[str], a: int, b: int, common: frozenset[str]) -> list[Span]:
    """The proper names in tokens[a:b], as token spans, joining words kept inside."""
    found = []
    i = a
    while i < b:
        token = tokens[i]
        # Most words are lower case: tell them apart before anything slower.
        if (token[0].islower() and "-" not in token[:5]) or not name_word(tokens, i, common):
            i += 1
            continue
        j = i + 1
        while j < b and not is_possessive(tokens[j - 1]):  # "Peru's Interior Ministry"
            if name_word(tokens, j, common, inside=True):
                j += 1
            elif joined := name_goes_on(tokens, i, j, b, common):
                j = joined
            else:
                break
        found.append((i, j))
        i = j
    return found


def name_goes_on(tokens: list[str], i: int, j: int, b: int, common: frozenset[str]) -> int:
    """Where the name tokens[i:j] goes on after the joining word at j, or 0 if it ends."""
    low = tokens[j].lower()
    left = [t.lower() for t in tokens[i:j]]
    k = j + 1
    if low in ("of", "for", "and", "in") and k < b and tokens[k].lower() == "the":
        if low == "and":
            return 0  # "X and the Y": two bodies
        k += 1
    if low not in NAME_JOINERS and low != "in":
        return 0
    if k >= b or not name_word(tokens, k, common, inside=True):
        return 0
    if low == "–":  # "The Guardians of the Two Rivers – ‘Usbat al-Raqim"
        return k
    if low == "in":
        return k if any(w in IN_NAMES for w in left) else 0
    if low in ("of", "for"):
        # "Sofia Marchetti of Banca Orsolina" is a person and where she works.
        person = len(left) >= 2 and not any(w in ORG_WORDS or w in NAME_JOINERS for w in left)
        return 0 if person else k
    if low == "and":
        if "of" in left or "for" in left:
            return k  # "Centre for Climate and Health"
        end = k
        while end < b and name_word(tokens, end, common, inside=True):
            end += 1
        right = [t.lower() for t in tokens[k:end]]
        if any(w in ORG_WORDS for w in right) and not any(w in ORG_WORDS for w in left):
            return k  # "Ethics and Anti-Corruption Commission"
        return 0
    return k


def strip_titles(words: list[str]) -> tuple[list[str], set[str]]:
    """A name without the titles, ranks and offices before it; and those, as kinds."""
    cut = 0
    for index, word in enumerate(words[:-1]):
        if word.lower() in TITLES:
            rest = [w.lower() for w in words[index + 1 :] if w.lower() not in NAME_JOINERS]
            if rest and not any(w in ORG_WORDS for w in rest):
                cut = index + 1
    kinds = {word.lower().rstrip(".") for word in words[:cut]}
    rest = words[cut:]
    while rest and rest[0].lower() in NAME_JOINERS:
        rest = rest[1:]
    return rest, kinds
