"""An Editor imports articles in the browser, turns suggestions and a selection into claims,
then edits the text and sees each claim follow its words (or lose them)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from claims.models import Claim, ClaimOrigin, ClaimStatus
from suggestions.scorer import THRESHOLD
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

TITLE = "Bridge closed after flood damage"
CRACKS = "Engineers found 14 cracks in the Harbour Bridge after Tuesday's flood, officials said."
INSPECTIONS = (
    "The contractor allegedly skipped two safety inspections in 2023, "
    "according to the city council."
)
TRAFFIC = (
    "Traffic on the river road rose by 30 percent while the bridge was shut, "
    "the transport office said."
)
QUESTION = "Was the bridge ever safe for heavy trucks?"
PROMISE = "The mayor promised to reopen the bridge by next spring."
RESIDENTS = "Residents said traffic on the river road was the worst they had seen."
# Stands in TRAFFIC and again in RESIDENTS: the claim is made from the second one.
PHRASE = "on the river road"

STORY_HTML = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{TITLE}</title></head>
<body>
  <nav><a href="/">Home</a> <a href="/world">World news menu</a></nav>
  <article>
    <h1>{TITLE}</h1>
    {"".join(f"<p>{s}</p>" for s in (CRACKS, INSPECTIONS, TRAFFIC, QUESTION, PROMISE, RESIDENTS))}
  </article>
  <footer>Copyright Example Gazette. All rights reserved.</footer>
</body></html>"""

# Finds the n-th occurrence of a phrase in the article's text nodes and selects it with a
# real DOM Range, as a mouse drag would.
SELECT_NTH = """([phrase, n]) => {
  const article = document.querySelector(".nd-article");
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  let seen = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let at = node.data.indexOf(phrase); at !== -1; at = node.data.indexOf(phrase, at + 1)) {
      if (++seen === n) {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + phrase.length);
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
        return true;
      }
    }
  }
  return false;
}"""

PORT_TITLE = "Cranes collapse in port storm"
CRANES = "The port authority said three cranes collapsed during the storm on Monday."
WORKERS = "Four workers were injured and taken to the city hospital, police said."
SHIPPING = "Shipping was suspended for 12 hours, the harbour master announced."
UNION = "A union spokesman said the cranes had not been inspected since 2019."
INSURERS = "Insurers sent assessors to the docks on Tuesday."


def message(page, text: str):
    return page.locator("[role=status] .alert", has_text=text)


def open_import_page(page) -> None:
    page.get_by_role("link", name="Articles", exact=True).click()
    page.get_by_role("link", name="Import an article").click()
    expect(page.get_by_role("heading", name="Import an article")).to_be_visible()


def claim_label(page, claim: Claim, status: str):
    """The '#id Status' link that opens a claim's highlight in the article text."""
    return page.locator(".nd-article").get_by_role("link", name=f"Claim {claim.pk}, {status}")


