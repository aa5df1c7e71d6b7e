"""The suggestion engine: what it finds, what it says about it, and how good it is."""

from __future__ import annotations

import pickle

import pytest

from bench.suggestions import DATA, evaluate, load_all
from suggestions.scorer import SHOWN_FROM, THRESHOLD, score_sentence, scored_sentences, suggest


def scored(sentence: str) -> tuple[float, list[str], str]:
    return score_sentence(sentence)


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("Five convoys came under attack on the northern route, officials said.", "gives a number"),
        ("Three contractors were allegedly injured near the bridge.", "hedged: “allegedly”"),
        ("The Northern Shield claimed responsibility for the attack.", "responsibility"),
        ("The port was closed on Tuesday, according to the harbour master.", "attributed to"),
        ("Police arrested Maria Lenz and Tomas Berg in Vienna.", "names Maria Lenz, Tomas Berg"),
        ("The bridge collapsed in 2019, killing two drivers.", "reports a past event"),
    ],
)
def test_check_worthy_sentences_score_high_and_say_why(sentence, reason):
    score, reasons, _ = scored(sentence)
    assert score >= THRESHOLD
    assert any(reason in r for r in reasons), reasons


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("Will the convoys ever resume their route through the valley?", "a question"),
        ("The ministry will publish the full casualty figures next week.", "about the future"),
        ("No details were provided about the five convoys.", "about the reporting itself"),
        (
            "Newsdesk could not independently verify the 12 deaths reported by the army.",
            "about the reporting itself",
        ),
        ("Photo: Three trucks burn on the road near Kherson.", "a photo caption or credit"),
        ("By Jane Example and Omar Test, Newsdesk Wire", "a byline"),
        ("($1 = 10.67 Swedish crowns)", "an exchange-rate note"),
    ],
)
def test_sentences_not_worth_checking_score_low_and_say_why(sentence, reason):
    score, reasons, _ = scored(sentence)
    assert score < THRESHOLD
    assert any(reason in r for r in reasons), reasons


@pytest.mark.parametrize(
    ("sentence", "who"),
    [
        # As bench/data/attribution/GUIDELINE.md writes them: no leading "the", no title,
        # a description up to its head noun.
        ("Five convoys came under attack, the regional governor said.", "regional governor"),
        ("The port authority said three cranes collapsed.", "port authority"),
        ("A spokesman for the army said 12 were hurt.", "spokesman"),
        ("According to the army, 12 were hurt on Sunday.", "army"),
        ("Nine soldiers were killed, according to Lt. Col. Ana Tembe.", "Ana Tembe"),
        ("“We lost three trucks,” said Olena Petrenko, a driver.", "Olena Petrenko"),
        ("The Rovuma Movement claimed responsibility for the attacks.", "Rovuma Movement"),
        ("Kestrel Logistics said four of its contractors were injured.", "Kestrel Logistics"),
        ("Three contractors were injured near the bridge on Sunday.", ""),
    ],
)  # fmt: skip
def test_attribution_names_who_makes_the_claim(sentence, who):
    assert scored(sentence)[2] == who


def test_a_pronoun_takes_the_speaker_named_before_it():
    body = (
        "Maria Lenz, the mayor, said 40 homes were flooded on Sunday. "
        "She said three bridges were closed on Monday."
    )
    found = list(scored_sentences(body))
    assert [s.attributed_to for s in found] == ["Maria Lenz", "Maria Lenz"]


def test_a_dateline_is_not_part_of_the_claim():
    body = "KYIV, Jan. 22 (Newsdesk Wire) — Five convoys came under attack, officials said."
    (first,) = suggest(body)
    assert first.text == "Five convoys came under attack, officials said."
    assert body[first.start : first.end] == first.text


@pytest.mark.parametrize(
    "body",
    [
        "US — China trade talks collapsed on Monday, officials said.",
        "NATO - allied troops killed 5 fighters on Monday, officials said.",
        "Five convoys were hit, officials said. ROME (Wire) — Nine trucks burned on Monday.",
    ],
)
def test_only_a_real_dateline_at_a_paragraphs_start_is_cut(body):
    found = suggest(body)
    assert found[0].start == 0
    # Every sentence keeps its first word: none starts right after a dash.
    assert all(not body[: s.start].rstrip().endswith(("—", "-")) for s in found)


def test_offsets_point_into_the_text_with_non_ascii_and_astral_characters():
    body = "ZÜRICH (Wire) — Café owners said 12 trains 🚆 were cancelled on Monday.\n\nNo details."
    for s in scored_sentences(body):
        assert body[s.start : s.end] == s.text
    assert suggest(body)[0].text.startswith("Café owners said 12 trains")


def test_empty_and_blank_texts_have_no_suggestions():
    assert suggest("") == []
    assert suggest(" \n\n \n") == []


# --- the evaluation set -----------------------------------------------------------------


def test_the_evaluation_set_is_as_large_as_promised():
    articles = load_all(DATA)
    assert len(articles) >= 6
    assert sum(len(a.sentences) for a in articles) >= 150
    assert (DATA / "GUIDELINE.md").exists()
    for article in articles:
        assert {"title", "outlet", "kind"} <= set(article.meta)


