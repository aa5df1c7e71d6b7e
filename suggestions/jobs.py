"""Asking for the background jobs of suggestions.tasks: prepare a long article's suggestions
(score its sentences), accept them all, try a failed run again, and import an article
whose suggestions a job accepts.

A request never scores a long text itself (suggestions.selectors.is_long): it records a
SuggestionRun, enqueues the job, and the article page shows the run's progress. There is
at most one run under way per text; a second request joins it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article
from articles.services import article_import
from claims.models import Claim, Via
from newsdesk.auth import ADD_ARTICLE, ADD_CLAIM, require_perm
from newsdesk.text import text_digest
from suggestions.models import OPEN_RUN, RunStatus, SuggestionRun
from suggestions.scorer import SCORER_VERSION, THRESHOLD
from suggestions.selectors import is_long, latest_run, run_stalled
from suggestions.services import article_import_with_suggestions
from suggestions.tasks import suggestions_prepare


def suggestion_run_request(
    *,
    article: Article,
    by: AbstractBaseUser,
    accept: bool = False,
    threshold: float = THRESHOLD,
) -> SuggestionRun:
    """Have a job prepare the article's suggestions and, with `accept`, make a claim of
    every one scored at least `threshold`, as `by`.

    If a run is under way for the text already it is joined: asked to accept too (as `by`,
    at `threshold`) if this request accepts. The run row and the job are written in one
    transaction, so a run is never left queued without a job to run it."""
    require_perm(by, ADD_CLAIM, to="judge suggestions")
    digest = text_digest(article.body)
    mine = SuggestionRun.objects.filter(
        OPEN_RUN, article=article, digest=digest, scorer_version=SCORER_VERSION
    )
    with transaction.atomic():
        joined = mine.select_for_update().first()
        if joined is not None and not run_stalled(joined):
            if accept and not joined.accept:
                # The job reads this again, under the same lock, before it finishes.
                mine.filter(pk=joined.pk).update(
                    accept=True, threshold=threshold, requested_by=by, updated_at=timezone.now()
                )
                joined.refresh_from_db()
            return joined
        if joined is not None:
            _give_up(joined)
        try:
            with transaction.atomic():
                run = SuggestionRun.objects.create(
                    article=article,
                    digest=digest,
                    scorer_version=SCORER_VERSION,
                    requested_by=by,
                    accept=accept,
                    threshold=threshold if accept else None,
                )
        except IntegrityError:
            # Someone else's request started one a moment ago: join it.
            return mine.get()
        # Under the database backend this only writes the job's row, committed with the
        # run; under the immediate backend the job runs now, inside this request.
        result = suggestions_prepare.enqueue(run.pk)
        SuggestionRun.objects.filter(pk=run.pk).update(task_id=str(result.id))
    run.refresh_from_db()
    return run


def suggestion_run_retry(*, article: Article, by: AbstractBaseUser) -> SuggestionRun:
    """ "Try again": a new run in place of the text's failed or stalled one, asking what it
    asked (accepting too, at its threshold, if it did)."""
    require_perm(by, ADD_CLAIM, to="judge suggestions")
    last = latest_run(article)
    accept = last is not None and last.accept and last.status != RunStatus.DONE
    threshold = last.threshold if accept and last.threshold is not None else THRESHOLD
    return suggestion_run_request(article=article, by=by, accept=accept, threshold=threshold)


def _give_up(run: SuggestionRun) -> None:
    """A run that stopped reporting (its worker was killed or restarted) is recorded as
    failed, which frees its text for a new one; if its job ever runs, it finds it so."""
    SuggestionRun.objects.filter(pk=run.pk).update(
        status=RunStatus.FAILED,
        error="The background job stopped without finishing (the worker was probably "
        "restarted). It was started again.",
        finished_at=timezone.now(),
    )


@dataclass(frozen=True)
class SuggestedImport:
    """An imported article and the claims made of its suggestions now, or the run that
    will make them."""

    article: Article
    claims: list[Claim] = field(default_factory=list)
    run: SuggestionRun | None = None


def article_import_with_suggestion_job(
    *,
    by: AbstractBaseUser,
    title: str,
    body: str,
    accept_suggestions: bool,
    outlet: str = "",
    url: str = "",
    byline: str = "",
    published_on: date | None = None,
    language: str = "en",
    allow_duplicate: bool = False,
    via: Via = Via.WEB,
) -> SuggestedImport:
    """Import an article as the import page does. A short text, or one imported without
    accepting its suggestions, goes through article_import_with_suggestions (all or
    nothing). A long one whose suggestions are to be accepted is saved at once and a job
    accepts them (suggestion_run_request): scoring 2 MB takes longer than a request may."""
    details = {
        "title": title,
        "body": body,
        "outlet": outlet,
        "url": url,
        "byline": byline,
        "published_on": published_on,
        "language": language,
        "allow_duplicate": allow_duplicate,
    }
    if not accept_suggestions or not is_long(body):
        done = article_import_with_suggestions(
            by=by, accept_suggestions=accept_suggestions, via=via, **details
        )
        return SuggestedImport(done.article, done.claims)
    # Both refusals before anything is written, in the order a person would meet them.
    require_perm(by, ADD_ARTICLE, to="import articles")
    require_perm(by, ADD_CLAIM, to="judge suggestions")
    article = article_import(by=by, **details).article
    return SuggestedImport(article, run=suggestion_run_request(article=article, by=by, accept=True))
