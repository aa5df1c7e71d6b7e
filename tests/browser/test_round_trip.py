"""Every web form that edits something, opened in a real browser and saved untouched,
changes nothing in the database: what the page renders is what the server reads back.

The data is the awkward kind a newsroom has: a published date, curly quotes and accents,
a claim across a paragraph break, a quote that stands twice, an attribution stored with
trailing blanks, a rationale over several lines and a source with an access date.
"""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from articles.models import Article
from articles.services import article_import
from claims.models import Claim, ClaimStatus, Source, Stance
from tests.browser.conftest import log_in
from tests.snapshot import assert_unchanged, database_snapshot

pytestmark = pytest.mark.browser

TITLE = "Pont “Cœur” fermé — l\u2019inspection ratée"
LEDE = "Le pont a été fermé après «\u00a014 fissures\u00a0», a dit l\u2019ingénieure Zoë Ångström."
MIDDLE = "The contractor “skipped” two inspections in 2023, the council said."
TAIL = "Traffic rose 30 % on the river road."
REPEAT = "the council said"
RATIONALE = "Two wires agree.\nThe “council” minutes say so too."
# Pasted with Windows line ends and a line break inside a paragraph.
BODY = f"{LEDE}\r\n\r\n{MIDDLE} Later, {REPEAT} again.\r\nA second line.\r\n\r\n{TAIL}"


@pytest.fixture
def story(editor, reviewer, reviewer2):
    article = article_import(
        by=editor,
        title=TITLE,
        body=BODY,
        outlet="Le Journal du Nord",
        url="https://journal.example/actualités/pont?id=7",
        byline="Zoë Ångström",
        published_on=date(2021, 1, 23),
        language="fr",
    ).article
    body = article.body
    lede = Claim.objects.create(
        article=article,
        text=LEDE,
        start=0,
        end=len(LEDE),
        suffix=body[len(LEDE) : len(LEDE) + 32],
        attributed_to="Zoë Ångström",
        assignee=reviewer,
        status=ClaimStatus.SOURCED,
        rationale=RATIONALE,
    )
    # Stored before the services trimmed what they store: blanks an untouched form keeps.
    Article.objects.filter(pk=article.pk).update(byline="Zoë Ångström  ")
    Claim.objects.filter(pk=lede.pk).update(
        attributed_to="Zoë Ångström  ", rationale=f"{RATIONALE}\n  "
    )
    across = body.index("A second line.")
    spanning = Claim.objects.create(
        article=article,
        text=body[across : across + len("A second line.\n\nTraffic rose")],
        start=across,
        end=across + len("A second line.\n\nTraffic rose"),
        prefix=body[across - 32 : across],
        suffix=body[across + len("A second line.\n\nTraffic rose") :][:32],
    )
    second = body.rindex(REPEAT)
    repeated = Claim.objects.create(
        article=article,
        text=REPEAT,
        start=second,
        end=second + len(REPEAT),
        prefix=body[second - 32 : second],
        suffix=body[second + len(REPEAT) :][:32],
        attributed_to="The council",
    )
    Source.objects.create(
        claim=lede,
        url="https://wire.example/pont-cœur",
        title="Pont fermé",
        publisher="Wire “A”",
        excerpt="«\u00a014 fissures\u00a0»\nsur le pont.",
        stance=Stance.SUPPORTS,
        accessed_on=date(2021, 2, 3),
        added_by=reviewer2,
    )
    return {"article": article, "lede": lede, "spanning": spanning, "repeated": repeated}


def saved_untouched(page, button: str, said: str) -> None:
    """Press the form's button without touching a field; nothing may change."""
    before = database_snapshot()
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.locator(".nd-messages")).to_contain_text(said)
    assert_unchanged(before)


def test_saving_the_article_edit_page_untouched_changes_nothing(page, story):
    article = story["article"]
    log_in(page, "elena")
    page.goto(f"/articles/{article.pk}/edit/")
    # The date picker shows the date (an input it cannot read is shown empty, then saved so).
    expect(page.get_by_label("Published")).to_have_value("2021-01-23")
    expect(page.get_by_label("Article text")).to_have_value(article.body)
    saved_untouched(page, "Save", "Article saved. The text did not change.")
    article.refresh_from_db()
    assert article.published_on == date(2021, 1, 23)
    # The article's page still shows the date.
    expect(page.locator("main")).to_contain_text("23 Jan 2021")


@pytest.mark.parametrize("name", ["lede", "spanning", "repeated"])
def test_saving_a_claim_edit_page_untouched_changes_nothing(page, story, name):
    claim = story[name]
    log_in(page, "elena")
    page.goto(f"/claims/{claim.pk}/edit/")
    saved_untouched(page, "Save claim", f"Claim #{claim.pk} saved.")


def test_saving_a_decision_untouched_changes_nothing(page, story):
    claim = story["lede"]
    log_in(page, "rui")
    page.goto(f"/claims/{claim.pk}/")
    expect(page.get_by_label("Rationale (shown in reports)")).to_have_value(f"{RATIONALE}\n  ")
    saved_untouched(page, "Save", "Nothing changed.")


@pytest.mark.parametrize("name", ["lede", "spanning"])
def test_pressing_assign_untouched_changes_nothing(page, story, name):
    """The assignment form starts on the claim's own assignee, nobody included."""
    claim = story[name]
    log_in(page, "elena")
    page.goto(f"/claims/{claim.pk}/")
    # Rui, or "Nobody (unassign)": not the first reviewer in the list.
    expect(page.get_by_label("Assign to")).to_have_value(str(claim.assignee_id or "none"))
    before = database_snapshot()
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator(".nd-messages")).to_be_visible()
    assert_unchanged(before)


def test_sending_the_add_source_form_untouched_adds_nothing(page, story):
    claim = story["lede"]
    log_in(page, "rui")
    page.goto(f"/claims/{claim.pk}/")
    page.get_by_text("Add a source").click()
    before = database_snapshot()
    page.get_by_role("button", name="Add source").click()
    expect(page.locator("form[action$='/sources/'] .invalid-feedback").first).to_be_visible()
    assert_unchanged(before)
