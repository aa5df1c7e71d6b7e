from __future__ import annotations

from types import SimpleNamespace

from django.template import Context, Template

from claims.highlight import paragraphs, paragraphs_around


def span(pk, start, end, status="unverified"):
    return SimpleNamespace(pk=pk, start=start, end=end, status=status)


BODY = "Alpha beta gamma.\n\nDelta epsilon zeta."


def texts(result):
    return [[(s.text, [c.pk for c in s.claims]) for s in para] for para in result]


def test_plain_paragraphs_without_claims():
    assert texts(paragraphs(BODY, [])) == [
        [("Alpha beta gamma.", [])],
        [("Delta epsilon zeta.", [])],
    ]


def test_overlapping_claims_split_into_segments():
    result = paragraphs(BODY, [span(1, 0, 10), span(2, 6, 16)])
    assert texts(result)[0] == [
        ("Alpha ", [1]),
        ("beta", [1, 2]),
        (" gamma", [2]),
        (".", []),
    ]
    overlap = result[0][1]
    assert overlap.innermost.pk == 1  # both are 10 long; the lower id wins the colour
    assert [c.pk for c in result[0][1].opening] == [2]


def test_a_claim_across_paragraphs_is_cut_at_the_break_and_labelled_in_each():
    result = paragraphs(BODY, [span(1, 6, 25)])
    assert texts(result) == [
        [("Alpha ", []), ("beta gamma.", [1])],
        [("Delta ", [1]), ("epsilon zeta.", [])],
    ]
    assert [c.pk for c in result[1][0].opening] == [1]


def test_paragraphs_around_keeps_only_the_claims_paragraph():
    result = paragraphs_around(BODY, span(1, 19, 24))
    assert texts(result) == [[("Delta", [1]), (" epsilon zeta.", [])]]


def render(result, link=True):
    return Template("{% load newsdesk %}{% highlighted paragraphs link %}").render(
        Context({"paragraphs": result, "link": link})
    )


def test_rendered_text_is_escaped():
    body = 'He said <script>alert("x")</script> & left.'
    html = render(paragraphs(body, []))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; left." in html


def test_rendered_highlights_carry_status_as_text_and_class(db):
    html = render(paragraphs(BODY, [span(7, 0, 5, "confirmed")]))
    assert 'aria-label="Claim 7, Confirmed"' in html
    assert ">#7 Confirmed</a>" in html
    assert (
        '<mark class="nd-claim nd-hl-confirmed" title="#7 Confirmed" data-at="0">Alpha</mark>'
        in html
    )
