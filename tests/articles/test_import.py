"""The import page, the article page's text for selection, the edit page, and what imports
and judging suggestions cost in queries."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import StaleArticle, article_loaded, article_update
from claims.models import (
    Claim,
    ClaimEvent,
    ClaimOrigin,
    ClaimStatus,
    EventKind,
)
from suggestions.selectors import open_suggestions
from tests.factories import SENTENCES, ArticleFactory, ClaimFactory, editor_factory

HTML = (
    b"<html><head><title>Convoys attacked</title><meta name='author' content='Jane Example'>"
    b"</head><body><nav>Home | World</nav><article><h1>Convoys attacked</h1>"
    b"<p>Five convoys came under attack on the northern route on Tuesday, officials said.</p>"
    b"<p>Three contractors were allegedly injured near the bridge.</p>"
    b"<p>Will the road reopen?</p></article><footer>Cookie policy</footer></body></html>"
)


def import_url():
    return reverse("articles:import")


# --- import -----------------------------------------------------------------------------


def test_editor_imports_pasted_text_and_sees_its_suggestions(client, editor):
    client.force_login(editor)
    response = client.post(
        import_url(),
        {"title": "Convoys", "outlet": "Wire", "text": "\r\n\r\n".join(SENTENCES)},
        follow=True,
    )
    article = Article.objects.get()
    assert response.redirect_chain[-1][0] == reverse("articles:detail", args=[article.pk])
    assert (article.title, article.outlet, article.created_by) == ("Convoys", "Wire", editor)
    assert article.body == "\n\n".join(SENTENCES)
    page = response.content.decode()
    assert "Imported “Convoys”." in page
    assert f"Suggested claims ({len(open_suggestions(article=article))})" in page
    assert 'class="nd-suggestion' in page
    assert not Claim.objects.exists()


def test_editor_imports_an_html_file_and_the_page_fills_the_details(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("story.html", HTML, content_type="text/html")
    response = client.post(import_url(), {"file": upload, "accept_suggestions": "on"})
    article = Article.objects.get()
    assert response.status_code == 302
    assert article.title == "Convoys attacked"
    assert article.byline == "Jane Example"
    assert "Home" not in article.body
    assert "Cookie" not in article.body
    assert article.body.count("\n\n") == 2
    claims = list(Claim.objects.order_by("start"))
    assert [c.origin for c in claims] == [ClaimOrigin.SUGGESTED] * len(claims)
    assert [c.text for c in claims][:2] == [
        "Five convoys came under attack on the northern route on Tuesday, officials said.",
        "Three contractors were allegedly injured near the bridge.",
    ]
    assert claims[0].attributed_to == "officials"
    created = ClaimEvent.objects.get(claim=claims[0], kind=EventKind.CREATED)
    assert created.data["origin"] == "suggested"
    assert created.data["score"] >= 0.5
    assert created.data["reasons"]


def test_typed_details_win_over_the_files(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("story.html", HTML)
    client.post(import_url(), {"file": upload, "title": "Our title", "byline": "Desk"})
    assert Article.objects.values_list("title", "byline").get() == ("Our title", "Desk")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"title": "T"}, "Paste the article&#x27;s text or upload a file."),
        ({"title": "T", "text": "   \r\n "}, "Paste the article&#x27;s text or upload a file."),
        ({"text": "Five convoys came under attack."}, "Give the article a title"),
        ({"title": "T", "text": "x", "url": "javascript:alert(1)"}, "Enter a web address"),
        ({"title": "T", "text": "x", "published_on": "2026-02-30"}, "Enter a valid date."),
    ],
)
def test_bad_imports_say_why_and_create_nothing(client, editor, data, error):
    client.force_login(editor)
    response = client.post(import_url(), data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("empty.txt", b"", "The submitted file is empty."),
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("report.pdf", b"%PDF-1.7", "is not a file Newsdesk can import"),
        ("big.txt", b"word " * 500_000, "the limit is 2 MB"),
    ],
)
def test_bad_files_say_why_and_create_nothing(client, editor, name, content, error):
    client.force_login(editor)
    response = client.post(import_url(), {"title": "T", "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Article.objects.exists()


def test_text_and_file_together_are_refused(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("a.txt", b"Five convoys.")
    response = client.post(import_url(), {"title": "T", "text": "Other words.", "file": upload})
    assert response.status_code == 400
    assert "not both" in response.content.decode()


def test_an_import_that_fails_half_way_leaves_nothing(client, editor, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("suggestions.services.claims_create_many", broken)
    client.force_login(editor)
    client.raise_request_exception = False
    response = client.post(
        import_url(), {"title": "T", "text": SENTENCES[0], "accept_suggestions": "on"}
    )
    assert response.status_code == 500
    assert not Article.objects.exists()


def test_reviewers_cannot_import(client, reviewer):
    client.force_login(reviewer)
    assert client.get(import_url()).status_code == 403
    assert client.post(import_url(), {"title": "T", "text": "Words."}).status_code == 403
    assert not Article.objects.exists()


def test_import_page_queries(client, editor, django_assert_max_num_queries):
    client.force_login(editor)
    with django_assert_max_num_queries(4):
        assert client.get(import_url()).status_code == 200


# --- the article page -------------------------------------------------------------------


def detail(article):
    return reverse("articles:detail", args=[article.pk])


def test_editors_page_carries_the_text_for_selection_and_its_script(client, editor, article):
    client.force_login(editor)
    page = client.get(detail(article)).content.decode()
    assert 'id="article-body" type="application/json"' in page
    assert "newsdesk/article.js" in page
    assert 'data-at="0"' in page


# --- editing the article ------------------------------------------------------------------


def edit(article):
    return reverse("articles:edit", args=[article.pk])


def loaded(article) -> str:
    """The hidden record of what an edit page opened on `article` showed."""
    return json.dumps(article_loaded(article), separators=(",", ":"), sort_keys=True)


def edit_data(article, body, **extra):
    return {
        "title": article.title,
        "outlet": article.outlet,
        "byline": article.byline,
        "language": "en",
        "body": body,
        "expected_version": article.version,
        "loaded": loaded(article),
        **extra,
    }


def sent_again(response) -> dict[str, str]:
    """What pressing Save on the page `response` shows sends."""
    return dict(response.context["form"].data.items())


def test_editing_the_text_follows_each_claim_and_says_so(client, editor, article):
    moved = ClaimFactory(article=article, sentence=0)
    changed = ClaimFactory(article=article, sentence=1, status=ClaimStatus.SOURCED)
    gone = ClaimFactory(article=article, sentence=2)
    new_body = "\n\n".join(
        [
            "An opening line was added.",
            SENTENCES[0],
            SENTENCES[1].replace("Three", "Four"),
            SENTENCES[3],
        ]
    )
    client.force_login(editor)
    response = client.post(edit(article), edit_data(article, new_body), follow=True)
    assert response.status_code == 200
    assert "Claims: 0 kept, 1 moved, 1 changed, 1 orphaned." in response.content.decode()
    moved.refresh_from_db()
    changed.refresh_from_db()
    gone.refresh_from_db()
    assert moved.text == SENTENCES[0]
    assert moved.start == new_body.index(SENTENCES[0])
    assert changed.text.startswith("Four contractors")
    assert changed.status == ClaimStatus.UNVERIFIED
    assert gone.orphaned
    assert "lost its place in the text" in response.content.decode()


def test_a_save_over_someone_elses_is_refused_and_keeps_the_text(client, editor, article):
    other = editor_factory(username="otto")
    client.force_login(editor)
    data = edit_data(article, article.body + "\n\nMy new paragraph.", byline="Mine")
    article_update(
        article=article,
        by=other,
        expected_version=1,
        body=article.body.replace("Five convoys", "Six convoys"),
        title=article.title,
        outlet="Their outlet",
        byline=article.byline,
    )
    saved = Article.objects.get(pk=article.pk)
    response = client.post(edit(article), data)
    assert response.status_code == 409
    page = response.content.decode()
    when = timezone.localtime(saved.updated_at).strftime("%-d %b %Y %H:%M:%S")
    assert (
        f"otto saved this article at {when} (version 2), after you opened it, changing the "
        "outlet and text. Nothing was saved. You both changed the text." in page
    )
    # What differs, side by side: their outlet against the one typed, their words against
    # the typed paragraph, and the paragraph only the typed text has.
    assert '<td class="text-break">Their outlet</td>' in page
    assert "<del>Six</del>" in page
    assert "<ins>Five</ins>" in page
    assert "<strong>Yours:</strong> <ins>My new paragraph.</ins>" in page
    form = response.context["form"]
    assert "My new paragraph." in form["body"].value()
    # The outlet only otto changed is theirs in the form now; the byline is still Elena's.
    assert (form["outlet"].value(), form["byline"].value()) == ("Their outlet", "Mine")
    assert Article.objects.get(pk=article.pk).body == saved.body
    assert Article.objects.get(pk=article.pk).byline == saved.byline
    # Saving again, knowingly, goes through.
    assert form.data["expected_version"] == 2
    again = client.post(edit(article), sent_again(response))
    assert again.status_code == 302
    stored = Article.objects.get(pk=article.pk)
    assert "My new paragraph." in stored.body  # both changed the text: hers, knowingly
    assert (stored.version, stored.updated_by, stored.byline) == (3, editor, "Mine")
    assert stored.outlet == "Their outlet"


def otto_saves(article, **changes) -> None:
    """Another editor, otto, saves version 1 of the article with `changes` to its details
    or text, after the person in the test opened it."""
    values = {
        "body": article.body,
        "title": article.title,
        "outlet": article.outlet,
        "byline": article.byline,
    }
    article_update(
        article=article,
        by=editor_factory(username="otto"),
        expected_version=1,
        **{**values, **changes},
    )


def test_saving_again_after_a_conflict_keeps_what_the_other_editor_changed(client, editor, article):
    """Otto sets the byline; Elena, on a page opened before, changed only the title and the
    text. Her conflict page holds her title and text and his byline, so her second Save
    keeps all three."""
    client.force_login(editor)
    article = Article.objects.get(pk=article.pk)
    Article.objects.filter(pk=article.pk).update(byline="")
    article.byline = ""
    data = edit_data(article, article.body + "\n\nHers.", title="Her title", byline="")
    otto_saves(article, byline="Fact-check desk")
    response = client.post(edit(article), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "changing the byline. Nothing was saved." in page
    assert "Changed by both of you" not in page
    assert "They had not changed the text: yours is in the form." in page
    assert "<td>Saved now (you had not changed it)</td>" in page
    form = response.context["form"]
    assert form["byline"].value() == "Fact-check desk"
    assert (form["title"].value(), form["body"].value()) == ("Her title", data["body"])

    assert client.post(edit(article), sent_again(response)).status_code == 302
    stored = Article.objects.get(pk=article.pk)
    assert (stored.byline, stored.title, stored.version) == ("Fact-check desk", "Her title", 3)
    assert stored.body.endswith("Hers.")


def test_saving_again_after_a_conflict_keeps_text_only_the_other_editor_changed(
    client, editor, article
):
    client.force_login(editor)
    data = edit_data(article, article.body, title="Her title")
    theirs = article.body.replace("Five convoys", "Six convoys")
    otto_saves(article, body=theirs)
    response = client.post(edit(article), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "changing the text. Nothing was saved." in page
    assert "They changed the text and you had not: the form now holds the text as saved now." in (
        page
    )
    assert response.context["form"]["body"].value() == theirs
    assert client.post(edit(article), sent_again(response)).status_code == 302
    stored = Article.objects.get(pk=article.pk)
    assert (stored.body, stored.title) == (theirs, "Her title")


def test_fields_both_editors_changed_are_flagged_and_keep_the_typed_value(client, editor, article):
    client.force_login(editor)
    data = edit_data(article, article.body, byline="Hers")
    otto_saves(article, outlet="Otto's Wire", byline="His")
    response = client.post(edit(article), data)
    page = response.content.decode()
    assert "changing the outlet and byline. Nothing was saved. You both changed the byline." in (
        page
    )
    assert "<strong>Changed by both of you:</strong> Byline." in page
    assert "<strong>Yours: you both changed it</strong>" in page
    form = response.context["form"]
    assert (form["outlet"].value(), form["byline"].value()) == ("Otto's Wire", "Hers")


def test_the_values_of_an_older_page_sent_with_a_newer_version_are_refused(editor, article):
    """The service's own check: a save whose fingerprints are not those of the version it
    names cannot lay the older values over the newer ones, from the admin or anywhere."""
    opened = article_loaded(article)
    otto_saves(article, byline="Fact-check desk")
    with pytest.raises(StaleArticle) as stale:
        article_update(
            article=article,
            by=editor,
            expected_version=2,
            loaded=opened,
            body=article.body,
            title="Her title",
            outlet=article.outlet,
            byline="Staff reporter",
        )
    conflict = stale.value.conflict
    assert (conflict.theirs, conflict.mine, conflict.both) == (("byline",), ("title",), ())
    stored = Article.objects.get(pk=article.pk)
    assert (stored.byline, stored.title, stored.version) == ("Fact-check desk", article.title, 2)


@pytest.mark.parametrize("record", [None, "", "{}", "not json", '{"title": "x"}'])
def test_an_edit_without_a_readable_record_of_what_it_loaded_is_refused(
    client, editor, article, record
):
    client.force_login(editor)
    data = edit_data(article, "New.")
    if record is None:
        del data["loaded"]
    else:
        data["loaded"] = record
    response = client.post(edit(article), data)
    assert response.status_code == 400
    assert "did not say which version of the article it was opened from" in (
        response.content.decode()
    )
    assert Article.objects.get(pk=article.pk).version == 1


def test_every_save_bumps_the_version_and_records_who(client, editor, article):
    client.force_login(editor)
    client.post(edit(article), edit_data(article, article.body, title="New title"))
    client.post(edit(article), edit_data(Article.objects.get(pk=article.pk), "New text."))
    stored = Article.objects.get(pk=article.pk)
    assert (stored.title, stored.body, stored.version, stored.updated_by) == (
        "New title",
        "New text.",
        3,
        editor,
    )
    # An unchanged save writes nothing, so the version stays.
    client.post(edit(stored), edit_data(stored, stored.body, title="New title"))
    assert Article.objects.get(pk=article.pk).version == 3


def test_an_empty_text_is_refused(client, editor, article):
    client.force_login(editor)
    response = client.post(edit(article), edit_data(article, "  \r\n "))
    assert response.status_code == 400
    assert Article.objects.get(pk=article.pk).body == article.body


def test_reviewers_cannot_edit_articles(client, reviewer, article):
    client.force_login(reviewer)
    assert client.get(edit(article)).status_code == 403
    assert client.post(edit(article), edit_data(article, "New.")).status_code == 403


def test_edit_page_queries(client, editor, article, django_assert_max_num_queries):
    client.force_login(editor)
    with django_assert_max_num_queries(5):
        assert client.get(edit(article)).status_code == 200


def test_unknown_article_is_404(client, editor):
    client.force_login(editor)
    assert client.get(reverse("articles:edit", args=[999])).status_code == 404
    assert client.post(reverse("articles:accept_suggestion", args=[999]), {}).status_code == 404


def test_a_paste_over_the_limit_gets_a_form_error(client, editor):
    client.force_login(editor)
    response = client.post(import_url(), {"title": "T", "text": "word " * 450_000})
    assert response.status_code == 400
    assert "longer than 2 MB" in response.content.decode()
    assert not Article.objects.exists()


def test_a_form_too_large_to_read_gets_a_page_that_says_so(client, editor):
    client.force_login(editor)
    client.raise_request_exception = False
    response = client.post(import_url(), {"title": "T", "text": "word " * 700_000})
    assert response.status_code == 400
    assert "more than Newsdesk reads in one go" in response.content.decode()
    assert not Article.objects.exists()


def test_changing_only_the_details_says_the_text_did_not_change(client, editor, article):
    ClaimFactory(article=article)
    client.force_login(editor)
    response = client.post(
        edit(article), edit_data(article, article.body, title="New title"), follow=True
    )
    assert "Article saved. The text did not change." in response.content.decode()
    assert Article.objects.get(pk=article.pk).title == "New title"


def test_a_claim_orphaned_before_is_not_reported_as_newly_orphaned(client, editor, article):
    gone = ClaimFactory(article=article, sentence=2)
    client.force_login(editor)
    without = article.body.replace(SENTENCES[2], "Something else entirely happened there.")
    client.post(edit(article), edit_data(article, without))
    gone.refresh_from_db()
    assert gone.orphaned
    article.refresh_from_db()
    response = client.post(
        edit(article), edit_data(article, without + "\n\nOne more."), follow=True
    )
    assert "0 orphaned (1 still orphaned from an earlier edit)." in response.content.decode()


@pytest.mark.parametrize("version", [None, "yesterday", "0"])
def test_an_edit_that_does_not_say_its_version_is_refused(client, editor, article, version):
    client.force_login(editor)
    data = edit_data(article, "New.")
    if version is None:
        del data["expected_version"]
    else:
        data["expected_version"] = version
    response = client.post(edit(article), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "did not say which version of the article it was opened from" in page
    assert "New." in page  # what was typed is still there to copy
    stored = Article.objects.get(pk=article.pk)
    assert (stored.body, stored.version) == (article.body, 1)


def test_a_file_that_is_not_utf8_is_read_and_the_message_says_how(client, editor):
    client.force_login(editor)
    text = "Le café a fermé ses portes après trois décennies, a déclaré le maire."
    upload = SimpleUploadedFile("cafe.txt", text.encode("cp1252"))
    response = client.post(import_url(), {"title": "Café", "file": upload}, follow=True)
    assert Article.objects.get().body == text
    assert "it was read as Windows-1252" in response.content.decode()


def _posted_queries(client, url, data) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, data)
    assert response.status_code == 302, response.content[:300]
    return len(ctx.captured_queries)


def wire_story(sentences: int) -> Article:
    return ArticleFactory(
        body="\n\n".join(
            f"Officials said {n} trucks were hit near Karsk." for n in range(sentences)
        )
    )


@pytest.mark.parametrize("sentences", [3, 30])
def test_judging_one_suggestion_costs_the_same_on_any_article(client, editor, sentences):
    article = wire_story(sentences)
    client.force_login(editor)
    first, second = open_suggestions(article=article)[:2]
    for view, s, most in (("accept_suggestion", first, 14), ("dismiss_suggestion", second, 10)):
        data = {"start": s.start, "end": s.end, "digest": s.digest}
        url = reverse(f"articles:{view}", args=[article.pk])
        assert _posted_queries(client, url, data) <= most


def test_accept_all_costs_a_few_queries_per_claim(client, editor):
    client.force_login(editor)
    url = "articles:accept_all_suggestions"
    small, large = wire_story(3), wire_story(30)
    few = _posted_queries(client, reverse(url, args=[small.pk]), {"threshold": "0.4"})
    many = _posted_queries(client, reverse(url, args=[large.pk]), {"threshold": "0.4"})
    assert large.claims.count() == 30
    # Per claim: its insert, its history row's, and claim_create's savepoint and release.
    assert many - few <= 4 * 27


def test_import_queries_do_not_grow_with_the_text(client, editor):
    client.force_login(editor)
    short = _posted_queries(client, import_url(), {"title": "T", "text": SENTENCES[0]})
    # Text of its own: one already imported would be refused as a duplicate.
    text = wire_story(200).body.replace("Karsk", "Lorne")
    long = _posted_queries(client, import_url(), {"title": "T", "text": text})
    # Six, one more to look for the same address or text among the articles and, on
    # PostgreSQL, one to take the lock that keeps two such imports from both passing.
    assert short == long <= (8 if connection.vendor == "postgresql" else 7)


# --- the same article twice -------------------------------------------------------------


def test_importing_the_same_text_again_names_the_article_and_imports_nothing(client, editor):
    client.force_login(editor)
    first = {"title": "Convoys", "text": "\r\n\r\n".join(SENTENCES)}
    client.post(import_url(), first)
    existing = Article.objects.get()

    # The same words pasted again, under another title and with other line ends.
    again = {"title": "Convoys, again", "text": "\n\n".join(SENTENCES) + "\n"}
    response = client.post(import_url(), again)
    assert response.status_code == 409
    page = response.content.decode()
    assert "This article is in Newsdesk already" in page
    link = f'<a href="{reverse("articles:detail", args=[existing.pk])}">Convoys</a>'
    assert link in page
    assert "by elena: same text." in page
    assert 'name="import_anyway"' in page
    assert Article.objects.count() == 1

    response = client.post(import_url(), {**again, "import_anyway": "on"})
    assert response.status_code == 302
    assert Article.objects.count() == 2
    assert Article.objects.latest("pk").title == "Convoys, again"


def test_importing_the_same_address_again_is_refused_whatever_its_dress(client, editor):
    ArticleFactory(title="The bridge", url="https://www.wire.example/bridge/?utm_source=rss")
    client.force_login(editor)
    data = {"title": "Bridge", "text": "Other words.", "url": "http://wire.example/bridge#top"}
    response = client.post(import_url(), data)
    assert response.status_code == 409
    assert "same address." in response.content.decode()
    assert not Article.objects.filter(title="Bridge").exists()


def test_a_duplicate_file_comes_back_as_text_to_confirm(client, editor):
    client.force_login(editor)
    upload = {"file": SimpleUploadedFile("convoys.html", HTML, content_type="text/html")}
    client.post(import_url(), upload)
    article = Article.objects.get()

    upload = {"file": SimpleUploadedFile("convoys.html", HTML, content_type="text/html")}
    response = client.post(import_url(), upload)
    assert response.status_code == 409
    # The person confirms without choosing the file again: the text and details read
    # from it are in the form.
    form = response.context["form"]
    assert form["text"].value() == article.body
    assert (form["title"].value(), form["byline"].value()) == (article.title, article.byline)
    confirmed = client.post(
        import_url(),
        {
            "text": form["text"].value(),
            "title": form["title"].value(),
            "byline": form["byline"].value(),
            "language": form["language"].value(),
            "import_anyway": "on",
        },
    )
    assert confirmed.status_code == 302
    assert Article.objects.filter(body=article.body).count() == 2


def test_a_duplicate_file_attached_again_to_confirm_is_imported(client, editor):
    """The natural thing after the warning: tick the box and attach the same file again.
    The box holds the file's own text, so that is not "both"."""
    client.force_login(editor)
    client.post(import_url(), {"file": SimpleUploadedFile("convoys.html", HTML)})
    article = Article.objects.get()
    response = client.post(import_url(), {"file": SimpleUploadedFile("convoys.html", HTML)})
    form = response.context["form"]
    confirmed = client.post(
        import_url(),
        {
            "text": form["text"].value(),
            "file": SimpleUploadedFile("convoys.html", HTML),
            "title": form["title"].value(),
            "language": form["language"].value(),
            "import_anyway": "on",
        },
    )
    assert confirmed.status_code == 302
    assert Article.objects.filter(body=article.body).count() == 2


