"""The vocabulary attribution reads news copy with: verbs of saying, roles, kinds of body,
titles, first names, and the patterns of lines that are not copy (bylines, captions).

One cohesive thing, a lexicon: the word lists and the few tests over a single word
(singular, role, gender). The rules that use them live in the modules beside it.
"""

from __future__ import annotations

import re


def word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


SPEECH = word_set(
    """said says say told tells tell stated states alleged alleges accused accuses reported
    reports announced announces confirmed confirms denied denies disputed disputes testified
    testifies estimated estimates acknowledged acknowledges admitted admits added adds wrote
    writes insisted insists warned warns noted notes cautioned cautions argued argues
    explained explains revealed reveals disclosed discloses maintained maintains contended
    contends asserted asserts replied replies responded countered recalled reiterated
    stressed stresses emphasised emphasized conceded concedes complained tweeted identified
    blamed blames predicted calculated claimed claims declared argue allege estimate warn
    insist note deny confirm contend maintain acknowledge admit report claim"""
)
# Verbs of saying that are also nouns: "the report", "its claims", "an estimate".
NOUN_TOO = word_set("report reports claim claims estimate estimates note notes states")
# What may stand between a determiner and such a noun: "an early estimate", "its latest
# figures". A word not listed counts only by its ending ("preliminary", "initial").
NOUN_ADJECTIVES = word_set("new own first last latest early final full official annual rough")
ADJECTIVE_ENDINGS = ("al", "ary", "est", "ly", "ive", "ic", "ed")
# "has claimed 40 attacks": a claim of responsibility, weaker than an "according to".
WEAK_SPEECH = word_set("claimed claims claim")
# The speaker follows these after a comma or a quotation: "…,” said X".
INVERTED = word_set("said says added wrote told asked")
# A document speaks for its author through these: "the study found".
DOCUMENT_VERBS = word_set(
    "found finds showed shows concluded concludes indicated indicates suggested suggests"
)
# "rejected the results, saying …": the sentence's subject is the speaker.
PARTICIPLES = word_set(
    """saying telling ruling arguing adding insisting noting warning alleging accusing
    claiming stating asserting explaining contending maintaining confirming denying
    testifying"""
)
# Words that can start a speaker's phrase in a sentence (with SPEECH and DOCUMENT_VERBS).
PHRASE_STARTS = PARTICIPLES | word_set("according repost reposted")
# Words that may stand between a speaker and their verb: "MacAulay and Osei-Lambert both said".
BETWEEN = word_set(
    """has have had also later previously both all first again earlier separately repeatedly
    publicly then further already initially originally subsequently jointly each formally
    officially once recently"""
)
PASSIVE = word_set("is was were are be been being")
PRONOUNS = word_set("he she it they")
POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "its": "it", "their": "they"}
DETERMINERS = word_set(
    """the a an another one two three four five several some many other both this that these
    those its their his her our my your same any each every"""
)
QUANTIFIERS = word_set("several some many others most few two three four dozens hundreds")
# Words that open a sentence with a phrase before its subject: "In Blantyre, …".
INTRODUCTIONS = word_set(
    """in on at after before during under over opening speaking earlier later meanwhile also
    separately since until when while as by from with despite amid following"""
)
# A speaker's noun phrase does not reach back over these.
CLAUSE_STOP = word_set(
    """that when after before while because as if since until though although whereas where
    which who whom whose but or so than is was were are be been has have had did do does not
    no also then once unless whether amid despite during"""
)
PREPOSITIONS = word_set(
    """of for from at in with on by near outside inside under over across based close who
    which that whose whom published compiled carried led run owned released issued posted
    seen cited quoted speaking"""
)
# A noun phrase read forwards ends at these.
FORWARD_STOP = word_set("published compiled released issued posted cited close near over")
# A tag's speaker ends at these ("…, said X on Tuesday, citing …"), and only these or a
# stop may follow it.
TAG_END = word_set(
    "on in at during late earlier last adding citing referring speaking without through via"
)
AFTER_TAG = TAG_END | word_set("who after before when as while and")
TIME_WORDS = word_set(
    """monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december jan feb mar apr jun jul aug sep
    sept oct nov dec today yesterday tonight morning afternoon evening night week weekend
    month year"""
)

