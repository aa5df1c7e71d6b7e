"""The suggestions an Editor judges on the article page: accept, dismiss, accept all,
restore, and what the panel shows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Article
from claims.models import Claim, ClaimEvent, ClaimOrigin, ClaimStatus, EventKind
from newsdesk.text import text_digest
from suggestions.models import DismissedSuggestion
from suggestions.selectors import open_suggestions
from tests.factories import SENTENCES, ArticleFactory, ClaimFactory


def detail(article):
    return reverse("articles:detail", args=[article.pk])


def span_of(article, sentence):
    start = article.body.index(SENTENCES[sentence])
    end = start + len(SENTENCES[sentence])
    return {"start": start, "end": end, "digest": text_digest(SENTENCES[sentence])}


def test_accepting_a_suggestion_makes_a_suggested_claim_with_history(client, editor, article):
    client.force_login(editor)
    response = client.post(
        reverse("articles:accept_suggestion", args=[article.pk]), span_of(article, 1)
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#suggestions-said")
    claim = Claim.objects.get()
    assert (claim.text, claim.origin, claim.status) == (
        SENTENCES[1],
        ClaimOrigin.SUGGESTED,
        ClaimStatus.UNVERIFIED,
    )
    event = claim.events.get()
    assert (event.kind, event.actor, event.data["origin"]) == (
        EventKind.CREATED,
        editor,
        "suggested",
    )
    assert "hedged: “allegedly”" in event.data["reasons"]
    page = client.get(detail(article)).content.decode()
    assert f"#{claim.pk} Unverified" in page
    assert all(s.text != SENTENCES[1] for s in open_suggestions(article=article))
    history = client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    assert "created the claim from a suggestion (score " in history
    assert "hedged: “allegedly”" in history


def test_a_suggestion_cannot_be_accepted_twice(client, editor, article):
    client.force_login(editor)
    url = reverse("articles:accept_suggestion", args=[article.pk])
    client.post(url, span_of(article, 1))
    response = client.post(url, span_of(article, 1))
    assert response.status_code == 409
    assert "no longer open" in response.content.decode()
    assert Claim.objects.count() == 1


def test_a_suggestion_whose_words_changed_since_the_page_loaded_is_refused(client, editor, article):
    client.force_login(editor)
    seen = span_of(article, 1)
    # Someone edits the sentence to other words of the same length.
    changed = SENTENCES[1].replace("Three", "Eight")
    Article.objects.filter(pk=article.pk).update(body=article.body.replace(SENTENCES[1], changed))
    response = client.post(reverse("articles:accept_suggestion", args=[article.pk]), seen)
    assert response.status_code == 409
    assert not Claim.objects.exists()


def test_a_sentence_never_offered_cannot_be_accepted_or_dismissed(client, editor):
    article = ArticleFactory(body=SENTENCES[0] + "\n\nWhat next?")
    start = article.body.index("What next?")
    data = {"start": start, "end": start + 10, "digest": text_digest("What next?")}
    client.force_login(editor)
    for view in ("accept_suggestion", "dismiss_suggestion"):
        response = client.post(reverse(f"articles:{view}", args=[article.pk]), data)
        assert response.status_code == 409
    assert not Claim.objects.exists()
    assert not DismissedSuggestion.objects.exists()


def test_accept_all_is_one_batch_in_the_history(client, editor, article):
    client.force_login(editor)
    client.post(reverse("articles:accept_all_suggestions", args=[article.pk]), {"threshold": "0.4"})
    batches = set(ClaimEvent.objects.values_list("batch", flat=True))
    assert len(batches) == 1
    assert None not in batches


def test_dismissed_suggestions_stay_dismissed_and_can_come_back(client, editor, article):
    client.force_login(editor)
    response = client.post(
        reverse("articles:dismiss_suggestion", args=[article.pk]), span_of(article, 1)
    )
    assert response.status_code == 302
    dismissed = DismissedSuggestion.objects.get()
    assert (dismissed.text, dismissed.dismissed_by) == (SENTENCES[1], editor)
    assert all(s.text != SENTENCES[1] for s in open_suggestions(article=article))
    page = client.get(detail(article)).content.decode()
    assert "Dismissed (1)" in page
    client.post(reverse("articles:restore_suggestion", args=[article.pk, dismissed.pk]))
    assert any(s.text == SENTENCES[1] for s in open_suggestions(article=article))


def test_accept_all_takes_every_suggestion_at_or_above_the_score(client, editor, article):
    client.force_login(editor)
    expected = [s.text for s in open_suggestions(article=article) if s.score >= 0.5]
    assert expected
    response = client.post(
        reverse("articles:accept_all_suggestions", args=[article.pk]), {"threshold": "0.5"}
    )
    assert response.status_code == 302
    assert list(Claim.objects.order_by("start").values_list("text", flat=True)) == expected
    assert set(Claim.objects.values_list("origin", flat=True)) == {ClaimOrigin.SUGGESTED}
    again = client.post(
        reverse("articles:accept_all_suggestions", args=[article.pk]), {"threshold": "0.5"}
    )
    assert again.status_code == 302
    assert Claim.objects.count() == len(expected)


@pytest.mark.parametrize(
    ("view", "data"),
    [
        ("accept_suggestion", {"start": "x", "end": "3"}),
        ("accept_suggestion", {"start": "-1", "end": "3"}),
        ("dismiss_suggestion", {"start": "0"}),
        ("accept_suggestion", {"start": "0", "end": "5", "digest": "<script>"}),
        ("accept_all_suggestions", {"threshold": "0.05"}),
    ],
)
def test_garbled_suggestion_posts_are_400_not_500(client, editor, article, view, data):
    client.force_login(editor)
    response = client.post(reverse(f"articles:{view}", args=[article.pk]), data)
    assert response.status_code == 400
    assert not Claim.objects.exists()


def test_a_suggestion_overlapped_by_a_claim_is_not_offered(article):
    ClaimFactory(article=article, sentence=1, start=article.body.index("contractors"))
    texts = [s.text for s in open_suggestions(article=article)]
    assert SENTENCES[1] not in texts


def test_reviewers_see_claims_but_no_suggestions(client, reviewer, article):
    client.force_login(reviewer)
    page = client.get(detail(article)).content.decode()
    assert "Suggested claims" not in page
    assert "nd-suggestion" not in page
    assert 'id="article-body"' not in page


def test_article_page_queries_with_suggestions_and_dismissals(
    client, editor, article, django_assert_max_num_queries
):
    client.force_login(editor)
    for i in range(3):
        ClaimFactory(article=article, sentence=i)
    DismissedSuggestion.objects.create(article=article, text=SENTENCES[3], dismissed_by=editor)
    with django_assert_max_num_queries(7):
        assert client.get(detail(article)).status_code == 200


def test_article_factory_body_has_suggestions():
    # The tests above rely on the factory's sentences being suggested.
    article = ArticleFactory.build()
    from suggestions.scorer import suggest

    assert len(suggest(article.body)) >= 3


def test_the_article_page_lists_the_first_hundred_suggestions_and_counts_them_all(client, editor):
    body = "\n\n".join(f"Officials said {n} trucks were hit near Karsk." for n in range(130))
    article = ArticleFactory(body=body)
    client.force_login(editor)
    page = client.get(detail(article)).content.decode()
    assert "Suggested claims (130)" in page
    assert page.count('class="nd-suggestion-item') == 100
    assert page.count("data-suggestion=") == 100
    assert "The first 100 are listed" in page
