"""Bulk actions against a loop of the single-claim service, for every action, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsdesk_bench .venv/bin/python bench/bulk.py

Load data first with `manage.py seed_bulk` (see docs/performance.md). For each action
(confirm, dispute, reopen, mark sourced, assign) and each round the script picks claims
the action may move as bulk-reviewer1 (or, for assign, bulk-editor handing claims to
bulk-reviewer2), new ones each round: SIZE for the bulk service, called once as the admin
calls it, and LOOP others for a loop of the single service called as the web views call it
(`claim_transition` with the version and rationale the form carried, `claim_assign` with
the version the page showed). Bulk and loop alternate, ROUNDS times per action, the order
swapped each round.

Every measurement runs in a transaction that is rolled back, so the database is left as it
was; the claims and history tables are vacuumed before (to measure them as autovacuum keeps
a live table, whatever ran before) and after (the rolled-back rows are dead tuples, and the
bench cluster runs without autovacuum). Inside the transaction each single call is a
savepoint where a view's would be a transaction of its own: a commit costs at least what a
savepoint release does (it waits for the WAL to reach the disk), so this flatters the loop,
not the bulk. Queries are counted with a wrapper that only increments a number.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
from _common import setup, table


class Rollback(Exception):
    pass


class Counter:
    """A database execute wrapper that counts queries and does nothing else."""

    def __init__(self) -> None:
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)


def vacuum() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        # A vacuum of a million rows outlasts the statement timeout set for requests.
        cursor.execute("SET statement_timeout = 0")
        cursor.execute("VACUUM (ANALYZE) claims_claim, claims_claimevent")


def candidates(action: str, *, actor, target, count: int) -> list[int]:
    """The first `count` claims by id that `action` may move, as `actor` (to `target`)."""
    from django.conf import settings
    from django.db.models import Count, Exists, OuterRef, Q

    from claims.models import Claim, ClaimStatus, Source, Stance
    from claims.workflow import transition_between

    claims = Claim.objects.order_by("id")
    if action == "assign":
        claims = claims.exclude(assignee=target)
    else:
        origins = [s for s in ClaimStatus if transition_between(s, target)]
        claims = claims.filter(status__in=origins)
    if action == "mark sourced":
        claims = claims.filter(Exists(Source.objects.filter(claim=OuterRef("pk"))))
    if action == "confirm":
        supports = Q(sources__stance=Stance.SUPPORTS)
        claims = claims.annotate(
            publishers=Count("sources__publisher", filter=supports, distinct=True),
            # Four eyes: someone else added at least one supporting source.
            by_others=Count("sources", filter=supports & ~Q(sources__added_by=actor)),
        ).filter(publishers__gte=settings.NEWSDESK_CONFIRM_MIN_SOURCES, by_others__gte=1)
    ids = list(claims.values_list("id", flat=True)[:count])
    if len(ids) < count:
        raise SystemExit(f"Only {len(ids)} claims can be moved by {action}; load more data.")
    return ids


def measure(run: Callable[[], int]) -> tuple[float, int, int]:
    """Seconds, queries and claims changed by `run`, whose writes are then rolled back."""
    from django.db import connection, transaction

    counter = Counter()
    try:
        with transaction.atomic(), connection.execute_wrapper(counter):
            began = time.perf_counter()
            changed = run()
            elapsed = time.perf_counter() - began
            raise Rollback
    except Rollback:
        pass
    return elapsed, counter.queries, changed


def bulk_run(action: str, ids: list[int], *, actor, target) -> Callable[[], int]:
    from claims.models import Via
    from claims.services import claims_bulk_assign, claims_bulk_transition

    def run() -> int:
        if action == "assign":
            result = claims_bulk_assign(claims=ids, assignee=target, by=actor, via=Via.ADMIN)
        else:
            result = claims_bulk_transition(
                claims=ids, to=target, by=actor, note="bench", via=Via.ADMIN
            )
        if result.refused or result.unchanged:
            raise SystemExit(f"bulk {action}: {result.describe('moved')}")
        return len(result.changed)

    return run


def loop_run(action: str, ids: list[int], *, actor, target) -> Callable[[], int]:
    from claims.models import Claim
    from claims.services import claim_assign, claim_transition

    def run() -> int:
        # What each request has read before it calls the service: not part of the timing
        # in a view either (the page was rendered from it).
        claims = list(Claim.objects.filter(pk__in=ids).order_by("pk"))
        began = time.perf_counter()
        for claim in claims:
            if action == "assign":
                claim_assign(
                    claim=Claim(pk=claim.pk),
                    assignee=target,
                    by=actor,
                    expected_version=claim.version,
                )
            else:
                claim_transition(
                    claim=claim,
                    to=target,
                    by=actor,
                    expected_version=claim.version,
                    note="bench",
                    rationale=claim.rationale,
                    expected_rationale=claim.rationale,
                )
        run.service_seconds = time.perf_counter() - began
        return len(claims)

    return run


ACTIONS = ("confirm", "dispute", "reopen", "mark sourced", "assign")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="claims per bulk call")
    parser.add_argument("--loop", type=int, default=1_000, help="claims in the loop")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--actions", nargs="+", choices=ACTIONS, default=list(ACTIONS))
    options = parser.parse_args()
    setup()
    from django.contrib.auth import get_user_model

    from claims.models import Claim, ClaimStatus

    User = get_user_model()
    reviewer = User.objects.get(username="bulk-reviewer1")
    editor = User.objects.get(username="bulk-editor")
    handed_to = User.objects.get(username="bulk-reviewer2")
    who = {
        "confirm": (reviewer, ClaimStatus.CONFIRMED),
        "dispute": (reviewer, ClaimStatus.DISPUTED),
        "reopen": (reviewer, ClaimStatus.UNVERIFIED),
        "mark sourced": (reviewer, ClaimStatus.SOURCED),
        "assign": (editor, handed_to),
    }
    vacuum()
    print(f"{Claim.objects.count():,} claims; {options.rounds} rounds, bulk and loop alternating\n")
    rows = []
    for action in options.actions:
        actor, target = who[action]
        # Claims of their own for each round: a rolled-back write leaves dead row versions
        # behind, which would slow the next round over the same rows.
        per_round = options.size + options.loop
        ids = candidates(action, actor=actor, target=target, count=options.rounds * per_round)
        bulk_times, loop_times, ratios = [], [], []
        for round_ in range(options.rounds):
            mine = ids[round_ * per_round : (round_ + 1) * per_round]
            bulk_ids, loop_ids = mine[: options.size], mine[options.size :]
            bulk = bulk_run(action, bulk_ids, actor=actor, target=target)
            loop = loop_run(action, loop_ids, actor=actor, target=target)
            order = [("bulk", bulk), ("loop", loop)]
            if round_ % 2:
                order.reverse()
            measured = {name: measure(run) for name, run in order}
            bulk_s, bulk_q, bulk_n = measured["bulk"]
            _, loop_q, loop_n = measured["loop"]
            assert (bulk_n, loop_n) == (len(bulk_ids), len(loop_ids))
            per_bulk = bulk_s / bulk_n
            per_loop = loop.service_seconds / loop_n
            bulk_times.append(per_bulk)
            loop_times.append(per_loop)
            ratios.append(per_loop / per_bulk)
        bulk_ms, loop_ms = statistics.median(bulk_times), statistics.median(loop_times)
        rows.append(
            (
                action,
                f"{bulk_ms * 1000:.3f}",
                bulk_q,
                f"{loop_ms * 1000:.3f}",
                # Less the one read of the claims, which is not timed.
                f"{(loop_q - 1) / loop_n:.1f}",
                f"{loop_ms / bulk_ms:.1f}x",
                f"{min(ratios):.1f}-{max(ratios):.1f}x",
            )
        )
    print(
        table(
            rows,
            (
                "action",
                f"bulk ms/claim ({options.size:,})",
                "bulk queries",
                f"loop ms/claim ({options.loop:,})",
                "loop queries/claim",
                "bulk speed-up",
                "per round",
            ),
        )
    )
    vacuum()


if __name__ == "__main__":
    sys.exit(main())
