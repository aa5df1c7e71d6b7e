"""The rule-based scorer before the learned model (SCORER_VERSION 1), kept to compare with.

suggestions/scorer.py as of commit 3a23736 (`git show 3a23736:suggestions/scorer.py`), for
bench/suggestions.py --compare only: each sentence's score is the sum of hand-set weights,
clipped to 0–1, suggested from 0.4. Nothing in the app imports it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from newsdesk.text import text_digest
from suggestions.segmenter import sentence_spans

# A sentence at or above this score is suggested as a claim; the article page also shows
# weaker candidates, from SHOWN_FROM, for an Editor to judge.
THRESHOLD = 0.4
SHOWN_FROM = 0.2
# Part of the key under which an article's scores are cached (suggestions.selectors): change
# it whenever the scoring changes.
SCORER_VERSION = 1


@dataclass(frozen=True)
class Suggestion:
    start: int
    end: int
    text: str
    score: float
    reasons: tuple[str, ...]
    attributed_to: str = ""

    @property
    def suggested(self) -> bool:
        return self.score >= THRESHOLD

    @property
    def digest(self) -> str:
        return text_digest(self.text)

    def as_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "score": self.score,
            "reasons": list(self.reasons),
            "attributed_to": self.attributed_to,
        }


def _words(*words: str) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


# --- positive signals -------------------------------------------------------------------

_NUMBER_WORDS = _words(
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
    "eighty", "ninety", "hundred", "hundreds", "thousand", "thousands", "million",
    "millions", "billion", "billions", "trillion", "dozen", "dozens", "half", "third",
    "quarter", "twice", "double", "doubled", "tripled", "percent", "per cent",
    "majority", "minority", "score of", "scores of",
)  # fmt: skip
NUMBER = re.compile(
    rf"[$€£¥]\s?\d[\d,.]*|\d[\d,.]*\s?(?:%|percent|per cent)|\b\d[\d,.:]*\b"
    rf"|\b(?:{_NUMBER_WORDS})\b"
)
# Digits that only give a date or a time do not make a quantity. (Lower case, like the
# other word patterns: they run on the lower-cased sentence.)
DATE = re.compile(
    r"\b(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?\s+\d{1,2}(?:,\s*\d{4})?\b"
    r"|\b(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december)\s+\d{1,2}(?:,\s*\d{4})?\b"
    r"|\b\d{1,2}(?::\d{2})?\s?(?:a\.m\.|p\.m\.|am|pm)(?=\W|$)|\b\d{1,2}:\d{2}\b"
    r"|\b(?:in|since|by|until|from|of|before|after)\s+(?:19|20)\d{2}\b"
)

_SAY = _words(
    "said", "says", "told", "stated", "announced", "reported", "confirmed", "claimed",
    "alleged", "alleges", "denied", "denies", "added", "wrote", "estimated", "estimates",
    "acknowledged", "admitted", "testified", "insisted", "warned", "noted", "declared",
    "disclosed", "revealed", "maintained", "argued", "accused", "accuses", "contended",
)  # fmt: skip
SAY = re.compile(rf"\b(?:{_SAY})\b")
ACCORDING = re.compile(r"\b(?:according to|citing|as reported by)\s+")
RESPONSIBILITY = re.compile(
    r"\b(?:claimed|claims|claiming|took|takes|admitted|denied|denies)\s+"
    r"(?:full\s+|its\s+|their\s+)?responsibility\b"
)
HEDGE = re.compile(
    r"\b(?:allegedly|alleged|reportedly|reported|supposedly|purportedly|apparently|"
    r"unconfirmed|unverified|rumou?red|believed to|said to|thought to|claimed to)\b"
)
_PAST = _words(
    "killed", "injured", "wounded", "died", "attacked", "struck",
    "hit", "destroyed", "damaged", "arrested", "detained", "charged", "convicted",
    "sentenced", "acquitted", "fell", "rose", "dropped", "grew", "increased", "decreased",
    "declined", "jumped", "slumped", "won", "lost", "voted", "approved", "rejected", "passed",
    "signed", "launched", "opened", "closed", "fired", "seized", "captured", "evacuated",
    "collapsed", "recorded", "found", "came", "took", "left", "began", "ended", "raised",
    "cut", "paid", "spent", "sold", "bought", "filed", "sued", "resigned", "elected",
    "appointed", "met", "visited", "shot", "burned", "flooded", "crashed", "exploded",
    "fled", "displaced", "ambushed", "shelled", "bombed", "targeted", "stormed", "raided",
    "posted", "published", "released", "hired", "laid", "earned", "reached", "topped",
    "missed", "beat", "overturned", "ruled", "fined", "banned", "suspended",
    "discovered", "measured", "showed", "tested", "enrolled", "treated", "received",
    "awarded", "built", "completed", "delayed", "cancelled", "canceled", "shut", "blocked",
    "pleaded", "issued", "supplied", "carried", "linked", "affected", "shooting",
)  # fmt: skip
PAST = frozenset(_PAST.split("|"))
WORD = re.compile(r"[a-z]+")
# Other verbs in the past tense ("has pleaded", "had issued"), short of adjectives that end
# the same way.
PAST_PERFECT = re.compile(
    r"\b(?:has|have|had)\s+(?:been\s+)?(?:[a-z]+ly\s+)?[a-z]{3,}(?:ed|en|wn|ung)\b"
)
TIME_REF = re.compile(
    r"\b(?:on|last|this|since|early|late)\s+(?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|week|month|year|morning|night|weekend|quarter)\b|\byesterday\b"
)

# --- negative signals -------------------------------------------------------------------

FUTURE = re.compile(
    r"\b(?:will|won[’']t|shall|plans? to|planning to|intends? to|aims? to|expects? to|"
    r"(?:is|are) expected to|(?:is|are) set to|(?:is|are) going to|promised? to|"
    r"pledged? to|vow(?:s|ed)? to|would|hopes? to|wants? to|seeks? to|"
    r"projected to|forecasts?|forecasters?|expect|next (?:week|month|year))\b"
)
SPECULATION = re.compile(r"\b(?:could|might|may|should|ought to)\b")
REPORTING = re.compile(
    r"(?:could not|couldn[’']t|was unable to|were unable to|cannot|can't) (?:be )?"
    r"(?:independently )?(?:verif|confirm)\w*"
    r"|\bno (?:further )?details\b|\bdetails (?:were|are) (?:not|scarce)"
    r"|did not (?:immediately )?(?:respond|reply|return)|declined to comment"
    r"|(?:was|were|is|are) not (?:immediately )?(?:clear|known|available)"
    r"|did not (?:say|give|provide|specify|elaborate)"
    r"|without (?:giving|providing) (?:details|evidence)"
    r"|(?:request|requests) for comment|not be reached|(?:could|would) not say"
)
CAPTION = re.compile(
    r"^(?:photo|photograph|picture|image|caption|file photo|credit|video|graphic|illustration)"
    r"s?\b\s*[:|—–-]"
    r"|\((?:photo|photograph|image|picture)s?\b[^)]*\)\s*$"
    r"|\([A-Z][\w .&'-]*/[A-Z][\w .&'-]*\)\s*$"
    r"|^(?:photo|photograph|picture|image)s? by\b",
    re.IGNORECASE,
)
# "($1 = 10.67 Swedish crowns)": the wire's exchange-rate note.
RATE_NOTE = re.compile(r"^\(\s*[$€£¥]?\s?1\s*=\s*[^)]*\)$")
QUOTED = re.compile(r"^[\"“‘]([^\"”’]*)[\"”’]")
BYLINE = re.compile(r"^by\s+[A-Z][\w.'’-]*(?:,?\s+[\w.'’&-]+){0,12}$", re.IGNORECASE)
DATELINE_MARK = re.compile(r"[,(\d]")
# Used with .match(body, start): it anchors at the sentence's start.
DATELINE = re.compile(
    r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'’-]+(?:\s+[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'’-]+)*"  # KYIV / ST. PAUL / ZÜRICH
    r"(?:,\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)?"  # , Ukraine / , Jan.
    r"(?:,?\s+(?:\w+\.?\s+\d{1,2}(?:,\s*\d{4})?))?"  # Jan. 22
    r"\s*(?:\([^)]{1,60}\))?\s*[—–-]{1,2}\s+"  # (Newsdesk Wire) —
)

# --- who says it -----------------------------------------------------------------------

_TITLE = r"(?:Mr|Mrs|Ms|Dr|Prof|Gen|Maj|Col|Lt|Capt|Sgt|Gov|Sen|Rep|Rev|Sir|Dame|St|Jr|Sr)\."
# A proper name: capitalised words, allowing initials, titles and small joining words.
NAME = (
    rf"(?:(?:{_TITLE}|[A-Z]\.|[A-Z][\w’'-]+)"
    rf"(?:\s+(?:{_TITLE}|[A-Z]\.|[A-Z][\w’'-]+|(?:of|the|for|de|al|van|von|bin|la|del)\b))*)"
)
# A described speaker: "the regional governor", "a spokesman for the army", "officials".
DESCRIBED = (
    r"(?:(?i:the|a|an|one|two|three|several|many|some|local|senior|other)\s+)?"
    r"(?:[a-z][\w’'-]+\s+){0,3}?"
    r"(?:officials?|spokes(?:man|woman|person)|minist(?:er|ry)|governor|police|army|paper|"
    r"authority|office|firm|bank|airline|operator|charity|hospital|institute|university|"
    r"military|government|authorities|witnesses|residents|company|group|agency|department|"
    r"court|prosecutors?|lawyers?|researchers?|scientists?|analysts?|"
    r"council|mayor|president|chief|officers?|sources?|statement|report|study|survey|"
    r"data|figures|observers|monitors|doctors|union|party|investors|executives?|"
    r"regulator|board|committee|commission|campaigners|activists|organi[sz]ers|"
    r"diplomats?|envoy|commander|troops|forces|rebels|militants|insurgents)"
    rf"(?:\s+(?:of|for|at|in|with)\s+(?:the\s+)?{NAME})?"
)
PRONOUN = re.compile(r"^(?:he|she|they|it|we|i)$", re.IGNORECASE)
SPEAKER_BEFORE = re.compile(
    rf"\b(?P<who>{NAME}(?:,\s+(?:a|an|the)\s+[^,]{{1,60}},)?|{DESCRIBED}|he|she|they|it|we|I)"
    rf"\s+(?:(?:has|have|had|also|later|previously)\s+)?(?P<verb>{_SAY})\b$"
)
SPEAKER_AFTER = re.compile(
    rf"(?:said|says|told|wrote|added)\s+(?P<who>{NAME}|{DESCRIBED})(?=\s*[,.;]|\s+(?:on|in|at|who)\b|$)"
)
ACCORDING_WHO = re.compile(
    rf"\b(?:[Aa]ccording to|[Aa]s reported by)\s+(?P<who>{NAME}|{DESCRIBED})"
)
CLAIMANT = re.compile(
    rf"\b(?P<who>{NAME}|{DESCRIBED})\s+(?:has\s+|have\s+)?"
    r"(?:claimed|claims|took|takes|admitted)\s+(?:full\s+)?responsibility"
)
# Capitalised words that name no one.
_NOT_NAMES = frozenset(
    """
    I A An The This That These Those It He She They We You Our Their His Her Its But And Or
    In On At For From With After Before When While As If Since Until By Of To Some Many
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
    May June July August September October November December Jan Feb Mar Apr Jun Jul Aug
    Sep Sept Oct Nov Dec Mr Mrs Ms Dr Prof There Here What Who Why How Where Yes No Not
    Will Would Can Could Should Must Did Does Do Is Are Was Were Has Have Had
    Officials Police Every Everyone Nobody Both All Each None Asked According Another
    """.split()  # noqa: SIM905 - a list of words reads best as words
)


@dataclass
class _Signals:
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)

    def add(self, weight: float, reason: str) -> None:
        self.score += weight
        self.reasons.append(reason)


def _clip(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _as_written(text: str, lower: str, match: re.Match) -> str:
    """The words a match on the lower-cased sentence found, as the sentence writes them."""
    # Lower-casing keeps the length of all but a few characters ("İ"); then show it lower.
    return text[match.start() : match.end()] if len(text) == len(lower) else match.group()


def _names(sentence: str) -> list[str]:
    """Proper names in the sentence, without the word that starts it."""
    found = []
    for match in re.finditer(NAME, sentence):
        words = [w for w in match.group().split() if w not in _NOT_NAMES]
        if not words:
            continue
        if match.start() == 0 and len(match.group().split()) == 1:
            continue  # "Five", "Officials": a sentence's first word is capitalised anyway
        while words and words[-1].islower():
            words.pop()  # "Port of" (before a lower-case word) → "Port"
        name = " ".join(words).strip(" .,")
        if name and name not in found and not name.islower():
            found.append(name)
    return found


def _speaker(sentence: str, lower: str) -> str:
    """Who the sentence says is making the claim, as the sentence names them."""
    found = ACCORDING_WHO.search(sentence)
    if found is None and RESPONSIBILITY.search(lower):
        found = CLAIMANT.search(sentence)
    if found is None:
        for verb in SAY.finditer(sentence):
            # Speakers stand right before or after their verb: look only there, which keeps
            # the name patterns from scanning the whole sentence.
            found = SPEAKER_AFTER.match(sentence, verb.start(), verb.end() + 120)
            if found is None:
                window = sentence[max(0, verb.start() - 120) : verb.end()]
                found = SPEAKER_BEFORE.search(window)
            if found is not None:
                break
    if found is None:
        return ""
    # "Olena Petrenko, a teacher," → "Olena Petrenko"
    return found.group("who").strip(" ,").split(",")[0].strip()


def score_sentence(sentence: str, *, previous_speaker: str = "") -> tuple[float, list[str], str]:
    """The score, the reasons in plain words, and who the sentence is attributed to."""
    signals = _Signals()
    text = sentence.strip()
    if BYLINE.match(text) and len(text.split()) <= 14 and not SAY.search(text):
        return 0.0, ["a byline"], ""
    if CAPTION.search(text):
        return 0.0, ["a photo caption or credit"], ""
    if RATE_NOTE.match(text):
        return 0.0, ["an exchange-rate note"], ""

    # The word patterns are written in lower case and run on `lower`: much faster than
    # re.IGNORECASE over long alternations, which matters at 100,000 words.
    lower = text.lower()
    who = _speaker(text, lower)
    if who and PRONOUN.match(who):
        who = previous_speaker
    dates = [m.span() for m in DATE.finditer(lower)]
    quantity = next(
        (n for n in NUMBER.finditer(lower) if not any(a <= n.start() < b for a, b in dates)),
        None,
    )
    if quantity:
        number = _as_written(text, lower, quantity)
        signals.add(0.4, f"gives a number: “{_clip(number, 20)}”")
    if RESPONSIBILITY.search(lower):
        signals.add(0.45, "someone claims or denies responsibility")
    if who or ACCORDING.search(lower) or SAY.search(lower):
        signals.add(0.3, f"attributed to {who}" if who else "attributed to a source")
    hedge = HEDGE.search(lower)
    if hedge:
        signals.add(0.25, f"hedged: “{hedge.group().lower()}”")
    names = _names(text)
    if names:
        weight = 0.1 if len(names) == 1 else 0.2
        signals.add(weight, "names " + ", ".join(_clip(n, 30) for n in names[:3]))
    past = next((w for w in WORD.findall(lower) if w in PAST), None)
    if past is None and (perfect := PAST_PERFECT.search(lower)):
        past = perfect.group()
    if past:
        signals.add(0.2, f"reports a past event: “{_clip(past, 24)}”")
    when = DATE.search(lower) or TIME_REF.search(lower)
    if when:
        signals.add(0.1, f"says when: “{_clip(_as_written(text, lower, when), 20)}”")

    quoted = QUOTED.match(lower)
    if quoted and not NUMBER.search(DATE.sub(" ", quoted.group(1))):
        signals.add(-0.2, "a quoted remark")
    if text.rstrip('”"’)').endswith("?"):
        signals.add(-0.6, "a question")
    future = FUTURE.search(lower)
    if future:
        signals.add(-0.45, f"about the future: “{future.group().lower()}”")
    elif SPECULATION.search(text):  # case kept: "may" the verb, not "May" the month
        signals.add(-0.2, "speculates")
    reporting = REPORTING.search(lower)
    if reporting:
        signals.add(-0.6, f"about the reporting itself: “{_clip(reporting.group().lower())}”")
    if len(text.split()) < 5:
        signals.add(-0.2, "too short to check")
    score = round(min(1.0, max(0.0, signals.score)), 2)
    return score, signals.reasons, who


def scored_sentences(body: str) -> Iterator[Suggestion]:
    """Every sentence of `body` with its score, in order."""
    previous_speaker = ""
    for start, end in sentence_spans(body):
        # A dateline ("KYIV, Jan. 22 (Wire) —") opens a story's first paragraph and is not
        # part of its first claim. Only there, and only with a comma, date or bracket after
        # the place: "US — China trade talks collapsed" keeps its subject.
        if start == 0 or body[start - 1] == "\n":
            dateline = DATELINE.match(body, start, end)
            if dateline and dateline.end() < end and DATELINE_MARK.search(dateline.group()):
                start = dateline.end()
        text = body[start:end]
        score, reasons, who = score_sentence(text, previous_speaker=previous_speaker)
        if who:
            previous_speaker = who
        yield Suggestion(start, end, text, score, tuple(reasons), who)


def suggest(body: str, *, threshold: float = THRESHOLD) -> list[Suggestion]:
    """The sentences worth checking, in order of where they stand."""
    return [s for s in scored_sentences(body) if s.score >= threshold]
