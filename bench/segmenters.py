"""Sentence segmenters measured on news text: accuracy on gold corpora and speed.

    python3 -m venv /tmp/segvenv
    /tmp/segvenv/bin/pip install pysbd syntok blingfire sentencex spacy nltk
    /tmp/segvenv/bin/python bench/segmenters.py                  # every corpus and candidate
    /tmp/segvenv/bin/python bench/segmenters.py --errors syntok  # also list syntok's mistakes

Run it from the repository root. A candidate whose package is not importable is skipped
with a note. None of them needs downloaded data: spaCy runs as `blank("en")` plus its
rule-based "sentencizer", and NLTK's Punkt runs with default (untrained) parameters.

Gold corpora:
- bench/data/segmentation.txt: hard cases, one sentence per line, "# category: NAME"
  comments tagging the paragraphs after them (the file's header gives the gold rules);
- bench/data/suggestions/*.txt, if present: metadata lines, a "---" line, then one
  sentence per line behind a two-character label ("+ " or "- "), which is dropped.
In both, a blank line ends a paragraph; a paragraph's text is its sentences joined with
one space and paragraphs are joined with "\\n\\n".

Every candidate is wrapped into `segment(text) -> list[(start, end)]`: spans in code points
of the original text, without surrounding blank space. Like the app, the wrapper first
splits the text on blank lines and segments each paragraph on its own, so every paragraph
break is a boundary that each candidate gets right. The boundaries scored are the ends of
sentences inside a text (the text's own end excluded), paragraph breaks included; the
"in-paragraph" F1 leaves the paragraph breaks out, which tells the candidates apart better.

A "+ fix" row is the same candidate followed by the small post-processing of `fixed`:
merges after a title ("Maj. Gen.") and of "11 p.m. Monday", a photo credit and a speaker
tag ('?" she asked.') joined to the sentence before, tagged quotations kept whole and
untagged ones split, and a parenthesised full sentence cut out; each is a gold rule.

Speed is the time to segment one text of about 100,000 words made by repeating a corpus,
pinned to one core, best of --repeat runs, given in seconds per 100,000 words.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# Before any numeric library is imported: keep every candidate to one thread.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "RAYON_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The app's own paragraph splitting and post-processing, measured here with each library.
from suggestions.segmenter import Span, Splitter, fixed, paragraphs, per_paragraph  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
WORDS = 100_000


# --- Gold corpora -------------------------------------------------------------------------


@dataclass
class Document:
    name: str
    text: str = ""
    spans: list[Span] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # one per gold span


def build(name: str, paragraphs: list[list[tuple[str, str]]]) -> Document:
    """Join (sentence, category) paragraphs into a text, recording each sentence's span."""
    doc = Document(name)
    pieces: list[str] = []
    offset = 0
    for number, paragraph in enumerate(p for p in paragraphs if p):
        if number:
            pieces.append("\n\n")
            offset += 2
        for index, (sentence, category) in enumerate(paragraph):
            if index:
                pieces.append(" ")
                offset += 1
            pieces.append(sentence)
            doc.spans.append((offset, offset + len(sentence)))
            doc.categories.append(category)
            offset += len(sentence)
    doc.text = "".join(pieces)
    return doc


def read_segmentation(path: Path) -> Document:
    paragraphs: list[list[tuple[str, str]]] = [[]]
    category = "uncategorised"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            if found := re.match(r"#\s*category:\s*(\S+)", line):
                category = found[1]
        elif line.strip():
            paragraphs[-1].append((line.strip(), category))
        else:
            paragraphs.append([])
    return build(path.name, paragraphs)


