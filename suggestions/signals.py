"""The signals a desk editor would name in a sentence: numbers, dates, attribution, claims
of responsibility, hedges, names, past events; and against: the future, speculation,
remarks about the reporting itself. They are features of the check-worthiness model
(suggestions.model) besides the words, and the words of its reasons. Bylines, captions,
credits, datelines and exchange-rate notes are ruled out: part of the page, not the story.

The model was trained on these exact patterns: change one and retrain it
(bench/train_checkworthiness.py), or tests/suggestions/test_model.py fails.
"""

from __future__ import annotations

import re


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
    rf"|\b\d[\d,.]*(?:bn|m|k|km|kg|mph|mw|gw|ha)\b|\b(?:{_NUMBER_WORDS})\b"
)
# Ordinals count too: "the fifth attack", "the 21st arrest".
ORDINAL = re.compile(
    r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
    r"twelfth|twentieth|hundredth|thousandth|millionth)\b|\b\d+(?:st|nd|rd|th)\b"
)
NOT_ORDINAL = re.compile(r"\b(?:first of all|at first|first and foremost|seconds? (?:ago|later))\b")
# Numbers that name a thing instead of counting: a vehicle type (4×4), a model or a
# disease (F-16, A320, COVID-19, G7).
IDENTIFIER = re.compile(r"\b\d+\s?[×x]\s?\d+\b|\b[a-z]+-?\d+[a-z]*\b")
# A number after a capitalised word names it too ("Boeing 737", "Windows 11", "Route 66"),
# unless that word is a month or a word any sentence may start with.
_NOT_MAKERS = frozenset(
    """
    in on at by of for from to since until before after about around nearly almost over
    under some only just more less than and but or the a an this that these those
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec no
    """.split()  # noqa: SIM905 - a list of words reads best as words
)
# Digits that only give a date or a time do not make a quantity. (Lower case, like the
# other word patterns: they run on the lower-cased sentence.)
DATE = re.compile(
    r"\b(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?\s+\d{1,2}(?:,\s*\d{4})?\b"
    r"|\b(?:jan(?:uary)?|feb(?:ruary)?|march|mar|april|apr|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+(?:19|20)\d{2}\b"
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
# A regular verb in the past tense, within a quotation: "planted", "injured".
EVENT = re.compile(r"[a-z]{3,}ed")
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
    r"|\((?:photo|photograph|image|picture)s?\b[^()]*\)\s*$"
    r"|\([A-Z][\w .&'-]*/[A-Z][\w .&'-]*\)\s*$"
    r"|^(?:photo|photograph|picture|image)s? by\b",
    re.IGNORECASE,
)
# "($1 = 10.67 Swedish crowns)": the wire's exchange-rate note.
RATE_NOTE = re.compile(r"^\(\s*[$€£¥]?\s?1\s*=\s*[^)]*\)$")
QUOTED = re.compile(r"^[\"“‘]([^\"”’]*)[\"”’]")
BYLINE = re.compile(r"^by\s+[A-Z][\w.'’-]*(?:,?\s+[\w.'’&-]+){0,12}$", re.IGNORECASE)
DATELINE_MARK = re.compile(r"[,(\d]")
# Credits at a caption's end: "…, via AFP.", "(John Roe/Reuters)", "AFP via Getty Images".
_AGENCY = (
    r"(?:AFP|AP|Reuters|Getty Images|EPA(?:-EFE)?|Anadolu(?: Agency)?|Xinhua|Shutterstock"
    r"|Alamy|Bloomberg|Sipa|Pool|Handout|Wikimedia Commons)"
)
CREDIT = re.compile(
    # (?<!\s): a run of blanks is entered once, not at each of its blanks (which made a
    # long run of blanks take time growing with the square of its length).
    rf"(?:,|(?<!\s)\s)\s*(?:(?:file\s+)?photos?\s+)?(?:via|courtesy of)\s+{_AGENCY}"
    rf"(?:\s+via\s+Getty Images)?\s*[.)]*$"
    rf"|[/|]\s*{_AGENCY}(?:\s+via\s+Getty Images)?\s*[.)]*$"
    rf"|\b{_AGENCY}\s+(?:via\s+Getty Images|photo|file photo|pictures?)\s*[.)]*$"
    rf"|^{_AGENCY}\s+(?:file\s+)?photo\b"
    r"|\b(?:photo|image|picture)s?\s+courtesy\b"
)
# A blog's or a site's byline line: "date 2021-01-23 Posted on by admin", "Published on
# 3 May 2021 by Jane Roe", "Updated 10:42 GMT".
POSTED = re.compile(
    r"^(?:date:?\s*)?(?:\d{4}-\d{2}-\d{2}\s+)?(?:posted|published|updated|last updated)"
    r"(?:\s+on\b|\s+by\b|\s*:|\s+\d)",
    re.IGNORECASE,
)
# A date, or a date and a time, alone: "2021-01-23", "date 2021-01-23", "Jan. 23, 2021 10:42".
DATE_ALONE = re.compile(
    r"^(?:date:?\s*)?(?:\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}"
    r"|[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+\d{4})"
    r"(?:[\sT,]+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[A-Za-z.]{2,4})?)?\.?$"
)
# Used with .match(body, start): it anchors at the sentence's start.
DATELINE = re.compile(
    r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'’-]+(?:\s+[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'’-]+)*"  # KYIV / ST. PAUL / ZÜRICH
    r"(?:,\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)?"  # , Ukraine / , Jan.
    r"(?:,?\s+(?:\w+\.?\s+\d{1,2}(?:,\s*\d{4})?))?"  # Jan. 22
    r"\s*(?:\([^)]{1,60}\))?\s*[—–-]{1,2}\s+"  # (Newsdesk Wire) —
)


