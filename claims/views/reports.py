"""Reports: the streamed downloads and the printable page, with the queue's filters."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from claims.exports import FORMATS, REVIEWED, decided_by, export_response, report_claims
from claims.filters import ClaimFilter
from claims.models import Claim, Source
from claims.selectors import (
    status_counts,
)
from newsdesk.auth import EXPORT, member_required, require_perm

# A printed report past a few hundred claims is read as a file, not as pages: the
# downloads cover any number.
REPORT_PAGE_LIMIT = 500


def _report_selection(request: HttpRequest) -> tuple[ClaimFilter, QuerySet[Claim]]:
    """The claims a report covers: the queue's filters, reviewed claims unless a status
    is chosen. An unusable filter is refused rather than widened to everything."""
    require_perm(request.user, EXPORT, to="export reports")
    params = request.GET.copy()
    for name in ("after", "before", "history"):
        params.pop(name, None)
    filterset = ClaimFilter(params, queryset=Claim.objects.all(), request=request)
    if not filterset.is_valid():
        raise BadReport(filterset)
    queryset = filterset.qs
    if not params.getlist("status"):
        queryset = queryset.filter(status__in=REVIEWED)
    return filterset, queryset


class BadReport(Exception):
    def __init__(self, filterset: ClaimFilter) -> None:
        self.filterset = filterset


def _bad_report(request: HttpRequest, error: BadReport) -> HttpResponse:
    return render(request, "400.html", {"problems": error.filterset.ignored}, status=400)


@require_GET
@member_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("Unknown report format.")
    try:
        _, queryset = _report_selection(request)
    except BadReport as error:
        return _bad_report(request, error)
    return export_response(
        queryset, fmt, request=request, history=request.GET.get("history") == "1"
    )


@require_GET
@member_required
def report(request: HttpRequest) -> HttpResponse:
    """The printable report: a summary chart, then each claim with its verdict and sources."""
    try:
        filterset, queryset = _report_selection(request)
    except BadReport as error:
        return _bad_report(request, error)
    counts = status_counts(queryset)
    total = sum(counts.values())
    # Without the article's text and the sources' excerpts, which the page does not show:
    # each claim would carry its own copy of a text that can run to megabytes.
    claims = list(
        report_claims(queryset)
        .select_related("article")
        .defer("article__body")
        .annotate(decider=decided_by())
        .prefetch_related(Prefetch("sources", queryset=Source.objects.defer("excerpt")))[
            : REPORT_PAGE_LIMIT + 1
        ]
    )
    articles: dict[int, dict] = {}
    for claim in claims[:REPORT_PAGE_LIMIT]:
        articles.setdefault(claim.article_id, {"article": claim.article, "claims": []})
        articles[claim.article_id]["claims"].append(claim)
    query = request.GET.urlencode()
    return render(
        request,
        "claims/report.html",
        {
            "filter": filterset,
            "counts": counts,
            "total": total,
            "total_said": f"{total:,}",
            "articles": list(articles.values()),
            "truncated": len(claims) > REPORT_PAGE_LIMIT,
            "limit": REPORT_PAGE_LIMIT,
            "query": query,
            "generated_at": timezone.now(),
            "newsroom": settings.NEWSDESK_NEWSROOM_NAME,
            "may_export": request.user.has_perm(EXPORT),
        },
    )
