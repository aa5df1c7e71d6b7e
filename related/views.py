"""What a claim page's "Reviewed before" panel posts: link a claim, remove a link, copy
the sources of a claim marked the same. Each answers with a redirect back to the claim
page and a message (a refusal says why); a malformed form gets the 400 page.

A GET of these addresses is what a browser sends after the login page, when someone
clicked one of the buttons with their session expired: the login sends them on to the
button's address, without what the button posted. They are sent back to the panel and
told that nothing was done, rather than shown an empty "405 Method Not Allowed"."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from claims.models import Claim
from newsdesk.auth import ADD_SOURCE, LINK_CLAIM, member_required, require_perm
from newsdesk.errors import NewsdeskError, error_text
from related.forms import LinkForm
from related.models import LinkKind
from related.selectors import matcher_conflicts
from related.services import claims_link, claims_unlink, kind_words, sources_copy

PANEL = "reviewed-before"

# A GET is answered too (see the module's docstring); anything else is a 405.
button_only = require_http_methods(["GET", "POST"])


def _back(request: HttpRequest, claim_id: int) -> HttpResponse:
    """To the claim page's panel, keeping the queue the reviewer came from."""
    url = reverse("claims:detail", args=[claim_id])
    queue_query = request.POST.get("from", "")
    if queue_query:
        url += "?" + urlencode({"from": queue_query})
    return redirect(f"{url}#{PANEL}")


def _not_posted(request: HttpRequest, claim: Claim, not_done: str) -> HttpResponse:
    """A GET of a button's address: nothing is done, and the person is told so."""
    messages.info(
        request,
        f"{not_done}: signing in passes on a button's address, not its click. "
        "Click the button again.",
    )
    return _back(request, claim.pk)


def _claim(pk: int) -> Claim:
    return get_object_or_404(Claim.objects.select_related("article"), pk=pk)


@button_only
@member_required
def link(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(pk)
    require_perm(request.user, LINK_CLAIM, to="link claims")
    if request.method != "POST":
        return _not_posted(request, claim, "No link was made or changed")
    form = LinkForm(request.POST)
    if not form.is_valid():
        problems = [
            f"{form[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()
        ]
        return render(request, "400.html", {"problems": problems}, status=400)
    other, kind = form.cleaned_data["other"], form.cleaned_data["kind"]
    try:
        claims_link(claim=claim, other=other, kind=kind, by=request.user)
    except NewsdeskError as refused:
        messages.error(request, str(refused))
    else:
        how = "the same as" if kind == LinkKind.SAME else "related to"
        messages.success(request, f"Claim #{claim.pk} marked {how} #{other.pk}.")
        conflicts = matcher_conflicts(claim, other) if kind == LinkKind.SAME else ()
        if conflicts:
            # The reviewer's judgement stands; the matcher's doubts are said, not enforced.
            messages.warning(
                request, f"Linked as you asked; the matcher noted: {'; '.join(conflicts)}."
            )
    return _back(request, claim.pk)


@button_only
@member_required
def unlink(request: HttpRequest, pk: int, other_pk: int) -> HttpResponse:
    claim, other = _claim(pk), _claim(other_pk)
    require_perm(request.user, LINK_CLAIM, to="remove links between claims")
    if request.method != "POST":
        return _not_posted(request, claim, f"The link to #{other.pk} was not removed")
    try:
        removed = claims_unlink(claim=claim, other=other, by=request.user)
    except NewsdeskError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, f"Link to #{other.pk} removed (it said {kind_words(removed.kind)})."
        )
    return _back(request, claim.pk)


@button_only
@member_required
def copy_sources(request: HttpRequest, pk: int, other_pk: int) -> HttpResponse:
    claim, other = _claim(pk), _claim(other_pk)
    require_perm(request.user, ADD_SOURCE, to="add sources")
    if request.method != "POST":
        return _not_posted(request, claim, f"No source was copied from #{other.pk}")
    try:
        result = sources_copy(claim=claim, source_claim=other, by=request.user)
    except (NewsdeskError, ValidationError) as refused:
        # A ValidationError: a source stored before today's rules that they now refuse.
        messages.error(request, _nothing_copied(error_text(refused)))
        return _back(request, claim.pk)
    already = len(result.already)
    if not result.copied:
        messages.info(
            request, f"Nothing to copy: claim #{claim.pk} cites every source of #{other.pk}."
        )
        return _back(request, claim.pk)
    copied = len(result.copied)
    said = f"Copied {copied} source{'s' if copied != 1 else ''} from #{other.pk}."
    if already == 1:
        said += " 1 source was already on this claim and was left as it was."
    elif already:
        said += f" {already} sources were already on this claim and were left as they were."
    messages.success(request, said)
    return _back(request, claim.pk)


def _nothing_copied(why: str) -> str:
    """'Nothing was copied: <why>', unless `why` says so itself (the services' refusals
    of a copy do): said once, not twice."""
    if "nothing was copied" in why.lower():
        return why
    return f"Nothing was copied: {why}"