# --- the named signals: the model's features besides the words ----------------------------
# The model was trained on these exact patterns: change one and retrain it
# (bench/train_checkworthiness.py), or tests/suggestions/test_model.py fails.

# Capitalised words that start names of no one ("In", "Monday"), for _capitalised.
_NOT_CAPITALISED_NAMES = frozenset(
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
_NAME_JOINERS = frozenset({"of", "the", "for", "de", "al", "van", "von", "bin", "la", "del"})
_EDGE_PUNCTUATION = "\"“”‘’'()[],.;:!?"


def _capitalised(text: str) -> list[str]:
    """Runs of capitalised words: people, places and groups, as capital letters show them."""
    names: list[str] = []
    run: list[str] = []
    starts = False  # whether the run is the sentence's first word

    def close() -> None:
        while run and run[-1] in _NAME_JOINERS:
            run.pop()
        # A sentence's first word is capitalised anyway ("Police", "Five"): alone, no name.
        if run and not (starts and len(run) == 1) and " ".join(run) not in names:
            names.append(" ".join(run))
        run.clear()

    for position, raw in enumerate(text.split()):
        word = raw.strip(_EDGE_PUNCTUATION)
        if word[:1].isupper() and word not in _NOT_CAPITALISED_NAMES:
            if not run:
                starts = position == 0
            run.append(word)
        elif run and word in _NAME_JOINERS:
            run.append(word)
        else:
            close()
        if raw[-1:] in ',;:.!?)”"':
            close()
    close()
    return names


def _quantity(text: str, lower: str) -> re.Match | None:
    """The first number in the sentence that counts something, not a date, time or name."""
    skip = [m.span() for m in DATE.finditer(lower)] + [m.span() for m in IDENTIFIER.finditer(lower)]
    for number in NUMBER.finditer(lower):
        if any(a <= number.start() < b for a, b in skip):
            continue
        before = text[: number.start()]
        words = before.split()
        if number.group()[0].isdigit() and len(words) > 1 and before.endswith(" "):
            maker = words[-1]
            if (
                any(c.isupper() for c in maker)
                and maker[-1].isalnum()
                and maker.lower().rstrip(".") not in _NOT_MAKERS
            ):
                continue  # "Boeing 737"
        return number
    if NOT_ORDINAL.search(lower):
        return None
    return ORDINAL.search(lower)


def sentence_signals(text: str) -> dict[str, str]:
    """The named signals the sentence shows: the model's feature name, and in plain words."""
    lower = text.lower()
    found: dict[str, str] = {}
    quantity = _quantity(text, lower)
    if quantity:
        found["number"] = f"gives a number: “{clip(_as_written(text, lower, quantity), 20)}”"
    if RESPONSIBILITY.search(lower):
        found["responsibility"] = "someone claims or denies responsibility"
    if SAY.search(lower):
        found["says"] = "attributed to a source"
    if ACCORDING.search(lower):
        found["according"] = "attributed to a source"
    hedge = HEDGE.search(lower)
    if hedge:
        found["hedge"] = f"hedged: “{hedge.group()}”"
    names = _capitalised(text)
    if names:
        found["names"] = "names " + ", ".join(clip(n, 30) for n in names[:3])
    future = FUTURE.search(lower)
    # A verb of the future is no past event: "has vowed to" is a promise.
    after = future.end() if future else -1
    past = next(
        (
            w
            for w in WORD.finditer(lower)
            if w.group() in PAST and not (future and future.start() <= w.start() < after)
        ),
        None,
    )
    if past is None:
        past = next(
            (
                p
                for p in PAST_PERFECT.finditer(lower)
                if not (future and p.start() < after and future.start() < p.end())
                and not lower.startswith(" to ", p.end())
            ),
            None,
        )
    if past:
        found["past"] = f"reports a past event: “{clip(past.group(), 24)}”"
    when = DATE.search(lower) or TIME_REF.search(lower)
    if when:
        found["when"] = f"says when: “{clip(_as_written(text, lower, when), 20)}”"
    quoted = QUOTED.match(lower)
    # A quotation that gives a number or tells of a past act ("We planted explosive
    # devices…") is a claim in someone's words, not a remark.
    if (
        quoted
        and not NUMBER.search(DATE.sub(" ", quoted.group(1)))
        and not any(w in PAST or EVENT.fullmatch(w) for w in WORD.findall(quoted.group(1)))
    ):
        found["quoted"] = "a quoted remark"
    if text.rstrip('”"’)').endswith("?"):
        found["question"] = "a question"
    if future:
        found["future"] = f"about the future: “{future.group()}”"
    elif SPECULATION.search(text):  # case kept: "may" the verb, not "May" the month
        found["speculation"] = "speculates"
    reporting = REPORTING.search(lower)
    if reporting:
        found["reporting"] = f"about the reporting itself: “{clip(reporting.group())}”"
    return found


def ruled_out(text: str) -> str:
    """Why the sentence is no claim whatever the model says, or "".

    Bylines, captions, credits, exchange-rate notes and datelines are part of the page, not
    of the story. A remark about the reporting itself ("Newsdesk could not independently
    verify the 12 deaths reported by the army") is none either, though it repeats a claim:
    the guideline says so, and the few such remarks there are to learn from are outweighed
    by the numbers and sources they mention. Where a source speaks first ("The army said 12
    died, which could not be verified") the model decides.
    """
    return page_part(text) or about_the_reporting(text)


def about_the_reporting(text: str) -> str:
    lower = text.lower()
    reporting = REPORTING.search(lower)
    if reporting and not SAY.search(lower, 0, reporting.start()):
        return f"about the reporting itself: “{clip(reporting.group())}”"
    return ""


def page_part(text: str) -> str:
    """What the sentence is, if it is part of the page rather than of the story."""
    if (
        (BYLINE.match(text) or POSTED.match(text))
        and len(text.split()) <= 14
        and not SAY.search(text.lower())
    ):
        return "a byline"
    if CAPTION.search(text) or CREDIT.search(text):
        return "a photo caption or credit"
    if RATE_NOTE.match(text):
        return "an exchange-rate note"
    dateline = DATELINE.match(text + " ")
    if DATE_ALONE.match(text) or (dateline and dateline.end() >= len(text)):
        return "a dateline"
    return ""


def clip(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _as_written(text: str, lower: str, match: re.Match) -> str:
    """The words a match on the lower-cased sentence found, as the sentence writes them."""
    # Lower-casing keeps the length of all but a few characters ("İ"); then show it lower.
    return text[match.start() : match.end()] if len(text) == len(lower) else match.group()
