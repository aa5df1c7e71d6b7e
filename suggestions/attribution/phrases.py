"""Speakers as a sentence names them: finding the phrases that attribute it ("according
to X", "X said", "…, said X", "the study found", "…, saying") and reading each noun phrase
into what it says about its speaker (a name, a pronoun, "the group", "police spokesman",
a document and its author), before anything is resolved against the article.

One cohesive thing, a reader of English noun phrases around verbs of saying; it is longer
than the modules beside it because each of its methods handles one way news copy names a
source, and they call one another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from suggestions.attribution.names import (
    bare,
    is_abbreviation,
    is_cap,
    is_possessive,
    join_name,
    name_runs,
    strip_titles,
)
from suggestions.attribution.sentences import NameIndex, Sentence, Span
from suggestions.attribution.words import (
    AFTER_TAG,
    AGENTS,
    BETWEEN,
    BODY_END,
    CLASS_AFTER_NAME,
    CLAUSE_STOP,
    COMMON_START,
    DETERMINERS,
    DOCUMENT_VERBS,
    DOCUMENTS,
    DOCUMENTS_ISSUED,
    FEMALE,
    FORWARD_STOP,
    INTRODUCTIONS,
    INVERTED,
    MALE,
    MARKS,
    NAME_JOINERS,
    NOT_AGENTS,
    NOUN_TOO,
    PARTICIPLES,
    PASSIVE,
    PHRASE_STARTS,
    POSSESSIVE_PRONOUNS,
    PREPOSITIONS,
    PRONOUNS,
    QUANTIFIERS,
    SPEAK_FOR,
    SPEECH,
    SPOKESPEOPLE,
    STUDY_PEOPLE,
    TAG_END,
    TIME_WORDS,
    TITLES,
    WEAK_SPEECH,
    document_kinds,
    is_adjective,
    is_person_role,
    is_plural,
    is_role,
    singular,
)


@dataclass
class Phrase:
    """What a noun phrase says about a speaker, before it is resolved to one."""

    # name, names, pronoun, backref ("the group"), description ("police spokesman"),
    # document ("the study"), quantifier ("Several told council")
    kind: str
    text: str = ""  # the description, the pronoun or the head referred back to
    names: tuple[str, ...] = ()
    kinds: set[str] = field(default_factory=set)  # what they are: "group", "spokesman", …
    plural: bool = False
    person: bool | None = None
    author: Phrase | None = None  # a document's
    the: bool = False  # "The X": a body, not a person
    priority: int = 9  # lower is more the sentence's own speaker
    position: int = 0


def named_phrase(names: Sequence[str], **details: object) -> Phrase:
    names = tuple(dict.fromkeys(names))  # one speaker named twice is one speaker
    return Phrase("names" if len(names) > 1 else "name", names=names, **details)


class PhraseReader:
    """Reads the speaker phrases of an article's sentences; `index` gives the article's
    lower-case words and the fullest mention of each name."""

    def __init__(self, index: NameIndex) -> None:
        self.common = index.common
        self.fullest = index.fullest

    def find_phrases(self, s: Sentence) -> list[Phrase]:
        """The speakers the sentence names itself, the outermost first."""
        found: list[Phrase] = []
        for i, token in enumerate(s.tokens):
            low = s.lows[i]
            if s.quoted[i] or not (low in PHRASE_STARTS or low in SPEECH or low in DOCUMENT_VERBS):
                continue
            phrase = None
            if low == "according" and s.low(i + 1) == "to":
                phrase = self.according(s, i + 2)
                priority = 1 if i == 0 else 4
            elif low in ("repost", "reposted") and s.low(i + 1) == "from":
                phrase, _ = self.forward(s, i + 2)
                priority = 1
            elif (low in SPEECH or low in DOCUMENT_VERBS) and token[0].islower():
                if not (low in NOUN_TOO and s.noun(i)):
                    found.extend(self.speech(s, i))
            elif low in PARTICIPLES and i > 0 and s.tokens[i - 1] == ",":
                phrase, _ = self.forward(s, self.subject_start(s))
                priority = 3
                if phrase is not None and phrase.kind == "document":
                    phrase = None
            if phrase is not None:
                phrase.priority, phrase.position = priority, i
                found.append(phrase)
        found.sort(key=lambda p: (p.priority, p.position))
        return found

    def subject_start(self, s: Sentence) -> int:
        """Where the sentence's subject starts: after an opening phrase ("In Blantyre, …")."""
        if s.low(0) in INTRODUCTIONS:
            for i, token in enumerate(s.tokens[:25]):
                if token == ",":
                    return i + 1
        return 0

    def speech(self, s: Sentence, i: int) -> list[Phrase]:
        """The speaker of the verb of saying at token i, if it has one."""
        tokens, low = s.tokens, s.tokens[i].lower()
        if s.low(i - 1) in PASSIVE or s.low(i + 1) == "to":
            return []  # "is said to", "was told"
        if low == "declared" and s.low(i + 1) != "that":
            return []  # "declared a state of emergency": an act
        if (
            low in ("reported", "reports", "wrote", "writes")
            and s.low(i + 1) in ("on", "about")
            and s.low(i + 2) not in TIME_WORDS
        ):
            return []  # "first reported on the payments": no content of its own
        # "…,” said X" and "…, said X": the speaker after the verb.
        if low in INVERTED and i > 0 and (tokens[i - 1] == "," or s.closing_mark(i - 1)):
            phrase, _ = self.forward(s, i + 1, tag=True)
            if phrase is not None:
                phrase.priority, phrase.position = 2, i
                s.tagged = s.tagged or s.closing_mark(i - 1)
                return [phrase]
        j = i - 1
        while j >= 0:
            if s.low(j) in BETWEEN:
                j -= 1
            elif s.low(j) in TIME_WORDS and s.low(j - 1) == "on":
                j -= 2  # "X on Friday said"
            else:
                break
        if j < 0 or s.quoted[j]:
            return []
        if tokens[j] == ",":
            phrase, start = self.comma_subject(s, j)
        else:
            start = self.reach_back(s, j)
            phrase = self.parse(s, start, j + 1)
        if phrase is None:
            return []
        if low in DOCUMENT_VERBS:
            if phrase.kind != "document":
                return []  # "Police found two bodies": an act
            phrase.priority = 7
        elif low in WEAK_SPEECH and s.low(i + 1) != "that":
            phrase.priority = 5
        elif start == 0:
            phrase.priority = 3  # the sentence's subject
        elif tokens[start - 1] == "," or s.closing_mark(start - 1):
            phrase.priority = 2  # a tag after what was said: "…, the company said"
            s.tagged = s.tagged or s.closing_mark(start - 1)
        else:
            phrase.priority = 6  # inside a clause: "a week after X reported that …"
        issued = self.issued(s, i)
        if issued:
            phrase.kinds.add(issued)
        phrase.position = start
        return [phrase]

    def issued(self, s: Sentence, i: int) -> str:
        """What the speaker of the verb at i said it in, for "the statement said" to refer
        back to: "said in a statement", "claimed the attack in a brief statement"."""
        for k in range(i + 1, min(len(s.tokens), i + 12)):
            if s.tokens[k] in ",;:" or s.low(k) == "that" or s.quoted[k]:
                break
            if s.low(k) == "in" and s.low(k + 1) in ("a", "an", "its", "their", "his", "her"):
                for m in range(k + 2, min(len(s.tokens), k + 5)):
                    if s.low(m) in DOCUMENTS:
                        return s.low(m)
                    if not s.tokens[m][0].islower():
                        break
            if s.low(k) == "in" and s.low(k + 1) == "the" and s.low(k + 2) in DOCUMENTS_ISSUED:
                return s.low(k + 2)
        return ""

    def reach_back(self, s: Sentence, j: int) -> int:
        """Where the noun phrase that ends at token j starts."""
        tokens = s.tokens
        start = j
        while start > 0 and j - start < 14 and not s.quoted[start - 1]:
            prev = tokens[start - 1]
            low = prev.lower()
            if prev == "–" and start >= 2 and is_cap(tokens[start - 2]) and is_cap(tokens[start]):
                start -= 1
                continue
            if not (prev[0].isalnum() or prev[0] in "‘$"):
                break
            if low in CLAUSE_STOP or (low in SPEECH and low not in NOUN_TOO) or low in PARTICIPLES:
                break
            # "MacAulay and Osei-Lambert", "the X and the Y": names joined, nothing else.
            if low == "and" and not (
                start >= 2
                and is_cap(tokens[start - 2])
                and (
                    is_cap(tokens[start]) or (tokens[start] == "the" and is_cap(tokens[start + 1]))
                )
            ):
                break
            start -= 1
        return start

    def comma_subject(self, s: Sentence, j: int) -> tuple[Phrase | None, int]:
        """The subject of a verb after "X, who …, said" or "Her lawyer, Jane Doe, said":
        the phrase and where it starts. Token j is the comma before the verb."""
        tokens = s.tokens
        segments: list[Span] = []  # the comma-separated parts, the nearest first
        end = j
        while len(segments) < 4:
            start = end
            while start > 0 and tokens[start - 1] not in ",;:()" and not s.quoted[start - 1]:
                start -= 1
            segments.append((start, end))
            if start == 0 or tokens[start - 1] != ",":
                break
            end = start - 1
        # "Her lawyer, Jonas Ekwueme-Hall," / "the city's auditor general, Priya Chandrasekar,"
        if len(segments) >= 2:
            named = self.parse(s, *segments[0])
            if named is not None and named.kind in ("name", "names"):
                b = segments[1][1]
                lead = self.reach_back(s, b - 1)
                described = self.parse(s, lead, b)
                if described is not None and described.kind in ("description", "backref"):
                    named.kinds |= described.kinds
                    return named, lead
        # "The Pacific Relief Network, a charity based in Santiago," / "Lidia, who …, 41,"
        appositions = []
        for number, (a, b) in enumerate(segments):
            if a < b and number < len(segments) - 1 and self.appositive(s, a):
                appositions.append((a, b))
                continue
            lead = self.reach_back(s, b - 1)
            phrase = self.parse(s, lead, b)
            if phrase is None:
                return None, a
            for x, y in appositions:
                phrase.kinds |= self.apposition_kinds(s, x, y)
                if phrase.kind == "document" and phrase.author is None:
                    phrase.author = self.author_in(s, x, y)  # "The tests, carried out by X,"
            return phrase, lead
        return None, 0

    def appositive(self, s: Sentence, a: int) -> bool:
        """Whether the comma-separated part starting at token a describes what precedes."""
        first, low = s.tokens[a], s.low(a)
        if low in ("who", "which", "whose", "whom", "where", "a", "an", "based", "one"):
            return True
        if low == "the" and not is_cap(s.tokens[a + 1] if a + 1 < len(s.tokens) else ""):
            return True
        return first[0].isdigit() or first[0].islower()

    def apposition_kinds(self, s: Sentence, a: int, b: int) -> set[str]:
        """The head noun of an apposition: "a charity based in Santiago" -> {"charity"}."""
        kinds: set[str] = set()
        for i in range(a, b):
            low = s.low(i)
            if low in PREPOSITIONS and i > a:
                break
            if is_role(low) and not is_cap(s.tokens[i]):
                kinds = {singular(low)}
        for i in range(a, min(b, a + 4)):
            if s.low(i) in FEMALE:
                kinds.add("female")
            elif s.low(i) in MALE:
                kinds.add("male")
        return kinds

    def author_in(self, s: Sentence, a: int, b: int) -> Phrase | None:
        """The author a document's phrase names: "by X", "from X"."""
        for i in range(a, b):
            if s.low(i) in ("by", "from") and not s.quoted[i]:
                found, _ = self.forward(s, i + 1, limit=b)
                if found is not None and found.kind != "document":
                    return found
        return None

    def according(self, s: Sentence, i: int) -> Phrase | None:
        """The speaker of "according to …" whose words start at token i."""
        phrase, end = self.forward(s, i)
        if phrase is None or s.low(end) != ",":
            return phrase
        # ", a Telegram channel close to …" / "the board's chairwoman, Justice Agnes …"
        a = b = end + 1
        while b < len(s.tokens) and s.tokens[b] not in ",;:.()" and not s.quoted[b]:
            b += 1
        if s.low(b) == "." and b > a and is_abbreviation(s.tokens[b - 1] + "."):
            b += 1
        if a < b:
            named = self.parse(s, a, b)
            described = phrase.kind in ("description", "backref")
            if named is not None and named.kind in ("name", "names") and described:
                named.kinds |= phrase.kinds
                return named
            if self.appositive(s, a) and phrase.kind in ("name", "names"):
                phrase.kinds |= self.apposition_kinds(s, a, b)
        return phrase

    def forward(
        self, s: Sentence, a: int, *, tag: bool = False, limit: int | None = None
    ) -> tuple[Phrase | None, int]:
        """The speaker's noun phrase that starts at token a and where it ends: at a comma,
        a stop or the next clause. `tag`: it follows its verb ("…, said X on Friday")."""
        tokens = s.tokens
        stop = len(tokens) if limit is None else limit
        b = a
        while b < stop and not s.quoted[b]:
            token, low = tokens[b], tokens[b].lower()
            if token in ",;:()!?—" or token in MARKS:
                break
            if token == "." and not (b > a and is_abbreviation(tokens[b - 1] + ".")):
                break
            if b > a:
                verb = low in SPEECH and token[0].islower() and not (low in NOUN_TOO and s.noun(b))
                if verb or low in CLAUSE_STOP or low in PARTICIPLES or low in FORWARD_STOP:
                    break
                if tag and low in TAG_END:
                    break
                plain = token[0].islower() and low not in NAME_JOINERS and low not in PREPOSITIONS
                if plain and not is_role(low) and not self.premodifier(tokens, b, stop):
                    break
            b += 1
        if tag and b < len(tokens) and tokens[b] not in ",.;:!?" and s.low(b) not in AFTER_TAG:
            return None, b  # "said the blockade had cost …": what was said, not who
        phrase = self.parse(s, a, b)
        if (
            phrase is not None
            and phrase.kind in ("description", "document")
            and phrase.author is None
        ):
            # "a poll of 12 analysts compiled by the company": the author may stand further
            # on in the clause than the noun phrase reaches.
            clause = b
            while clause < stop and tokens[clause] not in ",;:." and not s.quoted[clause]:
                clause += 1
            author = self.author_in(s, a, clause)
            head = phrase.text.split()[-1].lower() if phrase.text else ""
            if author is not None and (phrase.kind == "document" or head in SPEAK_FOR):
                phrase.kind, phrase.author = "document", author
        return phrase, b

    @staticmethod
    def premodifier(tokens: list[str], b: int, stop: int) -> bool:
        """Whether the lower-case word at b leads on to a role noun: "national athletics
        federation", "armed group"."""
        if tokens[b].lower().endswith(("ed", "ing")):
            return b + 1 < stop and is_role(tokens[b + 1].lower())
        for k in range(b + 1, min(stop, b + 4)):
            word = tokens[k]
            if is_role(word.lower()):
                return True
            if not word[0].isalpha() or is_cap(word) or word.lower() in DETERMINERS:
                return False
        return False

    def parse(self, s: Sentence, a: int, b: int) -> Phrase | None:
        """What tokens[a:b] say about a speaker, or None if they name none."""
        tokens = s.tokens
        while a < b and (tokens[a] in ",–-" or s.low(a) in ("and", "but")):
            a += 1
        while b > a and tokens[b - 1] in ",.":
            if tokens[b - 1] == "." and is_abbreviation(tokens[b - 2] + "."):
                break
            b -= 1
        if a >= b or any(s.quoted[a:b]):
            return None
        if b - a == 1:
            word = s.low(a)
            if word in PRONOUNS:
                return Phrase("pronoun", word, plural=word == "they")
            if word in QUANTIFIERS:
                return Phrase("quantifier", word, plural=True)
        # Determiners and a possessive owner: "the city's auditor general", "her report".
        i, definite, owner = a, False, None
        while i < b:
            word = s.low(i)
            if word in ("the", "this", "same"):
                definite = True
            elif word in POSSESSIVE_PRONOUNS:
                owner = Phrase("pronoun", POSSESSIVE_PRONOUNS[word])
            elif not (word in DETERMINERS or (word.isdigit() and int(word) < 1900)):
                break
            i += 1
        the = i > a and s.low(a) == "the"
        for k in range(i, min(b, i + 6)):
            if is_possessive(tokens[k]):  # "Peru's", "the agency's", "Kalypso's"
                owner = self.owner(s, a if k == i else i, k + 1)
                i, definite, the = k + 1, False, False
                break
        if i >= b:
            return None
        runs = name_runs(tokens, i, b, self.common)
        inside_name = {k for x, y in runs for k in range(x, y)}
        # The phrase's main part ends at a preposition outside any name.
        main_end = next(
            (k for k in range(i + 1, b) if k not in inside_name and s.low(k) in PREPOSITIONS), b
        )
        # "Earlier this week the ministry": the phrase starts at its last article.
        for k in range(main_end - 1, i, -1):
            if s.low(k) in ("the", "a", "an") and k not in inside_name:
                definite = the = s.low(k) == "the"
                i = k + 1
                break
        if i >= main_end:
            return None
        main_runs = [(x, y) for x, y in runs if x >= i and y <= main_end]
        head = s.low(main_end - 1)
        if main_runs and main_runs[-1][1] == main_end:
            return self.parse_name(s, a, i, main_runs, the)
        if main_runs and is_role(head) and not is_cap(tokens[main_end - 1]):
            # "A U.S. Navy spokesman": the body. "the Nahrain Dispatch channel": the name.
            x, y = main_runs[-1]
            words = [bare(t) for t in tokens[x:y]]
            one_class_word = main_end - y == 1 and head in CLASS_AFTER_NAME
            if (head in SPOKESPEOPLE or one_class_word) and (
                len(words) > 1 or not is_adjective(words[-1])
            ):
                name = join_name(words)
                return named_phrase([name], kinds={singular(head)}, person=False, the=True)
        agents = bool(AGENTS.fullmatch(head)) and head not in NOT_AGENTS
        if not is_role(head) and not agents:
            return None
        words = list(tokens[i:main_end])
        first = words[0].lower()
        if first == head or is_role(first) or (i == 0 and first in self.common | COMMON_START):
            words[0] = first  # "Police said": a description, in lower case
        text = " ".join(words)
        plural = agents or is_plural(head)
        person = agents or is_person_role(head)
        # Observers, a spokesperson or a document of a named body: the body.
        if head in SPEAK_FOR or singular(head) in SPEAK_FOR:
            bodies = self.bodies_after(s, main_end, b)
            if bodies:
                kinds = {head, singular(head)} | (
                    document_kinds(head) if head in DOCUMENTS else set()
                )
                return named_phrase(
                    bodies, kinds=kinds, plural=plural or len(bodies) > 1, person=False, the=True
                )
        if head in DOCUMENTS:
            author = self.author_in(s, main_end, b) if main_end < b else None
            return Phrase(
                "document", head, kinds=document_kinds(head), author=author or owner, plural=plural
            )
        if owner is not None and (head in SPOKESPEOPLE or text.endswith("press office")):
            return owner  # "the ministry's spokesman", "the army's press office"
        single = len(words) == 1 or (len(words) == 2 and words[0].lower() == "same")
        if definite and (single or head in STUDY_PEOPLE):
            return Phrase("backref", head, kinds={singular(head)}, plural=plural, person=person)
        return Phrase("description", text, kinds={singular(head)}, plural=plural, person=person)

    def parse_name(self, s: Sentence, a: int, i: int, runs: list[Span], the: bool) -> Phrase | None:
        """A phrase that ends with a name: "the human rights group Andean Rights
        Observatory", "Health Minister Peter Kamau-Oyugi", "MacAulay and Osei-Lambert"."""
        tokens = s.tokens
        x, y = runs[-1]
        words, kinds = strip_titles([bare(t) for t in tokens[x:y]])
        if not words:
            return None
        before = [t.lower() for t in tokens[i:x] if not is_cap(t)]
        kinds |= {singular(w) for w in before if is_role(w)}
        names = self.split_names(words)
        # "MacAulay and Osei-Lambert", "X, Y and the Z": several speakers.
        index = len(runs) - 1
        while index > 0:
            px, py = runs[index - 1]
            if " ".join(t.lower() for t in tokens[py:x]) not in ("and", ",", "and the", ", and"):
                break
            earlier, _ = strip_titles([bare(t) for t in tokens[px:py]])
            names = [*self.split_names(earlier), *names] if earlier else names
            index, x = index - 1, px
        phrase = named_phrase(names, kinds=kinds, the=the or (x > a and s.low(x - 1) == "the"))
        lead = {t.lower() for t in tokens[a:x]}
        if lead & FEMALE:
            phrase.kinds.add("female")
        if lead & MALE:
            phrase.kinds.add("male")
        if any(w in TITLES for w in before) or kinds & TITLES:
            phrase.person = True
        return phrase

    def owner(self, s: Sentence, a: int, b: int) -> Phrase | None:
        """Who owns what a possessive tokens[a:b] ends: "her", "the agency's", "Kalypso's"."""
        low = [*(t.lower() for t in s.tokens[a : b - 1]), bare(s.tokens[b - 1]).lower()]
        if len(low) == 1 and low[0] in POSSESSIVE_PRONOUNS:
            return Phrase("pronoun", POSSESSIVE_PRONOUNS[low[0]])
        if len(low) == 2 and low[0] == "the" and is_role(low[1]):
            return Phrase("backref", low[1], kinds={singular(low[1])})
        runs = name_runs(s.tokens, a, b, self.common)
        if runs and runs[-1][1] == b:
            name, _ = strip_titles([bare(t) for t in s.tokens[runs[-1][0] : b]])
            if name:
                return named_phrase([join_name(self.fullest(name))])
        return None

    def bodies_after(self, s: Sentence, a: int, b: int) -> list[str]:
        """The named bodies of "from X and the Y", "for X", "of X", "at X", "by X"."""
        if a >= b or s.low(a) not in ("by", "from", "of", "for", "at"):
            return []
        found = []
        for x, y in name_runs(s.tokens, a + 1, b, self.common):
            after = s.low(y)
            # "the El Olivar neighbourhood": a place, not a body.
            if after and after not in BODY_END and not is_cap(s.tokens[y]):
                continue
            words, _ = strip_titles([bare(t) for t in s.tokens[x:y]])
            if words:
                found.append(join_name(words))
            if after not in ("and", ","):
                break
        return found

    def split_names(self, words: list[str]) -> list[str]:
        """A name at its fullest; or, if it joins two known names with "and", both."""
        if "and" in words:
            parts: list[list[str]] = [[]]
            for word in words:
                if word == "and":
                    parts.append([])
                else:
                    parts[-1].append(word)
            whole = [w.lower() for w in words]
            fullest = [self.fullest(p) for p in parts]
            # Each part must be a name known on its own: "Dutch Grain and Feed Association"
            # is one body, the fullest mention of both its halves.
            if all(
                p and f != p and [w.lower() for w in f] != whole
                for p, f in zip(parts, fullest, strict=True)
            ):
                return list(dict.fromkeys(join_name(f) for f in fullest))
        return [join_name(self.fullest(words))]
