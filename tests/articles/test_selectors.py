"""Finding an article already imported: the same story's address, or its same text."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps

from articles.links import body_key, digest
from articles.models import Article
from articles.selectors import article_duplicate_count, article_duplicates, url_key
from tests.factories import ArticleFactory

fill_keys = importlib.import_module("articles.migrations.0004_article_duplicate_keys").fill_keys

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
        # Referral and campaign tags that homepages, feeds and partner sites add.
        "https://journal.example/actualités/pont?ref=homepage&id=7",
        "https://journal.example/actualités/pont?id=7&ref_src=twsrc%5Etfw",
        "https://journal.example/actualités/pont?cmpid=rss&id=7&ocid=msedgntp",
        "https://journal.example/actualités/pont?id=7&smid=tw-share&icid=nav",
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
        # Not a referral tag: some sites choose what to show by it.
        "https://journal.example/actualités/pont?id=7&source=ap",
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


def test_a_story_imported_many_times_loads_a_few_and_counts_the_rest(db, django_assert_num_queries):
    copies = [ArticleFactory(body="The bridge closed.") for _ in range(8)]
    same_address = ArticleFactory(url=STORY, body="Another story.")
    with django_assert_num_queries(1):
        found = article_duplicates(url=STORY, body="The bridge closed.")
    # Newest first, one more than an import names: enough to say there are more.
    assert [d.article for d in found] == [same_address, *reversed(copies)][:6]
    with django_assert_num_queries(1):
        assert article_duplicate_count(url=STORY, body="The bridge closed.") == 9
    assert len(article_duplicates(url="", body="The bridge closed.", limit=3)) == 3


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


BODY = "The bridge closed on Monday.\n\nNobody was hurt, the police said."


@pytest.mark.parametrize(
    "same",
    [
        "The bridge closed on Monday.\n\n\nNobody was hurt, the police said.",
        "The bridge closed  on Monday.\n\nNobody was hurt,  the police said.",
        "The bridge closed on Monday. \n \nNobody was hurt, the police said.",
        "The bridge closed on Monday.\nNobody was hurt,\tthe police said.",
    ],
)
def test_the_same_text_spaced_otherwise_is_a_duplicate_and_is_stored_as_typed(db, same):
    first = ArticleFactory(body=BODY)
    assert [(d.article, d.what) for d in article_duplicates(url="", body=same)] == [(first, "text")]
    again = ArticleFactory(body=same)
    # Only the key folds the spaces: the text claims anchor into is kept as it was written.
    assert Article.objects.get(pk=again.pk).body == same
    assert again.body_digest == first.body_digest == digest(body_key(same))


def test_other_words_are_not_a_duplicate(db):
    ArticleFactory(body=BODY)
    assert article_duplicates(url="", body=BODY.replace("Monday", "Sunday")) == []
    assert body_key("a \n\n b\u00a0c ") == "a b c"


def test_the_migration_fills_the_keys_as_a_save_does(db):
    article = ArticleFactory(body=BODY.replace(" ", "  "), url="https://journal.example/a?ref=rss")
    saved = Article.objects.values_list("body_digest", "url_digest").get(pk=article.pk)
    Article.objects.update(body_digest="", url_digest="")
    fill_keys(django_apps, None)
    assert Article.objects.values_list("body_digest", "url_digest").get(pk=article.pk) == saved
    assert saved == (digest(body_key(BODY)), digest("journal.example/a"))
