from __future__ import annotations

import pytest

from articles.text import normalize_body
from tests.factories import ArticleFactory


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("Cafe\u0301 owners\r\nsaid\rso.", "Café owners\nsaid\nso."),
        ("  \n Paragraph one.\n\nParagraph two.\n ", "Paragraph one.\n\nParagraph two."),
        ("NUL\x00bytes", "NULbytes"),
    ],
)
def test_normalize_body(raw, normal):
    assert normalize_body(raw) == normal
    assert normalize_body(normal) == normal


@pytest.mark.django_db
def test_article_body_is_stored_normalised():
    article = ArticleFactory(body="Cafe\u0301\r\nowners")
    article.refresh_from_db()
    assert article.body == "Café\nowners"