# Nouns that head a described speaker ("a police spokesman", "the regional water company").
PERSON_ROLES = word_set(
    """official spokesman spokeswoman spokesperson spokespeople minister governor mayor
    president chief commander officer prosecutor lawyer attorney judge justice witness
    resident analyst researcher scientist expert doctor economist diplomat source engineer
    coach manager director executive chairman chairwoman chair leader lawmaker legislator
    senator councillor councilor activist campaigner observer monitor organiser organizer
    author investigator inspector auditor accountant clerk epidemiologist professor
    physician nurse paramedic firefighter rescuer medic survivor relative villager protester
    worker employee farmer trader broker dealer consultant agent journalist reporter student
    parent teacher voter driver pilot soldier fighter militant rebel insurgent general
    colonel captain secretary ambassador envoy negotiator mediator representative delegate
    member candidate challenger opponent critic supporter owner founder shareholder investor
    banker head deputy aide adviser advisor staffer person man woman mother father neighbour
    neighbor eyewitness passenger patient victim athlete runner player referee specialist
    surgeon pharmacist historian lecturer academic priest imam bishop pastor cleric elder
    guard sergeant lieutenant constable detective superintendent commissioner forecaster
    meteorologist seismologist geologist strategist team"""
)
# People by what they do, which no list holds all of: "Dockers said", "Economists said".
AGENTS = re.compile(r"[a-z]{3,}(?:ers|ists|ians)")
NOT_AGENTS = word_set(
    """others numbers papers orders waters borders letters matters headquarters centers
    quarters powers towers containers layers barriers careers filters computers markers"""
)
PLURAL_ONLY = word_set("police authorities troops forces personnel staff people")
ORG_ROLES = word_set(
    """ministry agency board company firm group charity organisation organization centre
    headquarters
    center institute university hospital court council commission committee office
    department service authority government army military navy union party alliance
    coalition faction movement channel newspaper broadcaster outlet website network bank
    regulator operator airline insurer lender federation association observatory watchdog
    command brigade front embassy consulate municipality utility carrier manufacturer
    producer retailer exchange fund foundation club league school militia administration
    cabinet presidency parliament congress senate assembly tribunal bureau secretariat
    mission force corporation clinic laboratory station magazine daily miner developer
    startup police"""
)
DOCUMENTS = word_set(
    """study report survey statement audit analysis review poll count tally figures data
    records record list website filing document documents letter post census estimate
    estimates assessment investigation inquiry paper research findings tests test results
    indictment complaint lawsuit memo minutes release communique bulletin update database
    register"""
)
# "the researchers", "the authors" speak for the body that did the study.
# What "said in the statement" names as the speaker's own.
DOCUMENTS_ISSUED = word_set("statement report")
STUDY_PEOPLE = word_set("researchers authors scientists team")
# Heads whose "from/of/for/at X" names the body that speaks: "observers from X", "a
# spokesman for X", "a count by X". Residents of a place do not speak for it.
SPEAK_FOR = (
    word_set(
        """observers monitors researchers spokesman spokeswoman spokesperson spokespeople
        official officials representatives representative statement"""
    )
    | DOCUMENTS
)
SPOKESPEOPLE = word_set("spokesman spokeswoman spokesperson statement")
# "the Nahrain Dispatch channel": a class word after a name.
CLASS_AFTER_NAME = word_set(
    """channel newspaper website broadcaster group company firm faction militia network
    outlet magazine daily movement account page union charity association federation
    alliance coalition organisation organization watchdog"""
)
# What may follow a body's name in "observers from X and the Y said".
BODY_END = PREPOSITIONS | word_set("and , . said the")
# What a back-reference of one word may also mean.
KIND_SYNONYMS = {
    "group": word_set(
        "group faction organisation organization movement militia front brigade alliance coalition"
    ),
    "faction": word_set("group faction movement militia front brigade"),
    "company": word_set("company firm corporation group"),
    "firm": word_set("company firm corporation"),
    "centre": word_set("centre center"),
    "center": word_set("centre center"),
    "judge": word_set("judge justice"),
    "ministry": word_set("ministry department"),
    "researchers": word_set("study"),
    "authors": word_set("study"),
    "scientists": word_set("study"),
    "team": word_set("study team"),
}  # fmt: skip
# Back-references that, with no speaker that fits, may mean the body the sentence names.
NAMED_BODIES = word_set(
    """company firm group carrier operator airline bank lender insurer retailer manufacturer
    developer miner producer agency organisation organization charity"""
)
# Back-references that may fall back on the most recent organisation that spoke.
GENERIC_BODIES = word_set("group faction organisation organization movement militia")
# How many speakers back a pronoun or a back-reference looks, and how many names back a
# description looks for a body named but not yet heard from.
RECENT_SPEAKERS = 60
RECENT_NAMES = 200
# How many sentences back "he" or "she" looks for a person named but not heard from.
RECENT_PEOPLE = 8