def test_a_pasted_text_and_another_file_are_refused_with_what_to_do(client, editor):
    client.force_login(editor)
    response = client.post(
        import_url(),
        {
            "text": "Something else entirely, pasted by hand.",
            "file": SimpleUploadedFile("convoys.html", HTML),
            "title": "Both",
        },
    )
    assert response.status_code == 400
    assert "Empty the box to import the file, or remove the file" in response.content.decode()
    assert not Article.objects.exists()


def test_a_duplicate_refusal_queries(client, editor, django_assert_max_num_queries):
    ArticleFactory(body="Same words.", created_by=editor)
    client.force_login(editor)
    with django_assert_max_num_queries(8):
        response = client.post(import_url(), {"title": "T", "text": "Same words."})
    assert response.status_code == 409


def test_a_story_imported_many_times_names_five_and_counts_the_others(
    client, editor, django_assert_max_num_queries
):
    copies = [ArticleFactory(title=f"Copy {n}", body="Same words.") for n in range(9)]
    client.force_login(editor)
    # One query more than with a single duplicate: the count of those not named.
    with django_assert_max_num_queries(9):
        response = client.post(import_url(), {"title": "T", "text": "Same words."})
    assert response.status_code == 409
    page = response.content.decode()
    named = [c for c in copies if reverse("articles:detail", args=[c.pk]) + '"' in page]
    assert named == copies[4:]  # the newest five
    assert "and 4 more with the same address or text." in page
    assert Article.objects.count() == 9