def read_suggestions(path: Path) -> Document | None:
    """One evaluation file, or None (with a note) when it has no "---" line yet."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if "---" not in lines:
        print(f"note: {path} has no '---' line; skipped", file=sys.stderr)
        return None
    paragraphs: list[list[tuple[str, str]]] = [[]]
    for line in lines[lines.index("---") + 1 :]:
        if not line.strip():
            paragraphs.append([])
        elif line[:2] in ("+ ", "- "):
            paragraphs[-1].append((line[2:].strip(), "suggestions"))
        else:
            print(f"note: {path.name}: unlabelled line kept whole: {line[:60]!r}", file=sys.stderr)
            paragraphs[-1].append((line.strip(), "suggestions"))
    return build(path.name, paragraphs)


def corpora() -> dict[str, list[Document]]:
    found = {"segmentation": [read_segmentation(DATA / "segmentation.txt")]}
    docs = [read_suggestions(p) for p in sorted((DATA / "suggestions").glob("*.txt"))]
    if docs := [d for d in docs if d is not None and d.spans]:
        found["suggestions"] = docs
    return found


# --- Turning each library's output into spans of the original text -----------------------


def align(text: str, sentences: list[str]) -> list[Span]:
    """Spans of `sentences`, given as strings in order, in `text`.

    For libraries that return strings only. Each sentence is looked for where the last one
    ended, so repeated sentences are found at the right place; if a library changed the
    blank space inside a sentence, its non-blank characters are matched one by one instead.
    """
    spans = []
    cursor = 0
    for sentence in sentences:
        sentence = sentence.strip()
        if not sentence:
            continue
        while cursor < len(text) and text[cursor].isspace():
            cursor += 1
        if text.startswith(sentence, cursor):
            end = cursor + len(sentence)
        else:
            end = cursor
            for char in sentence:
                if char.isspace():
                    continue
                while end < len(text) and text[end].isspace():
                    end += 1
                if end >= len(text) or text[end] != char:
                    raise ValueError(f"cannot align {sentence[:50]!r} at offset {cursor}")
                end += 1
        spans.append((cursor, end))
        cursor = end
    return spans


def check(text: str, spans: list[Span]) -> None:
    """The spans are ordered, non-empty, stripped, and only blank space lies outside them."""
    cursor = 0
    for start, end in spans:
        if not cursor <= start < end <= len(text):
            raise AssertionError(f"span {(start, end)} out of order or bounds")
        if text[start:end] != text[start:end].strip():
            raise AssertionError(f"span {(start, end)} has surrounding blank space")
        if text[cursor:start].strip():
            raise AssertionError(f"text lost before {start}: {text[cursor:start][:50]!r}")
        cursor = end
    if text[cursor:].strip():
        raise AssertionError(f"text lost at the end: {text[cursor:][:50]!r}")


# --- Candidates ----------------------------------------------------------------------------

# The naive baseline: a stop, maybe a closing quote or bracket, blank space, then a capital
# letter or an opening quote.
NAIVE = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[\"“‘(]?[A-Z])")


def naive() -> Splitter:
    def split(paragraph: str) -> list[Span]:
        cuts = [m.start() for m in NAIVE.finditer(paragraph)]
        return list(zip([0, *cuts], [*cuts, len(paragraph)], strict=True))

    return split


def pysbd_() -> Splitter:
    import pysbd

    # clean=False keeps the text as it is; its own char_span search is not used because
    # `align` is the same for every string-returning library.
    segmenter = pysbd.Segmenter(language="en", clean=False)
    return lambda paragraph: align(paragraph, segmenter.segment(paragraph))


def syntok_() -> Splitter:
    from syntok import segmenter

    def split(paragraph: str) -> list[Span]:
        # Tokens carry their offset in the original text; a sentence runs from its first
        # token to the end of its last. syntok also splits paragraphs, which is harmless here.
        return [
            (sentence[0].offset, sentence[-1].offset + len(sentence[-1].value))
            for block in segmenter.analyze(paragraph)
            for sentence in block
        ]

    return split


def blingfire_() -> Splitter:
    import blingfire

    # The Python wrapper turns the library's UTF-8 byte offsets into code points.
    return lambda paragraph: blingfire.text_to_sentences_and_offsets(paragraph)[1]


def sentencex_() -> Splitter:
    import sentencex

    def split(paragraph: str) -> list[Span]:
        return [
            (b["start_index"], b["end_index"])
            for b in sentencex.get_sentence_boundaries("en", paragraph)
        ]

    return split


def spacy_() -> Splitter:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")

    def split(paragraph: str) -> list[Span]:
        return [(s.start_char, s.end_char) for s in nlp(paragraph).sents]

    return split


def punkt() -> Splitter:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    # Untrained: without the downloadable English model Punkt knows no abbreviations.
    tokenizer = PunktSentenceTokenizer()
    return lambda paragraph: list(tokenizer.span_tokenize(paragraph))


CANDIDATES: dict[str, Callable[[], Splitter]] = {
    "naive regex": naive,
    "pysbd": pysbd_,
    "syntok": syntok_,
    "blingfire": blingfire_,
    "sentencex": sentencex_,
    "spacy sentencizer": spacy_,
    "nltk punkt (untrained)": punkt,
}
PACKAGES = {
    "pysbd": "pysbd",
    "syntok": "syntok",
    "blingfire": "blingfire",
    "sentencex": "sentencex",
    "spacy sentencizer": "spacy",
    "nltk punkt (untrained)": "nltk",
}
FIXED = ("pysbd", "syntok", "blingfire", "sentencex")  # also measured with `fixed`


# --- Scoring -------------------------------------------------------------------------------


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tp_in: int = 0  # the same three, without paragraph breaks
    fp_in: int = 0
    fn_in: int = 0
    exact: int = 0
    sentences: int = 0
    per_category: Counter[str] = field(default_factory=Counter)
    mistakes: list[str] = field(default_factory=list)

    @staticmethod
    def f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        return p, r, 2 * p * r / (p + r) if p + r else 0.0


def score(doc: Document, spans: list[Span], into: Score) -> None:
    end = len(doc.text)
    gold = {e for _, e in doc.spans if e < end}
    found = {e for _, e in spans if e < end}
    breaks = {p_end for _, p_end in paragraphs(doc.text) if p_end < end}
    into.tp += len(gold & found)
    into.fp += len(found - gold)
    into.fn += len(gold - found)
    into.tp_in += len((gold & found) - breaks)
    into.fp_in += len(found - gold - breaks)
    into.fn_in += len(gold - found - breaks)
    into.exact += len(set(doc.spans) & set(spans))
    into.sentences += len(doc.spans)
    for index, (start, stop) in enumerate(doc.spans):
        # A missed boundary is charged to the sentence it should have ended, a spurious one
        # to the sentence it cuts.
        missed = stop in gold - found
        cuts = [e for e in found - gold if start < e < stop]
        if missed or cuts:
            into.per_category[doc.categories[index]] += missed + len(cuts)
            marked = doc.text[start:stop]
            for cut in sorted(cuts, reverse=True):
                marked = marked[: cut - start] + " ‖ " + marked[cut - start :]
            label = "missed end" if missed else ""
            label += (" + " if missed and cuts else "") + ("cut" if cuts else "")
            into.mistakes.append(f"{label:<16} {marked}")


def timed(segment: Callable[[str], list[Span]], docs: list[Document], repeat: int) -> float:
    """Seconds per WORDS words of text made by repeating the corpus, best of `repeat`."""
    unit = "\n\n".join(d.text for d in docs)
    times = -(-WORDS // len(unit.split()))  # ceiling division
    text = "\n\n".join([unit] * times)
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        segment(text)
        best = min(best, time.perf_counter() - began)
    return best * WORDS / len(text.split())


def version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(PACKAGES[name.removesuffix(" + fix")])
    except (KeyError, PackageNotFoundError):
        return "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=3, help="timing runs, best kept")
    parser.add_argument("--errors", metavar="NAME", default="", help="list NAME's mistakes")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    gold = corpora()
    candidates: dict[str, Callable[[str], list[Span]]] = {}
    for name, make in CANDIDATES.items():
        try:
            split = make()
        except ImportError as error:
            print(f"skipped {name}: {error}", file=sys.stderr)
            continue
        candidates[name] = per_paragraph(split)
        if name in FIXED:
            candidates[f"{name} + fix"] = per_paragraph(fixed(split))

    rows = []
    by_category: dict[str, Counter[str]] = {}
    for name, segment in candidates.items():
        for corpus, docs in gold.items():
            result = Score()
            for doc in docs:
                spans = segment(doc.text)
                check(doc.text, spans)
                score(doc, spans, result)
            p, r, f = Score.f1(result.tp, result.fp, result.fn)
            f_in = Score.f1(result.tp_in, result.fp_in, result.fn_in)[2]
            seconds = timed(segment, docs, args.repeat)
            exact = result.exact / result.sentences
            figures = (p, r, f, f_in, exact)
            rows.append((name, version(name), corpus, *(f"{x:.3f}" for x in figures)))
            rows[-1] += (f"{seconds:.2f}",)
            if corpus == "segmentation":
                by_category[name] = result.per_category
            if name == args.errors:
                print(f"\n{name} on {corpus}: {len(result.mistakes)} sentences wrong")
                print("\n".join(result.mistakes))
            print(f"done: {name} / {corpus}", file=sys.stderr)

    for corpus, docs in gold.items():
        count = sum(len(d.spans) for d in docs)
        words = sum(len(d.text.split()) for d in docs)
        print(f"{corpus}: {len(docs)} document(s), {count} sentences, {words} words")
    headers = ("candidate", "version", "corpus", "P", "R", "F1", "F1 in-para", "exact", "s/100k")
    print()
    print(table(rows, headers))

    if by_category:
        names = list(by_category)
        categories = sorted({c for counts in by_category.values() for c in counts})
        print("\nErrors per category on segmentation.txt (missed ends + spurious cuts):")
        short = [n.replace(" sentencizer", "").replace(" (untrained)", "") for n in names]
        print(
            table(
                [(c, *(by_category[n][c] for n in names)) for c in categories],
                ("category", *short),
            )
        )


def table(rows: list[tuple], headers: tuple[str, ...]) -> str:
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows, strict=False)]
    lines = [headers, tuple("-" * w for w in widths), *rows]
    return "\n".join(
        "| " + " | ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=True)) + " |"
        for line in lines
    )


if __name__ == "__main__":
    main()