def test_editor_imports_a_web_page_and_makes_claims_from_suggestions_and_a_selection(page, editor):
    log_in(page, "elena")
    open_import_page(page)
    page.get_by_label("…or upload a file").set_input_files(
        files=[{"name": "story.html", "mimeType": "text/html", "buffer": STORY_HTML.encode()}]
    )
    page.get_by_role("button", name="Import").click()

    # The page's headline became the title; the menu and footer were left out.
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(message(page, f"Imported “{TITLE}”.")).to_be_visible()
    text = page.locator(".nd-article")
    expect(text).to_contain_text(CRACKS)
    expect(text).to_contain_text(RESIDENTS)
    expect(text).not_to_contain_text("World news menu")
    expect(text).not_to_contain_text("Copyright Example Gazette")
    article = Article.objects.get(title=TITLE)
    assert "World news menu" not in article.body
    assert "Copyright" not in article.body

    # Four sentences are worth checking, each with its reasons; the question and the
    # promise about next spring are not suggested.
    suggestions = page.locator("#suggestions")
    expect(suggestions.get_by_role("heading")).to_have_text("Suggested claims (4)")
    items = suggestions.locator(".nd-suggestions > li")
    expect(items).to_have_count(4)
    expect(items.filter(has_text=CRACKS)).to_contain_text("gives a number: “14”")
    expect(items.filter(has_text=INSPECTIONS)).to_contain_text("hedged: “allegedly”")
    expect(items.filter(has_text=TRAFFIC)).to_contain_text("Attributed to: transport office")
    expect(suggestions).not_to_contain_text(QUESTION)
    expect(suggestions).not_to_contain_text(PROMISE)

    # Accept one: it becomes an unverified claim, highlighted in the text.
    page.get_by_role("button", name="Accept: Engineers found 14 cracks").click()
    cracks = Claim.objects.get(article=article, text=CRACKS)
    expect(message(page, f"Claim #{cracks.pk} created from the suggestion.")).to_be_visible()
    expect(text.locator("mark.nd-claim", has_text=CRACKS)).to_have_count(1)
    expect(claim_label(page, cracks, "Unverified")).to_have_text(f"#{cracks.pk} Unverified")
    expect(suggestions.get_by_role("heading")).to_have_text("Suggested claims (3)")

    # Dismiss one: it is listed as dismissed and no longer offered.
    page.get_by_role("button", name="Dismiss: Residents said traffic").click()
    expect(message(page, f"Dismissed: “{RESIDENTS}”")).to_be_visible()
    dismissed = suggestions.locator("details", has_text="Dismissed (1)")
    dismissed.get_by_text("Dismissed (1)").click()
    expect(dismissed).to_contain_text(RESIDENTS)
    expect(items).to_have_count(2)

    # Accept all at the default score takes the other two.
    default = f"{THRESHOLD:.1f}"
    expect(page.get_by_label("Accept every suggestion scored at least")).to_have_value(default)
    page.get_by_role("button", name="Accept all").click()
    accepted = f"2 claims created from suggestions scored {default} or more."
    expect(message(page, accepted)).to_be_visible()
    expect(page.get_by_role("heading", name="Claims (3)")).to_be_visible()
    expect(suggestions.get_by_role("heading")).to_have_text("Suggested claims (0)")
    expect(text.locator("mark.nd-claim")).to_have_count(3)
    claims = Claim.objects.filter(article=article)
    assert sorted(claims.values_list("text", flat=True)) == sorted([CRACKS, INSPECTIONS, TRAFFIC])
    assert {c.origin for c in claims} == {ClaimOrigin.SUGGESTED}

    # A claim by selection, from the second of the two places the phrase stands: the first
    # is inside the traffic claim, the second in the dismissed sentence.
    assert article.body.count(PHRASE) == 2
    second = article.body.index(PHRASE, article.body.index(PHRASE) + 1)
    make_claim = page.get_by_role("button", name="Make a claim from the selection")
    expect(make_claim).to_be_disabled()
    assert page.evaluate(SELECT_NTH, [PHRASE, 2])
    expect(make_claim).to_be_enabled()
    make_claim.click()
    add_claim = page.locator("details#add-claim")
    expect(add_claim).to_have_attribute("open", "")
    expect(add_claim.locator("[name=quote]")).to_have_value(PHRASE)
    expect(add_claim.locator("input[name=start]")).to_have_value(str(second))
    add_claim.get_by_role("button", name="Create claim").click()

    manual = Claim.objects.get(article=article, origin=ClaimOrigin.MANUAL)
    expect(message(page, f"Claim #{manual.pk} created.")).to_be_visible()
    assert (manual.start, manual.end) == (second, second + len(PHRASE))
    assert manual.text == PHRASE
    expect(page.get_by_role("heading", name="Claims (4)")).to_be_visible()
    expect(claim_label(page, manual, "Unverified")).to_be_visible()
    # The new highlight is inside the residents' sentence, not the traffic one.
    expect(text.locator("p", has_text=RESIDENTS[:20]).locator("mark.nd-claim")).to_have_text(PHRASE)