def test_a_duplicate_refusal_counts_nothing_it_names_whole(editor):
    from articles.services import DuplicateArticle, article_import

    copies = [ArticleFactory(title=f"Copy {n}", body="Same words.") for n in range(5)]
    with CaptureQueriesContext(connection) as queries, pytest.raises(DuplicateArticle) as five:
        article_import(by=editor, title="T", body="Same words.")
    assert [d.article for d in five.value.duplicates] == copies[::-1]
    assert five.value.more == 0
    assert not any("COUNT(" in q["sql"] for q in queries.captured_queries)
    ArticleFactory(title="Copy 5", body="Same words.")
    with pytest.raises(DuplicateArticle) as six:
        article_import(by=editor, title="T", body="Same words.")
    assert (len(six.value.duplicates), six.value.more) == (5, 1)
    assert str(six.value.messages[0]).endswith("(same text) and 1 more. Nothing was imported.")


def _form_language(client) -> str:
    """What the import page's Language box holds before anyone types in it."""
    return client.get(import_url()).context["form"]["language"].value()


def test_the_files_own_language_wins_over_the_untouched_box(client, editor):
    client.force_login(editor)
    untouched = _form_language(client)
    assert untouched == "en"
    page = HTML.replace(b"<html>", b'<html lang="en-GB">')
    upload = SimpleUploadedFile("story.html", page, content_type="text/html")
    response = client.post(import_url(), {"file": upload, "language": untouched})
    assert response.status_code == 302
    assert Article.objects.get().language == "en-GB"


def test_a_language_typed_in_the_box_wins_over_the_files(client, editor):
    client.force_login(editor)
    page = HTML.replace(b"<html>", b'<html lang="en-GB">')
    upload = SimpleUploadedFile("story.html", page, content_type="text/html")
    response = client.post(import_url(), {"file": upload, "language": "fr"})
    assert response.status_code == 302
    assert Article.objects.get().language == "fr"


def test_without_a_language_in_the_file_the_box_stands(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("story.html", HTML, content_type="text/html")
    response = client.post(import_url(), {"file": upload, "language": _form_language(client)})
    assert response.status_code == 302
    assert Article.objects.get().language == "en"


def test_a_language_that_is_not_a_language_tag_is_a_form_error(client, editor, article):
    client.force_login(editor)
    refused = "Give a language tag such as en, fr or pt-BR"
    response = client.post(
        import_url(), {"title": "T", "text": SENTENCES[0], "language": "en\u202e"}
    )
    assert response.status_code == 400
    assert refused in response.content.decode()
    response = client.post(edit(article), edit_data(article, article.body, language="\u202een"))
    assert response.status_code == 400
    assert refused in response.content.decode()
    assert Article.objects.get().language == "en"
