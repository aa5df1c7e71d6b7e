from __future__ import annotations

import pytest

from claims.anchoring import Body, reanchor
from claims.models import Claim, ClaimEvent, ClaimStatus, EventKind
from claims.services import article_body_update
from tests.factories import SENTENCES, ArticleFactory, ClaimFactory

OLD = "Police said five convoys were hit near Orlen on Sunday. The army denied it."


def find(new: str, quote: str = "five convoys were hit near Orlen"):
    start = OLD.index(quote)
    return reanchor(
        Body(new),
        start=start,
        end=start + len(quote),
        text=quote,
        prefix=OLD[max(0, start - 32) : start],
        suffix=OLD[start + len(quote) :][:32],
    )


def test_untouched_text_keeps_its_place():
    found = find(OLD + " More later.")
    assert (found.outcome, found.start) == ("kept", OLD.index("five"))


def test_text_inserted_before_moves_the_claim():
    new = "UPDATE: " + OLD
    found = find(new)
    assert found.outcome == "moved"
    assert found.text(new) == "five convoys were hit near Orlen"


def test_the_same_words_elsewhere_are_found_by_their_surroundings():
    new = "The army denied it. Police said five convoys were hit near Orlen, officials added."
    found = find(new)
    assert (found.outcome, found.text(new)) == ("moved", "five convoys were hit near Orlen")


def test_reworded_quote_is_changed_not_lost():
    new = OLD.replace("five convoys were hit near Orlen", "six convoys were hit near Orlen")
    found = find(new)
    assert found.outcome == "changed"
    assert "convoys were hit near Orlen" in found.text(new)


def test_deleted_words_leave_the_claim_orphaned():
    assert find("The army denied it.").outcome == "orphaned"


@pytest.mark.django_db
def test_article_edit_moves_changes_and_orphans_claims_and_says_so(editor):
    article = ArticleFactory()
    moved = ClaimFactory(article=article, sentence=0)
    changed = ClaimFactory(article=article, sentence=1, status=ClaimStatus.CONFIRMED)
    gone = ClaimFactory(article=article, sentence=2, status=ClaimStatus.DISPUTED)
    body = "Editor's note: updated.\n\n" + "\n\n".join(
        [SENTENCES[0], SENTENCES[1].replace("Three", "Four"), SENTENCES[3]]
    )
    report = article_body_update(article=article, body=body, by=editor)
    assert [c.pk for c in report.moved] == [moved.pk]
    assert [c.pk for c in report.changed] == [changed.pk]
    assert [c.pk for c in report.orphaned] == [gone.pk]
    moved, changed, gone = (Claim.objects.get(pk=c.pk) for c in (moved, changed, gone))
    assert body[moved.start : moved.end] == SENTENCES[0]
    assert changed.text.startswith("Four contractors")
    assert changed.status == ClaimStatus.UNVERIFIED  # its verdict was on other words
    assert (gone.orphaned, gone.status, gone.text) == (True, ClaimStatus.DISPUTED, SENTENCES[2])
    outcomes = {
        e.claim_id: e.data["reanchored"] for e in ClaimEvent.objects.filter(kind=EventKind.EDITED)
    }
    assert outcomes == {moved.pk: "moved", changed.pk: "changed", gone.pk: "orphaned"}
    assert ClaimEvent.objects.filter(claim=changed, kind=EventKind.STATUS_CHANGED).exists()


@pytest.mark.django_db
def test_an_orphan_is_anchored_again_by_editing_its_quote(editor):
    from claims.services import claim_update

    article = ArticleFactory()
    claim = ClaimFactory(article=article, sentence=2)
    article_body_update(article=article, body=SENTENCES[0] + " " + SENTENCES[2][:20], by=editor)
    claim.refresh_from_db()
    assert claim.orphaned
    article.refresh_from_db()
    claim_update(claim=claim, by=editor, expected_version=claim.version, start=0, end=4)
    claim.refresh_from_db()
    assert not claim.orphaned


@pytest.mark.django_db
def test_editing_an_article_needs_the_editor_role(reviewer, article):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        article_body_update(article=article, body="New text.", by=reviewer)
