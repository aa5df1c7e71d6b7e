"""The learned check-worthiness model, run in plain Python.

A logistic regression over three kinds of feature: word n-grams and character n-grams,
each weighted by TF-IDF and scaled to unit length, and the named signals of
`suggestions.scorer` (numbers, attribution, questions, …), each 0 or 1. The decision is the
intercept plus every feature's weight times its value, so each feature's part in a score
can be told, and a calibration curve turns the decision into a score from 0 to 1.

bench/train_checkworthiness.py trains it with scikit-learn and writes the weights to
`data/checkworthiness.json.gz`; this module reproduces scikit-learn's TfidfVectorizer and
the dot product exactly, so neither scikit-learn nor numpy is needed at run time. The file
also records the scores training gave a few sentences, which tests compare with these.
"""

from __future__ import annotations

import gzip
import heapq
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import chain, pairwise
from pathlib import Path

MODEL_FILE = Path(__file__).resolve().parent / "data" / "checkworthiness.json.gz"
FORMAT = 1

# scikit-learn's own patterns, as TfidfVectorizer uses them.
WORD_TOKEN = re.compile(r"(?u)\b\w\w+\b")
NON_SPACE = re.compile(r"\S+")
# A decision names this many of its heaviest phrases, enough to choose a few from.
TOP_PHRASES = 12
# Punctuation a phrase is shown without.
EDGES = ".,;:!?()[]\"“”‘’'"
DIGIT = re.compile(r"\d")


def preprocess(text: str) -> str:
    """The text as the model reads it: lower case, every digit a 0.

    "In 2019, 1,206 people" and "in 1987, 312 people" then share their n-grams: what
    matters is that there is a number, not which.
    """
    return DIGIT.sub("0", text.lower())


def word_ngrams(text: str, low: int, high: int) -> list[str]:
    """scikit-learn's word analyzer on preprocessed text (no stop words)."""
    return _ngrams(WORD_TOKEN.findall(text), low, high)


# What the model reads of one sentence, and the longest word whose n-grams it keeps.
MAX_CHARS = 5_000
LONG_WORD = 64


def _ngrams(tokens: list[str], low: int, high: int) -> list[str]:
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


def word_char_ngrams(word: str, low: int, high: int) -> list[str]:
    """scikit-learn's char_wb n-grams of one whitespace-separated word."""
    padded = f" {word} "
    size = len(padded)
    grams = []
    for n in range(low, high + 1):
        offset = 0
        grams.append(padded[offset : offset + n])
        while offset + n < size:
            offset += 1
            grams.append(padded[offset : offset + n])
        if offset == 0:  # a word shorter than n is counted once
            break
    return grams


@dataclass(frozen=True)
class Block:
    """One TfidfVectorizer's vocabulary and the model's weights for it."""

    analyzer: str  # "word" or "char_wb"
    low: int
    high: int
    sublinear_tf: bool
    index: dict[str, int]
    # Per term, weight × idf and idf²: a term's part in the decision is its tf times the
    # first, over the norm, the square root of the sum of tf² times the second.
    coef_idf: list[float]
    idf_squared: list[float]

    @classmethod
    def from_data(cls, data: Mapping) -> Block:
        n = data["documents"] + 1  # smooth_idf: as if one more document had every term
        idf = [math.log(n / (df + 1)) + 1.0 for df in data["df"]]
        return cls(
            analyzer=data["analyzer"],
            low=data["ngram_range"][0],
            high=data["ngram_range"][1],
            sublinear_tf=data["sublinear_tf"],
            index={term: i for i, term in enumerate(data["terms"])},
            coef_idf=[c * i for c, i in zip(data["coef"], idf, strict=True)],
            idf_squared=[i * i for i in idf],
        )

    def tf(self, count: int) -> float:
        return (1.0 + math.log(count)) if self.sublinear_tf else float(count)

    def weigh(self, counts: Mapping[int, int]) -> tuple[float, float]:
        """The block's part in the decision, and the row's norm (0 for no known term)."""
        dot = squares = 0.0
        coef_idf, idf_squared = self.coef_idf, self.idf_squared
        for i, n in counts.items():
            if n == 1:  # most terms occur once, and 1 + log(1) is 1
                dot += coef_idf[i]
                squares += idf_squared[i]
            else:
                tf = self.tf(n)
                dot += tf * coef_idf[i]
                squares += tf * tf * idf_squared[i]
        norm = math.sqrt(squares)
        return (dot / norm if norm else 0.0), norm

    def shares(self, counts: Mapping[int, int], norm: float) -> dict[int, float]:
        """Each occurrence's share of its term's part in the decision."""
        coef_idf = self.coef_idf
        found = {i: coef_idf[i] / norm for i in counts}
        for i, n in counts.items():
            if n > 1:
                found[i] *= self.tf(n) / n
        return found


@dataclass(frozen=True)
class Part:
    """A phrase of the sentence and what it added to the decision (negative: against)."""

    phrase: str
    weight: float


@dataclass(frozen=True)
class Decision:
    value: float  # the linear decision, in log-odds
    score: float  # calibrated: of sentences scored this, the share found check-worthy
    signals: dict[str, float]  # each signal's part in `value`
    phrases: tuple[Part, ...]  # the heaviest words and word pairs, heaviest first
    explained: bool = True  # False: `phrases` were not looked for (`decide`'s explain_from)


