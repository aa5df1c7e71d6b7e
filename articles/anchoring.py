"""Following quotes through an edit of their article's text (`TextEdit`): pure functions,
the services write what they find.

One cohesive thing, kept in one module past the usual size: `TextEdit` and its helpers
are one algorithm (a sentence diff, then a word diff, with moved and copied quotes told
apart by their paragraph), measured as a whole by bench/reanchor.py and the property test
in tests/articles/test_anchoring_properties.py.
"""

from __future__ import annotations

import re
import zlib
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import accumulate
from math import log

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, LCSseq

from articles.text import diff_runs

# --- following claims when their article is edited ------------------------------------
#
# An edit is read as a diff of the old text against the new one, and each claim follows
# its own characters through it, as Hypothesis anchors follow a text position and fall
# back to the quote. Matching a quote "somewhere alike" instead (the first approach here)
# moved a claim whose sentence was deleted onto the tail of a neighbour's sentence.
#
# The diff is taken sentence by sentence, then word by word inside the sentences that
# changed, pairing each changed sentence with its most alike counterpart. A flat word diff
# is ambiguous exactly where it matters: when a sentence goes, "… forces were allegedly
# injured." may be read as the end of the sentence that stayed or of the one deleted.
# RapidFuzz computes the sentence diff and the likenesses (difflib took 36 s on a 2 MB
# article whose every paragraph had changed); difflib, longest run first, compares the
# words of one sentence pair.

# How alike, word for word, the old quote and the words now at its place must be to count as
# "changed" rather than gone, and how much of it must still stand there.
FUZZY_MIN_RATIO = 0.5
MIN_SURVIVING = 0.5
# Words of a claim found only as new writing at its place must be this alike to its quote.
REWRITTEN_MIN_RATIO = 0.75
# Two changed sentences are the same sentence edited when at least this alike, word for
# word (unrelated news sentences share a few words such as "the"; letter for letter they
# look far more alike than they are).
SENTENCE_PAIR_RATIO = 0.5
# A changed stretch of more sentences than this is paired only with sentences near the
# same relative place, so that pairing stays linear.
PAIR_ALL_BELOW = 400
PAIR_WINDOW = 40
# Characters of the old text on each side of a claim that tell apart the places where its
# quote stands again.
CONTEXT = 120
# Sentences are compared word by word up to this many characters (what differs, after
# what both begin and end with); longer ones are cut at words (see _shorter).
MAX_WORD_DIFF = 4_000
LONG_SENTENCE = 2_000

# Sentences, and the blank space between them as pieces of its own, so that a sentence
# moved to the end of a paragraph is still word for word the same piece.
_SENTENCE = re.compile(r"\s+|.+?(?:[.!?\u2026][\"'\u201d\u2019)\]]*(?=\s|$)|(?=\n)|$)")
_PIECE = re.compile(r"\w+|\s+|[^\w\s]")
_WORD = re.compile(r"\w+|[^\w\s]")
_WORD_ONLY = re.compile(r"\w+")
_CUT_AFTER = re.compile(r"\S+\s+")
_ALNUM = re.compile(r"\w")


@dataclass(frozen=True)
class Reanchored:
    outcome: str  # "kept", "moved", "changed" or "orphaned"
    start: int = 0
    end: int = 0

    def text(self, body: str) -> str:
        return body[self.start : self.end]


@dataclass
class _Pieces:
    """A stretch of text cut into pieces that cover it exactly."""

    pieces: list[str]
    cuts: list[int]  # where each piece starts, and where the last one ends

    @classmethod
    def of(cls, text: str, start: int, end: int, pattern: re.Pattern[str]) -> _Pieces:
        # The patterns match no empty string and leave nothing between their matches.
        pieces = pattern.findall(text, start, end)
        if pattern is _SENTENCE:
            pieces = [part for piece in pieces for part in _shorter(piece)]
        return cls(pieces, list(accumulate(map(len, pieces), initial=start)))


