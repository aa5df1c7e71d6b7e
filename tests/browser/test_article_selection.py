"""An Editor on a long article: what judging a suggestion did is said where the page lands,
and a selection that runs over several paragraphs is not made a claim without asking."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from claims.models import Claim
from tests.browser.conftest import log_in
from tests.factories import ArticleFactory

pytestmark = pytest.mark.browser

PARAGRAPHS = [
    f"About {n + 12} trucks were turned back at checkpoint {n + 1} since Friday, a general said."
    for n in range(24)
]


# Bootstrap scrolls smoothly to a fragment: wait until the page stands still.
SCROLLED = """() => new Promise((resolve) => {
  let last = -1, still = 0;
  const tick = () => {
    const y = window.scrollY;
    if (y === last && ++still > 10) return resolve(y);
    if (y !== last) { last = y; still = 0; }
    requestAnimationFrame(tick);
  };
  tick();
})"""


def landed(page) -> int:
    page.wait_for_load_state()
    return page.evaluate(SCROLLED)


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= size["height"]
        and box["x"] >= 0
        and box["x"] + box["width"] <= size["width"]
    )


@pytest.mark.parametrize("width", [1280, 375])
def test_after_judging_a_suggestion_its_confirmation_is_where_the_page_lands(page, editor, width):
    article = ArticleFactory(title="Trucks turned back", body="\n\n".join(PARAGRAPHS))
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, "elena")
    page.goto(f"/articles/{article.pk}/")
    page.get_by_role("button", name=f"Accept: {PARAGRAPHS[3][:40]}").click()
    claim = Claim.objects.get(article=article)
    said = page.get_by_role("status").get_by_text(f"Claim #{claim.pk} created from the suggestion.")
    expect(said).to_be_visible()
    assert landed(page) > 0  # the page did land lower down
    assert in_viewport(page, said)
    # A screen reader starts reading there too.
    assert page.evaluate("document.activeElement.id") == "suggestions-said"
    # Said once, not also at the top of the page.
    expect(page.get_by_text(f"Claim #{claim.pk} created from the suggestion.")).to_have_count(1)

    page.get_by_role("button", name=f"Dismiss: {PARAGRAPHS[5][:40]}").click()
    said = page.get_by_role("status").get_by_text("It will not be suggested again.")
    expect(said).to_be_visible()
    landed(page)
    assert in_viewport(page, said)


# Selects from the start of one phrase to the end of another, across paragraphs if they
# stand in different ones, with a real DOM Range as a mouse drag would.
SELECT_FROM_TO = """([first, last]) => {
  const article = document.querySelector(".nd-article");
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let started = false;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!started && node.data.includes(first)) {
      range.setStart(node, node.data.indexOf(first));
      started = true;
    }
    if (started && node.data.includes(last)) {
      range.setEnd(node, node.data.indexOf(last) + last.length);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
      return true;
    }
  }
  return false;
}"""


def test_a_selection_over_several_paragraphs_is_shown_and_confirmed_first(page, editor):
    article = ArticleFactory(title="Trucks turned back", body="\n\n".join(PARAGRAPHS[:5]))
    log_in(page, "elena")
    page.goto(f"/articles/{article.pk}/")
    make_claim = page.get_by_role("button", name="Make a claim from the selection")
    add_claim = page.locator("details#add-claim")
    warning = page.get_by_role("alertdialog", name="This selection runs over 3 paragraphs.")

    # A drag that overshoots from the second paragraph into the fourth.
    assert page.evaluate(
        SELECT_FROM_TO, ["trucks were turned back at checkpoint 2", "checkpoint 4"]
    )
    make_claim.click()
    expect(warning).to_be_visible()
    selected = warning.locator("blockquote")
    expect(selected).to_contain_text(PARAGRAPHS[2])
    assert selected.inner_text().startswith("trucks were turned back at checkpoint 2")
    assert selected.inner_text().endswith("checkpoint 4")
    expect(warning.get_by_role("button", name="Adjust the selection")).to_be_focused()
    # Nothing was put in the form yet.
    expect(add_claim).not_to_have_attribute("open", "")
    expect(add_claim.locator("[name=quote]")).to_have_value("")

    # Adjusting: the warning goes, and a selection within one paragraph needs no question.
    warning.get_by_role("button", name="Adjust the selection").click()
    expect(warning).to_be_hidden()
    expect(make_claim).to_be_focused()
    assert page.evaluate(SELECT_FROM_TO, ["About 14 trucks", "checkpoint 3"])
    make_claim.click()
    expect(warning).to_be_hidden()
    expect(add_claim.locator("[name=quote]")).to_have_value(
        "About 14 trucks were turned back at checkpoint 3"
    )

    # Confirming: the words go into the form as they are, and the claim is made.
    assert page.evaluate(
        SELECT_FROM_TO, ["trucks were turned back at checkpoint 2", "checkpoint 4"]
    )
    make_claim.click()
    expect(warning).to_be_visible()
    warning.get_by_role("button", name="Make one claim of it").click()
    expect(warning).to_be_hidden()
    quote = article.body[
        article.body.index("trucks were turned back at checkpoint 2") : article.body.index(
            "checkpoint 4"
        )
        + len("checkpoint 4")
    ]
    expect(add_claim.locator("[name=quote]")).to_have_value(quote)
    add_claim.get_by_role("button", name="Create claim").click()
    claim = Claim.objects.get(article=article, text=quote)
    expect(page.get_by_role("status").get_by_text(f"Claim #{claim.pk} created.")).to_be_visible()
    assert claim.text.count("\n\n") == 2


def test_without_javascript_a_quote_over_several_paragraphs_asks_for_a_tick(
    browser, live_server, editor
):
    article = ArticleFactory(title="Trucks turned back", body="\n\n".join(PARAGRAPHS[:3]))
    quote = "\n\n".join(PARAGRAPHS[:2])
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, "elena")
        page.goto(f"/articles/{article.pk}/")
        page.get_by_text("Add a claim").click()
        page.get_by_label("Quote").fill(quote)
        page.get_by_role("button", name="Create claim").click()
        expect(page.get_by_text("This quote runs over 2 paragraphs.")).to_be_visible()
        assert not Claim.objects.filter(article=article).exists()
        # What was typed is kept; one tick makes the claim.
        expect(page.get_by_label("Quote")).to_have_value(quote)
        page.get_by_label("Yes, make one claim of all 2 paragraphs").check()
        page.get_by_role("button", name="Create claim").click()
        claim = Claim.objects.get(article=article)
        expect(page.get_by_text(f"Claim #{claim.pk} created.")).to_be_visible()
        assert claim.text == quote
    finally:
        context.close()


def test_a_selection_made_before_someone_else_edited_the_article_is_not_misplaced(page, editor):
    from articles.services import article_update
    from tests.factories import editor_factory

    article = ArticleFactory(title="Trucks turned back", body="\n\n".join(PARAGRAPHS[:4]))
    log_in(page, "elena")
    page.goto(f"/articles/{article.pk}/")
    assert page.evaluate(SELECT_FROM_TO, ["About 14 trucks", "checkpoint 3"])
    page.get_by_role("button", name="Make a claim from the selection").click()
    add_claim = page.locator("details#add-claim")
    expect(add_claim.locator("[name=quote]")).to_have_value(
        "About 14 trucks were turned back at checkpoint 3"
    )
    # Meanwhile a colleague adds a paragraph on top: every offset on this page is now off.
    article_update(
        article=article,
        by=editor_factory(username="eve"),
        expected_version=article.version,
        body="Update: the route reopened on Monday.\n\n" + article.body,
        title=article.title,
    )
    add_claim.get_by_role("button", name="Create claim").click()
    said = add_claim.locator(".alert").filter(has_text="The article was changed after you opened")
    expect(said).to_be_visible()
    expect(said).to_contain_text("eve saved it at")
    expect(said).to_contain_text("select the words again")
    expect(page.get_by_text("does not stand at this offset")).to_have_count(0)
    assert not Claim.objects.filter(article=article).exists()

    # The page now shows the article as it is: selecting again makes the claim there.
    expect(page.locator(".nd-article")).to_contain_text("Update: the route reopened")
    assert page.evaluate(SELECT_FROM_TO, ["About 14 trucks", "checkpoint 3"])
    page.get_by_role("button", name="Make a claim from the selection").click()
    add_claim.get_by_role("button", name="Create claim").click()
    claim = Claim.objects.get(article=article)
    expect(page.get_by_role("status").get_by_text(f"Claim #{claim.pk} created.")).to_be_visible()
    article.refresh_from_db()
    assert article.body[claim.start : claim.end] == claim.text
    assert claim.text == "About 14 trucks were turned back at checkpoint 3"
