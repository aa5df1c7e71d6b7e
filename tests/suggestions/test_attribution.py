"""Who makes each claim: suggestions.attribution, and how good it is on the labelled set."""

from __future__ import annotations

import pytest

from bench.attribution import DATA, correct, evaluate_all, load_all
from suggestions.attribution import attributions, sentence_attribution
from suggestions.scorer import scored_sentences
from suggestions.segmenter import sentence_spans


def attributed(body: str) -> list[str]:
    """The attribution of every sentence of `body`, as the segmenter cuts it."""
    return attributions(body, sentence_spans(body))


# --- a sentence's own speaker ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "who"),
    [
        ("According to the Harbour Authority, nine cranes were damaged.", "Harbour Authority"),
        ("Nine cranes were damaged, according to Vela Shipping.", "Vela Shipping"),
        ("Lina Moreau said the dock had been closed since May.", "Lina Moreau"),
        ("Omar Saleh told the court that he had signed 40 invoices.", "Omar Saleh"),
        ("The Kestrel Front claimed responsibility for the blast.", "Kestrel Front"),
        ("Brightwell Foods reported a net loss of $12 million.", "Brightwell Foods"),
        ("The Transport Agency announced that 14 lines would reopen.", "Transport Agency"),
        ("Dalvik Mining confirmed that two shafts had flooded.", "Dalvik Mining"),
        ("Vela Shipping denied that its tanker had leaked oil.", "Vela Shipping"),
        ("Sales fell 6% in March, Brightwell Foods said.", "Brightwell Foods"),
        ("Sales fell 6% in March, said Tomas Greer, an analyst at Holm Bank.", "Tomas Greer"),
        ("Police said they had arrested two men.", "police"),
        ("A fire service spokesman said 30 homes had burned.", "fire service spokesman"),
        ("Residents of the Old Quarter said the water had run out.", "residents"),
        ("A Coast Guard spokeswoman said 12 sailors were rescued.", "Coast Guard"),
        ("Observers from Vote Watch and the Civic Forum said the count was fair.",
         "Vote Watch; Civic Forum"),
    ],
)  # fmt: skip
def test_the_sentence_names_who_makes_the_claim(sentence, who):
    assert sentence_attribution(sentence) == who


@pytest.mark.parametrize(
    ("sentence", "who"),
    [
        ("Army chief Maj. Gen. Paul Okafor said 12 soldiers died.", "Paul Okafor"),
        ("Finance Minister Ruth Agyei said the deficit had doubled.", "Ruth Agyei"),
        ("Two were hurt, the rights group Open Roads Monitor said.", "Open Roads Monitor"),
        ("Lumo Relief, a charity based in Accra, said it fed 900 families.", "Lumo Relief"),
        ("Chile's Energy Ministry said 40,000 homes had no power.", "Energy Ministry"),
        ("Her lawyer, Nadia Brandt, said the charges were false.", "Nadia Brandt"),
        ("Omar Saleh of Delta Freight said the ship was late.", "Omar Saleh"),
        ("Arrivals fell 8%, according to the Belgrade-based Sava Travel Institute.",
         "Sava Travel Institute"),
    ],
)  # fmt: skip
def test_titles_descriptors_and_places_are_dropped(sentence, who):
    assert sentence_attribution(sentence) == who


def test_a_full_name_is_kept_whole():
    sentence = "The Lions of the Southern Valley – ‘Usbat al-Nahr claimed responsibility."
    assert sentence_attribution(sentence) == "Lions of the Southern Valley – ‘Usbat al-Nahr"
    sentence = "The Islamic Front in Sahel claimed the ambush on Friday."
    assert sentence_attribution(sentence) == "Islamic Front in Sahel"


@pytest.mark.parametrize(
    "sentence",
    [
        "The council voted 9-4 to close the ferry line.",
        "The governor declared a state of emergency in three districts.",
        "Her party filed a petition with the High Court on Monday.",
        "The bridge, which opened in 1998, carries 20,000 cars a day.",
        "The findings were published in the journal Coastal Studies.",
        "Police found two bodies near the river.",
        "The newspaper first reported on the payments in June.",
        "Five trucks were set on fire near the border.",
    ],
)
def test_the_articles_own_voice_stays_empty(sentence):
    assert sentence_attribution(sentence) == ""


