from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from claims.models import Claim, ClaimStatus, Stance
from tests.browser.conftest import log_in
from tests.factories import ArticleFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.browser


def add_source(page, url: str, publisher: str) -> None:
    page.get_by_text("Add a source").click()
    form = page.locator("form[action$='/sources/']")
    form.locator("#id_url").fill(url)
    form.get_by_label("Stance").select_option(Stance.SUPPORTS)
    form.get_by_label("Publisher").fill(publisher)
    form.get_by_role("button", name="Add source").click()
    expect(page.get_by_text("Source added.")).to_be_visible()


def test_two_reviewers_confirm_a_claim_together(page, reviewer, reviewer2):
    article = ArticleFactory(title="Convoys attacked in the north")
    claim = ClaimFactory(article=article, attributed_to="Transport ministry")
    ClaimFactory(article=article, sentence=1, status=ClaimStatus.DISPUTED)

    log_in(page, "rui")
    page.get_by_role("link", name="Claim queue").click()
    page.get_by_label("Unverified").check()
    page.get_by_label("Text contains").fill("convoys")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"status=unverified.*q=convoys"))
    rows = page.locator("table.nd-queue tbody tr")
    expect(rows).to_have_count(1)
    rows.get_by_role("link", name=re.compile(f"#{claim.pk} ")).click()

    expect(page.get_by_role("heading", name=f"Claim #{claim.pk}")).to_be_visible()
    add_source(page, "https://wire-a.example/story", "Wire A")
    add_source(page, "https://wire-b.example/report", "Wire B")
    # Rui added both supporting sources, so the rules want someone else to confirm.
    expect(page.locator("#to-confirmed")).to_be_disabled()
    expect(page.get_by_text("second pair of eyes")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(page, "rania")
    page.goto(f"/claims/{claim.pk}/")
    page.get_by_label("Confirm").check()
    page.get_by_label("Rationale (shown in reports)").fill("Both wires report five convoys.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(f"Claim #{claim.pk} confirmed.")).to_be_visible()
    expect(page.locator("h1 .nd-badge")).to_have_text("Confirmed")

    history = page.locator(".nd-timeline")
    expect(history).to_contain_text("rania moved it from Unverified to Confirmed")
    expect(history.locator(".nd-event", has_text="rui added a supports source")).to_have_count(2)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CONFIRMED
    assert page.console_problems == []


def test_confirming_with_one_source_shows_the_reason(page, reviewer, reviewer2):
    claim = ClaimFactory(status=ClaimStatus.SOURCED)
    SourceFactory(claim=claim, added_by=reviewer2, publisher="Wire A")
    log_in(page, "rui")
    page.goto(f"/claims/{claim.pk}/")
    expect(page.locator("#to-confirmed")).to_be_disabled()
    expect(page.locator("#why-confirmed")).to_have_text(
        "Not possible now: Confirming needs 2 supporting sources from different publishers; "
        "this claim has 1."
    )
    # Disputing without a note is refused with the reason, and what was typed stays.
    page.get_by_label("Dispute").check()
    page.get_by_label("Rationale (shown in reports)").fill("Draft verdict")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Dispute needs a note saying why.")).to_be_visible()
    expect(page.get_by_label("Rationale (shown in reports)")).to_have_value("Draft verdict")
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.SOURCED


def test_anonymous_visitor_is_sent_to_login(page, roles):
    page.goto("/claims/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/claims/"))
    expect(page.get_by_role("heading", name="Log in to Newsdesk")).to_be_visible()


def test_reviewer_is_refused_the_admin(page, reviewer):
    log_in(page, "rui")
    page.goto("/admin/")
    expect(page.get_by_text("You are authenticated as rui, but are not authorized")).to_be_visible()


XSS = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'


def test_hostile_text_stays_inert_on_the_article_and_claim_pages(page, reviewer):
    body = f"Officials said {XSS} five convoys were hit. Javascript: alert(3)."
    article = ArticleFactory(title=f"Title {XSS}", outlet=XSS, body=body)
    start = article.body.index("<img")
    end = article.body.index("five convoys")
    claim = ClaimFactory(
        article=article,
        start=start,
        end=end,
        text=article.body[start:end],
        attributed_to=XSS,
        rationale=XSS,
    )
    SourceFactory(claim=claim, title=XSS, excerpt=XSS, publisher=XSS)
    log_in(page, "rui")
    for url in (
        f"/articles/{article.pk}/",
        f"/claims/{claim.pk}/",
        "/claims/",
        "/claims/report/?status=unverified",
    ):
        page.goto(url)
        expect(page.get_by_text("window.__xss = 1").first).to_be_visible()  # shown as text
        assert page.evaluate("window.__xss") is None
