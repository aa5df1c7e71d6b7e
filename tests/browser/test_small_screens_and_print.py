"""What a person sees on a phone, on paper and in the admin: the queue reflows at 320 and
375 px, the printed report keeps each article's heading with its first claim, and the
admin's claim list fits a 1280 px screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from claims.models import ClaimStatus
from tests.browser.conftest import log_in
from tests.factories import ArticleFactory, ClaimFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.browser

LONG_TITLE = (
    "Ministry of Transport says convoys on the northern supply route were attacked "
    "repeatedly during the weekend, according to officials"
)
LONG_QUOTE = (
    "A number of military advisors from the coalition's Spanish forces were allegedly "
    "injured when five convoys came under attack on the northern route near the bridge"
)

WIDTH = "document.documentElement.scrollWidth"


def long_claims(n: int, **extra) -> list:
    body = "\n\n".join(f"{LONG_QUOTE} ({i})." for i in range(n))
    article = ArticleFactory(title=LONG_TITLE, outlet="Northern Regional Broadcasting", body=body)
    claims = []
    for i in range(n):
        text = f"{LONG_QUOTE} ({i})."
        start = body.index(text)
        claims.append(
            ClaimFactory(
                article=article,
                start=start,
                end=start + len(text),
                text=text,
                attributed_to="Spokesperson for the Ministry of Transport",
                **extra,
            )
        )
    return claims


@pytest.mark.parametrize("width", [320, 375])
def test_the_queue_reflows_on_a_phone_and_shows_claims_on_the_first_screen(
    page, reviewer, reviewer2, width
):
    claims = long_claims(3)
    claims[1].assignee = reviewer2
    claims[1].save()
    SourceFactory(claim=claims[0])
    page.set_viewport_size({"width": width, "height": 700})
    log_in(page, "rui")
    page.goto("/claims/")
    # Nothing sits beyond the right edge: the page itself never scrolls sideways.
    assert page.evaluate(WIDTH) <= width
    rows = page.locator(".nd-queue tbody tr")
    expect(rows).to_have_count(3)
    # The filters start folded away, so the first claim is on the first screen.
    link = rows.first.get_by_role("link", name=re.compile(r"^#\d+ "))
    box = link.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= 700, box
    # Every value of every claim is on screen, each labelled with what it is.
    outside = page.evaluate(
        """(width) => Array.from(document.querySelectorAll('.nd-queue tbody td'))
            .map((td) => [td.textContent.trim().slice(0, 30), td.getBoundingClientRect()])
            .filter(([, r]) => r.width > 0 && (r.left < 0 || r.right > width))
            .map(([text]) => text)""",
        width,
    )
    assert outside == []
    expect(rows.nth(1).locator("[data-label='Assignee']")).to_contain_text("rania")
    expect(
        rows.first.get_by_role("button", name=re.compile("Assign claim .* to me"))
    ).to_be_visible()
    label = rows.first.locator("[data-label='Sources']").evaluate(
        "td => getComputedStyle(td, '::before').content"
    )
    assert label == '"Sources: "'
    expect(rows.first.locator("[data-label='Status changed'] time")).to_be_visible()

    # The filters are one tap away, and still work.
    filters = page.locator("details.nd-filter-panel")
    expect(filters).not_to_have_attribute("open", "")
    expect(page.get_by_label("Text contains")).to_be_hidden()
    filters.locator("summary").click()
    page.get_by_label("Text contains").fill("(1)")
    page.get_by_role("button", name="Apply filters").click()
    expect(rows).to_have_count(1)
    page.wait_for_load_state()  # measured with the stylesheets applied
    assert page.evaluate(WIDTH) <= width


def test_the_queue_filters_are_open_on_a_wide_screen(page, reviewer):
    long_claims(1)
    log_in(page, "rui")
    page.goto("/claims/")
    expect(page.get_by_label("Text contains")).to_be_visible()
    expect(page.locator(".nd-queue thead")).to_be_visible()
    assert page.evaluate(WIDTH) <= 1280


@pytest.mark.parametrize("width", [320, 375])
def test_a_claim_page_with_several_sources_fits_a_phone(page, reviewer, width):
    (claim,) = long_claims(1, status=ClaimStatus.SOURCED)
    for n in range(3):
        SourceFactory(
            claim=claim,
            publisher=f"Northern Regional Broadcasting Corporation {n}",
            title="Convoys on the northern route were attacked, the ministry said",
        )
    page.set_viewport_size({"width": width, "height": 700})
    log_in(page, "rui")
    page.goto(f"/claims/{claim.pk}/")
    boxes = page.get_by_placeholder("Why remove it? (optional)")
    expect(boxes).to_have_count(3)
    page.wait_for_load_state()
    assert page.evaluate(WIDTH) <= width
    # Each source's box and button sit inside its card, and can be used there.
    for card in page.locator("article.nd-source").all():
        edge = card.bounding_box()
        for part in (
            card.get_by_placeholder("Why remove it? (optional)"),
            card.get_by_role("button", name="Remove"),
        ):
            box = part.bounding_box()
            assert box["x"] >= edge["x"]
            assert box["x"] + box["width"] <= edge["x"] + edge["width"]
            assert box["width"] >= 44
            assert box["height"] >= 24
    boxes.first.fill("A duplicate of the wire copy")
    page.get_by_role("button", name="Remove").first.click()
    expect(page.get_by_text("removed.")).to_be_visible()
    expect(page.get_by_placeholder("Why remove it? (optional)")).to_have_count(2)


# --- the printed report ----------------------------------------------------------------

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
_DEST = re.compile(rb"/Dest \[(\d+) 0 R /XYZ [-\d.]+ ([-\d.]+)")


def _pdf_string(raw: bytes) -> str:
    if raw.startswith(b"<"):
        data = bytes.fromhex(raw[1:-1].decode())
        return data[2:].decode("utf-16-be") if data.startswith(b"\xfe\xff") else data.decode()
    text = raw[1:-1]
    return re.sub(rb"\\(.)", rb"\1", text).decode("latin-1")


def pdf_outline(pdf: bytes) -> list[dict]:
    """The PDF's bookmarks (Chromium makes one per heading), each with the page it lands on
    and its children, read from the uncompressed outline objects Chromium writes."""
    objects = {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(pdf)}

    def leaves(number: int) -> list[int]:
        body = objects[number]
        if not re.search(rb"/Type /Pages\b", body):
            return [number]
        kids = re.search(rb"/Kids \[(.*?)\]", body, re.S)[1]
        return [page for kid in re.findall(rb"(\d+) 0 R", kids) for page in leaves(int(kid))]

    catalog = next(b for b in objects.values() if re.search(rb"/Type /Catalog\b", b))
    order = leaves(int(re.search(rb"/Pages (\d+) 0 R", catalog)[1]))
    assert len(order) == pdf_page_count(pdf)

    def item(number: int) -> dict:
        body = objects[number]
        title = re.search(rb"/Title (\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f]*>)", body)
        dest = _DEST.search(body)
        first = re.search(rb"/First (\d+) 0 R", body)
        children = []
        child = int(first[1]) if first else None
        while child is not None:
            children.append(item(child))
            following = re.search(rb"/Next (\d+) 0 R", objects[child])
            child = int(following[1]) if following else None
        return {
            "title": _pdf_string(title[1]) if title else "",
            "page": order.index(int(dest[1])) + 1 if dest else None,
            "children": children,
        }

    root = next(n for n, b in objects.items() if re.search(rb"/Type /Outlines\b", b))
    return item(root)["children"]


def walk(items: list[dict]):
    for entry in items:
        yield entry
        yield from walk(entry["children"])


def pdf_page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", pdf))


def test_the_printed_report_keeps_each_article_heading_with_its_first_claim(page, reviewer):
    # Articles of different lengths, so headings fall at every height of a page.
    for n in range(1, 31):
        article = ArticleFactory(
            title=f"Report {n:02d}: convoys on the northern route",
            outlet="Wire",
            body="\n\n".join(f"Sentence {i} of article {n} about the convoys." for i in range(4)),
        )
        for i in range(1 + n % 4):
            text = f"Sentence {i} of article {n} about the convoys."
            start = article.body.index(text)
            claim = ClaimFactory(
                article=article,
                start=start,
                end=start + len(text),
                text=text,
                status=ClaimStatus.SOURCED,
                rationale="Two wires report it; the ministry has not answered. " * (1 + i % 3),
            )
            SourceFactory(claim=claim)
    log_in(page, "rui")
    page.goto("/claims/report/")
    page.emulate_media(media="print")
    heading = page.locator(".nd-report-article h2").first
    assert heading.evaluate("h => getComputedStyle(h).breakAfter") == "avoid"
    # Chromium bookmarks every heading (with `tagged`) at the page it lands on.
    pdf = page.pdf(format="A4", outline=True, tagged=True, print_background=True)
    assert pdf_page_count(pdf) >= 3
    articles = [e for e in walk(pdf_outline(pdf)) if e["title"].startswith("Report ")]
    assert len(articles) == 30
    stranded = [(e["title"], e["page"]) for e in articles if e["children"][0]["page"] != e["page"]]
    assert stranded == []


# --- the admin -------------------------------------------------------------------------


def test_the_admin_claim_list_fits_a_1280_px_screen(page, roles):
    UserFactory(username="ada", is_staff=True, is_superuser=True)
    long_claims(5, assignee=UserFactory(username="a-reviewer-with-a-long-username"))
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, "ada")
    page.goto("/admin/claims/claim/")
    expect(page.locator("#result_list tbody tr")).to_have_count(5)
    expect(page.locator("#nav-sidebar")).to_be_visible()
    assert page.evaluate(WIDTH) <= 1280
    # The list scrolls sideways inside its own box when it is too wide: it must not.
    results = page.locator("#changelist-form .results")
    assert results.evaluate("r => r.scrollWidth <= r.clientWidth"), results.evaluate(
        "r => [r.scrollWidth, r.clientWidth]"
    )
    last = page.locator("#result_list thead th").last.bounding_box()
    assert last["x"] + last["width"] <= 1280
    # The full title is still there for anyone who hovers or reads it out.
    cell = page.locator("#result_list td.field-article_title").first
    expect(cell).to_contain_text("Ministry of Transport")
