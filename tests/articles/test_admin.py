from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.admin import ArticleAdmin
from articles.models import Article
from articles.services import article_update
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
            "expected_version": article.version,
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


# --- two people editing one article (point 4) --------------------------------------------


def admin_edit_data(article, **changes):
    return {
        "title": article.title,
        "outlet": article.outlet,
        "url": article.url,
        "byline": article.byline,
        "language": article.language,
        "body": article.body,
        "expected_version": article.version,
        "claims-TOTAL_FORMS": 0,
        "claims-INITIAL_FORMS": 0,
        **changes,
    }


def change(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def test_the_change_form_carries_the_version_and_shows_who_saved_last(staff_client, article):
    page = staff_client.get(change(article)).content.decode()
    assert 'name="expected_version" value="1"' in page
    staff_client.post(change(article), admin_edit_data(article, byline="Desk"))
    stored = Article.objects.get(pk=article.pk)
    assert (stored.byline, stored.version, stored.updated_by.username) == ("Desk", 2, "sam")
    page = staff_client.get(change(article)).content.decode()
    assert 'name="expected_version" value="2"' in page


def test_a_save_from_an_older_version_is_refused_naming_who_and_when(staff_client, editor, article):
    opened = admin_edit_data(article, outlet="Their Wire")  # the page as sam opened it
    article_update(
        article=article,
        by=editor,
        expected_version=1,
        body=article.body,
        title=article.title,
        outlet=article.outlet,
        byline="Elena Petrova",
    )
    saved = Article.objects.get(pk=article.pk)
    response = staff_client.post(change(article), opened)
    assert response.status_code == 200
    page = response.content.decode()
    when = timezone.localtime(saved.updated_at).strftime("%-d %b %Y %H:%M:%S")
    assert f"elena saved this article at {when} (version 2), after you opened this page" in page
    assert "Saved differently from yours now: outlet, byline." in page
    assert 'value="Their Wire"' in page  # what was typed is kept
    stored = Article.objects.get(pk=article.pk)
    assert (stored.outlet, stored.byline, stored.version) == ("Newsdesk Wire", "Elena Petrova", 2)


def test_a_stale_admin_save_names_only_what_the_other_person_changed(staff_client, editor, article):
    """sam changes the outlet and the text; meanwhile elena changes the byline. The refusal
    names the byline, not sam's own edits."""
    page = staff_client.get(change(article)).content.decode()
    [record] = re.findall(r'name="loaded" value="([^"]+)"', page)
    opened = admin_edit_data(
        article, outlet="Their Wire", body=article.body + "\n\nMore.", loaded=unescape(record)
    )
    article_update(
        article=article,
        by=editor,
        expected_version=1,
        body=article.body,
        title=article.title,
        outlet=article.outlet,
        byline="Elena Petrova",
    )
    response = staff_client.post(change(article), opened)
    assert response.status_code == 200
    page = response.content.decode()
    assert "(version 2), after you opened this page, changing the byline. Nothing was saved." in (
        page
    )
    assert "Saved differently" not in page
    # Both changing one field is said too.
    response = staff_client.post(change(article), {**opened, "byline": "Sam"})
    assert "changing the byline. Nothing was saved. You both changed the byline." in (
        response.content.decode()
    )
    stored = Article.objects.get(pk=article.pk)
    assert (stored.outlet, stored.byline, stored.version) == ("Newsdesk Wire", "Elena Petrova", 2)


def test_a_save_without_a_version_is_refused(staff_client, article):
    data = admin_edit_data(article, byline="Desk")
    del data["expected_version"]
    response = staff_client.post(change(article), data)
    assert response.status_code == 200
    assert "did not say which version of the article" in response.content.decode()
    assert Article.objects.get(pk=article.pk).byline == "Staff reporter"


def test_a_save_overtaken_between_check_and_save(staff_client, editor, article, monkeypatch):
    """Someone saves after the form checked the version and before the save: the service
    refuses under lock, and the form comes back naming them, with the typing kept."""
    opened = Article.objects.get(pk=article.pk)  # as the form's check saw it, at version 1
    article_update(
        article=article,
        by=editor,
        expected_version=1,
        body=article.body,
        title=article.title,
        outlet="Their Wire",
        byline=article.byline,
    )
    real, loads = ArticleAdmin.get_object, []

    def get_object(admin_, request, object_id, from_field=None):
        loads.append(object_id)
        return opened if len(loads) == 1 else real(admin_, request, object_id, from_field)

    monkeypatch.setattr(ArticleAdmin, "get_object", get_object)
    response = staff_client.post(change(article), admin_edit_data(opened, byline="Desk"))
    assert len(loads) == 2
    assert response.status_code == 200
    page = response.content.decode()
    assert "elena saved this article at" in page
    assert 'value="Desk"' in page
    stored = Article.objects.get(pk=article.pk)
    assert (stored.outlet, stored.byline, stored.version) == ("Their Wire", "Staff reporter", 2)
    assert not LogEntry.objects.exists()


def test_the_language_must_be_a_language_tag(staff_client, article):
    response = staff_client.post(change(article), admin_edit_data(article, language="en\u202e"))
    assert response.status_code == 200
    assert "Give a language tag such as en, fr or pt-BR" in response.content.decode()
    assert Article.objects.get(pk=article.pk).language == "en"


# --- adding goes through the import service ---------------------------------------------


def _add(staff_client, **values):
    data = {"title": "Report", "language": "en", "claims-TOTAL_FORMS": 0}
    data["claims-INITIAL_FORMS"] = 0
    return staff_client.post(reverse("admin:articles_article_add"), {**data, **values})


def test_adding_an_article_stores_its_details_as_an_import_does(staff_client):
    response = _add(
        staff_client, title="Bridge\nclosed ", byline=" Rania  ", body=SENTENCES[0], url=""
    )
    assert response.status_code == 302
    article = Article.objects.get()
    # One line, as the import and the edit page store it; version 1, by the staff member.
    assert (article.title, article.byline, article.version) == ("Bridge closed", "Rania", 1)
    entry = LogEntry.objects.get()
    assert entry.object_id == str(article.pk)


def test_adding_an_article_already_in_newsdesk_keeps_the_form_and_names_it(staff_client):
    first = ArticleFactory(url="https://news.example/a")
    response = _add(staff_client, body="Other words.", url="https://news.example/a?utm_source=x")
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "in Newsdesk already" in page
    assert first.title in page
    assert "Other words." in page  # what was typed is still there
    assert Article.objects.count() == 1
    again = _add(
        staff_client, body="Other words.", url="https://news.example/a", import_anyway="on"
    )
    assert again.status_code == 302
    assert Article.objects.count() == 2


def test_adding_an_article_with_the_same_text_is_refused_without_the_tick(staff_client, article):
    response = _add(staff_client, body=article.body + "\r\n")
    assert response.status_code == 200
    assert "in Newsdesk already" in unescape(response.content.decode())
    assert Article.objects.count() == 1


def test_an_article_with_many_claims_lists_the_first_and_links_to_them_all(
    staff_client, monkeypatch
):
    monkeypatch.setattr("articles.admin.CLAIMS_INLINE", 3)
    article = ArticleFactory()
    for i in range(5):
        ClaimFactory(article=article, sentence=i % len(SENTENCES))
    page = staff_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    html = page.content.decode()
    assert page.context["inline_admin_formsets"][0].formset.total_form_count() == 3
    assert "the first 3 of 5" in html
    link = reverse("admin:claims_claim_changelist") + f"?article__id__exact={article.pk}"
    assert f'href="{link}"' in html
    listed = staff_client.get(link)
    assert listed.status_code == 200
    assert listed.context["cl"].result_count == 5
