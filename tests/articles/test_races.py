"""The same story imported twice at the same moment, on PostgreSQL with real transactions
and a connection each: it is imported once, and the other import is told it is there."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from articles.models import Article
from articles.services import DuplicateArticle, article_import
from tests.factories import editor_factory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real advisory locks"),
    pytest.mark.django_db(transaction=True),
]
ROUNDS = 20


def _story(round_: int, importer: int) -> dict[str, str]:
    """Even rounds: the same text with no address. Odd rounds: the same address over
    different texts (each importer's own), so each key is raced on its own."""
    if round_ % 2 == 0:
        return {"body": f"Round {round_}: the bridge on the northern route closed."}
    return {
        "body": f"Round {round_}, as importer {importer} pasted it.",
        "url": f"https://wire.example/bridge-{round_}",
    }


def test_the_same_story_imported_at_once_is_imported_once(roles_for_transactional_tests):
    importers = [editor_factory(username=f"importer{n}") for n in range(2)]
    # A timeout, so that one importer failing otherwise fails the test instead of hanging it.
    start = threading.Barrier(len(importers), timeout=60)
    lock, results = threading.Lock(), []

    def run(n: int) -> None:
        try:
            for round_ in range(ROUNDS):
                start.wait()
                try:
                    article_import(by=importers[n], title=f"Round {round_}", **_story(round_, n))
                    outcome = "imported"
                except DuplicateArticle as refused:
                    outcome = str(refused.messages[0])
                except Exception as failed:  # reported by the assertions below
                    outcome = f"failed: {failed!r}"
                with lock:
                    results.append((round_, outcome))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(importers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == len(importers) * ROUNDS
    for round_ in range(ROUNDS):
        outcomes = sorted(outcome for r, outcome in results if r == round_)
        assert outcomes[1] == "imported"
        assert outcomes[0].startswith("This article is in Newsdesk already: #")
    assert Article.objects.count() == ROUNDS
    assert sorted(Article.objects.values_list("title", flat=True)) == sorted(
        f"Round {round_}" for round_ in range(ROUNDS)
    )
