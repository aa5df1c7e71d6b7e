"""A long article's page shows its text a part at a time, with that part's claims and
suggestions, while its progress counts every claim."""

from __future__ import annotations

import random
from itertools import pairwise

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.highlight import Segment, paragraphs, part_of, text_parts
from claims.models import Claim
from tests.factories import ArticleFactory

LINE = "Officials said {} trucks were hit near Karsk on Monday."


def long_article(paragraphs_count: int):
    body = "\n\n".join(LINE.format(n) for n in range(paragraphs_count))
    article = ArticleFactory(body=body)
    for n in range(paragraphs_count):
        text = LINE.format(n)
        start = body.index(text + ("\n" if n < paragraphs_count - 1 else ""))
        Claim.objects.create(
            article=article,
            text=text,
            start=start,
            end=start + len(text),
            status=("confirmed", "unverified")[n % 2],
        )
    return article


@pytest.mark.parametrize("size", [1, 7, 40, 200])
def test_parts_cover_the_text_once_and_end_at_paragraph_breaks_where_they_can(size):
    body = "One two.\n\nThree four five six seven.\n\n" + "x" * 90 + "\n\nEnd."
    parts = text_parts(body, size=size)
    assert parts[0][0] == 0
    assert parts[-1][1] == len(body)
    assert all(a[1] == b[0] and a[0] < a[1] for a, b in pairwise(parts))
    assert all(end - start <= size for start, end in parts)
    assert [part_of(parts, start) for start, _ in parts] == list(range(len(parts)))


def test_a_part_ends_after_a_blank_line_when_one_falls_within_it():
    body = "First paragraph.\n\nSecond paragraph, longer than the first."
    parts = text_parts(body, size=30)
    assert parts == [(0, 18), (18, 48), (48, len(body))]
    # A paragraph longer than a part is cut after a blank, not inside a word.
    assert [body[a:b] for a, b in parts][1:] == ["Second paragraph, longer than ", "the first."]


class Span:
    def __init__(self, pk, start, end):
        self.pk, self.start, self.end, self.status = pk, start, end, "unverified"


def naive(body, claims, part):
    """Each character's covering claims, as the segments say."""
    first, last = part
    covered = {}
    for segments in paragraphs(body, claims, part=part):
        for segment in segments:
            assert isinstance(segment, Segment)
            for i in range(segment.start, segment.start + len(segment.text)):
                covered[i] = [c.pk for c in segment.claims]
    expected = {
        i: [
            c.pk
            for c in sorted(claims, key=lambda c: (c.start, -c.end, c.pk))
            if c.start <= i < c.end
        ]
        for i in range(first, last)
        if body[i] != "\n"
    }
    return covered, expected


def test_segments_list_exactly_the_claims_covering_them_in_any_part():
    rng = random.Random(4)
    body = "\n\n".join(" ".join("word" for _ in range(rng.randint(1, 30))) for _ in range(30))
    claims = []
    for pk in range(200):
        start = rng.randrange(len(body) - 1)
        claims.append(Span(pk, start, rng.randint(start + 1, min(len(body), start + 300))))
    for part in [(0, len(body)), *text_parts(body, size=120)]:
        covered, expected = naive(body, claims, part)
        assert covered == expected


def queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_a_long_article_is_shown_a_part_at_a_time_with_every_claim_counted(
    client, editor, monkeypatch
):
    monkeypatch.setattr("claims.highlight.PART_CHARS", 600)
    article = long_article(40)
    parts = text_parts(article.body, size=600)
    assert len(parts) > 2
    client.force_login(editor)
    url = reverse("articles:detail", args=[article.pk])
    first_count, first = queries(client, url)
    assert "20 confirmed" in first
    assert "20 unverified" in first
    assert "Claims (40)" in first
    assert f"part 1 of {len(parts)}" in first
    shown = Claim.objects.filter(start__lt=parts[0][1]).order_by("start")
    assert first.count('class="nd-claim nd-hl-') == shown.count() + 5  # and the legend
    assert f'id="claim-{shown[0].pk}"' in first
    # The page holds only the part's text, for making a claim by selecting words.
    assert f'data-offset="{parts[0][0]}"' in first
    last = Claim.objects.order_by("-start").first()
    later_count, later = queries(client, f"{url}?at={last.start}")
    assert later_count == first_count
    assert f'id="claim-{last.pk}"' in later
    assert f'id="claim-{shown[0].pk}"' not in later
    assert f'data-offset="{parts[-1][0]}"' in later
    assert f"part {len(parts)} of {len(parts)}" in later
    assert text_of(queries(client, f"{url}?part={len(parts)}")[1]) == text_of(later)
    assert text_of(queries(client, f"{url}?part=x")[1]) == text_of(first)


def text_of(page: str) -> str:
    return page.split('class="nd-article"', 1)[1].split("</section>", 1)[0]


def test_find_in_the_whole_article_opens_the_part_that_holds_the_words(client, reviewer):
    filler = "\n\n".join(f"Paragraph {n} says nothing worth checking at all." for n in range(900))
    body = f"{filler}\n\nZeltmar counted 4,417 crates at the port.\n\n{filler}\n\nZELTMAR again.\n"
    article = ArticleFactory(body=body)
    parts = text_parts(article.body)
    url = reverse("articles:detail", args=[article.pk])
    client.force_login(reviewer)

    page = client.get(url, {"find": "zeltmar counted"}).content.decode()
    first = article.body.index("Zeltmar counted")
    number = part_of(parts, first) + 1
    assert number > 1
    assert f"Found “zeltmar counted” in part {number} (1 match in the article)" in page
    assert '<mark class="nd-found">Zeltmar counted</mark>' in page
    assert "Next match" not in page

    # Case aside, both places are found, and "Next match" walks from one to the other.
    page = client.get(url, {"find": "zeltmar"}).content.decode()
    assert "(2 matches in the article)" in page
    after_first = first + len("Zeltmar")
    assert f"from={after_first}#text" in page
    page = client.get(url, {"find": "zeltmar", "from": str(after_first)}).content.decode()
    second = article.body.index("ZELTMAR")
    assert f"in part {part_of(parts, second) + 1} (2 matches" in page
    # From the last one it wraps round to the first.
    page = client.get(url, {"find": "zeltmar", "from": str(second + 7)}).content.decode()
    assert f"in part {number} (2 matches" in page

    page = client.get(url, {"find": "no such words"}).content.decode()
    assert "“no such words” is not in the text." in page


def test_a_short_article_offers_no_find_of_its_own(client, reviewer):
    article = ArticleFactory()
    client.force_login(reviewer)
    page = client.get(reverse("articles:detail", args=[article.pk]), {"find": "x"})
    assert "Find in the whole article" not in page.content.decode()
