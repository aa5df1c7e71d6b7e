"""Rendering helpers: status badges, stacked progress bars and highlighted article text.

All markup is built with format_html, so every piece of article or user text is escaped.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from articles.text import word_changes
from claims.highlight import Segment
from claims.models import ClaimStatus

register = template.Library()

STATUS_ORDER = [
    ClaimStatus.CONFIRMED,
    ClaimStatus.SOURCED,
    ClaimStatus.DISPUTED,
    ClaimStatus.UNVERIFIED,
]


@register.simple_tag
def status_badge(status: str) -> SafeString:
    label = ClaimStatus(status).label
    return format_html('<span class="badge nd-badge nd-st-{}">{}</span>', status, label)


@register.simple_tag
def progress_bar(counts: dict[str, int]) -> SafeString:
    """A stacked bar of claims by status, with the numbers written out beside it.

    SVG rectangles take their widths as attributes, so no inline style is needed and a
    strict Content-Security-Policy (no inline styles) can apply to every page.
    """
    total = sum(counts.values())
    summary = ", ".join(f"{counts.get(s, 0)} {ClaimStatus(s).label.lower()}" for s in STATUS_ORDER)
    if not total:
        return mark_safe('<span class="text-body-secondary small">No claims yet</span>')
    rects, x = [], 0.0
    for status in STATUS_ORDER:
        n = counts.get(status, 0)
        if n:
            width = 100 * n / total
            rects.append((f"{x:.3f}", f"{width:.3f}", status))
            x += width
    bars = format_html_join(
        "", '<rect x="{}%" y="0" width="{}%" height="100%" class="nd-fill-{}"></rect>', rects
    )
    legend = format_html_join(
        " ",
        '<span class="nd-count"><span class="nd-dot nd-st-{}"></span>{} {}</span>',
        ((s, counts.get(s, 0), ClaimStatus(s).label.lower()) for s in STATUS_ORDER),
    )
    return format_html(
        '<div class="nd-progress"><svg class="nd-bar" role="img" aria-label="{}: {}" '
        'preserveAspectRatio="none" viewBox="0 0 100 10" width="100%" height="10">'
        '{}</svg><div class="nd-legend small">{}</div></div>',
        f"{total} claims",
        summary,
        bars,
        legend,
    )


def _segment(segment: Segment, *, link: bool) -> SafeString:
    # data-at: where the text starts in the article body, so a selection in the page can
    # be turned back into offsets (static/newsdesk/article.js).
    if segment.suggestion is not None and not segment.claims:
        s = segment.suggestion
        return format_html(
            '<span class="nd-suggestion{}" data-at="{}" data-suggestion="{}" title="{}">{}</span>',
            "" if s.suggested else " nd-suggestion-weak",
            segment.start,
            s.start,
            f"Suggested claim, score {s.score:.2f}: " + "; ".join(s.reasons),
            segment.text,
        )
    if not segment.claims:
        return format_html('<span data-at="{}">{}</span>', segment.start, segment.text)
    inner = segment.innermost
    labels = (
        format_html_join(
            "",
            # The id lets a link to the article (?at=…#at-claim-N) land on the claim's words.
            '<a id="at-claim-{}" class="nd-anchor nd-st-{}" href="{}" aria-label="Claim {}, {}">'
            "#{} {}</a>",
            (
                (
                    c.pk,
                    c.status,
                    reverse("claims:detail", args=[c.pk]),
                    c.pk,
                    ClaimStatus(c.status).label,
                    c.pk,
                    ClaimStatus(c.status).label,
                )
                for c in segment.opening
            ),
        )
        if link
        else ""
    )
    overlap = " nd-overlap" if len(segment.claims) > 1 else ""
    title = "; ".join(f"#{c.pk} {ClaimStatus(c.status).label}" for c in segment.claims)
    return format_html(
        '{}<mark class="nd-claim nd-hl-{}{}" title="{}" data-at="{}">{}</mark>',
        labels,
        inner.status,
        overlap,
        title,
        segment.start,
        segment.text,
    )


@register.simple_tag
def highlighted(paragraphs: list[list[Segment]], link: bool = True) -> SafeString:
    html = [
        format_html("<p>{}</p>", mark_safe("".join(_segment(s, link=link) for s in segments)))
        for segments in paragraphs
    ]
    return mark_safe("".join(html))


@register.simple_tag
def status_chart(counts: dict[str, int]) -> SafeString:
    """A bar per status, its number written beside it; drawn in SVG so it prints."""
    top = max(counts.values(), default=0) or 1
    rows = []
    for i, status in enumerate(STATUS_ORDER):
        n = counts.get(status, 0)
        y = i * 28
        rows.append(
            format_html(
                '<text x="0" y="{}" class="nd-chart-label">{}</text>'
                '<rect x="110" y="{}" width="{}" height="18" class="nd-fill-{}"></rect>'
                '<text x="{}" y="{}" class="nd-chart-value">{}</text>',
                y + 14,
                ClaimStatus(status).label,
                y + 1,
                round(300 * n / top, 1),
                status,
                round(300 * n / top, 1) + 116,
                y + 14,
                n,
            )
        )
    summary = ", ".join(f"{counts.get(s, 0)} {ClaimStatus(s).label.lower()}" for s in STATUS_ORDER)
    return format_html(
        '<svg class="nd-chart" role="img" aria-label="Claims by status: {}" viewBox="0 0 480 112" '
        'width="480" height="112">{}</svg>',
        summary,
        mark_safe("".join(rows)),
    )


FIELD_NAMES = {
    "text": "the quote",
    "start": None,
    "end": None,
    "attributed_to": "the attribution",
    "rationale": "the rationale",
}


@register.filter
def edit_summary(data: dict) -> str:
    """'changed the quote and the attribution ("Officials" → "Ministry")', from an edit
    event's data."""
    changes = data.get("changes", {})
    if data.get("anchored_again"):
        text = changes["text"][1] if "text" in changes else None
        said = "anchored the orphaned claim again"
        return f"{said}, to “{text}”" if text else f"{said}, to its words where they stand now"
    parts = []
    for field, label in FIELD_NAMES.items():
        if field not in changes or label is None:
            continue
        old, new = changes[field]
        parts.append(f"{label} (“{old}” → “{new}”)" if field == "attributed_to" else label)
    if not parts and {"start", "end"} & set(changes):
        parts.append("where the quote stands")
    return "changed " + " and ".join(parts) if parts else "edited the claim"


def _marked(runs: list[tuple[str, bool]], tag: str) -> SafeString:
    return format_html_join(
        "",
        "{}",
        ((format_html(f"<{tag}>{{}}</{tag}>", t) if changed else t,) for t, changed in runs),
    )


@register.filter
def reanchor_summary(data: dict) -> str:
    """What an edit of the article's text did to the claim, in words, with the quote's old
    and new words side by side where they changed."""
    outcome = data.get("reanchored")
    old, new = data.get("text") or ["", ""]
    if outcome == "orphaned":
        return format_html(
            "edited the article and removed the claim's words, so it is orphaned "
            "(it read “{}”); edit its quote to anchor it again",
            old,
        )
    if outcome == "changed":
        old_runs, new_runs = word_changes(old, new)
        return format_html(
            "edited the article and changed the claim's words from “{}” to “{}”",
            _marked(old_runs, "del"),
            _marked(new_runs, "ins"),
        )
    if data.get("was_orphaned"):
        return "edited the article; the orphaned claim's words are back, anchored to them again"
    if outcome == "moved":
        return "edited the article; the claim's words moved, unchanged"
    return "edited the article around the claim; its words did not change"
