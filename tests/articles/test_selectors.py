"""Finding an article already imported: the same story's address, or its same text."""

from __future__ import annotations

import pytest

from articles.selectors import article_duplicates, url_key
from tests.factories import ArticleFactory

STORY = "https://journal.example/actualités/pont?id=7"


@pytest.mark.parametrize(
    "same",
    [
        STORY,
        "http://journal.example/actualités/pont?id=7",
        "https://www.Journal.example/actualit%C3%A9s/pont/?id=7",
        "https://journal.example:443/actualités/pont?utm_source=newsletter&id=7#comments",
        "https://journal.example./actualités/pont?id=7&fbclid=abc",
        "  https://journal.example/actualités/pont?id=7  ",
    ],
)
def test_the_same_story_in_other_dress_has_the_same_key(same):
    assert url_key(same) == url_key(STORY) == "journal.example/actualités/pont?id=7"


@pytest.mark.parametrize(
    "other",
    [
        "https://journal.example/actualités/pont?id=8",
        "https://journal.example/actualités/Pont?id=7",
        "https://journal.example:8443/actualités/pont?id=7",
        "https://other.example/actualités/pont?id=7",
        "https://journal.example/actualités/pont",
    ],
)
def test_another_story_has_another_key(other):
    assert url_key(other) != url_key(STORY)


def test_international_domain_names_match_in_either_spelling():
    assert url_key("https://bücher.example/a") == url_key("https://xn--bcher-kva.example/a/")


@pytest.mark.parametrize("unreadable", ["", "not a link", "https://[::1/", "https://host:99999/"])
def test_a_link_that_cannot_be_read_has_no_key(unreadable):
    assert url_key(unreadable) == ""


def test_duplicates_by_address_by_text_or_both(db, django_assert_num_queries):
    by_address = ArticleFactory(url="http://www.journal.example/actualités/pont/?id=7")
    by_text = ArticleFactory(body="The bridge closed.\n\nNobody was hurt.")
    both = ArticleFactory(url=STORY, body="The bridge closed.\n\nNobody was hurt.")
    ArticleFactory(url="https://journal.example/other", body="Another story.")
    with django_assert_num_queries(1):
        found = article_duplicates(url=STORY, body="The bridge closed.\n\nNobody was hurt.")
    assert [(d.article, d.what) for d in found] == [
        (both, "address and text"),
        (by_text, "text"),
        (by_address, "address"),
    ]


def test_no_duplicate_costs_one_query(db, django_assert_num_queries):
    ArticleFactory(url="https://journal.example/other")
    with django_assert_num_queries(1):
        assert article_duplicates(url=STORY, body="A story nobody imported.") == []
    with django_assert_num_queries(1):
        assert article_duplicates(url="", body="A story nobody imported.") == []


def test_an_edited_article_is_found_by_its_new_text_and_address(editor):
    from articles.services import article_update

    article = ArticleFactory(url="https://journal.example/first", body="Old text.")
    article_update(
        article=article,
        by=editor,
        expected_version=article.version,
        body="New text.",
        title=article.title,
        url="https://journal.example/moved",
    )
    assert article_duplicates(url="", body="Old text.") == []
    assert [d.article for d in article_duplicates(url="", body="New text.")] == [article]
    found = article_duplicates(url="http://www.journal.example/moved/", body="Other.")
    assert [(d.article, d.what) for d in found] == [(article, "address")]
