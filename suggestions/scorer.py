"""Which sentences of an article are worth checking, and why.

Each sentence is scored by a linear model (suggestions.model) over its words, its
letters and the signals a desk editor would name: numbers, attribution, hedges, named
people, places and groups, concrete past events; and against: questions, promises about
the future, speculation, remarks about the reporting itself. Its reasons are the signals
that fired and the phrases that weighed most, so every suggestion can say in plain words
why it was made. Bylines, captions, credits, datelines and exchange-rate notes are part
of the page, not the story, and score 0 by rule. Nothing here writes to the database;
`suggestions.services.suggestion_accept` turns a suggestion into a claim.

The model is trained by bench/train_checkworthiness.py on ClaimBuster's debate sentences
and on articles 01-08 of bench/data/suggestions/; bench/suggestions.py --compare and
docs/performance.md say how well it does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from newsdesk.text import text_digest
from suggestions.attribution import attributions, sentence_attribution
from suggestions.model import Decision, checkworthiness_model
from suggestions.segmenter import sentence_spans
from suggestions.signals import (
    DATELINE,
    DATELINE_MARK,
    WORD,
    about_the_reporting,
    clip,
    page_part,
    sentence_signals,
)

# A sentence at or above this score is suggested as a claim; the article page also shows
# weaker candidates, from SHOWN_FROM, for an Editor to judge. The score is calibrated: of
# the news sentences scored about 0.7, about 70% were check-worthy (docs/performance.md,
# which also says why the threshold is where it is).
THRESHOLD = 0.3
SHOWN_FROM = 0.2
# Part of the key under which an article's scores are cached (suggestions.selectors): change
# it whenever the scoring changes.
SCORER_VERSION = 4
# A suggestion's reasons name at most PHRASES of its words or word pairs, those that added
# or took at least PHRASE_WEIGHT (in log-odds) to or from its score.
PHRASES = 3
PHRASE_WEIGHT = 0.15
FUNCTION_WORDS = frozenset(
    """
    a an the this that these those it its he she they we you i his her their our your my
    him them us me in on at of for from to by with as and or but so if than then there here
    is are was were be been being has have had do does did not no also just very about into
    over after before up out who whom which what when where how all any some one s t
    """.split()  # noqa: SIM905 - a list of words reads best as words
)


@dataclass(frozen=True, slots=True)
class Suggestion:
    start: int
    end: int
    text: str
    score: float
    # The reasons, or None if scoring left them to be worked out when `reasons` is read
    # (`scored_sentences`' explain_from): explaining a score costs as much as making it,
    # and most sentences' reasons are never read. They follow from the text and its
    # attribution alone, so equality ignores them.
    known_reasons: tuple[str, ...] | None = field(default=None, repr=False, compare=False)
    attributed_to: str = ""

    @property
    def reasons(self) -> tuple[str, ...]:
        """The score's reasons in plain words (`score_sentence`), worked out once."""
        if self.known_reasons is None:
            _, reasons, _ = score_sentence(self.text, attributed_to=self.attributed_to)
            # A memo on a frozen instance: it changes no value any reader compares.
            object.__setattr__(self, "known_reasons", tuple(reasons))
        return self.known_reasons

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


def score_sentence(
    sentence: str, *, attributed_to: str | None = None
) -> tuple[float, list[str], str]:
    """The score, the reasons in plain words, and who the sentence is attributed to.

    `attributed_to` is the sentence's attribution in its article (suggestions.attribution);
    without it the sentence is attributed on its own.
    """
    # From 0: every score is explained.
    score, reasons, who = _judge(sentence, attributed_to=attributed_to, explain_from=0.0)
    return score, reasons or [], who


def _judge(
    sentence: str, *, attributed_to: str | None, explain_from: float
) -> tuple[float, list[str] | None, str]:
    """`score_sentence`, whose reasons are None where the model's score fell short of
    `explain_from` and the phrases that weighed most were not looked for."""
    text = sentence.strip()
    page = page_part(text)
    if page:
        return 0.0, [page], ""
    who = sentence_attribution(text) if attributed_to is None else attributed_to
    remark = about_the_reporting(text)
    if remark:
        return 0.0, [remark], who
    found = sentence_signals(text)
    decision = checkworthiness_model().decide(text, found, explain_from=explain_from)
    reasons = _reasons(found, decision, who) if decision.explained else None
    return round(decision.score, 2), reasons, who


def _reasons(found: dict[str, str], decision: Decision, who: str) -> list[str]:
    """The signals that fired, strongest for first, then the phrases that weighed most."""
    weighed = [
        (decision.signals.get(name, 0.0), reason)
        for name, reason in found.items()
        if name not in ("says", "according")
    ]
    if who or "says" in found or "according" in found:
        weight = decision.signals.get("says", 0.0) + decision.signals.get("according", 0.0)
        weighed.append((weight, f"attributed to {who}" if who else "attributed to a source"))
    weighed.sort(key=lambda item: -item[0])
    reasons = [reason if weight >= 0 else f"{reason} counts against" for weight, reason in weighed]
    said = " ".join(reasons).lower()
    phrases = [
        part
        for part in decision.phrases
        if abs(part.weight) >= PHRASE_WEIGHT
        and part.phrase.lower() not in said
        # "in the", "was", "14": true to the model, but no reason to a reader.
        and any(w not in FUNCTION_WORDS for w in WORD.findall(part.phrase.lower()))
    ][:PHRASES]
    reasons.extend(
        f"“{clip(part.phrase, 30)}” counts {'for' if part.weight > 0 else 'against'}"
        for part in phrases
    )
    return reasons


def scored_sentences(body: str, *, explain_from: float = SHOWN_FROM) -> Iterator[Suggestion]:
    """Every sentence of `body` with its score, in order.

    The reasons of a sentence scored `explain_from` or more are worked out with its score;
    the others' only if they are read (`Suggestion.reasons`), which costs about as much
    again. By default those of every sentence the article page may show.
    """
    # A score that rounds up to explain_from is explained too.
    explain_from -= 0.005
    spans = []
    for start, end in sentence_spans(body):
        # A dateline ("KYIV, Jan. 22 (Wire) —") opens a story's first paragraph and is not
        # part of its first claim. Only there, and only with a comma, date or bracket after
        # the place: "US — China trade talks collapsed" keeps its subject.
        if start == 0 or body[start - 1] == "\n":
            dateline = DATELINE.match(body, start, end)
            if dateline and dateline.end() < end and DATELINE_MARK.search(dateline.group()):
                start = dateline.end()
        spans.append((start, end))
    # Who speaks depends on the sentences before (a pronoun, a colon's scope, a quotation
    # running on), so the whole article is attributed at once.
    for (start, end), who in zip(spans, attributions(body, spans), strict=True):
        text = body[start:end]
        score, reasons, who = _judge(text, attributed_to=who, explain_from=explain_from)
        yield Suggestion(start, end, text, score, None if reasons is None else tuple(reasons), who)


def suggest(body: str, *, threshold: float = THRESHOLD) -> list[Suggestion]:
    """The sentences worth checking, in order of where they stand, with their reasons."""
    return [s for s in scored_sentences(body, explain_from=threshold) if s.score >= threshold]