def _shorter(sentence: str) -> list[str]:
    """A "sentence" of more than LONG_SENTENCE characters (a transcript, a page pasted as
    one line, text whose sentences end in 。) cut after words picked by their own letters,
    so that both sides of an edit are cut at the same words and line up again after it."""
    if len(sentence) <= LONG_SENTENCE:
        return [sentence]
    parts, at = [], 0
    for word in _CUT_AFTER.finditer(sentence):
        end = word.end()
        if end - at >= LONG_SENTENCE or (
            end - at >= 200 and zlib.crc32(word.group().encode()) % 16 == 0
        ):
            parts.append(sentence[at:end])
            at = end
    if at < len(sentence):
        parts.append(sentence[at:])
    return parts


def _keys(sentences: list[str]) -> list[str]:
    """What the sentence diff compares: blank space only together with the sentence before
    it, or every " " would match every other and cut moved text into pieces."""
    keys, before = [], ""
    for piece in sentences:
        keys.append(piece if piece.strip() else f"{before}\x00{piece}")
        before = piece
    return keys


class TextEdit:
    """How an article's old text became its new text, as blocks of characters that are
    equal in both or were replaced (a deletion or an insertion is a replacement with an
    empty side). Built once per edit and asked about every claim."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new
        # (old_start, old_end, new_start, new_end, equal), in order, covering both texts.
        self.blocks: list[tuple[int, int, int, int, bool]] = []
        # Text that stayed at either end is kept as it is, cut at a paragraph's edge: cut
        # inside a sentence, the end of a deleted sentence could pass for the end of the
        # one before it.
        head, limit = 0, min(len(old), len(new))
        while head < limit and old[head] == new[head]:
            head += 1
        head = old.rfind("\n", 0, head) + 1
        tail = 0
        while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
            tail += 1
        if tail:
            cut = old.find("\n", len(old) - tail - 1)
            tail = 0 if cut == -1 else len(old) - cut - 1
        self._equal(0, head, 0)
        self._sentences(head, len(old) - tail, head, len(new) - tail)
        self._equal(len(old) - tail, len(old), len(new) - tail)
        self._block_starts = [block[0] for block in self.blocks]
        self._new_starts = [block[2] for block in self.blocks]
        self._new_words: _WordIndex | None = None
        self._old_words: _WordIndex | None = None

    # -- building the blocks --

    def _equal(self, i1: int, i2: int, j1: int) -> None:
        if i2 > i1:
            self.blocks.append((i1, i2, j1, j1 + i2 - i1, True))

    def _replace(self, i1: int, i2: int, j1: int, j2: int) -> None:
        if i2 > i1 or j2 > j1:
            self.blocks.append((i1, i2, j1, j2, False))

    def _sentences(self, i1: int, i2: int, j1: int, j2: int) -> None:
        a = _Pieces.of(self.old, i1, i2, _SENTENCE)
        b = _Pieces.of(self.new, j1, j2, _SENTENCE)
        changes = list(diff_runs(_keys(a.pieces), _keys(b.pieces)))
        # A sentence left unmatched on one side that stands word for word among the
        # unmatched ones of the other was moved, not edited: pairing it with another
        # sentence would hand that sentence's claims its words. (A copy that stayed put
        # elsewhere does not count.)
        old_set = {p for equal, x1, x2, _, _ in changes if not equal for p in a.pieces[x1:x2]}
        new_set = {p for equal, _, _, y1, y2 in changes if not equal for p in b.pieces[y1:y2]}
        self._changed_units = [p for p in old_set | new_set if p.strip()]
        self._rarity: dict[str, float] | None = None
        for equal, x1, x2, y1, y2 in changes:
            if equal:
                self._equal(a.cuts[x1], a.cuts[x2], b.cuts[y1])
            else:
                self._pair(a, x1, x2, b, y1, y2, movable=(new_set, old_set))

    def _pair(self, a: _Pieces, x1, x2, b: _Pieces, y1, y2, *, movable) -> None:
        """Changed sentences: each is matched with its most alike counterpart, if alike
        enough, keeping their order, and each pair compared word by word; the others were
        deleted or written anew."""
        new_set, old_set = movable
        words_a = {
            x: _WORD.findall(a.pieces[x])
            for x in range(x1, x2)
            if a.pieces[x].strip() and a.pieces[x] not in new_set
        }
        likeness = []
        span_a, span_b = x2 - x1, y2 - y1
        window = max(span_a, span_b) if span_a < PAIR_ALL_BELOW else PAIR_WINDOW
        for y in range(y1, y2):
            sentence = b.pieces[y]
            if not sentence.strip() or sentence in old_set:
                continue
            words_b = _WORD.findall(sentence)
            middle = x1 + (y - y1) * span_a // max(span_b, 1)
            for x in range(max(x1, middle - window), min(x2, middle + window + 1)):
                if x in words_a and Indel.normalized_similarity(
                    words_a[x], words_b, score_cutoff=SENTENCE_PAIR_RATIO
                ):
                    ratio = self._likeness(words_a[x], words_b)
                    if ratio >= SENTENCE_PAIR_RATIO:
                        likeness.append((-ratio, x, y))
        pairs: list[tuple[int, int]] = []
        for _, x, y in sorted(likeness):
            at = bisect_right(pairs, (x, y))
            before = pairs[at - 1] if at else (x1 - 1, y1 - 1)
            after = pairs[at] if at < len(pairs) else (x2, y2)
            if before[0] < x < after[0] and before[1] < y < after[1]:
                pairs.insert(at, (x, y))
        # Between pairs, what is left was deleted or written anew. (Compared word by word
        # instead, sentences that end alike, "… aid on Wednesday.", handed one sentence's
        # words to another's claim.) A sentence run into its neighbour is found again by
        # `_rewritten_here`.
        x0, y0 = x1, y1
        for x, y in [*pairs, (x2, y2)]:
            self._replace(a.cuts[x0], a.cuts[x], b.cuts[y0], b.cuts[y])
            if x < x2:
                self._words(a.cuts[x], a.cuts[x + 1], b.cuts[y], b.cuts[y + 1])
            x0, y0 = x + 1, y + 1

    def _likeness(self, words_a: list[str], words_b: list[str]) -> float:
        """How alike two sentences are, each word weighed by how rare it is among the
        sentences that changed: sharing "… were allegedly injured." says little, sharing
        "Nasiriyah" and "18" says they are one sentence edited."""
        if self._rarity is None:
            units = [set(_WORD.findall(unit)) for unit in self._changed_units]
            seen = Counter(word for words in units for word in words)
            self._rarity = {word: log((len(units) + 1) / n) for word, n in seen.items()}
        set_a, set_b = set(words_a), set(words_b)
        rarity = self._rarity
        total = sum(rarity.get(w, 0.0) for w in set_a) + sum(rarity.get(w, 0.0) for w in set_b)
        shared = sum(rarity.get(w, 0.0) for w in set_a & set_b)
        return 2 * shared / total if total else 0.0

    def _words(self, i1: int, i2: int, j1: int, j2: int) -> None:
        if (i2 - i1) + (j2 - j1) <= MAX_WORD_DIFF:
            self._diff_words(i1, i2, j1, j2)
            return
        # Too long to compare word by word: what both sides begin and end with is equal as
        # it stands, and only the middle is compared, or taken as replaced whole if it is
        # still too long. (Not for short ones: "I don't …" and "I - I'm … I don't …" begin
        # alike, but the claim's "I" is the second.)
        head, limit = 0, min(i2 - i1, j2 - j1)
        while head < limit and self.old[i1 + head] == self.new[j1 + head]:
            head += 1
        while head and (_inside_word(self.old, i1 + head) or _inside_word(self.new, j1 + head)):
            head -= 1
        tail = 0
        while tail < limit - head and self.old[i2 - 1 - tail] == self.new[j2 - 1 - tail]:
            tail += 1
        while tail and (_inside_word(self.old, i2 - tail) or _inside_word(self.new, j2 - tail)):
            tail -= 1
        self._equal(i1, i1 + head, j1)
        i1, j1, i2, j2 = i1 + head, j1 + head, i2 - tail, j2 - tail
        if (i2 - i1) + (j2 - j1) > MAX_WORD_DIFF:
            self._replace(i1, i2, j1, j2)
        else:
            self._diff_words(i1, i2, j1, j2)
        self._equal(i2, i2 + tail, j2)

    def _diff_words(self, i1: int, i2: int, j1: int, j2: int) -> None:
        a = _Pieces.of(self.old, i1, i2, _PIECE)
        b = _Pieces.of(self.new, j1, j2, _PIECE)
        # Longest run first (difflib), not any longest common subsequence: when "This is
        # wrong, … about it." runs into "This is the first time …", the second sentence's
        # "This is" must stay with the rest of it, not pair with the first's.
        # Past 200 pieces it skips the commonest (spaces, "the") while looking for runs,
        # which keeps a long stretch from turning quadratic.
        matcher = SequenceMatcher(None, a.pieces, b.pieces)
        for tag, x1, x2, y1, y2 in matcher.get_opcodes():
            if tag == "equal":
                self._equal(a.cuts[x1], a.cuts[x2], b.cuts[y1])
            else:
                self._replace(a.cuts[x1], a.cuts[x2], b.cuts[y1], b.cuts[y2])

    # -- following a claim --

    def follow(
        self,
        *,
        start: int,
        end: int,
        text: str,
        prefix: str,
        suffix: str,
        orphaned: bool = False,
    ) -> Reanchored:
        """Where a claim's words are in the new text.

        1. Its own characters, followed through the edit, still spell its quote: "kept"
           (same offsets) or "moved".
        2. Most of its own characters still stand together and read alike: "changed",
           spanning them and whatever was written between them.
        3. Its quote was written anew (a sentence or paragraph moved): "moved" there, to
           the place whose surroundings best match the ones kept with the claim.
        Otherwise "orphaned": nothing is deleted, and a person decides. The claim never
        takes words that stood outside it in the old text.
        """
        if not orphaned:
            span, surviving = self._own_words(start, end)
            if span is not None:
                at, to = span
                if self.new[at:to] == text:
                    return Reanchored("kept" if at == start else "moved", at, to)
                at, to = _strip(self.new, at, to)
                candidate = self.new[at:to]
                if (
                    surviving >= MIN_SURVIVING * len(text)
                    and candidate.strip()
                    and Indel.normalized_similarity(_WORD.findall(text), _WORD.findall(candidate))
                    >= FUZZY_MIN_RATIO
                ):
                    return Reanchored("changed", at, to)
        places = self._found_again(text, prefix, suffix, (0, 0) if orphaned else (start, end))
        if len(places) == 1:
            return Reanchored("moved", places[0], places[0] + len(text))
        if places:
            if not orphaned:
                # The old text around the claim tells its copies apart better than the 32
                # characters kept with it.
                prefix = self.old[max(0, start - CONTEXT) : start]
                suffix = self.old[end : end + CONTEXT]
            around = _Around(prefix, suffix)
            best = max(places, key=lambda at: around.score(self.new, at, at + len(text)))
            return Reanchored("moved", best, best + len(text))
        if not orphaned:
            rewritten = self._rewritten_here(text, start, end)
            if rewritten is not None:
                return Reanchored("changed", *rewritten)
        return Reanchored("orphaned")

    def _old_index(self) -> _WordIndex:
        if self._old_words is None:
            self._old_words = _WordIndex(self.old)
        return self._old_words

    def _rewritten_here(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """The claim's words written anew at its own place, as when two sentences are run
        into one ("… said. The EU pledged …" to "… said, and the EU pledged …"): the
        comparison pairs the new sentence with the first, so the second's words count as
        new writing. Only writing that replaced text within a claim's length of its own
        place is searched, and the words found must read much like the quote."""
        reach = len(text)
        first = max(0, bisect_right(self._block_starts, start - reach) - 1)
        lo = hi = None
        for index in range(first, len(self.blocks)):
            i1, i2, j1, j2, equal = self.blocks[index]
            if i1 > end + reach:
                break
            if not equal and j2 > j1 and i2 >= start - reach:
                lo = j1 if lo is None else lo
                hi = j2
        if lo is None:
            return None
        # Near where the claim stood, not through a whole rewritten article.
        i1, i2, j1, j2, _ = self.blocks[max(0, bisect_right(self._block_starts, start) - 1)]
        here = j1 + round((start - i1) * (j2 - j1) / max(i2 - i1, 1))
        lo, hi = max(lo, here - 3 * reach), min(hi, here + 4 * reach)
        if lo >= hi:
            return None
        found = fuzz.partial_ratio_alignment(text, self.new[lo:hi], score_cutoff=80)
        if found is None:
            return None
        at, to = _snap(self.new, lo + found.dest_start, lo + found.dest_end, lo, hi)
        at, to = _strip(self.new, at, to)
        candidate = self.new[at:to]
        if (
            candidate.strip()
            and Indel.normalized_similarity(_WORD.findall(text), _WORD.findall(candidate))
            >= REWRITTEN_MIN_RATIO
            and not self._stood_elsewhere(at, to, (start, end))
            # Words that stood word for word elsewhere in the old text were moved here,
            # not written anew: they are another sentence's, however alike.
            and all(
                start <= place and place + len(candidate) <= end
                for place in self._old_index().find(candidate)
            )
        ):
            return at, to
        return None

    def _own_words(self, start: int, end: int) -> tuple[tuple[int, int] | None, int]:
        """The new span from the first to the last of the claim's own characters still
        standing, with what was written between them, and how many of its characters
        stand.

        A replacement at the claim's edge (past its last own word) is the claim's only if
        the text beyond that edge still follows it: when a sentence loses its last word
        and runs into the next, "… one of means." did not become "… one of And then you
        need …", the next sentence did.
        """
        first = max(0, bisect_right(self._block_starts, start) - 1)
        pieces: list[tuple[str, int, int, int]] = []  # (kind, new from, new to, block)
        surviving = 0
        for index in range(first, len(self.blocks)):
            i1, i2, j1, j2, equal = self.blocks[index]
            if i1 > end or (i1 == end and i2 > i1):
                break
            lo, hi = max(i1, start), min(i2, end)
            if equal:
                if lo < hi:
                    surviving += hi - lo
                    at, to = j1 + lo - i1, j1 + hi - i1
                    kind = "own" if _ALNUM.search(self.new, at, to) else "marks"
                    pieces.append((kind, at, to, index))
            elif i1 == i2:
                # Writing added inside the claim is part of it; at its edges it is not.
                if start < i1 < end:
                    pieces.append(("written", j1, j2, index))
            elif lo < hi and j1 < j2:
                # A replacement, or the share of one that straddles the claim's edge, in
                # whole words.
                share = (j2 - j1) / (i2 - i1)
                near_at, near_to = j1 + round((lo - i1) * share), j1 + round((hi - i1) * share)
                at, to = _snap(self.new, near_at, near_to, j1, j2)
                straddles = i1 < start or i2 > end
                # A replacement of words on both sides of the claim's edge ("aaa aar" by
                # "AAA", the claim starting at "aar"): whole words of it that reach past the
                # claim's share were written for the words outside, never the claim's.
                if at < to and not (straddles and (at < near_at if i1 < start else to > near_to)):
                    pieces.append(("replaced", at, to, index))
        pieces = self._trim(pieces, step=1)
        pieces = self._trim(pieces[::-1], step=-1)[::-1]
        if not surviving or not pieces:
            return None, 0
        at, to = pieces[0][1], pieces[-1][2]
        return (at, to), surviving

    def _trim(self, pieces: list, *, step: int) -> list:
        """Drop writing at one edge (the start for step 1, the end for -1) that the text
        beyond that edge no longer follows, with the punctuation beside it: when "… said.
        The EU pledged …" becomes "… said, and the EU pledged …", the claim on the first
        sentence keeps its own words and its full stop does not pull the second one in."""
        while pieces:
            ahead = next((p for p in pieces if p[0] != "marks"), None)
            if ahead is None or ahead[0] == "own" or self._followed(ahead[3], -step):
                return pieces
            pieces = pieces[pieces.index(ahead) + 1 :]
        return pieces

    def _followed(self, index: int, step: int) -> bool:
        """Whether, walking from block `index` in direction `step` over punctuation that
        stayed, the next thing is a word that stayed (or the end of the text)."""
        index += step
        while 0 <= index < len(self.blocks):
            _, _, j1, j2, equal = self.blocks[index]
            if not equal:
                return False
            if _ALNUM.search(self.new, j1, j2):
                return True
            index += step
        return True

    def _found_again(self, text: str, prefix: str, suffix: str, own: tuple[int, int]) -> list[int]:
        """Where `text` stands in the new text on words that are newly written (or moved)
        or the claim's own: never on words that stood elsewhere in the old text."""
        if self._new_words is None:
            self._new_words = _WordIndex(self.new)
        # The first and last words are whole only if the claim did not start or end inside
        # a word.
        places = self._new_words.find(
            text, whole_first=not prefix[-1:].isalnum(), whole_last=not suffix[:1].isalnum()
        )
        return [at for at in places if not self._stood_elsewhere(at, at + len(text), own)]

    def _stood_elsewhere(self, at: int, to: int, own: tuple[int, int]) -> bool:
        """Whether new[at:to] holds a word character that the edit kept from old text
        outside `own`."""
        index = max(0, bisect_right(self._new_starts, at) - 1)
        while index < len(self.blocks) and self.blocks[index][2] < to:
            i1, _, j1, j2, equal = self.blocks[index]
            lo, hi = max(j1, at), min(j2, to)
            if equal and lo < hi:
                # The characters here that stood before `own`, and those after it.
                old_lo = i1 + lo - j1
                outside = [
                    (lo, min(hi, lo + own[0] - old_lo)),
                    (max(lo, lo + own[1] - old_lo), hi),
                ]
                if any(a < b and _ALNUM.search(self.new, a, b) for a, b in outside):
                    return True
            index += 1
        return False