class CheckworthinessModel:
    def __init__(self, data: Mapping) -> None:
        if data.get("format") != FORMAT:
            raise ValueError(f"model format {data.get('format')!r}, expected {FORMAT}")
        self.words = Block.from_data(data["words"])
        self.chars = Block.from_data(data["chars"])
        self.signal_coef: dict[str, float] = dict(data["signals"])
        self.intercept: float = data["intercept"]
        self.slope, self.offset = data["calibration"]["a"], data["calibration"]["b"]
        self.checks: list[dict] = data.get("checks", [])
        self._word_grams: dict[str, tuple[int, ...]] = {}

    def _chars_of(self, word: str) -> tuple[int, ...]:
        """The vocabulary's char n-grams of one word; words recur, so they are kept (but
        not a freak "word" of thousands of letters, which recurs never)."""
        if len(word) > LONG_WORD:
            index = self.chars.index
            grams = word_char_ngrams(word, self.chars.low, self.chars.high)
            return tuple(index[g] for g in grams if g in index)
        found = self._word_grams.get(word)
        if found is None:
            index = self.chars.index
            grams = word_char_ngrams(word, self.chars.low, self.chars.high)
            found = tuple(index[g] for g in grams if g in index)
            if len(self._word_grams) > 200_000:  # bounded: a long run of new words
                self._word_grams.clear()
            self._word_grams[word] = found
        return found

    def decide(self, text: str, signals: Iterable[str], *, explain_from: float = 0.0) -> Decision:
        """The model's decision on `text`, whose named signals `signals` fired.

        Only the first MAX_CHARS characters are read: a sentence that long is a paste gone
        wrong (no sentence of the training data comes near), and reading all of a 2 MB
        one-line text would cost seconds and hundreds of megabytes.

        The phrases are named only for a score of at least `explain_from` (math.inf:
        never): naming them costs as much as the score, and a long article's reasons are
        read for the sentences worth showing only."""
        doc = preprocess(text[:MAX_CHARS])
        index = self.words.index
        grams = _ngrams(WORD_TOKEN.findall(doc), self.words.low, self.words.high)
        # The known terms in order of first occurrence, as counting only them would order
        # them (None stands for every unknown one).
        word_counts = Counter(map(index.get, grams))
        word_counts.pop(None, None)
        word_part, word_norm = self.words.weigh(word_counts)
        # Character n-grams, word by word: sklearn's white-space runs and split() give
        # the same words as split() alone.
        known = self._word_grams.get
        per_word = [known(w) or self._chars_of(w) for w in doc.split()]
        char_counts = Counter(chain.from_iterable(per_word))
        char_part, char_norm = self.chars.weigh(char_counts)
        signal_parts = {s: self.signal_coef[s] for s in signals if s in self.signal_coef}
        value = self.intercept + word_part + char_part + sum(signal_parts.values())
        score = 1.0 / (1.0 + math.exp(-(self.slope * value + self.offset)))
        if score < explain_from:
            return Decision(value, score, signal_parts, (), explained=False)
        tokens = list(WORD_TOKEN.finditer(doc))  # their places, for the phrases
        word_share = self.words.shares(word_counts, word_norm)
        char_share = self.chars.shares(char_counts, char_norm)
        phrases = self._phrases(text, doc, tokens, word_share, per_word, char_share)
        return Decision(value, score, signal_parts, phrases)

    def _phrases(
        self,
        text: str,
        doc: str,
        tokens: list[re.Match],
        word_share: dict[int, float],
        per_word: list[tuple[int, ...]],
        char_share: dict[int, float],
    ) -> tuple[Part, ...]:
        """Words (their own weight and their letters') and word pairs, by weight.

        A term that occurs more than once gives each occurrence an equal share of its part.
        """
        # Show the words as the sentence writes them, where lower-casing kept the length.
        shown = text if len(text) == len(doc) else doc
        index = self.words.index
        spans = [m.span() for m in NON_SPACE.finditer(doc)]
        weights = [sum(map(char_share.__getitem__, found)) for found in per_word]
        # Each word token's own weight goes to the white-space word it stands in.
        at = 0
        for token in tokens:
            while at < len(spans) - 1 and spans[at][1] <= token.start():
                at += 1
            i = index.get(token.group())
            if i is not None and at < len(weights):
                weights[at] += word_share[i]
        found: dict[str, float] = {}
        for (start, end), weight in zip(spans, weights, strict=False):
            phrase = shown[start:end].strip(EDGES)
            if phrase:
                found[phrase] = found.get(phrase, 0.0) + weight
        for left, right in pairwise(tokens):
            i = index.get(f"{left.group()} {right.group()}")
            if i is not None:
                phrase = shown[left.start() : right.end()]
                found[phrase] = found.get(phrase, 0.0) + word_share[i]
        ranked = heapq.nsmallest(
            TOP_PHRASES, found.items(), key=lambda item: (-abs(item[1]), item[0])
        )
        return tuple(Part(phrase, weight) for phrase, weight in ranked)


@cache
def checkworthiness_model(path: Path = MODEL_FILE) -> CheckworthinessModel:
    """The shipped model, read once per process."""
    with gzip.open(path, "rt", encoding="utf-8") as file:
        return CheckworthinessModel(json.load(file))