def test_suggestions_keep_their_measured_quality():
    # bench/suggestions.py measured precision 0.96, recall 0.99 at the threshold (0.88 and
    # 0.94 on articles 09-11, held out from training; docs/performance.md); a change that
    # loses more than a little fails here.
    score = evaluate(load_all(DATA))
    assert score.recall >= 0.9
    assert score.precision >= 0.88


# --- what real news showed the rules got wrong -------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The first attack took place in the southern city of Nasiriyah.",
        "The second attack took place in the central province of Babylon.",
        "The fifth convoy was hit near the border.",
        "It was the 21st arrest this year.",
    ],
)
def test_ordinals_are_numbers(sentence):
    assert any(r.startswith("gives a number") for r in scored(sentence)[1])


@pytest.mark.parametrize(
    "sentence",
    [
        "A 4×4 vehicle was also damaged.",
        "The Boeing 737 was grounded by the regulator.",
        "An F-16 was seen over the base.",
    ],
)
def test_a_vehicle_type_or_a_product_name_is_not_a_count(sentence):
    assert not any(r.startswith("gives a number") for r in scored(sentence)[1])


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("date 2021-01-23 Posted on by admin", "a byline"),
        ("Posted by Jane Roe on Jan. 3, 2021", "a byline"),
        (
            "Members of the Iraqi security forces inspect the site of the attack, via AFP.",
            "a photo caption or credit",
        ),
        (
            "Smoke rises over the district after the strike. (Jane Roe/Reuters)",
            "a photo caption or credit",
        ),
        ("KYIV, Jan. 22 (Newsdesk Wire) —", "a dateline"),
        ("2021-01-23", "a dateline"),
    ],
)
def test_bylines_captions_credits_and_datelines_score_near_zero_wherever_they_stand(line, reason):
    body = (
        "Three convoys were attacked on Monday, the army said.\n\n"
        f"{line}\n\n"
        "Nine soldiers were killed, according to the army."
    )
    found = list(scored_sentences(body))
    page = [s for s in found if s.text == line]
    assert page, [s.text for s in found]
    assert page[0].score <= 0.05
    assert page[0].reasons == (reason,)
    assert [s.suggested for s in found if s.text != line] == [True, True]


def test_a_sentence_that_merely_mentions_publishing_is_no_byline():
    score, reasons, _ = scored("Published figures show 40 deaths in the province in 2020.")
    assert "a byline" not in reasons
    assert score >= THRESHOLD


def test_a_promise_is_not_also_a_past_event():
    _, reasons, _ = scored("The militia has vowed to continue its attacks on foreign convoys.")
    assert any(r.startswith("about the future: “vowed to”") for r in reasons)
    assert not any("vowed" in r for r in reasons if r.startswith("reports a past event"))


def test_the_reasons_name_the_phrases_that_weighed_for_and_against():
    _, reasons, _ = scored("The Rovuma Movement claimed responsibility for the attacks on Monday.")
    assert "someone claims or denies responsibility" in reasons
    assert any(r.endswith("counts for") and r.startswith("“") for r in reasons), reasons
    _, reasons, _ = scored("Will the convoys ever resume their route through the valley?")
    assert "a question counts against" in reasons


def test_scores_are_calibrated_probabilities():
    for sentence in ("Will the convoys resume?", "At least nine soldiers were killed on Monday."):
        score, _, _ = scored(sentence)
        assert 0.0 <= score <= 1.0


@pytest.mark.parametrize(
    "body",
    [
        "Five convoys" + " " * 100_000 + "were hit.",  # a run of blanks (was quadratic)
        "x" * 1_000_000,  # one freak word (was 680 MB at 2 MB)
        "(photo " * 20_000,  # captions opened and never closed (was quadratic)
        "Marcus Feld said. " * 5_000,  # one name thousands of times
    ],
    ids=["blanks", "one-word", "open-captions", "repeated-name"],
)
def test_hostile_text_is_scored_in_one_pass(body):
    """Each of these once took minutes or hundreds of megabytes; they must just be scored."""
    found = list(scored_sentences(body))
    assert found
    assert all(0.0 <= s.score <= 1.0 for s in found)


def test_reasons_worked_out_when_read_are_those_scoring_gives_at_once():
    # Scoring explains only the sentences the article page may show (SHOWN_FROM); the
    # others' reasons are worked out if read, also after a trip through the cache's pickle.
    for article in load_all()[:4]:
        found = list(scored_sentences(article.body))
        assert any(s.known_reasons is None for s in found)
        assert all(s.known_reasons is not None for s in found if s.score >= SHOWN_FROM)
        every = list(scored_sentences(article.body, explain_from=0.0))
        for lazy, eager in zip(pickle.loads(pickle.dumps(found)), every, strict=True):
            assert eager.known_reasons is not None
            assert (lazy.text, lazy.score, lazy.attributed_to) == (
                eager.text,
                eager.score,
                eager.attributed_to,
            )
            assert lazy.reasons == eager.reasons
            alone = score_sentence(lazy.text, attributed_to=lazy.attributed_to)
            assert (alone[0], tuple(alone[1])) == (lazy.score, lazy.reasons)
