"""Whether two claims say the same thing: words, numbers, dates, negation and speaker.

Pure functions over text, no database. A claim is read once into a `Reading` (its
content words as stems, its numbers and dates with the words that wrote them, whether it
says "not", who says it); two readings are then compared into a `Verdict`: a score for how
close their words are, and whether they are the same claim. Words decide how close; facts
decide "same": a pair whose numbers, dates, negation or speaker differ is at most related,
however close its words, because "five convoys" and "four convoys" must never be one claim.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import Stemmer
from rapidfuzz import fuzz

# A pair scoring at least this is offered as a match at all ...
RELATED_AT = 0.20
# ... and, when no fact stands between the two, called the same claim at this.
SAME_AT = 0.45

# Snowball's English stemmer, the one PostgreSQL's "english" configuration uses, so the
# stems here are the lexemes in the claims' search_terms.
_stemmer = Stemmer.Stemmer("english")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


# Function words carry no claim. Negators, numbers and the words of dates are read
# separately below, so they are not here either.
STOPWORDS = _words(
    """
    a an the and or but if then than that this these those there here of in on at by for
    from to into onto over under with within about after before during since until as
    is are was were be been being am has have had having do does did done will would
    shall should can could may might must it its it's they them their theirs he him his
    she her hers we us our ours you your yours i me my mine who whom whose which what
    when where why how all any both each few more most other some such only own same so
    too very just also s t said says say saying told tells according reported reportedly
    added stated statement quoted claims claimed claiming while yet however still
    per cent percent
    """
)

NEGATORS = _words(
    """
    not no never none nobody nothing neither nor without cannot can't won't don't doesn't
    didn't isn't aren't wasn't weren't hasn't haven't hadn't couldn't shouldn't wouldn't
    deny denies denied denying false untrue fail fails failed failing unable
    """
)

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "dozen": 12,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "billion": 1_000_000_000,
    "bn": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "k": 1_000,
}
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
FRACTIONS = {"half": 0.5, "quarter": 0.25}
MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}
MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = _words(
    "monday tuesday wednesday thursday friday saturday sunday yesterday today tomorrow"
)

# Words that state one side of a fact whose other side another word states: "rose" against
# "fell", "acquitted" against "convicted". Two claims that take different sides of one
# axis contradict each other however alike the rest of their words.
_SIDES = {
    "direction": {
        "up": "up rise rises rose risen rising increase increased increases increasing climb "
        "climbed climbs jump jumped jumps surge surged surges grew grow grows growing gain "
        "gained gains higher raise raised raises hike hiked",
        "down": "down fall falls fell fallen falling decrease decreased decreases decreasing drop "
        "dropped drops dropping slump slumped shrank shrink shrinks lower lowered cut cuts "
        "reduce reduced reduces plunge plunged slid slide",
        "level": "hold holds held unchanged steady kept keep keeps maintained",
    },
    "open": {
        "open": "open opened opens reopen reopened reopens",
        "shut": "close closed closes closure shut shuts",
    },
    "verdict": {
        "acquitted": "acquit acquits acquitted acquittal cleared",
        "convicted": "convict convicts convicted conviction guilty",
    },
    "outcome": {
        "won": "win wins won victory",
        "lost": "lose loses lost defeat defeated",
    },
    "decision": {
        "yes": "approve approves approved accept accepts accepted adopt adopted uphold "
        "upheld upholds allow allowed allows permit permitted lift lifted agree agreed agrees "
        "sign signed signs attend attends attended attending",
        "no": "skip skips skipped skipping boycott boycotts boycotted snub snubbed reject "
        "rejects rejected refuse refused overturn overturned veto vetoed ban "
        "banned bans prohibit prohibited block blocked abandon abandoned scrap scrapped "
        "withdraw withdrew withdrawn cancel cancelled canceled",
    },
    "result": {"positive": "positive", "negative": "negative"},
    "quality": {
        "good": "good better best strong stronger strongest",
        "bad": "poor poorer poorest bad worse worst weak weaker weakest",
    },
    "scope": {
        "with": "including included includes",
        "without": "except excluding excluded excludes",
    },
    "life": {
        "alive": "survive survived survives survivor survivors alive rescued",
        "dead": "die died dies dead killed",
    },
}
SIDES = {
    word: (axis, side)
    for axis, sides in _SIDES.items()
    for side, words in sides.items()
    for word in words.split()
}
# "declined to", "refused to": a refusal says not, whatever verb follows.
_REFUSALS = _words("decline declines declined refuse refuses refused")

# A time of day, "3:42", "3.42am", "9 p.m.", read before the tokens so its digits are not
# taken for numbers.
_TIME = re.compile(
    r"\b(\d{1,2}):(\d{2})\b(?:\s*([ap])\.?m\b\.?)?|\b(\d{1,2})(?:\.(\d{2}))?\s*([ap])\.?m\b\.?"
)


def _time_token(match: re.Match) -> str:
    hour = int(match[1] or match[4])
    minute = int(match[2] or match[5] or 0)
    half = match[3] or match[6]
    if half == "p" and hour < 12:
        hour += 12
    elif half == "a" and hour == 12:
        hour = 0
    return f" time{hour:02d}{minute:02d} "


_TOKEN = re.compile(
    r"time\d{4}|\d+(?:,\d{3})*(?:\.\d+)?(?:st|nd|rd|th|s)?|[^\W\d_]+(?:'[^\W\d_]+)*|%|\$|£|€"
)


@dataclass(frozen=True)
class Reading:
    """What one claim says, in the parts the comparison looks at."""

    text: str
    terms: frozenset[str]
    # Each number's value, with the words the claim wrote it in ("five", "1.2 million").
    numbers: Mapping[float, str]
    dates: Mapping[str, str]
    negated: bool
    # Each axis of _SIDES the claim takes a side on: the sides it takes, each with its word.
    sides: Mapping[str, Mapping[str, str]]
    speaker: str
    folded: str


def fold(text: str) -> str:
    """Lower case without accents or typographic quotes, for comparing characters."""
    if text.isascii():
        return text.casefold()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("\u2019", "'").replace("\u2018", "'").casefold()


def _digits(token: str) -> float | None:
    token = re.sub(r"(st|nd|rd|th|s)$", "", token)
    try:
        return float(token.replace(",", ""))
    except ValueError:
        return None


def _read_numbers(tokens: list[str]) -> tuple[dict[float, str], set[int]]:
    """The numbers a claim states, and the token positions they took."""
    numbers: dict[float, str] = {}
    used: set[int] = set()
    i = 0
    while i < len(tokens):
        token = tokens[i]
        value = _digits(token) if token[0].isdigit() else None
        words = [token]
        j = i + 1
        if value is None:
            if token in UNITS or token in TENS:
                value = float(UNITS.get(token, 0) + TENS.get(token, 0))
                # "twenty-five" arrives as two tokens (hyphens are spaces by now).
                if token in TENS and j < len(tokens) and UNITS.get(tokens[j], 10) < 10:
                    value += UNITS[tokens[j]]
                    words.append(tokens[j])
                    j += 1
            elif token in ORDINALS:
                value = float(ORDINALS[token])
            elif token in ("a", "an") and i + 1 < len(tokens) and tokens[i + 1] in SCALES:
                value = 1.0
            elif token in FRACTIONS and tokens[i + 1 : i + 2] in (["of"], ["a"]):
                # "a quarter of a million", "half a million": a share of the scale after.
                value = FRACTIONS[token]
                j = i + (3 if tokens[i + 1] == "of" else 2)
                if j >= len(tokens) or tokens[j] not in SCALES or tokens[j - 1] != "a":
                    i += 1
                    continue
            else:
                i += 1
                continue
        # "one of the", "no one": a pronoun rather than a count.
        if token == "one" and j < len(tokens) and tokens[j] in ("of", "another"):
            i += 1
            continue
        while j < len(tokens) and tokens[j] in SCALES:
            value *= SCALES[tokens[j]]
            words.append(tokens[j])
            j += 1
        numbers.setdefault(value, " ".join(w for w in words if w not in ("a", "an")))
        used.update(range(i, j))
        i = j
    return numbers, used


# Links, handles and picture links in pasted social-media posts: no claim's words.
_NOISE = re.compile(r"https?://\S+|www\.\S+|pic\.twitter\.com/\S+|@\w+")


@lru_cache(maxsize=10_000)
def read(text: str, speaker: str = "") -> Reading:
    """Read a claim (pure, so cached: the same candidates come back for claims on one
    story, and an article's sentences are matched against many of the same claims)."""
    folded = _TIME.sub(_time_token, _NOISE.sub(" ", fold(text)))
    tokens = [t.removesuffix("'s") for t in _TOKEN.findall(folded.replace("-", " ")) if t != "'s"]
    numbers, used = _read_numbers(tokens)
    dates: dict[str, str] = {}
    _read_calendar_dates(tokens, numbers, dates)
    # "May" inside a sentence with its capital is the month; "may" is the verb.
    may_month = re.search(r"[^.!?\s]\s+May\b", text) is not None
    terms: set[str] = set()
    negations = 0
    sides: dict[str, dict[str, str]] = {}
    skipped: set[str] = set()
    for i, token in enumerate(tokens):
        if i in used:
            continue
        if token in _REFUSALS and "to" in tokens[i + 1 : i + 5]:
            # "refused to accept" is "rejected": the refused act's other side, when it has
            # one; otherwise a refusal says not.
            refused = next(
                (t for t in tokens[i + 1 : i + 6] if SIDES.get(t, ("", ""))[0] == "decision"), ""
            )
            if refused:
                axis, side = SIDES[refused]
                sides.setdefault(axis, {}).setdefault("no" if side == "yes" else "yes", token)
                skipped.add(refused)
                continue
        if token in skipped:
            continue
        if token == "no" and tokens[i + 1 : i + 2] in (["fewer"], ["less"], ["more"], ["later"]):
            continue  # "no fewer than 23" bounds a number; it does not say not
        if (
            token in NEGATORS
            or token.endswith("n't")
            or (token in _REFUSALS and "to" in tokens[i + 1 : i + 5])
            or (token == "ruled" and tokens[i + 1 : i + 2] == ["out"])
        ):
            negations += 1
            continue
        if token in SIDES:
            axis, side = SIDES[token]
            sides.setdefault(axis, {}).setdefault(side, token)
        if token.startswith("time") and token[4:].isdigit():
            dates[token] = f"{token[4:6]}:{token[6:]}"
            continue
        if token in WEEKDAYS:
            dates[token] = token.capitalize()
            continue
        if token in MONTHS and (token != "may" or _next_is_number(tokens, i) or may_month):
            dates[f"m{MONTHS[token]}"] = MONTH_NAMES[MONTHS[token] - 1]
            continue
        if token in STOPWORDS or len(token) < 2 or not token[0].isalpha():
            continue
        terms.add(stem(token.replace("'", "")))
    # Numbers count as words too (a shared 18 is strong evidence), under one spelling.
    terms.update(f"#{value:g}" for value in numbers)
    return Reading(
        text=text,
        terms=frozenset(t for t in terms if t),
        numbers=numbers,
        dates=dates,
        negated=negations % 2 == 1,
        sides=sides,
        speaker=speaker.strip(),
        folded=" ".join(tokens),
    )


def _day(token: str) -> int | None:
    value = _digits(token) if token[:1].isdigit() else None
    return int(value) if value is not None and value.is_integer() and 1 <= value <= 31 else None


def _year(token: str) -> int | None:
    return (
        int(token) if token.isdigit() and len(token) == 4 and 1800 <= int(token) <= 2100 else None
    )


def _read_calendar_dates(tokens: list[str], numbers: dict[float, str], dates: dict[str, str]):
    """Days of a month ("18 August", "August 18") and the year beside them ("30 September
    2019") are dates, not numbers: "18 August" against "11 August" is a different date."""
    for i, token in enumerate(tokens):
        month = MONTHS.get(token) if token != "may" or _next_is_number(tokens, i) else None
        if month is None:
            continue
        name = MONTH_NAMES[month - 1]
        before = _day(tokens[i - 1]) if i else None
        after = _day(tokens[i + 1]) if i + 1 < len(tokens) else None
        day = before if before is not None else after
        if day is not None:
            dates[f"d{month}-{day}"] = f"{day} {name}"
            numbers.pop(float(day), None)
        at = i + 2 if after is not None else i + 1
        year = _year(tokens[at]) if at < len(tokens) else None
        if year is not None:
            dates[f"y{year}"] = str(year)
            numbers.pop(float(year), None)


def _next_is_number(tokens: list[str], i: int) -> bool:
    near = tokens[max(0, i - 1) : i] + tokens[i + 1 : i + 2]
    return any(t[0].isdigit() for t in near)


# --- comparing two readings ---------------------------------------------------------------

IdfFor = Callable[[str], float]


def flat_idf(term: str) -> float:
    return 1.0


@dataclass(frozen=True)
class Verdict:
    score: float
    same: bool
    reasons: tuple[str, ...]
    # Facts that differ between the two: any of them makes the pair related, not the same.
    conflicts: tuple[str, ...] = ()


def likeness(a: Reading, b: Reading, idf: IdfFor = flat_idf) -> float:
    """How close two claims' words are, 0 to 1: the IDF-weighted cosine of their terms
    (words, and numbers weighted as a fairly rare word), raised towards the characters'
    likeness when one is a near copy of the other. Dates are not terms: two claims that
    share "11 August 2017" and little else are not close. Without a word in common,
    numbers alone make half the score they would."""
    if not a.terms or not b.terms:
        return 0.0
    shared = a.terms & b.terms
    weight = {t: (NUMBER_IDF if t.startswith("#") else idf(t)) ** 2 for t in a.terms | b.terms}
    dot = sum(weight[t] for t in shared)
    norm = math.sqrt(sum(weight[t] for t in a.terms) * sum(weight[t] for t in b.terms))
    score = dot / norm if norm else 0.0
    if not shared & (_words_of(a) | _words_of(b)):
        score /= 2
    # Wire copy republished with small edits: the characters say it better than the words.
    chars = fuzz.token_sort_ratio(a.folded, b.folded) / 100
    return max(score, chars * 0.95 if chars >= 0.8 else 0.0)


# A number weighs as a word one claim in a hundred uses: telling, but not a name.
NUMBER_IDF = math.log(1 + 100)


def _words_of(reading: Reading) -> frozenset[str]:
    return frozenset(t for t in reading.terms if not t.startswith("#"))


def compare(a: Reading, b: Reading, idf: IdfFor = flat_idf) -> Verdict:
    score = likeness(a, b, idf)
    reasons: list[str] = []
    conflicts: list[str] = []

    shared_numbers = [a.numbers[v] for v in a.numbers if v in b.numbers]
    only_a = [a.numbers[v] for v in a.numbers if v not in b.numbers]
    only_b = [b.numbers[v] for v in b.numbers if v not in a.numbers]
    if only_a and only_b:
        conflicts.append(f"numbers differ: {', '.join(only_a)} vs {', '.join(only_b)}")
    elif shared_numbers:
        reasons.append(f"same numbers: {', '.join(shared_numbers)}")
    if (only_a or only_b) and not (only_a and only_b):
        reasons.append(f"only one gives {', '.join(only_a or only_b)}")

    date_a = {k: v for k, v in a.dates.items() if k not in b.dates}
    date_b = {k: v for k, v in b.dates.items() if k not in a.dates}
    if _clash(date_a, date_b):
        conflicts.append(
            f"dates differ: {', '.join(date_a.values())} vs {', '.join(date_b.values())}"
        )
    elif a.dates.keys() & b.dates.keys():
        shared = sorted(a.dates.keys() & b.dates.keys(), key=_date_order)
        # "30 September" says its month already.
        days = {k.split("-")[0][1:] for k in shared if k[0] == "d"}
        shared = [k for k in shared if not (k[0] == "m" and k[1:] in days)]
        reasons.append(f"same date: {' '.join(a.dates[k] for k in shared)}")

    if a.negated != b.negated:
        conflicts.append("one says not")
    for axis in sorted(a.sides.keys() & b.sides.keys()):
        # "The ban was upheld" takes both sides of one axis: only claims that share no side
        # of it disagree.
        if not a.sides[axis].keys() & b.sides[axis].keys():
            words_a, words_b = (", ".join(x.sides[axis].values()) for x in (a, b))
            conflicts.append(f"one says {words_a}, the other {words_b}")
    for x, y in ((a, b), (b, a)):
        # "unsafe" against "safe": the prefix says not.
        words_x, words_y = set(x.folded.split()), set(y.folded.split())
        for word in sorted(words_x - words_y):
            if word.startswith("un") and word[2:] in words_y and len(word) > 5:
                conflicts.append(f"one says {word}, the other {word[2:]}")

    speakers = speakers_agree(a.speaker, b.speaker)
    if speakers is True:
        reasons.append(f"same speaker: {a.speaker}")
    elif speakers is False:
        conflicts.append(f"speaker differs: {a.speaker} vs {b.speaker}")

    words_a, words_b = _words_of(a), _words_of(b)
    reasons.append(f"{len(words_a & words_b)} of {len(words_a | words_b)} words in common")
    same = score >= SAME_AT and not conflicts
    return Verdict(
        score=round(score, 4),
        same=same,
        reasons=tuple(conflicts + reasons),
        conflicts=tuple(conflicts),
    )


# What a date key says: a month ("m8"), a day of a month ("d8-18"), a year ("y2019"), a
# time of day ("time0342", its "t"); weekdays are keyed by their name.
_DATE_KINDS = {"m": "month", "d": "date", "y": "year", "t": "time"}


def _date_order(key: str) -> tuple[int, str]:
    # As a date is written: weekday, day and month, month, year, time ("Monday 18 August
    # 2017 21:00"); a day of a month makes its month's own key redundant, so it comes first.
    kind = _DATE_KINDS.get(key[0], "day") if key[1:2].isdigit() else "weekday"
    return (["weekday", "date", "month", "year", "time"].index(kind), key)


def _clash(only_a: Mapping[str, str], only_b: Mapping[str, str]) -> bool:
    # A weekday against a weekday, or a month against a month, is a different date; a
    # weekday against a month may be the same day written two ways.
    def kinds(dates: Mapping[str, str]) -> set[str]:
        return {_DATE_KINDS.get(k[0], "day") if k[1:2].isdigit() else "day" for k in dates}

    return bool(kinds(only_a) & kinds(only_b))


_SPEAKER_FILLER = _words(
    "the a an of for and said says told spokesman spokeswoman spokesperson mr mrs ms dr "
    "prof sir dame lord lady official officials authority authorities source sources"
)


def _speaker_words(name: str) -> list[str]:
    return [w for w in re.findall(r"[^\W_]+", fold(name)) if w not in _SPEAKER_FILLER]


def speakers_agree(a: str, b: str) -> bool | None:
    """True when two attributions name the same speaker, False when they differ, None when
    either is missing. One name must hold the other's words ("Ms Okafor" and "Amina
    Okafor", "police" and "state police") or be its initials ("WHO"): a shared word alone
    ("World Health Organization", "health ministry") is not enough."""
    words_a, words_b = _speaker_words(a), _speaker_words(b)
    if not words_a or not words_b:
        return None
    words_a, words_b = _spelt_out(words_a, words_b), _spelt_out(words_b, words_a)
    set_a, set_b = {stem(w) for w in words_a}, {stem(w) for w in words_b}
    return set_a <= set_b or set_b <= set_a


def _spelt_out(words: list[str], other: list[str]) -> list[str]:
    """`words` with each initialism the other name spells out replaced by the words it
    stands for: "EU observers" beside "European Union observers"."""
    out: list[str] = []
    for word in words:
        run = _spelling(word, other) if 2 <= len(word) <= 5 else None
        out.extend(run or [word])
    return out


def _spelling(initials: str, words: list[str]) -> list[str] | None:
    for start in range(len(words) - len(initials) + 1):
        run = words[start : start + len(initials)]
        if "".join(w[0] for w in run) == initials:
            return run
    return None
