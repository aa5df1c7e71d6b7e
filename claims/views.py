"""The reviewer's pages: dashboard, queue and the claim review page.

Views read through `claims.selectors` and write through `claims.services`; the rules
themselves live in `claims.workflow`.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from articles.text import normalize_text
from claims.exports import FORMATS, REVIEWED, decided_by, export_filename, report_claims
from claims.filters import ClaimFilter
from claims.forms import (
    KEEP,
    KEEP_SAVED,
    REPLACE,
    AssignForm,
    ClaimForm,
    DecisionForm,
    SourceForm,
    SourceRemoveForm,
    reviewers,
)
from claims.highlight import paragraphs_around
from claims.models import Claim, ClaimStatus, Source
from claims.selectors import (
    COUNT_CAP,
    OPEN_STATUSES,
    articles_in_review,
    capped_status_counts,
    claim_after,
    claim_for_review,
    claims_listed,
    keyset_page,
    latest_activity,
    status_counts,
)
from claims.services import (
    ClaimTaken,
    StaleClaim,
    claim_assign,
    claim_edit,
    claim_transition,
    claim_update,
    claims_bulk_assign,
    source_add,
    source_remove,
)
from claims.workflow import (
    DONE,
    STATUS_PERMISSION,
    TransitionRefused,
    refusal_for,
    removal_refusal,
    transitions_from,
)
from newsdesk.errors import NewsdeskError, error_text
from newsdesk.fields import parse_id

NO_ROLE = (
    "You need the Reviewer or Editor role to use Newsdesk. "
    "Ask a Newsdesk administrator to add you to one of those groups."
)


def member_required(view):
    """Signed in and holding a newsroom role; anyone else gets a 403 that says why."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.has_perm("claims.view_claim"):
            raise PermissionDenied(NO_ROLE)
        return view(request, *args, **kwargs)

    return wrapper


# --- dashboard ---------------------------------------------------------------------


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
    }
    return render(request, "claims/dashboard.html", context)


# --- queue -------------------------------------------------------------------------


def _queue_filter(request: HttpRequest, params: QueryDict) -> ClaimFilter:
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
    filterset = _queue_filter(request, params)
    page = keyset_page(filterset.qs, order=filterset.sort, after=after, before=before)
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
            "may_assign_others": request.user.has_perm("claims.assign_claim"),
            "may_take": request.user.has_perm(STATUS_PERMISSION),
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
            messages.error(request, "That person cannot review claims; choose a Reviewer.")
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
        if user.has_perm("claims.assign_claim") and user.has_perm(STATUS_PERMISSION):
            said += " To take it over, choose yourself under Assignment on the claim's page."
        messages.error(request, said)
    except (StaleClaim, PermissionDenied, ValidationError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"Claim #{claim_id} is assigned to {who_name}.")


# --- the claim review page -----------------------------------------------------------


def _claim_or_404(pk: int) -> Claim:
    try:
        return claim_for_review(pk=pk)
    except Claim.DoesNotExist:
        raise Http404("No claim with that number.") from None


def _options(claim: Claim, user) -> list[dict[str, object]]:
    """Every move from the claim's status, and why this user may not make it now."""
    sources = list(claim.sources.all())
    options = []
    for transition in transitions_from(claim.status):
        refusal = refusal_for(claim, transition.target, user=user, sources=sources, note=None)
        options.append(
            {
                "value": transition.target,
                "verb": transition.verb,
                "note_required": transition.note_required,
                "refusal": refusal.message if refusal else "",
            }
        )
    return options


def _sources_with_removability(claim: Claim) -> list[Source]:
    """The claim's sources, each marked with why it may not be removed, if so."""
    sources = list(claim.sources.all())
    for source in sources:
        refused = removal_refusal(claim, source, sources)
        source.kept_because = (
            "The confirmation rests on this source; reopen first." if refused else ""
        )
    return sources


