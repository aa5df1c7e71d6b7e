"""Who makes each claim of an article: the "attributed to" of its sentences.

bench/data/attribution/GUIDELINE.md is the specification. The speaker is whoever the
sentence presents as asserting its content: "According to X, …", "X said / told / claimed
…", "…, said X", a quotation's tag, a claim of responsibility, a document's author ("the
study found", "an estimate by X"). They are named as the article names them at its fullest
mention, without titles, descriptors or a leading "the". The article's own voice is "": a
speaker is never invented, and the actor of an act ("the council voted") is not one.

A sentence with no speaker of its own takes one only where the guideline carries it: the
sentences a colon introduces ("According to X, the attacks occurred as follows:") until
another speaker, the reporter's own remark, or a byline, caption or post header; and a
quotation that runs on over sentences or paragraphs. "he", "she", "it", "they" and
back-references ("the group", "the ministry", "the official") take the most recent speaker
that fits; only when none does, a description takes the most recent body named that fits
("the commission" after "the Ethics and Anti-Corruption Commission"), and "he" or "she"
the most recent person of that gender named in the sentences just before.

Plain rules over the words of each sentence, measured by bench/attribution.py. No tagger
or parser: the ones that would help (spaCy's) come as models re-uploaded to PyPI by a third
party, and what they would add here (part-of-speech tags) the word lists cover for news
copy. Nothing here imports the rest of the project.

    words       the vocabulary: verbs of saying, roles, titles, first names
    names       proper names in a sentence's tokens, and titles dropped before them
    sentences   the article as sentences of tokens, and the names it mentions
    phrases     the phrases that name a sentence's speakers, read before resolving
    speakers    who each phrase means; the article sentence by sentence, with its scopes
"""

from __future__ import annotations

from collections.abc import Sequence

from suggestions.attribution.names import Span
from suggestions.attribution.speakers import Article

__all__ = ["Span", "attributions", "sentence_attribution"]


def attributions(body: str, spans: Sequence[Span]) -> list[str]:
    """The attribution of each sentence `body[start:end]` in `spans` (the segmenter's
    sentences, in order), "" for the article's own voice."""
    return Article(body, spans).attribute()


def sentence_attribution(sentence: str) -> str:
    """The attribution of one sentence read on its own, with nothing before it."""
    return attributions(sentence, [(0, len(sentence))])[0] if sentence.strip() else ""
