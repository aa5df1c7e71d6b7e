"""The shipped check-worthiness model: plain data, small, and what training produces."""

from __future__ import annotations

import gzip
import json

import pytest

from suggestions.model import (
    FORMAT,
    MODEL_FILE,
    CheckworthinessModel,
    checkworthiness_model,
    preprocess,
    word_char_ngrams,
    word_ngrams,
)
from suggestions.signals import sentence_signals


def test_the_model_is_a_small_file_of_plain_data():
    assert MODEL_FILE.stat().st_size < 5_000_000
    with gzip.open(MODEL_FILE, "rt", encoding="utf-8") as file:
        data = json.load(file)  # JSON: loading it runs no code
    assert data["format"] == FORMAT
    # Articles 01-08 only: 09 onwards are held out.
    trained_on = data["about"]["trained_on"]["articles"]
    assert sorted(name[:2] for name in trained_on) == [f"0{n}" for n in range(1, 9)]
    # Weights only: no debate sentence is shipped, only the project's own check sentences.
    assert "sentences" not in data
    assert len(data["checks"]) >= 20
    # Terms are n-grams, never sentences: word pairs at most, five letters at most.
    assert max(len(term.split()) for term in data["words"]["terms"]) <= 2
    assert max(len(term) for term in data["chars"]["terms"]) <= 5


def test_the_shipped_model_reproduces_the_scores_training_recorded():
    # Needs no scikit-learn: the scores were written by the training script, and the
    # run-time model must give the same from the same file.
    model = checkworthiness_model()
    for check in model.checks:
        decision = model.decide(check["text"], sentence_signals(check["text"]))
        assert decision.value == pytest.approx(check["decision"], abs=1e-9), check["text"]
        assert decision.score == pytest.approx(check["score"], abs=1e-9), check["text"]


def test_the_model_is_read_once_per_process():
    assert checkworthiness_model() is checkworthiness_model()


def test_a_file_of_another_format_is_refused():
    with pytest.raises(ValueError, match="format"):
        CheckworthinessModel({"format": FORMAT + 1})


def test_the_reasons_weigh_phrases_for_and_against():
    model = checkworthiness_model()
    text = "The Islamic Resistance in Iraq claimed responsibility for the attack."
    decision = model.decide(text, sentence_signals(text))
    assert decision.phrases, "some words weigh"
    # The parts add up to the decision: words and letters, signals and the intercept.
    heaviest = decision.phrases[0]
    assert abs(heaviest.weight) >= abs(decision.phrases[-1].weight)
    assert "responsibility" in decision.signals


# --- the same arithmetic as scikit-learn -----------------------------------------------


def test_ngrams_are_scikit_learns():
    sklearn_text = pytest.importorskip("sklearn.feature_extraction.text")
    sentences = [
        "The 1st of 3 convoys  was hit\tnear Mueda, officials said.",
        "“We planted explosive devices,” the group said — via Telegram.",
        "A 4×4 vehicle, İstanbul's ZÜRICH café; x",
        "",
    ]
    for low, high in ((1, 1), (1, 2), (2, 3)):
        words = sklearn_text.TfidfVectorizer(preprocessor=preprocess, ngram_range=(low, high))
        analyse = words.build_analyzer()
        for sentence in sentences:
            assert word_ngrams(preprocess(sentence), low, high) == analyse(sentence)
    for low, high in ((2, 5), (1, 3), (3, 6)):
        chars = sklearn_text.TfidfVectorizer(
            preprocessor=preprocess, analyzer="char_wb", ngram_range=(low, high)
        )
        analyse = chars.build_analyzer()
        for sentence in sentences:
            ours = [g for w in preprocess(sentence).split() for g in word_char_ngrams(w, low, high)]
            assert ours == analyse(sentence)


SAMPLES = [
    "The first attack took place in the southern city of Nasiriyah.",
    "date 2021-01-23 Posted on by admin",
    "Revenue fell 18.2% to 9.6 billion crowns, the company said on Thursday.",
    "Will the government pay to close the gap?",
    "Officials said the bridge, built in 1957, would reopen in April.",
    "“They were shooting from the trees,” the driver said.",
    "zzz qqq",
    "",
]


def test_the_shipped_file_is_what_training_produces():
    # Retrains the final model (not the cross-validation, which only sets the calibration)
    # and compares its decisions with the shipped file's, read without scikit-learn.
    pytest.importorskip("sklearn")
    from bench import train_checkworthiness as training

    if not training.CLAIMBUSTER.exists():
        pytest.skip(f"no training data at {training.CLAIMBUSTER}")
    debates, news, _, _ = training.load_data()
    settings = training.SETTINGS
    trained = training.fit(settings, *training.training_set(settings, debates, news))
    model = checkworthiness_model()
    expected = trained.decision_function(SAMPLES + [c["text"] for c in model.checks])
    for text, value in zip(SAMPLES + [c["text"] for c in model.checks], expected, strict=True):
        assert model.decide(text, sentence_signals(text)).value == pytest.approx(value, abs=1e-9)
