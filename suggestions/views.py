"""The article page's suggestion panel: accept one, dismiss one, accept all, restore. A
refusal is shown on the article page itself (articles.pages)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article
from articles.pages import render_article
from claims.models import Claim
from newsdesk.auth import ADD_CLAIM, member_required, require_perm
from newsdesk.errors import error_text
from suggestions.forms import AcceptAllForm, SuggestionForm
from suggestions.jobs import suggestion_run_request, suggestion_run_retry
from suggestions.models import DismissedSuggestion, RunStatus, SuggestionRun
from suggestions.selectors import cached_scores, is_long, latest_run, open_run, run_stalled
from suggestions.services import (
    suggestion_accept,
    suggestion_dismiss,
    suggestion_restore,
    suggestions_accept_all,
)


def _editor_article(request: HttpRequest, pk: int) -> Article:
    article = get_object_or_404(Article, pk=pk)
    require_perm(request.user, ADD_CLAIM, to="judge suggestions")
    return article


# Messages about suggestions are shown in their panel, where the page lands after judging
# one (templates/articles/article_detail.html); at the top of the page they would be
# scrolled out of sight.
IN_PANEL = "suggestions"


def _suggestions_done(article: Article, at: int | None = None) -> HttpResponse:
    """Back to the article page; for a long article, to the part of the text holding the
    suggestion judged (`at`), where the person was."""
    where = f"?at={at}" if at else ""
    return redirect(reverse("articles:detail", args=[article.pk]) + where + "#suggestions-said")


def _refused(request: HttpRequest, article: Article, message: str, status: int) -> HttpResponse:
    messages.error(request, message)
    return render_article(request, article, status=status)


def _judge_suggestion(
    request: HttpRequest,
    pk: int,
    judge: Callable[..., Claim | DismissedSuggestion],
    said: Callable[[Any], str],
) -> HttpResponse:
    """Accept or dismiss the suggestion the form names; `said` words what was done."""
    article = _editor_article(request, pk)
    form = SuggestionForm(request.POST)
    if not form.is_valid():
        return _refused(request, article, "That suggestion could not be read.", 400)
    try:
        done = judge(article=article, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, article, error_text(error), 409)
    messages.success(request, said(done), extra_tags=IN_PANEL)
    return _suggestions_done(article, at=form.cleaned_data["start"])


@require_POST
@member_required
def accept_suggestion(request: HttpRequest, pk: int) -> HttpResponse:
    return _judge_suggestion(
        request,
        pk,
        suggestion_accept,
        lambda claim: f"Claim #{claim.pk} created from the suggestion.",
    )


@require_POST
@member_required
def dismiss_suggestion(request: HttpRequest, pk: int) -> HttpResponse:
    return _judge_suggestion(
        request,
        pk,
        suggestion_dismiss,
        lambda dismissed: f"Dismissed: “{dismissed.text[:80]}”. It will not be suggested again.",
    )


@require_POST
@member_required
def accept_all_suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    article = _editor_article(request, pk)
    form = AcceptAllForm(request.POST)
    if not form.is_valid():
        return _refused(request, article, "Choose a score from the list.", 400)
    threshold = form.cleaned_data["threshold"]
    if is_long(article.body) and (
        open_run(article) is not None or cached_scores(article.body) is None
    ):
        # Scoring the text first would outlast the request: a job does both.
        run = suggestion_run_request(
            article=article, by=request.user, accept=True, threshold=threshold
        )
        _said_of_run(request, run, threshold)
        return _suggestions_done(article)
    made = suggestions_accept_all(article=article, by=request.user, threshold=threshold)
    if made:
        messages.success(
            request,
            f"{len(made)} claim{pluralize(len(made))} created from suggestions "
            f"scored {threshold:.1f} or more.",
            extra_tags=IN_PANEL,
        )
    else:
        messages.info(
            request, f"No open suggestion scored {threshold:.1f} or more.", extra_tags=IN_PANEL
        )
    return _suggestions_done(article)


@require_POST
@member_required
def restore_suggestion(request: HttpRequest, pk: int, dismissed_pk: int) -> HttpResponse:
    article = _editor_article(request, pk)
    dismissed = get_object_or_404(DismissedSuggestion, pk=dismissed_pk, article=article)
    suggestion_restore(dismissed=dismissed, by=request.user)
    messages.info(request, f"“{dismissed.text[:80]}” will be suggested again.", extra_tags=IN_PANEL)
    return _suggestions_done(article)


def _said_of_run(request: HttpRequest, run: SuggestionRun, threshold: float) -> None:
    if run.status == RunStatus.DONE:
        made = run.claims_accepted or 0
        messages.success(
            request,
            f"{made} claim{pluralize(made)} created from suggestions scored {threshold:.1f} "
            "or more.",
            extra_tags=IN_PANEL,
        )
    elif run.is_open:
        messages.info(
            request,
            "This long article's suggestions are being prepared and will then be accepted; "
            "the progress is shown here.",
            extra_tags=IN_PANEL,
        )


@require_GET
@member_required
def suggestion_progress(request: HttpRequest, pk: int) -> JsonResponse:
    """How far the job preparing the article's suggestions has got, for the page to poll
    (static/newsdesk/suggestion_progress.js). "none" when no run was asked for its text."""
    article = _editor_article(request, pk)
    run = latest_run(article)
    if run is None:
        return JsonResponse({"status": "none"})
    return JsonResponse(
        {
            "status": "stalled" if run_stalled(run) else run.status,
            "accept": run.accept,
            "percent": run.percent,
            "sentences_done": run.sentences_done,
            "sentences_total": run.sentences_total,
            "claims_accepted": run.claims_accepted,
            "error": run.error,
        }
    )


@require_POST
@member_required
def retry_suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Try again" after a run failed or stalled."""
    article = _editor_article(request, pk)
    suggestion_run_retry(article=article, by=request.user)
    return _suggestions_done(article)
