from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from articles.models import Article
from articles.text import text_diff
from newsdesk.text import normalize_text
from tests.factories import ArticleFactory

LANGUAGE = Article._meta.get_field("language")


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("Cafe\u0301 owners\r\nsaid\rso.", "Café owners\nsaid\nso."),
        ("  \n Paragraph one.\n\nParagraph two.\n ", "Paragraph one.\n\nParagraph two."),
        ("NUL\x00bytes", "NULbytes"),
    ],
)
def test_normalize_body(raw, normal):
    assert normalize_text(raw) == normal
    assert normalize_text(normal) == normal


@pytest.mark.django_db
def test_article_body_is_stored_normalised():
    article = ArticleFactory(body="Cafe\u0301\r\nowners")
    article.refresh_from_db()
    assert article.body == "Café\nowners"


@pytest.mark.parametrize("tag", ["en", "fr", "pt-BR", "zh-Hant-TW", "de-CH-1996", "en-x-wire"])
def test_language_tags_that_pass(tag):
    assert LANGUAGE.clean(tag, None) == tag


@pytest.mark.parametrize(
    "tag", ["en\u202e", "\u202een", "english", "e", "en_GB", "en-", "en--GB", "en\n", "12", ""]
)
def test_language_tags_that_do_not(tag):
    with pytest.raises(ValidationError):
        LANGUAGE.clean(tag, None)


def test_text_diff_pairs_changed_paragraphs_and_marks_the_words():
    saved = "One.\n\nTwo three four.\n\nFive.\n\nSix.\n\nSeven.\n\nEight."
    yours = "One.\n\nTwo 3 four.\n\nFive.\n\nSix.\n\nSeven.\n\nEight.\n\nNine."
    lines = text_diff(saved, yours)
    assert [line.kind for line in lines] == [
        "same",
        "saved",
        "yours",
        "same",
        "gap",
        "same",
        "yours",
    ]
    assert lines[1].parts == (("Two ", False), ("three", True), (" four.", False))
    assert lines[2].parts == (("Two ", False), ("3", True), (" four.", False))
    assert lines[4].skipped == 2
    assert text_diff(saved, saved.replace("\n\n", "\r\n\r\n")) == []
