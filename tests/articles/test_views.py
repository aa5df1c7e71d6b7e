from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Article
from claims.models import Claim, ClaimEvent, ClaimOrigin, EventKind
from tests.factories import SENTENCES, ArticleFactory, ClaimFactory, editor_factory


@pytest.fixture
def editor2(db):
    return editor_factory(username="eve")


def test_article_page_highlights_every_claim_with_its_status(client, reviewer, article):
    confirmed = ClaimFactory(article=article, sentence=0, status="confirmed")
    ClaimFactory(article=article, sentence=1)
    client.force_login(reviewer)
    page = client.get(reverse("articles:detail", args=[article.pk])).content.decode()
    assert f">#{confirmed.pk} Confirmed</a>" in page
    assert page.count('class="nd-claim nd-hl-') == 2 + 5  # two claims, five legend entries
    assert "1 confirmed" in page
    assert "1 unverified" in page


def test_editor_creates_a_claim_by_quote(client, editor, reviewer, article):
    client.force_login(editor)
    response = client.post(
        reverse("articles:add_claim", args=[article.pk]),
        {"quote": SENTENCES[2], "attributed_to": "Northern Shield", "assignee": reviewer.pk},
    )
    assert response.status_code == 302
    claim = Claim.objects.get()
    # Back to the part of the text that holds it, at its words.
    assert response["Location"] == (
        f"{reverse('articles:detail', args=[article.pk])}?at={claim.start}#at-claim-{claim.pk}"
    )
    assert (claim.text, claim.origin, claim.assignee) == (
        SENTENCES[2],
        ClaimOrigin.MANUAL,
        reviewer,
    )
    assert set(ClaimEvent.objects.values_list("kind", flat=True)) == {
        EventKind.CREATED,
        EventKind.ASSIGNED,
    }


@pytest.mark.parametrize(
    ("quote", "message"),
    [
        ("not in there", "These exact words are not in the article body."),
        ("the", "appears"),
        ("   ", "This field is required."),
    ],
)
def test_editor_gets_a_clear_message_for_a_bad_quote(client, editor, article, quote, message):
    client.force_login(editor)
    response = client.post(reverse("articles:add_claim", args=[article.pk]), {"quote": quote})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Claim.objects.exists()


def test_a_selection_made_before_someone_edited_the_article_is_refused_saying_so(
    client, editor, editor2
):
    from articles.services import article_update

    article = ArticleFactory(body="\n\n".join(SENTENCES))
    client.force_login(editor)
    page = client.get(reverse("articles:detail", args=[article.pk])).content.decode()
    assert f'name="article_version" value="{article.version}"' in page
    # The Editor selects the third sentence; meanwhile someone adds a paragraph on top.
    start = article.body.index(SENTENCES[2])
    seen = {"quote": SENTENCES[2], "start": start, "article_version": article.version}
    article_update(
        article=article,
        by=editor2,
        expected_version=article.version,
        body="An update was added on top.\n\n" + article.body,
        title=article.title,
    )
    response = client.post(reverse("articles:add_claim", args=[article.pk]), seen)
    assert response.status_code == 409
    page = response.content.decode()
    assert "The article was changed after you opened this page (eve saved it at" in page
    assert "select the words again" in page
    assert "does not stand at this offset" not in page
    assert not Claim.objects.exists()
    # The page is the article as it is now: its form carries the new version and no offset.
    article.refresh_from_db()
    assert f'name="article_version" value="{article.version}"' in page
    form = response.context["claim_form"]
    assert (form["quote"].value(), form["start"].value()) == (SENTENCES[2], "")
    again = {**seen, "start": article.body.index(SENTENCES[2]), "article_version": article.version}
    assert client.post(reverse("articles:add_claim", args=[article.pk]), again).status_code == 302
    assert Claim.objects.get().text == SENTENCES[2]


def test_an_edit_that_lands_while_the_claim_is_made_is_refused_too(editor, editor2):
    from articles.services import article_update
    from claims.services import ArticleChanged, claim_create

    article = ArticleFactory(body="\n\n".join(SENTENCES))
    start, version = article.body.index(SENTENCES[1]), article.version
    article_update(
        article=article,
        by=editor2,
        expected_version=version,
        body="Top.\n\n" + article.body,
        title=article.title,
    )
    stale = Article.objects.get(pk=article.pk)
    stale.version, stale.body = version, "\n\n".join(SENTENCES)  # as the page saw it
    with pytest.raises(ArticleChanged):
        claim_create(
            article=stale,
            start=start,
            end=start + len(SENTENCES[1]),
            by=editor,
            expected_article_version=version,
        )
    assert not Claim.objects.exists()


def test_article_list_searches(client, reviewer):
    ArticleFactory(title="Convoys attacked")
    ArticleFactory(title="Budget passes")
    client.force_login(reviewer)
    response = client.get(reverse("articles:list") + "?q=budget")
    assert [a.title for a in response.context["page"]] == ["Budget passes"]
    assert client.get(reverse("articles:list") + "?page=abc").status_code == 200


def test_a_repeated_quote_offers_each_place_with_its_words(client, editor):
    article = ArticleFactory(body="Police said five convoys. Later, the army said five convoys.")
    client.force_login(editor)
    url = reverse("articles:add_claim", args=[article.pk])
    page = client.post(url, {"quote": "five convoys"}).content.decode()
    assert "Which one do you mean?" in page
    assert 'name="start" value="12"' in page
    assert "Only needed when" not in page
    assert "…Police said [five convoys]. Later, the army said five convoys.…" in page
    assert client.post(url, {"quote": "five convoys", "start": "47"}).status_code == 302
    assert Claim.objects.get().start == 47


def test_orphaned_claims_are_shown_prominently_not_drawn(client, editor):
    from articles.services import article_body_update

    article = ArticleFactory()
    claim = ClaimFactory(article=article, sentence=2)
    article_body_update(article=article, body="A different story altogether.", by=editor)
    client.force_login(editor)
    page = client.get(reverse("articles:detail", args=[article.pk])).content.decode()
    assert "1 claim lost its place in the text" in page
    assert (
        'class="nd-claim nd-hl-'
        not in page.split("nd-legend-key")[-1].split("</section>")[0].split("</div>", 1)[1]
    )
    queue = client.get(reverse("claims:queue")).content.decode()
    assert "Orphaned" in queue
    detail = client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    assert "these words are no longer in it" in detail
