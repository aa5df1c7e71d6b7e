"""The claim review page and what is posted from it: decisions, sources, edits."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    QueryDict,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from claims.forms import (
    KEEP,
    KEEP_SAVED,
    REPLACE,
    ClaimForm,
    DecisionForm,
    SourceForm,
    SourceRemoveForm,
)
from claims.highlight import paragraphs_around
from claims.models import Claim, ClaimStatus, Source
from claims.selectors import (
    claim_after,
    claim_for_review,
)
from claims.services import (
    StaleClaim,
    claim_edit,
    claim_transition,
    claim_update,
    source_add,
    source_remove,
)
from claims.views.desk import queue_filter
from claims.workflow import (
    DONE,
    TransitionRefused,
    refusal_for,
    removal_refusal,
    transitions_from,
)
from newsdesk.auth import (
    ADD_SOURCE,
    ASSIGN,
    CHANGE_CLAIM,
    DELETE_SOURCE,
    LINK_CLAIM,
    REVIEW,
    member_required,
    require_perm,
    reviewers,
)
from newsdesk.errors import NewsdeskError, error_text
from newsdesk.text import normalize_text
from related.selectors import reviewed_before


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
        "may_decide": user.has_perm(REVIEW),
        "may_add_source": user.has_perm(ADD_SOURCE),
        "may_remove_source": user.has_perm(DELETE_SOURCE),
        "may_edit": user.has_perm(CHANGE_CLAIM),
        "may_assign_others": user.has_perm(ASSIGN),
        "may_link": user.has_perm(LINK_CLAIM),
        # Other articles' claims: the links reviewers made and the matcher's live matches.
        "reviewed_before": reviewed_before(claim=claim),
        "reviewers": reviewers() if user.has_perm(ASSIGN) else [],
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
    require_perm(request.user, REVIEW, to="decide on claims")
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
        filterset = queue_filter(request, QueryDict(queue_query))
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
    require_perm(request.user, ADD_SOURCE, to="add sources")
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
    require_perm(request.user, CHANGE_CLAIM, to="edit claims")
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
