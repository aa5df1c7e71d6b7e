"""The desk: the dashboard, the queue and assigning claims from it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    QueryDict,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from claims.filters import ClaimFilter
from claims.forms import AssignForm
from claims.models import Claim, ClaimStatus
from claims.selectors import (
    COUNT_CAP,
    OPEN_STATUSES,
    articles_in_review,
    capped_status_counts,
    claims_listed,
    keyset_page,
    latest_activity,
    reviewed_marks,
)
from claims.services import (
    ClaimTaken,
    StaleClaim,
    claim_assign,
    claims_bulk_assign,
)
from newsdesk.auth import ASSIGN, EXPORT, REVIEW, member_required, not_assignable, reviewers
from newsdesk.errors import error_text
from newsdesk.fields import parse_id


@require_GET
@member_required
def dashboard(request: HttpRequest) -> HttpResponse:
    mine = Claim.objects.filter(assignee=request.user)
    waiting = capped_status_counts(Claim.objects.filter(assignee__isnull=True))
    context = {
        "my_counts": {s: _shown(n) for s, n in capped_status_counts(mine).items()},
        "my_open": list(
            claims_listed()
            .filter(assignee=request.user, status__in=OPEN_STATUSES)
            .order_by("status_changed_at", "id")[:10]
        ),
        "unassigned_waiting": _total([waiting[s] for s in OPEN_STATUSES]),
        "articles": articles_in_review(),
        "activity": latest_activity(),
        "may_export": request.user.has_perm(EXPORT),
    }
    return render(request, "claims/dashboard.html", context)


def queue_filter(request: HttpRequest, params: QueryDict) -> ClaimFilter:
    return ClaimFilter(params, queryset=claims_listed(), request=request)


def _without(filterset: ClaimFilter, name: str) -> QuerySet[Claim]:
    """The filtered claims, ignoring one filter: the per-status counts ignore the status."""
    queryset = filterset.queryset
    if filterset.is_bound:
        filterset.form.is_valid()  # unusable filters are left out, as the list leaves them
        for field, value in filterset.form.cleaned_data.items():
            if field != name:
                queryset = filterset.filters[field].filter(queryset, value)
    return queryset


@require_GET
@member_required
def queue(request: HttpRequest) -> HttpResponse:
    params = request.GET.copy()
    after, before = params.pop("after", [None])[-1], params.pop("before", [None])[-1]
    filterset = queue_filter(request, params)
    page = keyset_page(filterset.qs, order=filterset.sort, after=after, before=before)
    # The rows' "Reviewed before" markers: one query for the page, whatever its length.
    marks = reviewed_marks(claim_ids=[claim.pk for claim in page.items])
    for claim in page.items:
        claim.reviewed_mark = marks.get(claim.pk)
    counts = capped_status_counts(_without(filterset, "status"))
    query = params.urlencode()

    def link(**cursor: str) -> str:
        return "?" + urlencode([*params.lists(), *cursor.items()], doseq=True)

    status_links = []
    for value, label in ClaimStatus.choices:
        only = params.copy()
        only.setlist("status", [value])
        status_links.append((value, label, _shown(counts[value]), "?" + only.urlencode()))
    return render(
        request,
        "claims/queue.html",
        {
            "filter": filterset,
            "page": page,
            "status_links": status_links,
            "total": _total(list(counts.values())),
            "query": query,
            "next_link": link(after=page.next_cursor) if page.next_cursor else None,
            "prev_link": link(before=page.prev_cursor) if page.prev_cursor else None,
            "may_assign_others": request.user.has_perm(ASSIGN),
            "may_take": request.user.has_perm(REVIEW),
            "may_export": request.user.has_perm(EXPORT),
            "reviewers": filterset.reviewers,
        },
    )


def _shown(n: int) -> str:
    """A capped count as people read it: "1,000+" past the cap."""
    return f"{COUNT_CAP:,}+" if n > COUNT_CAP else f"{n:,}"


def _total(counts: list[int]) -> str:
    total = sum(min(n, COUNT_CAP) for n in counts)
    return f"{total:,}+" if any(n > COUNT_CAP for n in counts) else f"{total:,}"


def _safe_next(request: HttpRequest, fallback: str) -> str:
    """Where to go back to: a path on this site, never another site or a view name."""
    target = request.POST.get("next", "")
    if (
        target.startswith("/")
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return fallback


@require_POST
@member_required
def assign(request: HttpRequest) -> HttpResponse:
    """Assign the selected claims, from the queue or a claim page."""
    back = _safe_next(request, reverse("claims:queue"))
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("__all__", ["Nothing was assigned."])))
        return HttpResponseRedirect(back)
    who = form.cleaned_data["who"]
    if who == "me":
        assignee = request.user
    elif who == "none":
        assignee = None
    else:
        assignee = reviewers().filter(pk=parse_id(who)).first()
        if assignee is None:
            messages.error(request, not_assignable("That person"))
            return HttpResponseRedirect(back)
    ids, versions = form.cleaned_data["ids"], form.cleaned_data["versions"]
    who_name = (
        "you" if assignee == request.user else assignee.get_username() if assignee else "nobody"
    )
    # "Me" never pushes someone else off a claim; an Editor hands one over by name.
    if_unassigned = who == "me"
    if len(ids) == 1:
        _assign_one(request, ids[0], assignee, versions[ids[0]], if_unassigned, who_name)
        return HttpResponseRedirect(back)
    try:
        result = claims_bulk_assign(
            claims=ids,
            assignee=assignee,
            by=request.user,
            expected_versions=versions,
            if_unassigned=if_unassigned,
        )
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, error_text(exc))
        return HttpResponseRedirect(back)
    level = messages.SUCCESS if result.changed else messages.INFO
    if result.refused:
        level = messages.WARNING
    messages.add_message(request, level, result.describe(f"assigned to {who_name}"))
    return HttpResponseRedirect(back)


def _assign_one(
    request: HttpRequest,
    claim_id: int,
    assignee,
    version: int,
    if_unassigned: bool,
    who_name: str,
) -> None:
    """One claim is one assignment, not a bulk action: checked against the version the
    page showed, and refused (saying who has it) rather than taken from someone."""
    try:
        claim_assign(
            claim=Claim(pk=claim_id),
            assignee=assignee,
            by=request.user,
            expected_version=version,
            if_unassigned=if_unassigned,
        )
    except Claim.DoesNotExist:
        messages.error(request, f"There is no claim #{claim_id}; nothing was assigned.")
    except ClaimTaken as taken:
        said = str(taken)
        user = request.user
        if user.has_perm(ASSIGN) and user.has_perm(REVIEW):
            said += " To take it over, choose yourself under Assignment on the claim's page."
        messages.error(request, said)
    except (StaleClaim, PermissionDenied, ValidationError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"Claim #{claim_id} is assigned to {who_name}.")
