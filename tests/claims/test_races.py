"""Two people saving the same claim at the same moment, on PostgreSQL with real
transactions and a connection each: exactly one wins, the other is told, nothing is lost."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from claims.models import Claim, ClaimEvent, ClaimStatus, EventKind
from claims.services import StaleClaim, claim_transition
from claims.workflow import TransitionRefused
from tests.factories import ClaimFactory, reviewer_factory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks"),
    pytest.mark.django_db(transaction=True),
]
RACES = 1000


def test_concurrent_changes_never_lose_an_update(roles_for_transactional_tests):
    first, second = reviewer_factory(username="racer1"), reviewer_factory(username="racer2")
    claim = ClaimFactory()
    start, results = threading.Barrier(2), []
    lock = threading.Lock()

    def racer(user, race: int, version: int) -> None:
        target = ClaimStatus.DISPUTED if race % 2 == 0 else ClaimStatus.UNVERIFIED
        start.wait()
        try:
            claim_transition(
                claim=Claim(pk=claim.pk),
                to=target,
                by=user,
                expected_version=version,
                note=f"race {race}",
            )
            outcome = "won"
        except (StaleClaim, TransitionRefused):
            outcome = "lost"
        with lock:
            results.append((race, outcome))

    def run(user, versions) -> None:
        try:
            for race in range(RACES):
                racer(user, race, versions[race])
        finally:
            connections.close_all()

    # Both racers start each race from the version the previous race left behind.
    versions = [1 + race for race in range(RACES)]
    threads = [threading.Thread(target=run, args=(u, versions)) for u in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    wins = [race for race, outcome in results if outcome == "won"]
    assert len(results) == 2 * RACES
    assert sorted(wins) == list(range(RACES))  # exactly one winner per race
    claim.refresh_from_db()
    assert claim.version == 1 + RACES
    history = ClaimEvent.objects.filter(claim=claim, kind=EventKind.STATUS_CHANGED)
    assert history.count() == RACES
    assert sorted(int(e.note.split()[1]) for e in history) == list(range(RACES))