class _WordIndex:
    """Where each word of a text starts, built once for the many claims that may look: a
    scan of the whole new text per claim took 18 s for 25,000 claims in a reshuffled 2 MB
    article."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: dict[str, list[int]] = {}
        for word in _WORD_ONLY.finditer(text):
            self.starts.setdefault(word.group(), []).append(word.start())

    def find(self, quote: str, *, whole_first: bool = True, whole_last: bool = True) -> list[int]:
        """Every offset where `quote` stands, looked up by its rarest whole word."""
        words = [(m.group(), m.start()) for m in _WORD_ONLY.finditer(quote)]
        if words and words[0][1] == 0 and not whole_first:
            words = words[1:]
        if words and words[-1][1] + len(words[-1][0]) == len(quote) and not whole_last:
            words = words[:-1]
        if not words:
            return []
        key, offset = min(words, key=lambda item: len(self.starts.get(item[0], ())))
        return [
            at - offset
            for at in self.starts.get(key, ())
            if at >= offset and self.text.startswith(quote, at - offset)
        ]


def _inside_word(text: str, at: int) -> bool:
    """Whether offset `at` falls between two letters of one word."""
    return 0 < at < len(text) and text[at - 1].isalnum() and text[at].isalnum()


def _strip(text: str, at: int, to: int) -> tuple[int, int]:
    """Without blank space at either edge: it is nobody's words, and may be a neighbour's."""
    while at < to and text[at].isspace():
        at += 1
    while to > at and text[to - 1].isspace():
        to -= 1
    return at, to


def _snap(text: str, at: int, to: int, lo: int, hi: int) -> tuple[int, int]:
    """Widen a share of a replacement to whole words, within the replacement."""
    while at > lo and text[at - 1].isalnum() and at < len(text) and text[at].isalnum():
        at -= 1
    while to < hi and to > 0 and text[to - 1].isalnum() and text[to].isalnum():
        to += 1
    return at, to


class _Around:
    """A claim's surroundings within its paragraph, to tell apart the places where its
    quote stands again. Only the paragraph counts: when a paragraph moves, what followed
    it before now follows another, while its own words travel with it."""

    def __init__(self, prefix: str, suffix: str) -> None:
        self.prefix = prefix[prefix.rfind("\n") + 1 :]
        self.suffix = suffix.split("\n", 1)[0]
        self.prefix_words, self.suffix_words = (
            _WORD.findall(self.prefix),
            _WORD.findall(self.suffix),
        )

    def score(self, body: str, at: int, end: int) -> tuple[int, int]:
        """How many of the words around the claim stand, in order, around body[at:end] in
        its paragraph (a word inserted next to it should not outweigh the rest), then how
        many characters match outright from its edges."""
        before = body[max(0, at - len(self.prefix), body.rfind("\n", 0, at) + 1) : at]
        after = body[end : end + len(self.suffix)].split("\n", 1)[0]
        alike = LCSseq.similarity(_WORD.findall(before), self.prefix_words) + LCSseq.similarity(
            _WORD.findall(after), self.suffix_words
        )
        exact = 0
        for x, y in zip(reversed(before), reversed(self.prefix), strict=False):
            if x != y:
                break
            exact += 1
        for x, y in zip(after, self.suffix, strict=False):
            if x != y:
                break
            exact += 1
        return alike, exact