def test_the_outermost_speaker_wins():
    body = (
        "Eva Lind told the inquiry that the captain had said the pumps were off. "
        "Ticket records showed the ferry was overloaded by 40 cars, she told the panel."
    )
    assert attributed(body) == ["Eva Lind", "Eva Lind"]


# --- quotations --------------------------------------------------------------------------


def test_a_quotation_takes_the_speaker_named_after_it():
    body = (
        "“We pumped water for six hours. The hull held, but the engine room flooded twice, "
        "and we lost both generators before midnight,” said Hugo Lamarr, the ship's engineer."
    )
    assert attributed(body) == ["Hugo Lamarr"]


def test_a_quotation_that_runs_on_keeps_its_speaker():
    body = (
        "“We sailed at dawn,” said Anton Varga, a ferry captain. “In summer we carried 300 "
        "cars a day.\n\n“Now we carry 40. The bridge took the rest.”\n\n"
        "Traffic on the bridge rose 12% last year."
    )
    found = attributed(body)
    assert found[:-1] == ["Anton Varga"] * (len(found) - 1)
    assert found[-1] == ""


def test_a_quotation_after_a_colon_is_all_its_speakers():
    body = 'Kara Osei said on Tuesday: "We sent 12 trucks. Four were turned back at the border."'
    assert set(attributed(body)) == {"Kara Osei"}


# --- what a colon carries ----------------------------------------------------------------


def test_a_colon_carries_its_speaker_until_another_speaks():
    body = (
        "According to the Delta Watch channel, the raids unfolded as follows:\n\n"
        "The first raid hit a depot in Kosti.\n\n"
        "A second raid destroyed a pickup truck. A 4×4 vehicle was also damaged.\n\n"
        "The army said it had repelled both raids.\n\n"
        "The depot had been built in 2019."
    )
    assert attributed(body) == ["Delta Watch"] * 4 + ["army", ""]


@pytest.mark.parametrize(
    "ending",
    [
        "date 2024-03-02 Posted on by newsdesk",
        "By Jane Doe, Sahel Review",
        "Photo: A burned truck near Kosti.",
        "The Sahel Review could not independently verify the claims.",
    ],
)
def test_a_colon_scope_ends_at_a_header_byline_caption_or_the_reporter(ending):
    body = (
        "Repost from the Telegram channel Delta Watch:\n\n"
        "Fighters seized two depots near Kosti.\n\n"
        f"{ending}\n\n"
        "Three villages were without water on Sunday."
    )
    found = attributed(body)
    assert found[:2] == ["Delta Watch", "Delta Watch"]
    assert found[-1] == ""


# --- pronouns and descriptions -------------------------------------------------------------


def test_pronouns_take_the_most_recent_speaker_that_fits():
    body = (
        "Ines Carvalho, the port's director, said cargo fell 12%. "
        "Pedro Lima, a union official, said 40 dockers had been laid off. "
        "She said two shipping lines had left. "
        "He said the union would meet on Friday. "
        "The Port Authority said it had ordered an audit. "
        "It said the audit would take six weeks. "
        "Dockers said wages had not risen since 2019. "
        "They said 300 had signed a petition."
    )
    assert attributed(body) == [
        "Ines Carvalho",
        "Pedro Lima",
        "Ines Carvalho",
        "Pedro Lima",
        "Port Authority",
        "Port Authority",
        "dockers",
        "dockers",
    ]


def test_descriptions_refer_back_to_the_speaker_they_fit():
    body = (
        "The Nile Front, an armed group, claimed the attack on the convoy. "
        "Rana Aziz, a spokeswoman for the Health Ministry, said nine drivers were hurt. "
        "The ministry said three of them were in intensive care. "
        "“We struck the convoy at dawn,” the group said in a statement. "
        "Vela Shipping, the company that owns the trucks, said it had lost $2 million. "
        "The company said it would suspend the route."
    )
    assert attributed(body) == [
        "Nile Front",
        "Rana Aziz",
        "Health Ministry",
        "Nile Front",
        "Vela Shipping",
        "Vela Shipping",
    ]


