"""A long article's suggestions are prepared by a background job (suggestions.tasks): the
article page shows its progress rather than scoring in the request, an import that accepts
the suggestions of a long text is saved at once and a job accepts them, and a failure is
recorded and offered again.

NEWSDESK_SUGGESTIONS_INLINE_CHARS is lowered so that a text of a few sentences counts as
long. The tests run the immediate backend (the job runs inside the request that asks for
it) unless they say the database backend, whose queued jobs `db_worker --batch` runs."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from articles.models import Article
from claims.models import Claim, ClaimOrigin
from suggestions import selectors, tasks
from suggestions.jobs import suggestion_run_request, suggestion_run_retry
from suggestions.models import RunStatus, SuggestionRun
from suggestions.scorer import scored_sentences
from suggestions.selectors import cached_scores, scored_article
from tests.factories import SENTENCES, ArticleFactory

LONG = "\n\n".join(f"{sentence} It was day {n}." for n in range(6) for sentence in SENTENCES)
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

pytestmark = pytest.mark.usefixtures("short_inline_limit")


@pytest.fixture
def short_inline_limit(settings):
    settings.NEWSDESK_SUGGESTIONS_INLINE_CHARS = 500
    # Scores cached by an earlier test would spare the job its work.
    cache.clear()


@pytest.fixture
def long_article(db):
    return ArticleFactory(body=LONG)


def detail(article) -> str:
    return reverse("articles:detail", args=[article.pk])


def progress(client, article) -> dict:
    response = client.get(reverse("articles:suggestion_progress", args=[article.pk]))
    assert response.status_code == 200
    return response.json()


def run_the_worker() -> None:
    """`manage.py db_worker --batch`: run every queued job, then stop. The worker closes
    the database connection between jobs, which would end the test's transaction on
    PostgreSQL: the test keeps it."""
    with mock.patch.object(db_worker, "close_old_connections"):
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


def test_the_job_records_its_progress_and_keeps_the_scores(long_article, editor, monkeypatch):
    reported = []
    record = tasks._progress
    monkeypatch.setattr(tasks, "PROGRESS_EVERY", 5)
    monkeypatch.setattr(
        tasks,
        "_progress",
        lambda run, **changes: reported.append(changes) or record(run, **changes),
    )

    run = suggestion_run_request(article=long_article, by=editor)

    expected = list(scored_sentences(LONG))
    assert (run.status, run.sentences_done, run.sentences_total) == (
        RunStatus.DONE,
        len(expected),
        len(expected),
    )
    assert run.started_at <= run.finished_at
    assert run.percent == 100
    assert run.claims_accepted is None
    assert not Claim.objects.exists()  # preparing is not accepting
    during = [changes["sentences_done"] for changes in reported[1:-1]]
    assert during == list(range(5, len(expected), 5))
    # scored_article finds the scores the job left, in the cache and, once the cache has
    # forgotten them, on the run.
    monkeypatch.setattr(selectors, "scored_sentences", lambda body: pytest.fail("scored again"))
    assert scored_article(LONG) == expected
    cache.clear()
    assert cached_scores(LONG) == expected
    assert scored_article(LONG) == expected


def test_an_editor_opening_a_long_unscored_article_sees_the_job_progress(
    client, editor, long_article, settings
):
    settings.TASKS = DATABASE
    client.force_login(editor)

    page = client.get(detail(long_article)).content.decode()

    run = SuggestionRun.objects.get()
    assert (run.status, run.article, run.requested_by, run.accept) == (
        RunStatus.QUEUED,
        long_article,
        editor,
        False,
    )
    assert "Preparing suggestions for this long article: 0%" in page
    assert "waiting for the background worker to start" in page
    assert '<progress class="w-100" max="100" value="0"' in page
    assert 'aria-live="polite"' in page
    assert "newsdesk/suggestion_progress.js" in page
    assert "Accept all once prepared" in page
    assert progress(client, long_article) == {
        "status": "queued",
        "accept": False,
        "percent": 0,
        "sentences_done": 0,
        "sentences_total": 0,
        "claims_accepted": None,
        "error": "",
    }
    # Opening it again joins the run under way.
    client.get(detail(long_article))
    assert SuggestionRun.objects.count() == 1

    run_the_worker()

    assert progress(client, long_article)["status"] == "done"
    page = client.get(detail(long_article)).content.decode()
    assert "Preparing suggestions" not in page
    assert "suggestion_progress.js" not in page
    assert f"“{SENTENCES[1]}”" in page  # the suggestions, listed
    assert SuggestionRun.objects.count() == 1


def test_a_short_article_is_scored_in_the_request_with_no_run(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    page = client.get(detail(article)).content.decode()
    assert f"“{SENTENCES[1]}”" in page
    assert not SuggestionRun.objects.exists()


def test_under_the_immediate_backend_the_page_shows_the_suggestions_at_once(
    client, editor, long_article
):
    client.force_login(editor)
    page = client.get(detail(long_article)).content.decode()
    assert f"“{SENTENCES[1]}”" in page
    assert SuggestionRun.objects.get().status == RunStatus.DONE


def test_reviewers_see_no_suggestions_and_start_no_job(client, reviewer, long_article):
    client.force_login(reviewer)
    assert client.get(detail(long_article)).status_code == 200
    assert not SuggestionRun.objects.exists()


def test_the_page_of_a_long_article_costs_the_same_queries_waiting_or_not(
    client, editor, long_article, settings, django_assert_num_queries, monkeypatch
):
    settings.TASKS = DATABASE
    # The notes on suggestions that repeat reviewed claims cost queries of their own, the
    # same for any number of suggestions (tests/related/test_surfaces.py).
    monkeypatch.setattr(selectors, "suggestions_reviewed", lambda listed, *, article: ())
    client.force_login(editor)
    client.get(detail(long_article))  # asks for the run
    # Session, user, roles, article, claims, the run, its scores (none yet), the assignees.
    with django_assert_num_queries(8):
        client.get(detail(long_article))
    with django_assert_num_queries(5):  # session, user and roles, article, run
        progress(client, long_article)
    run_the_worker()
    client.get(detail(long_article))  # the scores, from the run into the cache
    # The same, but the dismissals in place of the scores, which are cached now.
    with django_assert_num_queries(8):
        client.get(detail(long_article))


def test_importing_a_long_text_accepting_suggestions_saves_it_and_a_job_accepts(
    client, editor, settings
):
    settings.TASKS = DATABASE
    client.force_login(editor)

    response = client.post(
        reverse("articles:import"),
        {"title": "A long report", "text": LONG, "accept_suggestions": "on"},
        follow=True,
    )

    article = Article.objects.get()
    assert response.redirect_chain[-1][0] == detail(article)
    page = response.content.decode()
    assert "its suggestions are being accepted in the background" in page
    assert "Accepting suggestions: 0%" in page
    assert not Claim.objects.exists()
    run = SuggestionRun.objects.get()
    assert (run.accept, run.threshold, run.requested_by) == (True, 0.3, editor)

    run_the_worker()

    run.refresh_from_db()
    made = Claim.objects.filter(article=article)
    assert run.status == RunStatus.DONE
    assert run.claims_accepted == made.count() > 0
    assert {c.origin for c in made} == {ClaimOrigin.SUGGESTED}
    assert {c.created_by for c in made} == {editor}
    assert SENTENCES[1] in {c.text for c in made}
    assert "Accepting suggestions" not in client.get(detail(article)).content.decode()


def test_accept_all_on_a_long_article_being_prepared_joins_the_run(
    client, editor, long_article, settings
):
    settings.TASKS = DATABASE
    client.force_login(editor)
    client.get(detail(long_article))  # a run preparing the suggestions, queued

    response = client.post(
        reverse("articles:accept_all_suggestions", args=[long_article.pk]),
        {"threshold": "0.5"},
        follow=True,
    )

    run = SuggestionRun.objects.get()
    assert (run.accept, run.threshold) == (True, 0.5)
    page = response.content.decode()
    assert "will then be accepted" in page
    assert "Accepting suggestions: 0%" in page
    run_the_worker()
    run.refresh_from_db()
    assert run.claims_accepted == Claim.objects.count() > 0


def test_accept_all_on_a_long_article_runs_the_job_at_once_under_the_immediate_backend(
    client, editor, long_article
):
    client.force_login(editor)
    response = client.post(
        reverse("articles:accept_all_suggestions", args=[long_article.pk]),
        {"threshold": "0.3"},
        follow=True,
    )
    made = Claim.objects.count()
    assert made > 0
    assert f"{made} claims created from suggestions scored 0.3 or more." in (
        response.content.decode()
    )


def test_a_failed_job_is_recorded_and_offered_again(client, editor, long_article, monkeypatch):
    def broken(body):
        raise RuntimeError("the weights are unreadable")

    monkeypatch.setattr(tasks, "scored_sentences", broken)
    client.force_login(editor)

    page = client.get(detail(long_article)).content.decode()

    run = SuggestionRun.objects.get()
    assert run.status == RunStatus.FAILED
    assert "RuntimeError: the weights are unreadable" in run.error
    assert run.finished_at is not None
    assert "Preparing this article's suggestions failed" in page
    assert "Try again" in page
    # A failed run is not started again by opening the page, only by "Try again".
    client.get(detail(long_article))
    assert SuggestionRun.objects.count() == 1
    assert progress(client, long_article)["status"] == "failed"

    monkeypatch.undo()
    response = client.post(reverse("articles:retry_suggestions", args=[long_article.pk]))

    assert response.status_code == 302
    assert SuggestionRun.objects.latest("id").status == RunStatus.DONE
    assert f"“{SENTENCES[1]}”" in client.get(detail(long_article)).content.decode()


def test_a_failed_import_accept_is_tried_again_as_an_accept(editor, long_article, monkeypatch):
    monkeypatch.setattr(tasks, "scored_sentences", lambda body: iter([None]))
    failed = suggestion_run_request(article=long_article, by=editor, accept=True, threshold=0.5)
    assert failed.status == RunStatus.FAILED
    monkeypatch.undo()
    again = suggestion_run_retry(article=long_article, by=editor)
    assert (again.accept, again.threshold, again.status) == (True, 0.5, RunStatus.DONE)
    assert again.claims_accepted == Claim.objects.count() > 0


def test_a_job_for_a_text_edited_since_it_was_asked_for_says_so(editor, long_article, settings):
    settings.TASKS = DATABASE
    run = suggestion_run_request(article=long_article, by=editor)
    Article.objects.filter(pk=long_article.pk).update(body=LONG + " One more sentence.")

    run_the_worker()

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "text was edited after this was asked for" in run.error


def test_a_stalled_run_is_given_up_and_started_again(client, editor, long_article, settings):
    settings.TASKS = DATABASE
    stalled = suggestion_run_request(article=long_article, by=editor)
    SuggestionRun.objects.filter(pk=stalled.pk).update(
        status=RunStatus.RUNNING, updated_at=timezone.now() - timedelta(minutes=30)
    )
    client.force_login(editor)

    page = client.get(detail(long_article)).content.decode()
    assert "stopped without finishing" in page
    assert progress(client, long_article)["status"] == "stalled"

    client.post(reverse("articles:retry_suggestions", args=[long_article.pk]))

    stalled.refresh_from_db()
    assert stalled.status == RunStatus.FAILED
    fresh = SuggestionRun.objects.latest("id")
    assert (fresh.pk != stalled.pk, fresh.status) == (True, RunStatus.QUEUED)
    run_the_worker()  # the stalled run's own job, if it ever runs, leaves it as it is
    stalled.refresh_from_db()
    fresh.refresh_from_db()
    assert (stalled.status, fresh.status) == (RunStatus.FAILED, RunStatus.DONE)


def test_progress_says_none_for_a_text_no_run_was_asked_for(client, editor):
    client.force_login(editor)
    assert progress(client, ArticleFactory()) == {"status": "none"}