def render_claim(
    request: HttpRequest,
    claim: Claim,
    *,
    decision_form: DecisionForm | None = None,
    source_form: SourceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    queue_query = request.GET.get("from") or request.POST.get("from", "")
    user = request.user
    options = _options(claim, user)
    decision_form = decision_form or DecisionForm(claim=claim)
    # After a conflict the move the reviewer picked may no longer be open: fall back to
    # "keep" rather than submit a choice the page shows as impossible.
    chosen = decision_form["to"].value()
    chosen_open = any(o["value"] == chosen and not o["refusal"] for o in options)
    context = {
        "claim": claim,
        "article": claim.article,
        "paragraphs": paragraphs_around(claim.article.body, claim),
        "sources": _sources_with_removability(claim),
        "events": list(claim.events.all()),
        "options": options,
        "decision_form": decision_form,
        "chosen_open": chosen_open,
        "source_form": source_form or SourceForm(),
        "may_decide": user.has_perm(STATUS_PERMISSION),
        "may_add_source": user.has_perm("claims.add_source"),
        "may_remove_source": user.has_perm("claims.delete_source"),
        "may_edit": user.has_perm("claims.change_claim"),
        "may_assign_others": user.has_perm("claims.assign_claim"),
        "reviewers": reviewers() if user.has_perm("claims.assign_claim") else [],
        "queue_query": queue_query,
        "KEEP": KEEP,
    }
    return render(request, "claims/claim_detail.html", context, status=status)


@require_GET
@member_required
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_claim(request, _claim_or_404(pk))


def _claim_url(claim_id: int, queue_query: str = "", anchor: str = "") -> str:
    url = reverse("claims:detail", args=[claim_id])
    if queue_query:
        url += "?" + urlencode({"from": queue_query})
    return url + (f"#{anchor}" if anchor else "")


@require_POST
@member_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the status and/or the rationale; a stale form ends in a conflict, not a loss."""
    if not request.user.has_perm(STATUS_PERMISSION):
        raise PermissionDenied("You need the Reviewer role to decide on claims.")
    claim = _claim_or_404(pk)
    form = DecisionForm(request.POST, claim=claim)
    if not form.is_valid():
        return render_claim(request, claim, decision_form=form, status=400)
    data = form.cleaned_data
    position = (claim.status_changed_at, claim.pk)
    rationale, expected_rationale = data["rationale"], data["expected_rationale"]
    # Chosen on the conflict page, where the rationale someone else saved is shown.
    if data["rationale_choice"] == KEEP_SAVED:
        rationale = None
    elif data["rationale_choice"] == REPLACE:
        expected_rationale = None
    try:
        if data["to"] == KEEP:
            saved = claim_update(
                claim=claim,
                by=request.user,
                expected_version=data["expected_version"],
                rationale=rationale,
                expected_rationale=expected_rationale,
            )
            done = "saved" if saved.version != claim.version else None
        else:
            saved = claim_transition(
                claim=claim,
                to=data["to"],
                by=request.user,
                expected_version=data["expected_version"],
                note=data["note"],
                rationale=rationale,
                expected_rationale=expected_rationale,
            )
            done = DONE[ClaimStatus(data["to"])]
    except StaleClaim as conflict:
        fresh = _claim_or_404(pk)
        return render_claim(
            request,
            fresh,
            decision_form=_after_conflict(request, claim, fresh, conflict),
            status=409,
        )
    except TransitionRefused as refused:
        field = "note" if refused.refusal.code == "needs_note" else None
        form.add_error(field, str(refused))
        return render_claim(request, claim, decision_form=form, status=400)
    queue_query = request.POST.get("from", "")
    if done is None:
        messages.info(request, "Nothing changed.")
    else:
        messages.success(request, f"Claim #{claim.pk} {done}.")
    if "save_and_next" in request.POST:
        filterset = _queue_filter(request, QueryDict(queue_query))
        following = claim_after(
            filterset.qs, order=filterset.sort, position=position, exclude=claim.pk
        )
        if following is None:
            messages.info(request, "That was the last claim in this queue.")
            return redirect(reverse("claims:queue") + (f"?{queue_query}" if queue_query else ""))
        return redirect(_claim_url(following.pk, queue_query))
    return redirect(_claim_url(saved.pk, queue_query))


def _after_conflict(
    request: HttpRequest, claim: Claim, fresh: Claim, conflict: StaleClaim
) -> DecisionForm:
    """The decision form again, against the claim as it is now.

    The note and an edited rationale are kept; the decision is not, so the reviewer picks
    again knowing what changed. An untouched rationale shows the saved one; an edited one
    that meets someone else's newer words asks whether to keep theirs or replace it.
    """
    posted = request.POST.dict()
    typed = normalize_text(posted.get("rationale", ""))
    seen = normalize_text(posted.get("expected_rationale", claim.rationale))
    values = {**posted, "expected_version": fresh.version, "to": "", "rationale_choice": ""}
    if typed == seen:
        values.update(rationale=fresh.rationale, expected_rationale=fresh.rationale)
    else:
        values["expected_rationale"] = seen
    retry = DecisionForm(values, claim=fresh)
    retry.is_valid()
    retry.add_error(None, str(conflict))
    retry.saved_rationale = fresh.rationale
    return retry


@require_POST
@member_required
def add_source(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_or_404(pk)
    if not request.user.has_perm("claims.add_source"):
        raise PermissionDenied("You need the Reviewer role to add sources.")
    form = SourceForm(request.POST)
    if form.is_valid():
        try:
            source_add(claim=claim, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Source added.")
            return redirect(_claim_url(claim.pk, request.POST.get("from", ""), "sources"))
    return render_claim(request, claim, source_form=form, status=400)


@require_POST
@member_required
def remove_source(request: HttpRequest, pk: int, source_pk: int) -> HttpResponse:
    source = get_object_or_404(Source.objects.select_related("added_by"), pk=source_pk, claim_id=pk)
    form = SourceRemoveForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        source_remove(source=source, by=request.user, note=note)
    except NewsdeskError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Source from {source.publisher_name} removed.")
    return redirect(_claim_url(pk, request.POST.get("from", ""), "sources"))


@member_required
def edit_claim(request: HttpRequest, pk: int) -> HttpResponse:
    """An Editor changes a claim's quote, attribution or assignee."""
    claim = _claim_or_404(pk)
    if not request.user.has_perm("claims.change_claim"):
        raise PermissionDenied("You need the Editor role to edit claims.")
    if request.method != "POST":
        return render(
            request,
            "claims/claim_edit.html",
            {"claim": claim, "form": ClaimForm(article=claim.article, claim=claim)},
        )
    form = ClaimForm(request.POST, article=claim.article, claim=claim)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = claim_edit(
                claim=claim,
                by=request.user,
                expected_version=data["expected_version"],
                start=data["start"],
                end=data["end"],
                attributed_to=data["attributed_to"],
                assignee=data["assignee"],
            )
        except StaleClaim as conflict:
            form.add_error(None, str(conflict))
            status = 409
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, f"Claim #{claim.pk} saved.")
            if saved.status != claim.status:
                messages.warning(
                    request,
                    f"Its quote changed, so it is back to unverified (it was "
                    f"{claim.get_status_display().lower()}): the verdict needs a new review.",
                )
            return redirect("claims:detail", pk=claim.pk)
    return render(request, "claims/claim_edit.html", {"claim": claim, "form": form}, status=status)


