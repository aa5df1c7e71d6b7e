"""The judgement of two claims: words for closeness, facts for "the same"."""

from __future__ import annotations

import pytest

from related.matching import compare, read, speakers_agree


def verdict(a: str, b: str, speaker_a: str = "", speaker_b: str = ""):
    return compare(read(a, speaker_a), read(b, speaker_b))


def test_a_reworded_claim_is_the_same():
    v = verdict(
        "Five convoys came under attack near Tal Afar on Monday.",
        "5 supply convoys were attacked near Tal Afar on Monday.",
    )
    assert v.same
    assert "same numbers: five" in v.reasons
    assert "same date: Monday" in v.reasons


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        ("Five convoys came under attack.", "Four convoys came under attack.", "numbers differ"),
        ("Inflation rose to 3.2% in March.", "Inflation rose to 3.4% in March.", "numbers"),
        ("The strike began on Monday.", "The strike began on Tuesday.", "dates differ"),
        ("The vote was held in March 2024.", "The vote was held in April 2024.", "dates differ"),
        ("The group claimed the attack.", "The group denied the attack.", "one says not"),
        ("Turnout was high.", "Turnout was not high.", "one says not"),
    ],
)
def test_a_changed_fact_is_related_not_the_same(a, b, reason):
    v = verdict(a, b)
    assert not v.same
    assert v.score >= 0.3
    assert any(r.startswith(reason) for r in v.conflicts)


def test_numbers_written_differently_are_one_number():
    assert read("1.2 million doses").numbers.keys() == read("1,200,000 doses").numbers.keys()
    assert read("twenty-five people").numbers == {25.0: "twenty five"}
    assert read("a dozen trucks").numbers.keys() == {12.0}


def test_one_as_a_pronoun_is_not_a_count():
    assert read("One of the convoys was hit.").numbers == {}


def test_may_is_a_month_only_beside_a_number():
    assert read("Prices may rise.").dates == {}
    assert read("Prices rose on 3 May.").dates == {"m5": "May", "d5-3": "3 May"}


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        ("WHO", "World Health Organization", True),
        ("Amina Okafor", "Ms Okafor", True),
        ("the army", "Army spokesman", True),
        ("the army", "the rebels", False),
        ("Health Ministry", "Interior Ministry", False),
        ("", "the army", None),
    ],
)
def test_speakers(a, b, agree):
    assert speakers_agree(a, b) is agree


def test_a_different_speaker_keeps_the_pair_apart():
    v = verdict("Five convoys were attacked.", "Five convoys were attacked.", "the army", "rebels")
    assert not v.same
    assert "speaker differs: the army vs rebels" in v.reasons


def test_unrelated_claims_score_low():
    v = verdict("Five convoys came under attack.", "The central bank held interest rates.")
    assert v.score < 0.3


def test_a_day_of_a_month_is_a_date_not_a_number():
    a = read("The fire was put out on 18 August 2017, officials said.")
    assert a.numbers == {}
    assert a.dates == {"m8": "August", "d8-18": "18 August", "y2017": "2017"}
    v = compare(a, read("The fire was put out on 11 August 2017, officials said."))
    assert v.conflicts == ("dates differ: 18 August vs 11 August",)
    v = compare(read("It shut on 30 September 2019."), read("It shut on September 30, 2018."))
    assert v.conflicts == ("dates differ: 2019 vs 2018",)


def test_shared_numbers_and_dates_alone_do_not_make_claims_close():
    v = verdict(
        "The Karsk refinery fire was put out on 11 August 2017, officials said.",
        "Starbucks offered free drinks to every customer on 11 August 2017.",
    )
    assert not v.same
    assert v.score < 0.2


def test_numbers_keep_their_thousands_and_lose_their_commas():
    assert read("In 2017, 1,200,000 doses and 5 trucks.").numbers == {
        2017.0: "2017",
        1200000.0: "1,200,000",
        5.0: "5",
    }


def test_skipping_is_the_other_side_of_accepting():
    v = verdict(
        "The Warriors voted to skip the White House visit.",
        "The Warriors voted to accept the White House invitation.",
    )
    assert "one says skip, the other accept" in v.conflicts