def test_editor_imports_pasted_text_and_claims_follow_an_edit(page, editor):
    log_in(page, "elena")
    open_import_page(page)
    page.get_by_label("Paste the article text").fill(
        "\n\n".join([CRANES, WORKERS, SHIPPING, UNION])
    )
    page.get_by_label("Title").fill(PORT_TITLE)
    page.get_by_label("Create claims from every suggestion above the threshold").check()
    page.get_by_role("button", name="Import").click()

    expect(
        message(page, f"Imported “{PORT_TITLE}” and made 4 claims from suggestions.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Claims (4)")).to_be_visible()
    article = Article.objects.get(title=PORT_TITLE)
    claims = {c.text: c for c in Claim.objects.filter(article=article)}
    assert set(claims) == {CRANES, WORKERS, SHIPPING, UNION}
    assert {c.origin for c in claims.values()} == {ClaimOrigin.SUGGESTED}
    workers, shipping, union = claims[WORKERS], claims[SHIPPING], claims[UNION]
    union_was_at = union.start

    # The claim whose words will change has been reviewed already.
    Claim.objects.filter(pk=workers.pk).update(status=ClaimStatus.SOURCED)
    page.reload()
    expect(claim_label(page, workers, "Sourced")).to_be_visible()

    # One sentence changes a word, one is deleted, and a new paragraph in its place moves
    # the last one.
    page.get_by_role("link", name="Edit the article").click()
    body = page.get_by_label("Text")
    expect(body).to_have_value(article.body)
    edited = "\n\n".join([CRANES, WORKERS.replace("Four", "Five"), INSURERS, UNION])
    body.fill(edited)
    page.get_by_role("button", name="Save").click()

    expect(
        page.locator(".nd-messages .alert-warning", has_text="1 moved, 1 changed, 1 orphaned")
    ).to_have_text("Article saved. Claims: 1 kept, 1 moved, 1 changed, 1 orphaned.")
    orphans = page.get_by_role("alert").filter(has_text="1 claim lost its place in the text")
    expect(orphans.get_by_role("listitem")).to_have_text(f"#{shipping.pk} “{SHIPPING}”")
    text = page.locator(".nd-article")
    expect(text).not_to_contain_text(SHIPPING)
    expect(page.locator(f"#claim-{shipping.pk}")).to_contain_text("Orphaned")

    # The changed claim took the new words and was reopened.
    changed = WORKERS.replace("Four", "Five")
    expect(text.locator("mark.nd-claim", has_text=changed)).to_have_count(1)
    expect(claim_label(page, workers, "Unverified")).to_be_visible()
    expect(page.locator(f"#claim-{workers.pk}")).to_contain_text(
        f"Unverified #{workers.pk} “{changed}”"
    )

    # The moved claim still highlights its own words, now after the new paragraph.
    expect(text.locator("mark.nd-claim", has_text=UNION)).to_have_count(1)
    expect(claim_label(page, union, "Unverified")).to_be_visible()

    article.refresh_from_db()
    assert article.body == edited
    workers.refresh_from_db()
    assert (workers.text, workers.status) == (changed, ClaimStatus.UNVERIFIED)
    assert article.body[workers.start : workers.end] == changed
    union.refresh_from_db()
    assert union.start == edited.index(UNION) != union_was_at
    assert article.body[union.start : union.end] == UNION
    shipping.refresh_from_db()
    assert shipping.orphaned
    assert not Claim.objects.get(pk=claims[CRANES].pk).orphaned

    # The queue flags the orphan too.
    page.get_by_role("link", name="Claim queue").click()
    row = page.locator("table.nd-queue tbody tr").filter(
        has=page.get_by_role("link", name=re.compile(rf"^#{shipping.pk} "))
    )
    expect(row).to_have_count(1)
    expect(row.locator(".badge.text-bg-danger")).to_have_text("Orphaned")
    others = page.locator("table.nd-queue tbody tr").filter(has_not_text=SHIPPING)
    expect(others.locator(".badge.text-bg-danger")).to_have_count(0)


