"""A long article, read a part at a time: find words anywhere in it, and follow a claim
from its page to its words in the text."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from claims.highlight import part_of, text_parts
from tests.browser.conftest import log_in
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.browser

QUOTE = "Zeltmar counted 4,417 crates at the northern port on Tuesday."


def long_article():
    filler = [f"Paragraph {n} of the wire copy says nothing new." for n in range(1200)]
    body = "\n\n".join([*filler, QUOTE, *filler[:50]])
    article = ArticleFactory(title="A very long wire story", body=body)
    start = article.body.index(QUOTE)
    # The factory takes the quote and its context from the offsets.
    claim = ClaimFactory(article=article, start=start, end=start + len(QUOTE))
    number = part_of(text_parts(article.body), start) + 1
    assert number > 2  # the words stand well past the first part
    return article, claim, number


@pytest.mark.parametrize("width", [1280, 375])
def test_find_in_the_whole_article_opens_the_part_holding_the_words(page, reviewer, width):
    article, _, number = long_article()
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, "rui")
    page.goto(f"/articles/{article.pk}/")
    parts = page.get_by_role("navigation", name="Parts of the text", exact=True)
    expect(parts.locator("[aria-current=page]")).to_have_text("1")

    page.get_by_role("searchbox", name="Find in the whole article").fill("4,417 CRATES")
    page.get_by_role("button", name="Find", exact=True).click()

    expect(page.get_by_role("status").filter(has_text="Found")).to_contain_text(
        f"Found “4,417 CRATES” in part {number} (1 match in the article)"
    )
    expect(parts.locator("[aria-current=page]")).to_have_text(str(number))
    expect(page.locator(".nd-article")).to_contain_text(QUOTE)
    # Nothing scrolls sideways, at a phone's width too.
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 375])
def test_a_claims_link_to_the_article_lands_on_its_words(page, reviewer, width):
    article, claim, number = long_article()
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, "rui")
    page.goto(f"/claims/{claim.pk}/")
    page.get_by_role("link", name="this claim in the article").click()
    page.wait_for_url(re.compile(rf"/articles/{article.pk}/\?at={claim.start}#at-claim-"))
    parts = page.get_by_role("navigation", name="Parts of the text", exact=True)
    expect(parts.locator("[aria-current=page]")).to_have_text(str(number))
    words = page.locator(f"#at-claim-{claim.pk}")
    expect(words).to_be_in_viewport()
    expect(words).to_have_accessible_name(f"Claim {claim.pk}, Unverified")
