"""Sentences of an article, as spans of its text.

The splitting is sentencex's (Wikimedia's rule-based segmenter, a compiled wheel with no
dependencies), chosen by measurement on news text: bench/segmenters.py compares it with
pysbd, syntok, blingfire, spaCy's sentencizer and NLTK's Punkt on the evaluation set and
on bench/data/segmentation.txt, and docs/performance.md records the figures. A few rules
after it put right what it gets wrong in news copy: ranks before names ("Maj. Gen."),
times before their day, photo credits, and quotations that run over several sentences
and close with their speaker ("…," she said).

Paragraphs (blank-line separated) are segmented one by one, so a sentence never spans
two, and every span is stripped of surrounding blank space.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import sentencex

Span = tuple[int, int]
Splitter = Callable[[str], list[Span]]  # one paragraph -> spans within it


def sentence_spans(body: str) -> list[Span]:
    """(start, end) of every sentence of `body`, in code points, in order."""
    return _SEGMENT(body)


def sentencex_split(paragraph: str) -> list[Span]:
    # Its boundaries are code-point offsets into the paragraph, as Python counts them.
    return [
        (b["start_index"], b["end_index"])
        for b in sentencex.get_sentence_boundaries("en", paragraph)
    ]


BLANK_LINE = re.compile(r"\n[ \t]*\n")


def paragraphs(text: str) -> Iterator[Span]:
    """Spans of the blank-line-separated paragraphs, without surrounding blank space."""
    cursor = 0
    for stop, after in [*(m.span() for m in BLANK_LINE.finditer(text)), (len(text), 0)]:
        start, end = strip_span(text, cursor, stop)
        if start < end:
            yield start, end
        cursor = after


def strip_span(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def per_paragraph(split: Splitter) -> Callable[[str], list[Span]]:
    """`segment(text)` for a splitter of single paragraphs."""

    def segment(text: str) -> list[Span]:
        spans = []
        for p_start, p_end in paragraphs(text):
            for start, end in split(text[p_start:p_end]):
                start, end = strip_span(text, p_start + start, p_start + end)
                if start < end:
                    spans.append((start, end))
        return spans

    return segment


# --- Post-processing -----------------------------------------------------------------------
# Each rule encodes a gold rule of the data files, not a single example; all are local to
# one paragraph and cost little next to the segmenter itself.

# Abbreviations that stand before a name or a number and so never end a sentence. ("St." is
# left out: as "Street" it often does.)
TITLES = re.compile(
    r"(?:^|(?<=[\s(]))(?:Adm|Brig|Capt|Col|Cpl|Dr|Gen|Gov|Lt|Maj|Mr|Mrs|Ms|Mt|No|Prof|Rep"
    r"|Rev|Sen|Sgt|Supt|vs|approx|e\.g|i\.e)\.$"
)
# "11 p.m. Monday", "6:40 a.m. ET": a time followed by its day or time zone.
CLOCK = re.compile(r"\b[ap]\.m\.$")
DAY_OR_ZONE = re.compile(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|[A-Z]{1,2}T\b|GMT\b|UTC\b")
# A photo credit, "(Example Agency/Jane Roe)": a parenthesis with no stop of its own.
CREDIT = re.compile(r"\([^()]*[^.!?()\s]\)")
# A speaker tag after a closing quote: a lowercase word ("she said", "asked Gov. Marsh")
# or capitalised words and a verb of saying ("Okonjo asked", "Dr. Osei told").
TAG = r"(?:[a-z]|(?:[A-Z][\w.’'-]*\s+){1,4}(?:said|says|asked|asks|told|added|admitted|wrote)\b)"
QUOTE_THEN_TAG = re.compile(r"[,?!][\"”’]$")
TAGGED_CLOSE = re.compile(r"[,?!][\"”]\s+" + TAG)
STARTS_WITH_TAG = re.compile(TAG)
# A sentence that ends with a quotation it opens with or introduces with a colon or comma
# (not a quoted fragment such as 'listed as “misc. household.”'), so no tag follows it.
ENDS_IN_QUOTATION = re.compile(r"(?:^|[:,]\s+)(?P<mark>[\"“])[^\"“”]*[.!?][’']?[\"”]$")


# A parenthesised full sentence "(It had been closed since March.)" stands alone: cut before
# it and after it, where a segmenter that treats brackets like quotation marks does not.
PARENTHESIS = re.compile(r"(?<=[.!?])\s+(?=\([^()]*[.!?]\))|(?<=[.!?]\))\s+(?=[\"“(]?[A-Z])")


def quote_open(sentence: str, inside: bool = False) -> bool:
    """Whether a double quotation is open after `sentence`, given whether it was before."""
    # The last curly mark says which side it is on; straight marks after it each toggle.
    last = max(sentence.rfind("“"), sentence.rfind("”"))
    if last >= 0:
        inside = sentence[last] == "“"
    return inside != (sentence.count('"', last + 1) % 2 == 1)


def joins(left: str, right: str) -> bool:
    """Whether a cut between two adjacent sentences is wrong by one of the gold rules."""
    tail = left[-16:]  # longer than any abbreviation: the patterns only look at the end
    return bool(
        TITLES.search(tail)
        or (CLOCK.search(tail) and DAY_OR_ZONE.match(right))
        or CREDIT.fullmatch(right)
        or (QUOTE_THEN_TAG.search(tail) and STARTS_WITH_TAG.match(right))
    )


def split_quotation(paragraph: str, span: Span, split: Splitter) -> list[Span]:
    """Cut a sentence that ends with an untagged quotation where its inner sentences end.

    Some segmenters never cut inside quotation marks, but by the gold rules a quotation
    with no speaker tag after it is split like plain text; the segmenter itself is run on
    the words between the marks.
    """
    start, end = span
    if paragraph[end - 1] not in '"”':
        return [span]
    quotation = ENDS_IN_QUOTATION.search(paragraph[start:end])
    if not quotation:
        return [span]
    inner = start + quotation.end("mark")
    cuts = [inner + e for _, e in split(paragraph[inner : end - 1])][:-1]
    return cut(paragraph, span, cuts)


def split_parenthesis(paragraph: str, span: Span) -> list[Span]:
    if paragraph.find(")", *span) < 0:  # both cuts need one; most sentences have none
        return [span]
    return cut(paragraph, span, [m.start() for m in PARENTHESIS.finditer(paragraph, *span)])


def cut(paragraph: str, span: Span, cuts: list[int]) -> list[Span]:
    """`span` cut at the offsets `cuts` (inside it, in order), each piece stripped."""
    starts, ends = [span[0], *cuts], [*cuts, span[1]]
    return [strip_span(paragraph, a, b) for a, b in zip(starts, ends, strict=True)]


def merge_tagged_quotations(paragraph: str, spans: list[Span]) -> list[Span]:
    """Merge sentences that a quotation spans when the sentence closing it has a tag."""
    out: list[Span] = []
    index = 0
    while index < len(spans):
        start, end = spans[index]
        index += 1
        if quote_open(paragraph[start:end]):
            ahead, inside = index, True
            while ahead < len(spans) and inside:
                inside = quote_open(paragraph[slice(*spans[ahead])], inside)
                ahead += 1
            if not inside and TAGGED_CLOSE.search(paragraph[slice(*spans[ahead - 1])]):
                end = spans[ahead - 1][1]
                index = ahead
        out.append((start, end))
    return out


def fixed(split: Splitter) -> Splitter:
    """`split` followed by the post-processing rules above."""

    def fix(paragraph: str) -> list[Span]:
        spans = [strip_span(paragraph, *span) for span in split(paragraph)]
        spans = [
            piece
            for span in spans
            if span[0] < span[1]
            for part in split_quotation(paragraph, span, split)
            for piece in split_parenthesis(paragraph, part)
        ]
        out: list[Span] = []
        for start, end in spans:
            if out and joins(paragraph[slice(*out[-1])], paragraph[start:end]):
                out[-1] = (out[-1][0], end)
            else:
                out.append((start, end))
        return merge_tagged_quotations(paragraph, out)

    return fix


_SEGMENT = per_paragraph(fixed(sentencex_split))
