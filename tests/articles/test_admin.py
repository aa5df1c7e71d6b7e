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


def test_editing_the_body_in_the_admin_follows_the_claims(staff_client, article):
    from claims.models import Claim

    claim = ClaimFactory(article=article, sentence=1)
    change = reverse("admin:articles_article_change", args=[article.pk])
    body = "BREAKING. " + article.body
    response = staff_client.post(
        change,
        {
            "title": article.title,
            "language": "en",
            "body": body,
            "outlet": article.outlet,
            "claims-TOTAL_FORMS": 1,
            "claims-INITIAL_FORMS": 1,
            "claims-0-id": claim.pk,
            "claims-0-article": article.pk,
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Claims: 0 kept, 1 moved, 0 changed, 0 orphaned." in response.content.decode()
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.start == article.body.index(SENTENCES[1]) + len("BREAKING. ")


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