def test_a_reviewer_reads_the_article_but_cannot_import_edit_or_judge_suggestions(page, reviewer):
    article = Article.objects.create(title=TITLE, body="\n\n".join((CRACKS, INSPECTIONS)))
    claim = Claim.objects.create(
        article=article, text=CRACKS, start=0, end=len(CRACKS), origin=ClaimOrigin.SUGGESTED
    )

    log_in(page, "rui")
    page.get_by_role("link", name="Articles").click()
    expect(page.get_by_role("link", name="Import an article")).to_have_count(0)
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.locator(".nd-article mark.nd-claim")).to_have_count(1)
    expect(page.get_by_role("link", name=f"Claim {claim.pk}, Unverified")).to_be_visible()
    # Suggestions, selection and editing are an Editor's: none of it is offered.
    expect(page.get_by_role("heading", name=re.compile("Suggested claims"))).to_have_count(0)
    expect(page.locator(".nd-suggestion")).to_have_count(0)
    expect(page.get_by_role("button", name="Make a claim from the selection")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit the article")).to_have_count(0)

    for path in ("/articles/import/", f"/articles/{article.pk}/edit/"):
        response = page.goto(path)
        assert response.status == 403
        expect(page.get_by_text("You need the Editor role")).to_be_visible()


def test_a_visitor_who_is_not_logged_in_is_sent_to_login(page, roles):
    article = Article.objects.create(title=TITLE, body=CRACKS)
    for path in ("/articles/import/", f"/articles/{article.pk}/edit/", f"/articles/{article.pk}/"):
        page.goto(path)
        expect(page).to_have_url(re.compile(r"/login/\?next="))
        expect(page.get_by_label("Username")).to_be_visible()


def test_importing_an_article_twice_names_the_first_and_asks_before_importing(page, editor):
    text = "\n\n".join([CRANES, WORKERS, SHIPPING])
    log_in(page, "elena")
    open_import_page(page)
    page.get_by_label("Paste the article text").fill(text)
    page.get_by_label("Title").fill(PORT_TITLE)
    page.get_by_label("URL").fill("https://port.example/cranes")
    page.get_by_role("button", name="Import").click()
    expect(message(page, f"Imported “{PORT_TITLE}”.")).to_be_visible()
    first = Article.objects.get()

    # The same story again, from the same link in other dress and with a new title.
    page.goto("/articles/import/")
    page.get_by_label("Paste the article text").fill(text)
    page.get_by_label("Title").fill("Port cranes fall")
    page.get_by_label("URL").fill("http://www.port.example/cranes/?utm_source=rss")
    page.get_by_role("button", name="Import").click()

    warning = page.get_by_role("region", name="This article is in Newsdesk already")
    expect(warning).to_contain_text(f"{PORT_TITLE}, imported")
    expect(warning).to_contain_text("by elena: same address and text.")
    expect(warning).to_contain_text("Nothing was imported.")
    assert Article.objects.count() == 1
    # What was typed is still there, to import after all.
    expect(page.get_by_label("Title")).to_have_value("Port cranes fall")
    expect(page.get_by_label("Paste the article text")).to_have_value(text)

    expect(warning.get_by_role("link", name=PORT_TITLE)).to_have_attribute(
        "href", f"/articles/{first.pk}/"
    )

    page.get_by_label("Import it anyway, as another article").check()
    page.get_by_role("button", name="Import").click()
    expect(message(page, "Imported “Port cranes fall”.")).to_be_visible()
    assert Article.objects.count() == 2
