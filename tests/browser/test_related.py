from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from claims.models import ClaimStatus, Source, Stance
from related.models import ClaimLink, LinkKind
from tests.browser.conftest import PASSWORD, log_in
from tests.factories import SourceFactory, claim_with_text

pytestmark = pytest.mark.browser


def test_a_reviewer_links_a_claim_reviewed_before_and_copies_its_sources(page, reviewer, reviewer2):
    before = claim_with_text(
        "Five supply convoys were attacked on the northern route, officials said.",
        title="Supply convoys attacked",
        outlet="Wire B",
        status=ClaimStatus.CONFIRMED,
        rationale="Both wires report five convoys.",
    )
    for url, publisher in (
        ("https://wire-a.example/convoys", "Wire A"),
        ("https://wire-b.example/report", "Wire B"),
    ):
        SourceFactory(
            claim=before, url=url, publisher=publisher, stance=Stance.SUPPORTS, added_by=reviewer2
        )
    new = claim_with_text(
        "Five convoys came under attack on the northern route, officials said.",
        title="Convoys attacked in the north",
        outlet="Wire A",
    )

    log_in(page, "rui")
    page.goto(f"/claims/{new.pk}/")
    panel = page.locator("#reviewed-before")
    expect(panel.get_by_role("heading", name="Reviewed before")).to_be_visible()
    match = panel.locator(".nd-match", has_text=f"#{before.pk}")
    expect(match).to_contain_text("Same claim")
    expect(match).to_contain_text("Supply convoys attacked")
    expect(match).to_contain_text("Confirmed")
    expect(match).to_contain_text("2 sources")
    expect(match).to_contain_text("same numbers: five")

    match.get_by_role("button", name="Same claim").click()
    expect(page.get_by_text(f"Claim #{new.pk} marked the same as #{before.pk}.")).to_be_visible()
    link = panel.locator(".nd-link", has_text=f"#{before.pk}")
    expect(panel.get_by_role("heading", name="Marked the same as")).to_be_visible()
    assert ClaimLink.objects.get().kind == LinkKind.SAME

    link.get_by_role("button", name=f"Copy 2 sources from #{before.pk}").click()
    expect(page.get_by_text(f"Copied 2 sources from #{before.pk}.")).to_be_visible()
    expect(page.locator("#sources-h")).to_have_text("Sources (2)")
    expect(page.locator("#sources")).to_contain_text("wire-a.example/convoys")
    # Nothing left to copy: the button is gone, the link stays.
    expect(link.get_by_role("button", name=f"Remove link to #{before.pk}")).to_be_visible()
    expect(link.get_by_role("button", name="Copy")).to_have_count(0)

    history = page.locator(".nd-timeline")
    expect(history).to_contain_text(
        f"rui marked it the same as #{before.pk} (Supply convoys attacked)"
    )
    expect(history.locator(".nd-event", has_text=f"from #{before.pk}")).to_have_count(2)
    expect(history).to_contain_text(f"rui copied a supports source (Wire A) from #{before.pk}")
    # The verdict is not copied: the claim waits for its own review.
    expect(page.locator("h1 .nd-badge")).to_have_text("Unverified")
    assert Source.objects.filter(claim=new).count() == 2
    assert page.console_problems == []


def test_a_click_lost_to_an_ended_session_is_asked_again_and_a_doubtful_link_is_noted(
    page, reviewer
):
    """The session ended while the claim page was open: the click on "Same claim" leads
    to the login page, and the login back to the claim, where nothing was done and the
    reviewer is asked to click again. Linked, the matcher's doubt is said and stays."""
    new = claim_with_text(
        "18 supply convoys came under attack on the northern route, officials said.",
        title="Eighteen convoys",
    )
    other = claim_with_text(
        "Sixteen supply convoys came under attack on the northern route, officials said.",
        title="Sixteen convoys",
    )
    log_in(page, "rui")
    page.goto(f"/claims/{new.pk}/")
    panel = page.locator("#reviewed-before")
    match = panel.locator(".nd-match", has_text=f"#{other.pk}")
    expect(match).to_contain_text("Related, not the same")

    page.context.clear_cookies(name="sessionid")
    match.get_by_role("button", name="Same claim").click()
    page.get_by_label("Username").fill("rui")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(rf"/claims/{new.pk}/#reviewed-before$"))
    expect(page.get_by_text("No link was made or changed: signing in passes on")).to_be_visible()
    expect(page.get_by_text("Click the button again.")).to_be_visible()
    assert not ClaimLink.objects.exists()

    panel.locator(".nd-match", has_text=f"#{other.pk}").get_by_role(
        "button", name="Same claim"
    ).click()
    expect(page.get_by_text(f"Claim #{new.pk} marked the same as #{other.pk}.")).to_be_visible()
    expect(
        page.get_by_text("Linked as you asked; the matcher noted: numbers differ: 18 vs sixteen.")
    ).to_be_visible()
    link = panel.locator(".nd-link", has_text=f"#{other.pk}")
    expect(link).to_contain_text("The matcher noted: numbers differ: 18 vs sixteen")
    assert ClaimLink.objects.get().kind == LinkKind.SAME
    page.reload()
    expect(page.get_by_text("Linked as you asked")).to_have_count(0)
    expect(link).to_contain_text("The matcher noted: numbers differ: 18 vs sixteen")
    assert page.console_problems == []
