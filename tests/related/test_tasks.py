"""Stored matches follow the claims' words: written when claims are, replaced on edits."""

from __future__ import annotations

import pytest

from claims.models import Claim, ClaimStatus
from claims.services import claim_create, claim_transition, claim_update
from related.models import ClaimMatch
from related.tasks import claims_match_refresh
from tests.factories import ArticleFactory, editor_factory, reviewer_factory

pytestmark = pytest.mark.django_db

WIRE = "Five aid convoys came under attack near Tal Afar on Monday, the army said."
REWRITE = "5 aid convoys were attacked near Tal Afar on Monday, according to the army."


def article_with(text: str):
    return ArticleFactory(body=f"Opening line.\n\n{text}\n\nThe central bank held rates.")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a service and then what it announced for after its commit (the matching job)."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


@pytest.fixture
def create(committed):
    def make(article, text: str, by):
        start = article.body.index(text)
        return committed(claim_create, article=article, start=start, end=start + len(text), by=by)

    return make


def test_a_new_claim_is_matched_both_ways_once_committed(create):
    editor = editor_factory()
    first = create(article_with(WIRE), WIRE, editor)
    second = create(article_with(REWRITE), REWRITE, editor)
    rows = {(m.claim_id, m.other_id): m for m in ClaimMatch.objects.all()}
    assert set(rows) == {(first.pk, second.pk), (second.pk, first.pk)}
    assert rows[first.pk, second.pk].same
    assert rows[first.pk, second.pk].score == rows[second.pk, first.pk].score
    assert "same numbers: five" in rows[first.pk, second.pk].reasons


def test_new_words_replace_the_old_matches(create, committed):
    editor = editor_factory()
    first = create(article_with(WIRE), WIRE, editor)
    article = article_with(REWRITE)
    second = create(article, REWRITE, editor)
    rates = article.body.index("The central bank")
    committed(
        claim_update,
        claim=second,
        by=editor,
        expected_version=second.version,
        start=rates,
        end=rates + len("The central bank held rates."),
    )
    assert not ClaimMatch.objects.filter(claim=first).exists()
    assert not ClaimMatch.objects.filter(claim=second).exists()


def test_refresh_is_idempotent(create):
    editor = editor_factory()
    first = create(article_with(WIRE), WIRE, editor)
    create(article_with(REWRITE), REWRITE, editor)
    assert claims_match_refresh(claim_ids=[first.pk]) == 2
    assert claims_match_refresh(claim_ids=[first.pk]) == 2
    assert ClaimMatch.objects.count() == 2


def test_a_decision_marks_the_matches_pointing_at_the_claim_reviewed(create, committed):
    editor, reviewer = editor_factory(), reviewer_factory()
    first = create(article_with(WIRE), WIRE, editor)
    second = create(article_with(REWRITE), REWRITE, editor)
    towards_first = ClaimMatch.objects.get(claim=second, other=first)
    assert not towards_first.other_reviewed
    first = committed(
        claim_transition,
        claim=first,
        to=ClaimStatus.DISPUTED,
        by=reviewer,
        expected_version=first.version,
        note="Army figures contradict it.",
    )
    towards_first.refresh_from_db()
    assert towards_first.other_reviewed
    assert not ClaimMatch.objects.get(claim=first, other=second).other_reviewed
    committed(
        claim_transition,
        claim=first,
        to=ClaimStatus.UNVERIFIED,
        by=reviewer,
        expected_version=first.version,
        note="Reopened.",
    )
    towards_first.refresh_from_db()
    assert not towards_first.other_reviewed


def test_a_refresh_reads_the_other_claims_status(create):
    editor = editor_factory()
    first = create(article_with(WIRE), WIRE, editor)
    second = create(article_with(REWRITE), REWRITE, editor)
    Claim.objects.filter(pk=first.pk).update(status=ClaimStatus.CONFIRMED)
    claims_match_refresh(claim_ids=[second.pk])
    assert ClaimMatch.objects.get(claim=second, other=first).other_reviewed
    assert not ClaimMatch.objects.get(claim=first, other=second).other_reviewed


def test_a_large_write_waits_for_a_worker_under_the_immediate_backend(settings, caplog):
    from related.apps import INLINE_MATCHED, claims_words_changed

    settings.NEWSDESK_TASKS = "immediate"
    claims_words_changed("claims", claim_ids=list(range(1, INLINE_MATCHED + 2)))
    assert "not matched: no task worker runs" in caplog.text
    assert not ClaimMatch.objects.exists()


def test_a_reviewers_link_overrules_the_matcher_and_its_removal_restores_it(create):
    from related.models import LinkKind
    from related.services import claims_link, claims_unlink

    editor = editor_factory()
    first = create(article_with(WIRE), WIRE, editor)
    second = create(article_with(REWRITE), REWRITE, editor)
    assert set(ClaimMatch.objects.values_list("same", flat=True)) == {True}
    claims_link(claim=second, other=first, kind=LinkKind.RELATED, by=editor)
    assert set(ClaimMatch.objects.values_list("same", flat=True)) == {False}
    claims_match_refresh(claim_ids=[first.pk])  # new words later: the link still decides
    assert set(ClaimMatch.objects.values_list("same", flat=True)) == {False}
    claims_unlink(claim=first, other=second, by=editor)
    assert set(ClaimMatch.objects.values_list("same", flat=True)) == {True}


def test_another_claims_match_survives_this_claims_new_best_few(create, monkeypatch):
    from related import tasks

    editor = editor_factory()
    first = create(article_with(WIRE), WIRE, editor)
    second = create(article_with(REWRITE), REWRITE, editor)
    monkeypatch.setattr(tasks, "KEPT", 0)  # nobody makes first's best few, as if crowded out
    monkeypatch.setattr(tasks, "texts_judged", lambda readings, **kw: [[] for _ in readings])
    claims_match_refresh(claim_ids=[first.pk])
    # second still lists first (and so first lists second): their words still match.
    assert ClaimMatch.objects.filter(claim=second, other=first).exists()
    assert ClaimMatch.objects.filter(claim=first, other=second).exists()