# --- reports ---------------------------------------------------------------------------

REPORT_PAGE_LIMIT = 1000


def _report_selection(request: HttpRequest) -> tuple[ClaimFilter, QuerySet[Claim]]:
    """The claims a report covers: the queue's filters, reviewed claims unless a status
    is chosen. An unusable filter is refused rather than widened to everything."""
    if not request.user.has_perm("claims.export_claims"):
        raise PermissionDenied("You need the Reviewer or Editor role to export reports.")
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


def export_response(queryset, fmt: str, *, request: HttpRequest, history: bool = False):
    """A download that streams, so memory stays flat at any size."""
    writer, content_type, _ = FORMATS[fmt]
    options = {"history": history} if fmt == "json" else {}
    base_url = request.build_absolute_uri("/")
    response = StreamingHttpResponse(
        writer(queryset, base_url=base_url, **options), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename(fmt)}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@member_required
def report(request: HttpRequest) -> HttpResponse:
    """The printable report: a summary chart, then each claim with its verdict and sources."""
    try:
        filterset, queryset = _report_selection(request)
    except BadReport as error:
        return _bad_report(request, error)
    counts = status_counts(queryset)
    claims = list(
        report_claims(queryset)
        .select_related("article")
        .annotate(decider=decided_by())
        .prefetch_related(Prefetch("sources", queryset=Source.objects.select_related("added_by")))[
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
            "total": sum(counts.values()),
            "articles": list(articles.values()),
            "truncated": len(claims) > REPORT_PAGE_LIMIT,
            "limit": REPORT_PAGE_LIMIT,
            "query": query,
            "generated_at": timezone.now(),
            "newsroom": settings.NEWSDESK_NEWSROOM_NAME,
        },
    )
