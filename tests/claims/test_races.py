"""People saving the same thing at the same moment, on PostgreSQL with real transactions
and a connection each: exactly one wins, the others are told, nothing is lost. Decisions,
"assign to me", and the admin's article, claim and source forms."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from claims.models import Claim, ClaimEvent, ClaimStatus, EventKind, Source
from claims.services import ClaimTaken, StaleClaim, claim_assign, claim_transition
from claims.workflow import TransitionRefused
from newsdesk.auth import EDITORS, REVIEWERS
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    SourceFactory,
    UserFactory,
    reviewer_factory,
)

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


def _race(workers, rounds: int, act) -> list[tuple[int, object, object]]:
    """Run `act(worker, round)` for every worker at once, round after round, each worker in a
    thread with its own connection; returns (round, worker, outcome) for every call."""
    start, results, lock = threading.Barrier(len(workers)), [], threading.Lock()

    def run(worker) -> None:
        try:
            for round_ in range(rounds):
                start.wait()
                outcome = act(worker, round_)
                with lock:
                    results.append((round_, worker, outcome))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == len(workers) * rounds
    return results


def _winners(results, won) -> dict[int, list]:
    by_round: dict[int, list] = {}
    for round_, worker, outcome in results:
        if won(outcome):
            by_round.setdefault(round_, []).append(worker)
    return by_round


def test_five_reviewers_taking_the_same_claim_one_gets_it(roles_for_transactional_tests):
    reviewers = [reviewer_factory(username=f"taker{n}") for n in range(5)]
    claims = [ClaimFactory() for _ in range(20)]

    def take(user, round_: int):
        try:
            claim_assign(
                claim=Claim(pk=claims[round_].pk),
                assignee=user,
                by=user,
                expected_version=1,
                if_unassigned=True,
            )
        except (ClaimTaken, StaleClaim) as refused:
            return str(refused)
        return "won"

    results = _race(reviewers, len(claims), take)
    winners = _winners(results, lambda outcome: outcome == "won")
    assert sorted(winners) == list(range(len(claims)))
    assert all(len(won) == 1 for won in winners.values())
    for round_, claim in enumerate(claims):
        claim.refresh_from_db()
        [winner] = winners[round_]
        assert (claim.assignee, claim.version) == (winner, 2)
        [event] = ClaimEvent.objects.filter(claim=claim, kind=EventKind.ASSIGNED)
        assert event.batch is None
        refusals = [o for r, _, o in results if r == round_ and o != "won"]
        # Each of the four is told who took it.
        assert all(o.startswith(f"{winner.username} took this claim at ") for o in refusals)


def _admin_clients(n: int) -> list[Client]:
    clients = []
    for i in range(n):
        client = Client()
        client.force_login(
            UserFactory(username=f"desk{i}", is_staff=True, roles=[EDITORS, REVIEWERS])
        )
        clients.append(client)
    return clients


def test_admin_article_edits_made_at_once_never_overwrite_each_other(
    roles_for_transactional_tests,
):
    article = ArticleFactory()
    url = reverse("admin:articles_article_change", args=[article.pk])
    first, second = _admin_clients(2)
    rounds = 20

    def save(client, round_: int):
        changed = (
            {"byline": f"byline {round_}"} if client is first else {"outlet": f"outlet {round_}"}
        )
        response = client.post(
            url,
            {
                "title": article.title,
                "outlet": article.outlet,
                "byline": article.byline,
                "language": "en",
                "body": article.body,
                "expected_version": 1 + round_,
                "claims-TOTAL_FORMS": 0,
                "claims-INITIAL_FORMS": 0,
                **changed,
            },
        )
        return response.status_code, response.content.decode()

    results = _race([first, second], rounds, save)
    assert all(status in (200, 302) for _, _, (status, _) in results)
    winners = _winners(results, lambda outcome: outcome[0] == 302)
    assert all(len(winners.get(r, [])) == 1 for r in range(rounds))
    for _, _, (status, page) in results:
        if status == 200:
            assert "saved this article at" in page
            assert "after you opened this page. Nothing was saved." in page
    article.refresh_from_db()
    assert article.version == 1 + rounds
    # The last round's winner is the one whose change is there; the loser's is not.
    last = winners[rounds - 1][0]
    expected = (
        ("byline", f"byline {rounds - 1}") if last is first else ("outlet", f"outlet {rounds - 1}")
    )
    assert getattr(article, expected[0]) == expected[1]


def test_admin_claim_edits_made_at_once_never_overwrite_each_other(
    roles_for_transactional_tests,
):
    claim = ClaimFactory()
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    clients = _admin_clients(2)
    rounds = 20

    def save(client, round_: int):
        response = client.post(
            url,
            {
                "quote": claim.text,
                "attributed_to": f"{clients.index(client)} in round {round_}",
                "expected_version": 1 + round_,
                "sources-TOTAL_FORMS": 0,
                "sources-INITIAL_FORMS": 0,
                "sources-2-TOTAL_FORMS": 0,
                "sources-2-INITIAL_FORMS": 0,
                "events-TOTAL_FORMS": 0,
                "events-INITIAL_FORMS": 0,
            },
        )
        return response.status_code, response.content.decode()

    results = _race(clients, rounds, save)
    assert all(status in (200, 302) for _, _, (status, _) in results)
    winners = _winners(results, lambda outcome: outcome[0] == 302)
    assert all(len(winners.get(r, [])) == 1 for r in range(rounds))
    assert all("changed this claim at" in page for _, _, (s, page) in results if s == 200)
    claim.refresh_from_db()
    assert claim.version == 1 + rounds
    edits = ClaimEvent.objects.filter(claim=claim, kind=EventKind.EDITED)
    assert edits.count() == rounds


def test_admin_source_deletes_made_at_once_keep_what_a_confirmation_rests_on(
    roles_for_transactional_tests,
):
    """Two desks each delete a different supporting source of a confirmed claim that can
    spare one: exactly one goes, the other is refused with the reason, and no 500."""
    clients = _admin_clients(2)
    claims = []
    for _ in range(15):
        claim = ClaimFactory(status=ClaimStatus.CONFIRMED)
        for name in ("Wire A", "Wire B", "Wire C"):
            SourceFactory(claim=claim, publisher=name, added_by=UserFactory(username="adder"))
        claims.append(claim)

    def delete(client, round_: int):
        source = claims[round_].sources.order_by("pk")[clients.index(client)]
        response = client.post(
            reverse("admin:claims_source_delete", args=[source.pk]), {"post": "yes"}
        )
        return response.status_code

    results = _race(clients, len(claims), delete)
    assert all(status == 302 for _, _, status in results)
    for claim in claims:
        assert claim.sources.count() == 2
        assert ClaimEvent.objects.filter(claim=claim, kind=EventKind.SOURCE_REMOVED).count() == 1


def test_five_desks_deleting_one_source_remove_it_once(roles_for_transactional_tests):
    clients = _admin_clients(5)
    sources = [SourceFactory(added_by=UserFactory(username="adder")) for _ in range(10)]

    def delete(client, round_: int):
        url = reverse("admin:claims_source_delete", args=[sources[round_].pk])
        return client.post(url, {"post": "yes"}).status_code

    results = _race(clients, len(sources), delete)
    assert all(status == 302 for _, _, status in results)
    assert not Source.objects.exists()
    assert ClaimEvent.objects.filter(kind=EventKind.SOURCE_REMOVED).count() == len(sources)