def test_a_description_with_no_speaker_takes_the_body_named_before():
    body = (
        "The minister referred the contract to the Public Procurement Commission in May. "
        "The commission confirmed on Monday that it had opened an inquiry."
    )
    assert attributed(body) == ["", "Public Procurement Commission"]


def test_a_short_name_is_the_fullest_mention():
    body = (
        "Dalvik Mining Corp. said output fell 9%. "
        "Analyst Marta Holm said the mine was losing money. "
        "Holm said the company had cut 200 jobs. "
        "Dalvik Mining has denied that the mine is for sale."
    )
    assert attributed(body) == [
        "Dalvik Mining Corp.",
        "Marta Holm",
        "Marta Holm",
        "Dalvik Mining Corp.",
    ]


def test_several_speakers_are_all_named_in_order():
    body = (
        "Councillor Ann Roy said the road was unsafe. Councillor Sam Bell said it was not. "
        "Roy and Bell both said the budget had been cut twice."
    )
    assert attributed(body)[-1] == "Ann Roy; Sam Bell"


def test_documents_speak_for_their_author():
    body = (
        "Admissions rose 12%, according to a study by the Lisbon Centre for Heat Research. "
        "The study found that outdoor workers were most at risk. "
        "Rents rose 7%, according to figures from the Harbour Statistics Office. "
        "Kalypso Shipping runs 34 vessels, according to its website."
    )
    assert attributed(body) == [
        "Lisbon Centre for Heat Research",
        "Lisbon Centre for Heat Research",
        "Harbour Statistics Office",
        "Kalypso Shipping",
    ]


def test_the_outlets_own_count_is_its_own_voice():
    body = (
        "By Jo Bell, Gulf Shipping Report\n\n"
        "It is the ninth ship hit this year, according to a tally by Gulf Shipping Report."
    )
    assert attributed(body) == ["", ""]


def test_a_dateline_is_never_a_speaker():
    body = "KYIV, Jan. 22 (Wire) — Five convoys came under attack, officials said."
    assert attributed(body) == ["officials"]


# --- the faults a newsroom walkthrough found (issue 14) --------------------------------------


@pytest.mark.parametrize(
    ("sentence", "who"),
    [
        # A body whose name holds "and" is one speaker, named once.
        ("Rice imports rose 8%, according to data compiled by the Coffee and Cocoa Board.",
         "Coffee and Cocoa Board"),
        ("The Salt and Sand Company said 30 trucks were idle.", "Salt and Sand Company"),
        # A document "by X" speaks for X, whatever stands before its noun.
        ("Losses topped 9 million euros, according to a first estimate by the Alpine "
         "Insurance Federation.", "Alpine Insurance Federation"),
        ("Six bridges closed, according to the latest report from the Highways Agency.",
         "Highways Agency"),
        # A body known by its description: the description.
        ("Two dams overflowed, according to the regional flood headquarters.",
         "regional flood headquarters"),
        # A class word after a name is a descriptor, as "the X channel" is.
        ("The Vakbond Metaal union said 2,000 welders had stopped work.", "Vakbond Metaal"),
        ("The Open Hands charity said it had fed 700 families.", "Open Hands"),
        ("The Riverside Teachers Union said 80 schools were shut.", "Riverside Teachers Union"),
        # The receiving outlet is never the speaker.
        ("“Nothing will move until we are paid,” crane driver Pieter Smit told Port Weekly.",
         "Pieter Smit"),
        ("Pieter Smit told Port Weekly that 12 cranes stood still.", "Pieter Smit"),
    ],
)  # fmt: skip
def test_the_walkthrough_speakers_are_named_once_and_whole(sentence, who):
    assert sentence_attribution(sentence) == who


@pytest.mark.parametrize(
    "sentence",
    [
        # A document with no author named anywhere: nobody to name, so the article's voice.
        "Four roads were closed, according to a bulletin.",
        "Fuel sales rose 3% in May, according to the monthly bulletin.",
    ],
)
def test_a_document_with_no_author_names_nobody(sentence):
    assert sentence_attribution(sentence) == ""