# Words in a name that say what kind of body it is.
NAME_KINDS = {
    "ministry": "ministry", "agency": "agency", "board": "board", "commission": "commission",
    "office": "office", "service": "service", "centre": "centre", "center": "centre",
    "institute": "institute", "network": "network", "group": "group", "council": "council",
    "command": "command", "court": "court", "front": "group", "brigades": "group",
    "brigade": "group", "resistance": "group", "movement": "group",
    "observatory": "observatory", "watch": "watch", "federation": "federation",
    "union": "union", "party": "party", "alliance": "alliance", "bank": "bank",
    "university": "university", "hospital": "hospital", "foundation": "foundation",
    "authority": "authority", "department": "department", "committee": "committee",
    "government": "government", "army": "army", "navy": "navy", "police": "police",
    "forces": "forces", "corp.": "company", "corp": "company", "inc.": "company",
    "inc": "company", "ltd": "company", "ltd.": "company", "plc": "company", "ab": "company",
    "sa": "company", "s.a.": "company", "gmbh": "company", "llc": "company", "co.": "company",
    "holdings": "company", "industries": "company", "securities": "company",
    "channel": "channel", "association": "association", "society": "society",
    "coalition": "coalition", "tribunal": "court", "bureau": "office",
    "directorate": "department", "administration": "administration",
}  # fmt: skip
ORG_WORDS = frozenset(NAME_KINDS) | word_set(
    """news dispatch monitor times post gazette guardians trust fund club league mission
    embassy cabinet parliament congress senate assembly municipality church diocese systems
    partners advisory forensics minerals logistics relief shipmanagement confectionery
    operations organisation organization company"""
)
# "The Islamic Resistance in Iraq": names that run on over "in".
IN_NAMES = word_set("resistance state qaeda movement front jihad brigades")
NAME_JOINERS = word_set(
    "of for and the de del della da das do dos du di van von der den bin ibn abu al el la le y & –"
)
NAME_PARTICLE = re.compile(
    r"(?:al|el|ad|an|ar|as|at|az|ash|wal|bin|ibn|abu|de|van|von|da|di|du|dos|del)-\S",
    re.IGNORECASE,
)
# "the Baghdad-based Tigris Security Observatory": a descriptor, not part of the name.
DESCRIPTOR_SUFFIX = re.compile(
    r"-(?:based|led|backed|aligned|owned|run|linked|born|affiliated|controlled|funded)$"
)

# Titles, ranks and offices dropped before a person's name.
TITLES = word_set(
    """mr. mrs. ms. miss dr. prof. professor gen. maj. col. lt. capt. sgt. brig. adm. cpl.
    supt. insp. gov. sen. rep. rev. sir dame lord lady colonel captain lieutenant sergeant
    inspector superintendent constable detective justice judge president vice prime
    minister secretary governor mayor councillor councilor senator congressman
    congresswoman ambassador chief executive chairman chairwoman chair director
    commissioner presiding deputy acting sheikh imam bishop father emir premier chancellor
    speaker commander officer spokesman spokeswoman spokesperson"""
)
FEMALE = word_set(
    """spokeswoman chairwoman businesswoman congresswoman councilwoman mother wife daughter
    sister widow grandmother actress queen princess lady dame mrs. ms. miss madam policewoman
    sportswoman woman girl"""
)
MALE = word_set(
    """spokesman chairman businessman congressman councilman father husband son brother
    widower grandfather king prince lord sir mr. policeman sportsman man boy"""
)
# First names that tell "he" from "she". Most names ending in "a" are women's; the male
# list holds the common exceptions, and names used for both are in neither.
FEMALE_NAMES = word_set(
    """ruth grace agnes ines inês ingrid astrid karin kristin helen helene jane anne ann
    claire mary susan sarah hannah leah rachel esther elizabeth margaret catherine katherine
    kathleen caroline charlotte louise alice rose rosemary judith carol nicole michelle
    isabel isabelle beatriz mercedes carmen dolores pilar raquel noor nour leila layla
    zeynep aisling aoife siobhan niamh yuki mei ngozi"""
)
MALE_NAMES = word_set(
    """john peter paul david michael james robert william richard thomas tomas tomás mark
    marcus samuel daniel joseph jose josé juan carlos luis miguel pedro raúl raul andrés
    andres paulo jonas derek colm tobias wayne karim ahmed mohammed muhammad mohamed ali
    omar hassan hussein ibrahim yusuf ivan sergei dmitry oleg viktor igor pavel piotr erik
    lars anders johan hans klaus stefan pierre jacques marco antonio diego fernando jorge
    ricardo eduardo rafael gabriel george charles edward henry frank kevin brian steven
    anthony matthew stephen patrick luca nikita mustafa musa isa hamza joshua ilya kostya
    misha attila jonah noah elijah abdullah"""
)
EITHER_NAMES = word_set("andrea jean kim alex sasha nikola")
# Capitalised only because they open a sentence.
COMMON_START = word_set(
    """rival another former opposition community presiding senior local regional national
    acting deputy veteran fellow then but meanwhile also however under opening speaking
    according asked earlier later separately elsewhere in on at for from with after before
    when while as if since until by of to some many several both all each every no the a an
    this that these those it he she they we you i his her its their our my there here what
    who why how where yes not will would can could should must did does do is are was were
    has have had police officials residents observers analysts witnesses prosecutors
    investigators authorities experts doctors researchers scientists critics"""
)
NOT_NAMES = TIME_WORDS | word_set("i")

