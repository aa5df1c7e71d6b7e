"""The walkthrough's article edit, in the browser: a claim whose sentence is deleted is
orphaned rather than moved onto its neighbour's words, and each claim's history says what
the edit did to it, with the old and new words."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from articles.models import Article
from claims.models import Claim, ClaimStatus
from tests.browser.conftest import log_in
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.browser

ENGINEER = (
    "The second attack targeted a logistics convoy, and a female engineer of the "
    "coalition\u2019s Spanish forces were allegedly injured."
)
ADVISORS = (
    "A number of military advisors from the coalition\u2019s Spanish forces were allegedly injured."
)
CONTAINERS = "The group said 18 containers were destroyed in the third attack."
BODY = f"{ENGINEER} {ADVISORS}\n\n{CONTAINERS}"


def test_deleting_a_claims_sentence_orphans_it_and_every_history_says_why(page, editor, reviewer):
    article = ArticleFactory(title="Convoys attacked in Iraq", body=BODY)
    engineer, advisors, containers = (
        ClaimFactory(article=article, start=BODY.index(q), end=BODY.index(q) + len(q), text=q)
        for q in (ENGINEER, ADVISORS, CONTAINERS)
    )
    Claim.objects.filter(pk=containers.pk).update(status=ClaimStatus.SOURCED)

    log_in(page, "elena")
    page.goto(f"/articles/{article.pk}/edit/")
    edited = f"{ENGINEER}\n\n{CONTAINERS.replace('18', '19')}"
    page.get_by_label("Article text").fill(edited)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".nd-messages")).to_contain_text("1 changed, 1 orphaned")

    article.refresh_from_db()
    engineer.refresh_from_db()
    advisors.refresh_from_db()
    containers.refresh_from_db()
    # The deleted sentence's claim is orphaned; its neighbour keeps its own words alone.
    assert advisors.orphaned
    assert advisors.text == ADVISORS
    assert (engineer.orphaned, article.body[engineer.start : engineer.end]) == (False, ENGINEER)
    assert article.body[containers.start : containers.end] == CONTAINERS.replace("18", "19")
    assert containers.status == ClaimStatus.UNVERIFIED

    page.goto(f"/claims/{containers.pk}/")
    history = page.get_by_role("region", name="History")
    expect(history).to_contain_text(
        "elena edited the article and changed the claim's words from "
        f"“{CONTAINERS}” to “{CONTAINERS.replace('18', '19')}”"
    )
    expect(history.locator("del")).to_have_text("18")
    expect(history.locator("ins")).to_have_text("19")
    expect(history).to_contain_text("moved it from Sourced to Unverified")

    page.goto(f"/claims/{advisors.pk}/")
    expect(page.get_by_role("region", name="History")).to_contain_text(
        f"elena edited the article and removed the claim's words, so it is orphaned "
        f"(it read “{ADVISORS}”)"
    )
    page.goto(f"/claims/{engineer.pk}/")
    expect(page.get_by_role("region", name="History")).to_contain_text(
        "elena edited the article around the claim; its words did not change"
    )
    expect(page.get_by_role("region", name="History")).not_to_contain_text("edited the claim")
    assert Article.objects.get(pk=article.pk).body == edited
