"""The article page: the text with every claim highlighted where it stands, the claims'
progress and, for an Editor, the suggestion panel. Rendered by the article views and, after
a refused judgement of a suggestion, by the suggestion panel's views (suggestions.views),
which is why it stands apart from both apps' views."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from articles.models import Article
from claims.forms import ClaimForm
from claims.highlight import paragraphs
from claims.models import ClaimStatus
from claims.selectors import claims_listed
from newsdesk.auth import ADD_CLAIM, CHANGE_ARTICLE, EXPORT
from suggestions.forms import AcceptAllForm
from suggestions.selectors import suggestion_panel


def render_article(
    request: HttpRequest,
    article: Article,
    *,
    claim_form: ClaimForm | None = None,
    status: int = 200,
) -> HttpResponse:
    claims = list(claims_listed().filter(article=article).order_by("start", "id"))
    counts = dict.fromkeys(ClaimStatus.values, 0)
    for claim in claims:
        counts[claim.status] += 1
    may_edit = request.user.has_perm(ADD_CLAIM)
    # Suggestions are an Editor's to judge; reviewers see the claims only.
    panel = suggestion_panel(article=article, claims=claims) if may_edit else None
    context = {
        "article": article,
        "article_id_str": str(article.pk),
        "claims": claims,
        # An orphaned claim's offsets no longer point into the text: it is listed, not drawn.
        "paragraphs": paragraphs(
            article.body, [c for c in claims if not c.orphaned], panel.listed if panel else []
        ),
        "orphaned": [c for c in claims if c.orphaned],
        "progress": counts,
        "statuses": ClaimStatus.choices,
        "may_edit": may_edit,
        "may_edit_article": request.user.has_perm(CHANGE_ARTICLE),
        "may_export": request.user.has_perm(EXPORT),
        "suggestion_panel": panel,
        "accept_all_form": AcceptAllForm() if panel else None,
        "claim_form": claim_form or (ClaimForm(article=article) if may_edit else None),
    }
    return render(request, "articles/article_detail.html", context, status=status)
