"""Reviewers saving the same claim at the same moment against a SQLite file, the way
`make run` serves the demo (runserver: a thread and a connection per request).

Run as `python -m tests.newsdesk.sqlite_writers ROUNDS` with DATABASE_URL pointing at a
file database; prints one JSON object: per round, who won and what the others were told,
and every OperationalError. The test suite's own database is in memory and shared by one
connection, so it cannot show what two writers on one file do to each other."""

from __future__ import annotations

import json
import sys
import threading

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import OperationalError, connection, connections  # noqa: E402

from claims.models import Claim, ClaimStatus  # noqa: E402
from claims.services import ClaimTaken, StaleClaim, claim_assign, claim_transition  # noqa: E402
from claims.workflow import TransitionRefused  # noqa: E402
from tests.factories import ClaimFactory, reviewer_factory  # noqa: E402

WRITERS = 4


def main(rounds: int) -> dict[str, object]:
    call_command("migrate", verbosity=0)
    reviewers = [reviewer_factory(username=f"writer{n}") for n in range(WRITERS)]
    claims = [ClaimFactory() for _ in range(rounds)]
    start = threading.Barrier(WRITERS)
    lock = threading.Lock()
    outcomes: list[tuple[str, int, int, str]] = []

    def take(user, claim: Claim) -> None:
        claim_assign(
            claim=Claim(pk=claim.pk), assignee=user, by=user, expected_version=1, if_unassigned=True
        )

    def decide(user, claim: Claim) -> None:
        # The claims were taken in the first half, so each is at version 2 here.
        claim_transition(
            claim=Claim(pk=claim.pk),
            to=ClaimStatus.DISPUTED,
            by=user,
            expected_version=2,
            note=f"{user.username} disputes it",
            rationale=f"{user.username}'s reasons",
        )

    def run(index: int) -> None:
        user = reviewers[index]
        try:
            for action in (take, decide):
                for round_, claim in enumerate(claims):
                    start.wait()
                    try:
                        action(user, claim)
                        outcome = "won"
                    except (StaleClaim, ClaimTaken, TransitionRefused):
                        outcome = "refused"
                    except OperationalError as error:
                        outcome = f"OperationalError: {error}"
                    with lock:
                        outcomes.append((action.__name__, round_, index, outcome))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    winners: dict[str, dict[int, list[int]]] = {"take": {}, "decide": {}}
    for action, round_, index, outcome in outcomes:
        if outcome == "won":
            winners[action].setdefault(round_, []).append(index)
    stored = {
        claim.pk: (claim.assignee_id, claim.status, claim.version)
        for claim in Claim.objects.order_by("pk")
    }
    return {
        "vendor": connection.vendor,
        "name": str(connection.settings_dict["NAME"]),
        "journal_mode": connection.cursor().execute("PRAGMA journal_mode").fetchone()[0],
        "outcomes": len(outcomes),
        "errors": [o for *_, o in outcomes if o.startswith("OperationalError")],
        "winners": winners,
        "stored": [
            [stored[c.pk][0] == reviewers[winners["take"][r][0]].pk, stored[c.pk][1:]]
            if len(winners["take"].get(r, [])) == 1
            else None
            for r, c in enumerate(claims)
        ],
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]))))