# Lines that are not the article's copy: never attributed, and they end a carried scope.
NON_CONTENT = re.compile(
    r"^(?:by\s+[A-Z][^.!?]{0,80}$|(?:reporting|editing|writing|additional reporting|edited)"
    r" by\b|(?:photo|photograph|picture|image|caption|file photo|credit|video|graphic"
    r"|illustration)s?\s*[:|—–-]|date\s+\d{4}-\d\d|posted (?:on|by)\b|(?:read more|related"
    r"|advertisement|share this|subscribe)\b)"
    r"|\bposted on by\b|\((?:photo|photograph|image|picture)s?\b[^()]*\)\s*$"
    r"|\([A-Z][\w .&'-]*/[A-Z][\w .&'-]*\)\s*$|,\s+via\s+[A-Z][\w&. ]{1,30}\.?$",
    re.IGNORECASE,
)
# The reporter speaking about the reporting: not part of what a colon introduced.
REPORTER = re.compile(
    r"(?:could not|couldn[’']t|was unable to|were unable to|cannot|can't) (?:be )?"
    r"(?:independently )?(?:verif|confirm)\w*|did not (?:immediately )?(?:respond|reply"
    r"|return)|declined to comment|not be reached|\bmeanwhile\b|\bseparately\b",
    re.IGNORECASE,
)
# "LIMA, Peru, Oct. 9 (MWS) — ": never a speaker. (The scorer cuts it too; bench and other
# callers may pass the segmenter's spans.)
DATELINE = re.compile(
    r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'’-]+(?:\s+[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'’-]+)*"
    r"(?:,[^—–\n]{1,60}?)?\s*(?:\([^)]{1,40}\))?\s*[—–-]{1,2}\s+"
)
DATELINE_MARK = re.compile(r"[,(\d]")
# "By Jo Bell, Gulf Maritime Report": the outlet, whose own reporting is its own voice.
BYLINE_OUTLET = re.compile(r"^By\s+[^,]{2,80},\s+(?P<outlet>[A-Z][^,]{1,60}?)\s*$")

ABBREVIATION = re.compile(
    r"(?:[A-Z]\.){2,}|(?:Adm|Brig|Capt|Cmdr|Col|Cpl|Dr|Gen|Gov|Insp|Jr|Lt|Maj|Mr|Mrs|Ms|Mt"
    r"|Prof|Rep|Rev|Sen|Sgt|Sr|St|Supt|Corp|Inc|Ltd|Co|Bros|No)\.(?!\w)"
)
TOKEN = re.compile(rf"{ABBREVIATION.pattern}|\d+(?:[.,:]\d+)*|‘?[^\W\d_][\w’'‘-]*|[^\w\s]")
OPENING, CLOSING = "“«", "”»"
MARKS = OPENING + CLOSING + '"'


def singular(word: str) -> str:
    if word in PLURAL_ONLY or not word.endswith("s") or word.endswith("ss"):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    return word[:-1]


def is_role(word: str) -> bool:
    """Whether a (lower-case) word can head a described speaker or a document."""
    single = singular(word)
    return (
        word in PERSON_ROLES
        or single in PERSON_ROLES
        or word in ORG_ROLES
        or single in ORG_ROLES
        or word in PLURAL_ONLY
        or word in DOCUMENTS
        or word in STUDY_PEOPLE
    )


def is_person_role(word: str) -> bool:
    return word in PERSON_ROLES or singular(word) in PERSON_ROLES or word in PLURAL_ONLY


def is_plural(word: str) -> bool:
    return word in PLURAL_ONLY or (singular(word) != word and is_role(singular(word)))


def is_adjective(word: str) -> bool:
    """A nationality or place adjective: "Burkinabe army", "Iraqi security official"."""
    return word.lower().endswith(("an", "ese", "ish", "i", "ic", "ean", "be"))


def document_kinds(head: str) -> set[str]:
    kinds = {head, singular(head)}
    if head in ("study", "research", "findings", "paper"):
        kinds.add("study")
    return kinds


def first_name_gender(word: str) -> str:
    word = word.lower()
    if word in MALE_NAMES:
        return "m"
    if word in FEMALE_NAMES or (len(word) > 2 and word.endswith("a") and word not in EITHER_NAMES):
        return "f"
    return ""
