"""Finding matches in the database: candidates from the full-text index, then judged."""

from __future__ import annotations

import pytest
from django.db import connection

from related.retrieval import claim_matches, texts_matches
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def claim_in_new_article(text: str, **kwargs):
    article = ArticleFactory(body=f"Opening line.\n\n{text}\n\nClosing line.")
    start = article.body.index(text)
    return ClaimFactory(article=article, start=start, end=start + len(text), text=text, **kwargs)


@pytest.fixture
def stories():
    return {
        "convoys": claim_in_new_article(
            "Five aid convoys came under attack near Tal Afar on Monday, the army said.",
            attributed_to="the army",
            status="confirmed",
        ),
        "four": claim_in_new_article(
            "Four aid convoys came under attack near Tal Afar on Monday, the army said.",
            attributed_to="the army",
        ),
        "rates": claim_in_new_article(
            "The central bank held its main interest rate at 4.5 percent.",
        ),
    }


def test_a_rewording_in_another_article_is_found_and_called_the_same(stories):
    query = claim_in_new_article(
        "5 aid convoys were attacked near Tal Afar on Monday, according to the army.",
        attributed_to="the army",
    )
    matches = claim_matches(claim=query)
    assert [m.claim for m in matches][:2] == [stories["convoys"], stories["four"]]
    assert matches[0].same
    assert not matches[1].same
    assert "numbers differ: 5 vs four" in matches[1].reasons
    assert matches[0].claim.sources_count == 0
    assert stories["rates"] not in [m.claim for m in matches]


def test_claims_of_the_same_article_are_not_matches(stories):
    convoys = stories["convoys"]
    twin = ClaimFactory(
        article=convoys.article, start=convoys.start, end=convoys.end, text=convoys.text
    )
    assert twin not in [m.claim for m in claim_matches(claim=convoys)]


def test_texts_are_matched_in_one_batch_reviewed_only(stories, django_assert_max_num_queries):
    texts = [
        ("Five aid convoys came under attack near Tal Afar on Monday.", ""),
        ("Interest rates were held at 4.5 percent by the central bank.", ""),
        ("Nothing here matches anything.", ""),
    ]
    with django_assert_max_num_queries(6):
        found = texts_matches(texts=texts, exclude_article_id=None, reviewed_only=True)
    assert [m.claim for m in found[0]] == [stories["convoys"]]
    assert found[1] == []  # the rates claim is unverified
    assert found[2] == []


def test_an_edited_quote_is_searched_by_its_new_words(stories):
    rates = stories["rates"]
    rates.article.body = rates.article.body.replace("4.5 percent", "4.5 percent for a year")
    query = claim_in_new_article("The central bank kept its main interest rate at 4.5 percent.")
    assert stories["rates"] in [m.claim for m in claim_matches(claim=query)]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's full-text table")
def test_the_sqlite_index_follows_the_claims_table():
    # A later migration that rebuilds claims_claim on SQLite drops these triggers.
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        triggers = {row[0] for row in cursor.fetchall()}
    assert {
        "related_claim_fts_insert",
        "related_claim_fts_delete",
        "related_claim_fts_update",
    } <= triggers
