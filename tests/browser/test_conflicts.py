"""What a person sees when someone else saved first: who and when, what differs, and a
choice to make rather than a silent overwrite."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from articles.services import article_update
from claims.models import Claim, ClaimStatus
from claims.services import claim_assign, claim_transition
from tests.browser.conftest import log_in
from tests.factories import ArticleFactory, ClaimFactory, editor_factory

pytestmark = pytest.mark.browser


def test_an_article_edit_conflict_says_who_and_shows_what_differs(page, editor):
    article = ArticleFactory(title="Convoys attacked in the north")
    log_in(page, "elena")
    page.goto(f"/articles/{article.pk}/edit/")
    body = page.get_by_label("Article text")
    body.fill(body.input_value() + "\n\nA paragraph Elena added.")

    other = editor_factory(username="otto")
    article_update(
        article=article,
        by=other,
        expected_version=1,
        body=article.body.replace("Five convoys", "Six convoys"),
        title=article.title,
        outlet="Otto's Wire",
        byline=article.byline,
    )
    page.get_by_role("button", name="Save").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(re.compile(r"otto saved this article at .* \(version 2\)"))
    conflict = page.locator("section[aria-labelledby=conflict-h]")
    expect(conflict.get_by_role("row", name=re.compile("Outlet"))).to_contain_text("Otto's Wire")
    expect(conflict.locator("del")).to_have_text("Six")
    expect(conflict.locator("ins", has_text="Five")).to_be_visible()
    expect(conflict.locator("ins", has_text="A paragraph Elena added.")).to_be_visible()
    expect(page.get_by_label("Article text")).to_have_value(re.compile("A paragraph Elena added."))
    assert Article.objects.get(pk=article.pk).body.startswith("Six convoys")

    # Having seen it, saving again is a choice: it goes through.
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(re.compile("^Article saved."))).to_be_visible()
    stored = Article.objects.get(pk=article.pk)
    assert stored.body.endswith("A paragraph Elena added.")
    assert (stored.version, stored.updated_by) == (3, editor)
    assert stored.outlet == "Otto's Wire"  # his change to what she never touched stays


def test_saving_again_after_an_article_conflict_keeps_the_other_editors_changes(page, editor):
    """Otto sets the byline; Elena, whose page was opened before, changed only the title
    and the text. Her conflict page fills the byline with his, keeps her title and text,
    and her second Save loses nothing of either."""
    article = ArticleFactory(title="Convoys attacked", byline="")
    log_in(page, "elena")
    page.goto(f"/articles/{article.pk}/edit/")
    page.get_by_label("Title").fill("Convoys attacked in the north")
    body = page.get_by_label("Article text")
    body.fill(body.input_value() + "\n\nA paragraph Elena added.")

    article_update(
        article=article,
        by=editor_factory(username="otto"),
        expected_version=1,
        body=article.body,
        title=article.title,
        outlet=article.outlet,
        byline="Fact-check desk",
    )
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("alert")).to_contain_text(
        re.compile(
            r"otto saved this article at .* \(version 2\), after you opened it, changing "
            r"the byline\. Nothing was saved\."
        )
    )
    conflict = page.locator("section[aria-labelledby=conflict-h]")
    expect(conflict.get_by_role("row", name=re.compile("Byline"))).to_contain_text(
        "Saved now (you had not changed it)"
    )
    expect(conflict).to_contain_text("They had not changed the text: yours is in the form.")
    expect(conflict).not_to_contain_text("Changed by both of you")
    expect(page.get_by_label("Byline")).to_have_value("Fact-check desk")
    expect(page.get_by_label("Title")).to_have_value("Convoys attacked in the north")
    expect(page.get_by_label("Article text")).to_have_value(re.compile("A paragraph Elena added."))

    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(re.compile("^Article saved."))).to_be_visible()
    stored = Article.objects.get(pk=article.pk)
    assert (stored.byline, stored.title, stored.version) == (
        "Fact-check desk",
        "Convoys attacked in the north",
        3,
    )
    assert stored.body.endswith("A paragraph Elena added.")


def test_an_article_conflict_flags_what_both_editors_changed(page, editor):
    article = ArticleFactory(title="Convoys attacked")
    log_in(page, "elena")
    page.goto(f"/articles/{article.pk}/edit/")
    page.get_by_label("Byline").fill("Elena Petrova")

    article_update(
        article=article,
        by=editor_factory(username="otto"),
        expected_version=1,
        body=article.body.replace("Five convoys", "Six convoys"),
        title=article.title,
        outlet=article.outlet,
        byline="Otto Berg",
    )
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("alert")).to_contain_text("You both changed the byline.")
    conflict = page.locator("section[aria-labelledby=conflict-h]")
    expect(conflict).to_contain_text("Changed by both of you: Byline.")
    row = conflict.get_by_role("row", name=re.compile("Byline"))
    expect(row).to_contain_text("Otto Berg")
    expect(row).to_contain_text("Yours: you both changed it")
    expect(conflict).to_contain_text(
        "They changed the text and you had not: the form now holds the text as saved now."
    )
    expect(page.get_by_label("Byline")).to_have_value("Elena Petrova")
    expect(page.get_by_label("Article text")).to_have_value(re.compile("^Six convoys"))

    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(re.compile("^Article saved."))).to_be_visible()
    stored = Article.objects.get(pk=article.pk)
    assert (stored.byline, stored.version) == ("Elena Petrova", 3)
    assert stored.body.startswith("Six convoys")


def test_a_decision_conflict_asks_which_rationale_stands(page, reviewer, reviewer2):
    claim = ClaimFactory()
    log_in(page, "rui")
    page.goto(f"/claims/{claim.pk}/")
    page.get_by_label("Rationale (shown in reports)").fill("Checked with the ministry.")

    claim_transition(
        claim=claim,
        to=ClaimStatus.DISPUTED,
        by=reviewer2,
        expected_version=1,
        note="Old photo",
        rationale="The photo is from 2019.",
    )
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text("rania changed this claim at")
    choice = page.get_by_role("group", name="Someone else changed the rationale")
    expect(choice).to_contain_text("Saved now: The photo is from 2019.")
    expect(page.get_by_label("Keep as disputed")).not_to_be_checked()
    expect(page.get_by_label("Rationale (shown in reports)")).to_have_value(
        "Checked with the ministry."
    )
    # Saving again as it stands replaces nothing: it asks for a decision first.
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Choose what to do with the claim as it stands now.")).to_be_visible()
    assert Claim.objects.get(pk=claim.pk).rationale == "The photo is from 2019."

    page.get_by_label("Keep as disputed").check()
    page.get_by_label("Keep the rationale saved now (yours is dropped)").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Nothing changed.")).to_be_visible()
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.status, stored.rationale) == (ClaimStatus.DISPUTED, "The photo is from 2019.")


def test_assign_to_me_after_someone_took_the_claim_says_who(page, reviewer, reviewer2):
    claim = ClaimFactory()
    log_in(page, "rui")
    page.goto("/claims/")
    button = page.get_by_role("button", name=f"Assign claim #{claim.pk} to me")
    expect(button).to_be_visible()

    claim_assign(claim=claim, assignee=reviewer2, by=reviewer2, expected_version=1)
    button.click()
    expect(
        page.get_by_text(re.compile(r"^rania took this claim at .*; it stays with rania\."))
    ).to_be_visible()
    expect(page.get_by_role("button", name=f"Assign claim #{claim.pk} to me")).to_have_count(0)
    assert Claim.objects.get(pk=claim.pk).assignee == reviewer2

    page.goto(f"/claims/{claim.pk}/")
    history = page.locator(".nd-timeline")
    expect(history).to_contain_text("rania assigned it to rania")
    expect(history).not_to_contain_text("bulk action")
