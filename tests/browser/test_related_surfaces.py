"""A claim reviewed before, met again: an Editor importing a rewrite of a wire story is
told which suggestion repeats a confirmed claim, and a Reviewer finds such claims in the
queue."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from claims.models import Claim, ClaimStatus
from tests.browser.conftest import log_in
from tests.factories import ArticleFactory

pytestmark = pytest.mark.browser

EARLIER_TITLE = "Convoys attacked on the northern route"
CONVOYS = "Five supply convoys came under attack on the northern route, officials said."
REWRITE_TITLE = "Aid route hit again"
# The wire copy republished with small edits, and a sentence nobody has reviewed.
CONVOYS_AGAIN = (
    "Five supply convoys came under attack on the northern route, officials said on Monday."
)
HOSPITAL = "Four drivers were taken to the city hospital with injuries, police said."


@pytest.fixture
def confirmed(roles):
    article = ArticleFactory(title=EARLIER_TITLE, body=CONVOYS)
    return Claim.objects.create(
        article=article, text=CONVOYS, start=0, end=len(CONVOYS), status=ClaimStatus.CONFIRMED
    )


def test_a_repeated_confirmed_claim_is_noted_on_import_and_found_in_the_queue(
    page, editor, reviewer, confirmed
):
    log_in(page, "elena")
    page.get_by_role("link", name="Articles", exact=True).click()
    page.get_by_role("link", name="Import an article").click()
    page.get_by_label("Paste the article text").fill(f"{CONVOYS_AGAIN}\n\n{HOSPITAL}")
    page.get_by_label("Title").fill(REWRITE_TITLE)
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(REWRITE_TITLE)

    # Before anything is accepted, the repeated sentence says where it was confirmed.
    suggestions = page.locator("#suggestions .nd-suggestions > li")
    repeated = suggestions.filter(has_text=CONVOYS_AGAIN)
    note = repeated.get_by_role("link", name=f"Confirmed in {EARLIER_TITLE} as #{confirmed.pk}")
    expect(note).to_be_visible()
    expect(note).to_have_attribute("href", f"/claims/{confirmed.pk}/")
    expect(suggestions.filter(has_text=HOSPITAL)).not_to_contain_text("Confirmed in")

    page.get_by_role("button", name="Accept: Five supply convoys").click()
    article = Article.objects.get(title=REWRITE_TITLE)
    accepted = Claim.objects.get(article=article)
    expect(page.get_by_text(f"Claim #{accepted.pk} created from the suggestion.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    # The new claim was matched when it was made (related.tasks, run at once here).
    log_in(page, "rui")
    page.get_by_role("link", name="Claim queue").click()
    page.get_by_label("Has a reviewed match").select_option("yes")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"reviewed_match=yes"))
    rows = page.locator("table.nd-queue tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(f"#{accepted.pk}")
    marker = rows.get_by_role("link", name=f"Reviewed before: #{confirmed.pk} (Confirmed)")
    expect(marker).to_have_attribute("href", f"/claims/{accepted.pk}/#reviewed-before")

    # Without the filter, the confirmed claim itself is listed too, unmarked: its only
    # match has not been reviewed.
    page.get_by_label("Has a reviewed match").select_option("")
    page.get_by_role("button", name="Apply filters").click()
    expect(rows).to_have_count(2)
    expect(page.locator(".nd-reviewed-mark")).to_have_count(1)
