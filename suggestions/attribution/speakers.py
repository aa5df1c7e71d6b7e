"""Who each phrase means, and the article read sentence by sentence: a name becomes one
speaker however it is shortened, "he", "she", "it", "they" and "the group" take the most
recent speaker that fits (then a body or a person only named), and a colon's scope or a
quotation that runs on carries its speaker to the sentences after it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from suggestions.attribution.names import bare, join_name, name_runs, normal, strip_titles
from suggestions.attribution.phrases import Phrase, PhraseReader
from suggestions.attribution.sentences import NameIndex, Sentence, Span, read_sentences
from suggestions.attribution.words import (
    BYLINE_OUTLET,
    DETERMINERS,
    GENERIC_BODIES,
    KIND_SYNONYMS,
    NAME_KINDS,
    NAMED_BODIES,
    NON_CONTENT,
    OPENING,
    ORG_WORDS,
    PLURAL_ONLY,
    RECENT_NAMES,
    RECENT_PEOPLE,
    RECENT_SPEAKERS,
    REPORTER,
    STUDY_PEOPLE,
    first_name_gender,
    is_person_role,
    is_plural,
    singular,
)


@dataclass
class Speaker:
    names: tuple[str, ...]
    kinds: set[str] = field(default_factory=set)
    person: bool = False
    gender: str = ""  # "m", "f" or unknown
    plural: bool = False
    described: bool = False  # a description ("police"), not a name

    @property
    def text(self) -> str:
        return "; ".join(self.names)


OUTLET = Speaker(("",))


@dataclass
class Mention:
    speaker: Speaker
    plural: bool  # as this sentence spoke of them ("the authors" of a centre: "they")


class Article:
    """Attributes the sentences `body[start:end]` of `spans`, in order."""

    def __init__(self, body: str, spans: Sequence[Span]) -> None:
        self.sentences = read_sentences(body, spans)
        self.index = NameIndex(body, self.sentences)
        self.reader = PhraseReader(self.index)
        bylines = (BYLINE_OUTLET.match(s.text) for s in self.sentences[:3])
        self.outlet = next((normal(m.group("outlet")) for m in bylines if m), "")
        self.speakers: dict[tuple[str, ...], Speaker] = {}
        self.history: list[Mention] = []
        self.current = 0  # the sentence being attributed
        self.phrases: list[list[Phrase]] = []  # each sentence's own, best first

    def resolve(self, phrase: Phrase, s: Sentence) -> Speaker | None:
        kind = phrase.kind
        if kind in ("name", "names"):
            return self.named_speaker(phrase)
        if kind == "pronoun":
            return self.pronoun(phrase.text)
        if kind == "backref":
            return self.backref(phrase.text, phrase.plural, s)
        if kind == "document":
            author = phrase.author
            if author is not None and author.kind == "pronoun" and author.text in ("it", "they"):
                # "Kalypso … manages 34 vessels, according to its website": its own.
                named = self.named_in(s)
                if named is not None:
                    return named
            if author is not None:
                return self.resolve(author, s)
            return self.backref(phrase.text, phrase.plural, s, documents=True)
        if kind == "quantifier":
            return self.quantified()
        if kind == "description":
            speaker = self.speaker((phrase.text,))
            speaker.described, speaker.plural = True, phrase.plural
            speaker.person = bool(phrase.person)
            speaker.kinds |= phrase.kinds
            return speaker
        return None

    def named_speaker(self, phrase: Phrase) -> Speaker:
        names = phrase.names
        if len(names) == 1 and self.outlet and normal(names[0]) == self.outlet:
            return OUTLET
        speaker = self.speaker(names)
        speaker.kinds |= phrase.kinds - {"female", "male"}
        if "female" in phrase.kinds:
            speaker.gender = "f"
        elif "male" in phrase.kinds:
            speaker.gender = "m"
        speaker.plural = speaker.plural or len(names) > 1
        if phrase.person is not None:
            speaker.person = phrase.person
        elif phrase.the:
            speaker.person = False
        return speaker

    def speaker(self, names: tuple[str, ...]) -> Speaker:
        """The one speaker of these names in the article, made on first mention."""
        key = tuple(normal(n) for n in names)
        found = self.speakers.get(key)
        if found is None:
            words = [w.lower() for n in names for w in n.split()]
            found = Speaker(names, kinds={NAME_KINDS[w] for w in words if w in NAME_KINDS})
            body = any(w in ORG_WORDS or w in ("of", "the", "–") for w in words)
            found.person = not body and len(names) == 1 and 2 <= len(words) <= 4
            if found.person:
                found.gender = first_name_gender(words[0])
            self.speakers[key] = found
        return found

    def pronoun(self, word: str) -> Speaker | None:
        recent = self.history[-RECENT_SPEAKERS:]
        for mention in reversed(recent):
            speaker = mention.speaker
            if word in ("he", "she"):
                want = "m" if word == "he" else "f"
                if speaker.person and not mention.plural and speaker.gender in ("", want):
                    speaker.gender = want
                    return speaker
            elif (word == "they" and mention.plural) or (
                word == "it" and not speaker.person and not mention.plural
            ):
                return speaker
        if word == "they":
            # No plural speaker: a body that was "it" before (British usage).
            for mention in reversed(recent):
                if not mention.speaker.person and not mention.speaker.described:
                    return mention.speaker
        if word in ("he", "she"):
            return self.person_named("m" if word == "he" else "f")
        return None

    def person_named(self, gender: str) -> Speaker | None:
        """With no speaker that fits "he" or "she": the most recent person of that gender
        named in the sentences just before, as a description falls back on a body named."""
        before = bisect_left(self.index.people_sentences, self.current)  # not this sentence's
        for index, words, known in reversed(self.index.people[:before]):
            if index < self.current - RECENT_PEOPLE:
                break
            if known not in ("", gender):
                continue
            name = join_name(self.index.fullest(words))
            known_speaker = self.speakers.get((normal(name),))
            if known_speaker is not None and not known_speaker.person:
                continue  # a body that spoke ("Green Balkans"), whatever its name looks like
            speaker = self.speaker((name,))
            speaker.person, speaker.gender = True, gender
            return speaker
        return None

    def backref(
        self, head: str, plural: bool, s: Sentence, *, documents: bool = False
    ) -> Speaker | None:
        """Who "the <head>" means: the most recent speaker of that kind; else the body the
        sentence names or the most recent body of that kind named; else a description."""
        wanted = KIND_SYNONYMS.get(head, frozenset()) | {head, singular(head)}
        for mention in reversed(self.history[-RECENT_SPEAKERS:]):
            if mention.speaker.kinds & wanted:
                return mention.speaker
        if documents:
            return None
        if head in NAMED_BODIES:  # "Sales at Orion Retail fell 3%, the company said."
            named = self.named_in(s)
            if named is not None:
                return named
        last = bisect_right(self.index.name_sentences, self.current)
        for _, words in reversed(self.index.names[max(0, last - RECENT_NAMES) : last]):
            if any(NAME_KINDS.get(w.lower()) in wanted for w in words):
                speaker = self.speaker((join_name(self.index.fullest(words)),))
                speaker.person = False
                return speaker
        if head in GENERIC_BODIES:  # "the group", of a group whose name says no kind
            for mention in reversed(self.history[-RECENT_SPEAKERS:]):
                if not mention.speaker.person and not mention.speaker.described:
                    return mention.speaker
        if head in STUDY_PEOPLE:
            return None
        speaker = self.speaker((head,))
        speaker.described, speaker.plural = True, plural
        speaker.kinds, speaker.person = {singular(head)}, is_person_role(head)
        return speaker

    def quantified(self) -> Speaker | None:
        """Who "Several told council" means: the people the sentence before counted."""
        if self.current == 0:
            return None
        for token in reversed(self.sentences[self.current - 1].tokens):
            low = token.lower()
            if low in PLURAL_ONLY or (is_plural(low) and is_person_role(low)):
                speaker = self.speaker((low,))
                speaker.described = speaker.plural = speaker.person = True
                return speaker
        return None

    def named_in(self, s: Sentence) -> Speaker | None:
        """The body the sentence's subject names, if it opens with one ("Sales at X")."""
        start = self.reader.subject_start(s)
        runs = name_runs(s.tokens, start, min(len(s.tokens), start + 12), self.index.common)
        # A lone capitalised first word may only open the sentence ("Sales at …").
        runs = [r for r in runs if r[1] - r[0] > 1 or r[0] > 0 or s.low(0) in self.index.midcaps]
        if not runs or any(s.quoted[slice(*runs[0])]):
            return None
        between = [t.lower() for t in s.tokens[start : runs[0][0]] if t.lower() not in DETERMINERS]
        if between and (len(between) > 2 or between[-1] not in ("at", "in", "of", "for")):
            return None
        words, titles = strip_titles([bare(t) for t in s.tokens[slice(*runs[0])]])
        if not words or titles:
            return None
        speaker = self.speaker((join_name(self.index.fullest(words)),))
        speaker.person = False
        return speaker

    def attribute(self) -> list[str]:
        # Every sentence's own speaker phrases first: a quotation's tag may come later.
        self.phrases = [self.reader.find_phrases(s) for s in self.sentences]
        out: list[str] = []
        scope: Speaker | None = None  # what a colon introduced: its speaker, carried
        quote: Speaker | None = None  # the speaker of the quotation still open
        tagged: Speaker | None = None  # the speaker of the quotation just closed
        for index, s in enumerate(self.sentences):
            self.current = index
            if not s.tokens or NON_CONTENT.search(s.text):
                scope = quote = tagged = None
                out.append("")
                continue
            own, plural = self.own_speaker(s)
            starts_quotation = s.ends_inside and not s.opens_inside
            opens_with_mark = s.tokens[0] in OPENING + '"'
            if s.opens_inside and quote is not None:
                who = quote  # the words of a quotation are its speaker's
            elif own is not None:
                who = own
            elif starts_quotation or opens_with_mark:
                who = self.quotation_speaker(index) or tagged or scope
            else:
                who = scope
            if own is not None and not s.opens_inside:
                scope = None  # a speaker of its own ends what a colon carried
            if who is OUTLET:
                who = None
            carried = own is None and who is not None and who is scope
            if carried and (self.names_speaker(s, who) or REPORTER.search(s.text)):
                scope = who = None  # background on the source, or the reporter's remark
            if starts_quotation:
                quote = who
            elif not s.ends_inside:
                quote = None
            if s.tagged or (who is not None and opens_with_mark):
                tagged = who
            elif not s.opens_inside:
                tagged = None
            if who is not None and s.text.endswith(":"):
                scope = who
            if who is not None:
                self.history.append(Mention(who, who.plural if plural is None else plural))
            out.append(who.text if who is not None else "")
        return out

    def own_speaker(self, s: Sentence) -> tuple[Speaker | None, bool | None]:
        """The sentence's own speaker, and whether it spoke of them as several."""
        for phrase in self.phrases[self.current]:
            speaker = self.resolve(phrase, s)
            if speaker is not None:
                plural = None
                if phrase.kind in ("pronoun", "backref", "description", "quantifier"):
                    plural = phrase.plural
                return speaker, plural
        return None, None

    def names_speaker(self, s: Sentence, speaker: Speaker) -> bool:
        text = normal(s.text)
        return any(len(name) > 3 and normal(name) in text for name in speaker.names)

    def quotation_speaker(self, index: int) -> Speaker | None:
        """The tag of a quotation that opens in sentence `index` and closes further on."""
        for later in range(index + 1, min(len(self.sentences), index + 40)):
            s = self.sentences[later]
            if not s.opens_inside:
                return None
            if not s.ends_inside:
                tags = [p for p in self.phrases[later] if p.priority <= 3]
                return self.resolve(tags[0], s) if tags else None
        return None
