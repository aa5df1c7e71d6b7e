"""Background jobs (Django's task framework, django-tasks): scoring a long article's
sentences, and accepting its suggestions afterwards, with progress the article page shows.

A job is asked for through suggestions.jobs, which records a SuggestionRun and enqueues
suggestions_prepare with its id. Where the settings name the database backend, `manage.py
db_worker` (started by `make serve`) runs it; under the immediate backend (tests, the demo)
it runs at once inside the request that asked.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django_tasks import task

from newsdesk.errors import NewsdeskError, error_text
from newsdesk.text import text_digest
from suggestions.models import RunStatus, SuggestionRun
from suggestions.scorer import scored_sentences
from suggestions.segmenter import sentence_spans
from suggestions.selectors import scores_packed, scores_remember
from suggestions.services import suggestions_accept_all

logger = logging.getLogger(__name__)

# Progress is written every this many sentences, each time in a short transaction of its
# own: about half a second of scoring apart, and a few dozen writes for a 2 MB text.
PROGRESS_EVERY = 250


class RunRefused(NewsdeskError):
    """A run that cannot do what was asked, in words for the person who asked."""


@task()
def suggestions_prepare(run_id: int) -> int | None:
    """Score the run's article, keep the scores (cache and run) and, if the run says so,
    accept every suggestion at its threshold as the Editor who asked. Returns how many
    claims were made. A failure is recorded on the run, then raised for the task's own
    record (the worker's log, the task result)."""
    run = SuggestionRun.objects.select_related("article", "requested_by").get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        # Already run, or given up on ("Try again" marks a stalled run failed).
        return run.claims_accepted
    try:
        return _prepare(run)
    except BaseException as error:
        _record_failure(run, error)
        raise


def _prepare(run: SuggestionRun) -> int | None:
    body = run.article.body
    if text_digest(body) != run.digest:
        raise RunRefused(
            "The article's text was edited after this was asked for. Open the article again "
            "to prepare the suggestions of its text as it is now."
        )
    # Segmenting is a few percent of scoring; it tells how far along the scoring is.
    total = sum(1 for _ in sentence_spans(body))
    now = timezone.now()
    _progress(run, status=RunStatus.RUNNING, started_at=now, sentences_total=total)
    scored = []
    for suggestion in scored_sentences(body):
        scored.append(suggestion)
        if len(scored) % PROGRESS_EVERY == 0:
            # The scorer may find a sentence the segmenter alone did not: the total grows.
            _progress(
                run,
                sentences_done=len(scored),
                sentences_total=Greatest(F("sentences_total"), len(scored)),
            )
    scores_remember(body, scored)
    with transaction.atomic():
        # Locked, and read again: an Editor may have asked since for the suggestions to be
        # accepted (suggestions.jobs joins a run under way rather than start another).
        run = (
            SuggestionRun.objects.select_for_update().select_related("requested_by").get(pk=run.pk)
        )
        made = None
        if run.accept:
            made = len(
                suggestions_accept_all(
                    article=run.article, by=run.requested_by, threshold=run.threshold
                )
            )
        _progress(
            run,
            status=RunStatus.DONE,
            sentences_done=len(scored),
            sentences_total=len(scored),
            scores=scores_packed(scored),
            claims_accepted=made,
            finished_at=timezone.now(),
        )
    return made


def _progress(run: SuggestionRun, **changes) -> None:
    SuggestionRun.objects.filter(pk=run.pk).update(updated_at=timezone.now(), **changes)


def _record_failure(run: SuggestionRun, error: BaseException) -> None:
    if isinstance(error, NewsdeskError | ValidationError | PermissionDenied):
        said = error_text(error)
    else:
        logger.exception("Suggestions of article %s failed (run %s)", run.article_id, run.pk)
        said = (
            "Preparing the suggestions failed with an error "
            f"({type(error).__name__}: {str(error)[:300] or 'no detail'}). Try again; if it "
            "fails again, tell the Newsdesk administrators."
        )
    if isinstance(error, KeyboardInterrupt | SystemExit):
        said = "The background worker was stopped while preparing the suggestions. Try again."
    _progress(run, status=RunStatus.FAILED, error=said, finished_at=timezone.now())
