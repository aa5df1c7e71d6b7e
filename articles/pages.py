"""The article page: the text with every claim highlighted where it stands, the claims'
progress and, for an Editor, the suggestion panel. Rendered by the article views and, after
a refused judgement of a suggestion, by the suggestion panel's views (suggestions.views),
which is why it stands apart from both apps' views.

A long article is shown a part at a time (`claims.highlight.text_parts`), with the claims
and suggestions of that part only: the page costs the same for a 2 MB article with 25,000
claims as for a short one, while its progress bar still counts every claim."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from articles.models import Article
from articles.selectors import articles_with_progress
from claims.forms import ClaimForm
from claims.highlight import paragraphs, part_of, text_parts
from claims.models import Claim, ClaimStatus
from claims.selectors import source_count
from newsdesk.auth import ADD_CLAIM, CHANGE_ARTICLE, EXPORT
from newsdesk.fields import parse_id
from newsdesk.text import normalize_text
from suggestions.forms import AcceptAllForm
from suggestions.jobs import suggestion_run_request
from suggestions.models import RunStatus
from suggestions.selectors import SuggestionPanel, suggestion_panel

# A part holds at most this many claims on the page (only hand-made claims of a word or
# two could crowd a part this much); the queue lists every one.
PART_CLAIMS = 500
# Orphaned claims listed above the text; the queue has all of them.
ORPHANS_LISTED = 100


# The longest phrase "Find in the whole article" looks for, and the matches it counts.
FIND_CHARS = 200
FIND_COUNTED = 1_000
FIND_CONTEXT = 60


@dataclass(frozen=True)
class Found:
    """Where "Find in the whole article" found the words: the browser's own find sees only
    the part on screen, so the page finds across the whole text and opens the right part."""

    words: str
    start: int | None = None
    end: int = 0
    before: str = ""
    match: str = ""
    after: str = ""
    count: int = 0

    @property
    def count_said(self) -> str:
        return f"{FIND_COUNTED:,}+" if self.count > FIND_COUNTED else f"{self.count:,}"


def _find(request: HttpRequest, body: str) -> Found | None:
    """`?find=words`: the first place they stand (case aside) at or after `?from=OFFSET`,
    wrapping round to the start, so "Next" walks through every one."""
    words = normalize_text(request.GET.get("find", ""))[:FIND_CHARS]
    if not words:
        return None
    pattern = re.compile(re.escape(words), re.IGNORECASE)
    origin = min(parse_id(request.GET.get("from", "")) or 0, len(body))
    found = pattern.search(body, origin) or (pattern.search(body) if origin else None)
    if found is None:
        return Found(words=words)
    count = sum(1 for _ in islice(pattern.finditer(body), FIND_COUNTED + 1))
    start, end = found.span()
    return Found(
        words=words,
        start=start,
        end=end,
        before=body[max(0, start - FIND_CONTEXT) : start],
        match=body[start:end],
        after=body[end : end + FIND_CONTEXT],
        count=count,
    )


def _part_asked(
    request: HttpRequest, parts: list[tuple[int, int]], found: Found | None = None
) -> int:
    """The part the URL names: `?part=N` (from 1), or `?at=OFFSET`, the part holding that
    place in the text (how a link to a claim finds its part), or the part holding what
    `?find=` found; else the first."""
    if found is not None and found.start is not None:
        return part_of(parts, found.start)
    at = parse_id(request.GET.get("at", ""))
    if at is not None:
        return part_of(parts, at)
    number = parse_id(request.GET.get("part", ""))
    return min(max(number or 1, 1), len(parts)) - 1


def _claims_shown(article: Article):
    # Not claims_listed(): its select_related("article") would carry the whole text once
    # per claim, 2 MB times every claim of the part.
    return (
        Claim.objects.filter(article=article)
        .select_related("assignee")
        .annotate(n_sources=source_count())
    )


def _suggestions(
    request: HttpRequest, article: Article, claims: list[Claim], part: tuple[int, int]
) -> SuggestionPanel:
    panel = suggestion_panel(article=article, claims=claims, part=part)
    if panel.waiting and (panel.run is None or panel.run.status == RunStatus.DONE):
        # A long text not scored yet: a job scores it (only a failed or stalled run waits
        # for "Try again"). Under the immediate backend it is done when this returns.
        suggestion_run_request(article=article, by=request.user)
        panel = suggestion_panel(article=article, claims=claims, part=part)
    return panel


def render_article(
    request: HttpRequest,
    article: Article,
    *,
    claim_form: ClaimForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if not hasattr(article, "orphan_count"):
        # Loaded by a view that needed the article for something else first.
        article = articles_with_progress().get(pk=article.pk)
    progress = {value: getattr(article, f"n_{value}") for value in ClaimStatus.values}
    parts = text_parts(article.body)
    found = _find(request, article.body) if len(parts) > 1 else None
    index = _part_asked(request, parts, found)
    start, end = parts[index]
    claims = list(
        _claims_shown(article)
        .filter(orphaned=False, start__lt=end, end__gt=start)
        .order_by("start", "id")[: PART_CLAIMS + 1]
    )
    crowded = len(claims) > PART_CLAIMS
    claims = claims[:PART_CLAIMS]
    orphaned = []
    if article.orphan_count:
        orphaned = list(
            _claims_shown(article).filter(orphaned=True).order_by("id")[:ORPHANS_LISTED]
        )
    may_edit = request.user.has_perm(ADD_CLAIM)
    # Suggestions are an Editor's to judge; reviewers see the claims only.
    panel = _suggestions(request, article, claims, (start, end)) if may_edit else None
    context = {
        "article": article,
        "article_id_str": str(article.pk),
        "claims": claims,
        "listed_claims": [*claims, *orphaned],
        "found": found,
        "claims_total": sum(progress.values()),
        "crowded": crowded,
        # An orphaned claim's offsets no longer point into the text: it is listed, not drawn.
        "paragraphs": paragraphs(
            article.body, claims, panel.listed if panel else [], part=(start, end)
        ),
        "part": {
            "number": index + 1,
            "count": len(parts),
            "start": start,
            "text": article.body[start:end],
            "numbers": range(1, len(parts) + 1),
        },
        "orphaned": orphaned,
        "orphan_count": article.orphan_count,
        "progress": progress,
        "statuses": ClaimStatus.choices,
        "may_edit": may_edit,
        "may_edit_article": request.user.has_perm(CHANGE_ARTICLE),
        "may_export": request.user.has_perm(EXPORT),
        "suggestion_panel": panel,
        "accept_all_form": AcceptAllForm() if panel else None,
        "claim_form": claim_form or (ClaimForm(article=article) if may_edit else None),
    }
    return render(request, "articles/article_detail.html", context, status=status)
