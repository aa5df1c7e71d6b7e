"""A quote that runs over a paragraph break becomes a claim only once the Editor says so:
most often it is a selection that overshot."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.forms import ClaimForm
from claims.highlight import paragraph_count
from claims.models import Claim
from tests.factories import SENTENCES, ClaimFactory

TWO = f"{SENTENCES[0]}\n\n{SENTENCES[1]}"


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("one line", 1),
        ("one line\nand the next, in the same paragraph", 1),
        ("one\n\ntwo", 2),
        ("one\n\n\n\ntwo\n\nthree", 3),
        ("", 0),
    ],
)
def test_paragraphs_are_counted_as_the_page_draws_them(text, count):
    assert paragraph_count(text) == count


def test_a_quote_over_two_paragraphs_is_refused_until_confirmed(client, editor, article):
    client.force_login(editor)
    url = reverse("articles:add_claim", args=[article.pk])
    response = client.post(url, {"quote": TWO})
    assert response.status_code == 400
    page = response.content.decode()
    assert "This quote runs over 2 paragraphs." in page
    assert 'type="checkbox" name="spans_paragraphs"' in page
    assert "Yes, make one claim of all 2 paragraphs" in page
    assert not Claim.objects.exists()

    response = client.post(url, {"quote": TWO, "spans_paragraphs": "on"})
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert claim.text == TWO


def test_a_quote_within_one_paragraph_needs_no_confirmation(client, editor, article):
    client.force_login(editor)
    response = client.post(
        reverse("articles:add_claim", args=[article.pk]), {"quote": SENTENCES[2]}
    )
    assert response.status_code == 302
    page = client.get(reverse("articles:detail", args=[article.pk])).content.decode()
    # The confirmation waits, hidden, for the selection script.
    assert 'type="hidden" name="spans_paragraphs"' in page
    assert 'type="checkbox" name="spans_paragraphs"' not in page


def test_editing_keeps_a_confirmed_span_and_asks_for_a_new_one(article):
    start = article.body.index(SENTENCES[0])
    spanning = ClaimFactory(article=article, start=start, end=start + len(TWO), text=TWO)
    unchanged = {"quote": TWO, "start": start, "expected_version": spanning.version}
    assert ClaimForm(unchanged, article=article, claim=spanning).is_valid()

    other = ClaimFactory(article=article, sentence=2)
    wider = f"{SENTENCES[2]}\n\n{SENTENCES[3]}"
    form = ClaimForm(
        {"quote": wider, "expected_version": other.version}, article=article, claim=other
    )
    assert not form.is_valid()
    assert form.errors["spans_paragraphs"] == [
        "This quote runs over 2 paragraphs. A claim is usually one statement: shorten the "
        "quote, or tick the box to keep it as one claim."
    ]
    confirmed = {"quote": wider, "expected_version": other.version, "spans_paragraphs": "on"}
    assert ClaimForm(confirmed, article=article, claim=other).is_valid()