def test_a_verb_of_saying_after_a_body_stays_a_verb():
    assert sentence_attribution("The company estimates that 300 homes were lost.") == "company"


def test_he_falls_back_on_the_person_named_when_no_speaker_fits():
    body = (
        "Governor Viktor Anev opened the new sea wall on Monday. "
        "The conservation group Blue Coast said the wall had cost 9 million euros.\n\n"
        "“Every cent went into concrete and pumps,” he said."
    )
    assert attributed(body) == ["", "Blue Coast", "Viktor Anev"]


def test_a_speaker_that_fits_beats_a_person_only_named():
    body = (
        "Governor Viktor Anev opened the new sea wall on Monday. "
        "Engineer Tomas Ruud said the wall had cost 9 million euros. "
        "“Every cent went into concrete and pumps,” he said."
    )
    assert attributed(body)[-1] == "Tomas Ruud"


def test_she_never_falls_back_on_a_man():
    body = (
        "Governor Viktor Anev opened the new sea wall on Monday. "
        "“Every cent went into concrete and pumps,” she said."
    )
    assert attributed(body)[-1] == ""


# --- the faults measured on a real article (issue 14) ---------------------------------------

# Built from the sentences the issue quotes (a 2021 convoy-attack report through a Telegram
# channel), with the gaps filled in.
GROUP = "Islamic Resistance in Iraq – ‘Ashab al-Kahf"
REAL_ARTICLE = [
    ("date 2021-01-23 Posted on by editor", ""),
    (
        "According to the Sabereen News, a Telegram channel close to Iraqi armed factions, "
        "the attacks occured as it follows:",
        "Sabereen News",
    ),
    ("The first attack took place in the southern city of Nasiriyah.", "Sabereen News"),
    ("The second attack took place in the central province of Babylon.", "Sabereen News"),
    ("The fourth attack also took place in Babylon.", "Sabereen News"),
    ("A 4×4 vehicle was also damaged.", "Sabereen News"),
    (
        f"The {GROUP} claimed responsibility for the attacks in a post on its channel.",
        GROUP,  # the full name, never "Kahf"
    ),
    (
        "“We planted explosive devices through the South road and targeted the convoys of "
        "the American occupier,” the group said in a brief statement.",
        GROUP,  # the group named in the sentence before, not "the group"
    ),
]


def test_the_issues_real_article_faults_are_fixed():
    paragraphs = [text for text, _ in REAL_ARTICLE]
    body = "\n\n".join([*paragraphs[:5], " ".join(paragraphs[5:7]), paragraphs[7]])
    found = [(s.text, s.attributed_to) for s in scored_sentences(body)]
    assert found == [(text, who) for text, who in REAL_ARTICLE]


def test_the_scorer_carries_the_attribution_into_each_suggestion():
    body = "Lina Moreau, the mayor, said 40 homes flooded. She said 3 bridges closed on Monday."
    assert [s.attributed_to for s in scored_sentences(body)] == ["Lina Moreau", "Lina Moreau"]


# --- the labelled set -------------------------------------------------------------------


def test_the_attribution_set_is_as_large_as_promised():
    articles = load_all(DATA)
    assert len(articles) >= 10
    assert sum(len(a.sentences) for a in articles) >= 150
    assert (DATA / "GUIDELINE.md").exists()
    assert len({a.meta["kind"] for a in articles}) >= 5


@pytest.mark.parametrize(
    ("predicted", "gold", "right"),
    [
        ("The Harbour Authority", "Harbour Authority", True),
        ("Guardians – ‘Usbat", "Guardians - 'Usbat", True),
        ("", "", True),
        ("police", "", False),
        ("Ann Roy", "Ann Roy; Sam Bell", False),
        ("Ann Roy; Sam Bell", "Ann Roy; Sam Bell", True),
        ("Murad Aziz", "Murad Aziz | Tihama Front", True),
    ],
)
def test_the_bench_compares_as_the_guideline_says(predicted, gold, right):
    assert correct(predicted, gold) is right


def test_attributions_keep_their_measured_accuracy():
    # bench/attribution.py measured this on all 14 articles; the issue asks for 0.8.
    assert evaluate_all(load_all(DATA)).accuracy >= 0.8
