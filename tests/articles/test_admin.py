from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from tests.factories import SENTENCES, ArticleFactory, ClaimFactory

CHANGELIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_adding_an_article_normalises_its_body_and_records_the_author(staff_client, staff):
    response = staff_client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Report",
            "language": "en",
            "body": "Cafe\u0301 owners\r\nsaid so.",
            "claims-TOTAL_FORMS": 0,
            "claims-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.body, article.created_by) == ("Café owners\nsaid so.", staff)


def test_body_is_read_only_once_claims_anchor_into_it(staff_client, article):
    change = reverse("admin:articles_article_change", args=[article.pk])
    assert 'name="body"' in staff_client.get(change).content.decode()
    ClaimFactory(article=article)
    assert 'name="body"' not in staff_client.get(change).content.decode()


def test_article_changelist_runs_a_fixed_number_of_queries(staff_client):
    def count(n_articles: int) -> int:
        for _ in range(n_articles):
            article = ArticleFactory()
            for i in range(3):
                ClaimFactory(article=article, sentence=i)
        with CaptureQueriesContext(connection) as ctx:
            response = staff_client.get(CHANGELIST)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    assert count(2) == count(40)


def test_article_change_page_lists_its_claims_in_fixed_queries(staff_client):
    article = ArticleFactory()
    change = reverse("admin:articles_article_change", args=[article.pk])

    def count(n_claims: int) -> int:
        for i in range(n_claims):
            ClaimFactory(article=article, sentence=i % len(SENTENCES))
        with CaptureQueriesContext(connection) as ctx:
            assert staff_client.get(change).status_code == 200
        return len(ctx.captured_queries)

    assert count(2) == count(30)


def test_an_article_with_claims_cannot_be_deleted(client, superuser, article):
    ClaimFactory(article=article)
    client.force_login(superuser)
    page = client.get(reverse("admin:articles_article_delete", args=[article.pk]))
    assert page.status_code == 200
    assert "Cannot delete article" in page.content.decode()
    client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    assert Article.objects.filter(pk=article.pk).exists()
