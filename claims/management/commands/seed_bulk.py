"""Fill the database with a newsroom's worth of articles, claims, sources and history, fast.

PostgreSQL is loaded with COPY; other databases with batched INSERTs. Rows are written
directly, not through the services: this is test data for measuring scale, and a loop
of service calls would take hours. Every row still satisfies the model's constraints.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from articles.links import body_key, digest, url_key
from articles.quotes import ANCHOR_CONTEXT
from claims.models import ClaimOrigin, ClaimStatus, EventKind, Stance

PLACES = ["Karsk", "Melin", "Orlen", "Valdora", "Tessa", "Brun", "Ostrov", "Kelda", "Marrow"]
ACTORS = [
    "the ministry",
    "a spokesperson",
    "police",
    "the army",
    "a local official",
    "the Northern Shield",
    "witnesses",
    "the company",
    "aid workers",
]
TEMPLATES = [
    "{n} convoys came under attack near {place} on {day}, {actor} said.",
    "{actor} claimed that {n} people were injured in {place} last week.",
    "Fuel deliveries to {place} fell by {n} percent, according to {actor}.",
    "{actor} reportedly turned back about {n} trucks at the {place} crossing.",
    "At least {n} contractors were allegedly detained in {place}, {actor} said.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
OUTLETS = ["Newsdesk Wire", "Valdora Times", "Northern Post", "Relief Monitor", "Evening Ledger"]
# Roughly a working newsroom: a quarter confirmed, most of the rest in progress.
STATUS_WEIGHTS = [
    (ClaimStatus.UNVERIFIED, 35),
    (ClaimStatus.SOURCED, 25),
    (ClaimStatus.DISPUTED, 15),
    (ClaimStatus.CONFIRMED, 25),
]
STANCES = [Stance.SUPPORTS, Stance.SUPPORTS, Stance.CONTRADICTS, Stance.CONTEXT]


class Loader:
    """Writes rows to a table: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, cursor) -> None:
        self.cursor = cursor
        self.postgres = connection.vendor == "postgresql"

    def load(self, table: str, columns: list[str], rows: Iterable[tuple]) -> int:
        count = 0
        if self.postgres:
            statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with self.cursor.cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        batch: list[tuple] = []
        for row in rows:
            batch.append(row)
            if len(batch) == 5000:
                self.cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            self.cursor.executemany(sql, batch)
            count += len(batch)
        return count


class Command(BaseCommand):
    help = "Load N articles with M claims each (and K sources per claim), with history."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--articles", type=int, required=True)
        parser.add_argument("--claims-per-article", type=int, required=True)
        parser.add_argument("--sources-per-claim", type=int, default=2)
        parser.add_argument("--seed", type=int, default=7, help="Random seed, for repeatable data.")

    def handle(self, *args, **options) -> None:
        n_articles, per_article = options["articles"], options["claims_per_article"]
        per_claim = options["sources_per_claim"]
        if n_articles < 1 or per_article < 1 or per_claim < 0:
            raise CommandError(
                "--articles and --claims-per-article must be 1 or more, "
                "--sources-per-claim 0 or more."
            )
        if per_article > 5000 or per_claim > 50:
            raise CommandError("At most 5000 claims per article and 50 sources per claim.")
        needed = settings.NEWSDESK_CONFIRM_MIN_SOURCES
        if per_claim < needed:
            # Confirmed claims must hold up under the rules they would be judged by.
            raise CommandError(
                f"--sources-per-claim must be at least {needed}: a confirmed claim needs "
                f"{needed} supporting sources from different publishers."
            )
        self.random = random.Random(options["seed"])
        began = time.monotonic()
        with transaction.atomic():
            self.editor, self.reviewers = self._users()
            counts = self._load(n_articles, per_article, per_claim)
            self._reset_sequences()
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner, and (outside a transaction, where VACUUM
            # may run) a visibility map so index-only scans work at once, as they would
            # after autovacuum on a live table.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            with connection.cursor() as cursor:
                cursor.execute(
                    f"{command} articles_article, claims_claim, claims_source, claims_claimevent"
                )
        summary = ", ".join(f"{n:,} {name}" for name, n in counts.items())
        self.stdout.write(f"Loaded {summary} in {time.monotonic() - began:.1f} s.")

    def _users(self):
        User = get_user_model()
        reviewers_group = Group.objects.get(name="Reviewers")
        editor, _ = User.objects.get_or_create(username="bulk-editor")
        editor.groups.add(Group.objects.get(name="Editors"))
        reviewers = []
        for i in range(1, 9):
            user, _ = User.objects.get_or_create(username=f"bulk-reviewer{i}")
            user.groups.add(reviewers_group)
            reviewers.append(user.pk)
        return editor.pk, reviewers

    @staticmethod
    def _next_id(cursor, table: str) -> int:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        return cursor.fetchone()[0] + 1

    def _sentence(self) -> str:
        r = self.random
        text = r.choice(TEMPLATES).format(
            n=r.randint(2, 950),
            place=r.choice(PLACES),
            day=r.choice(DAYS),
            actor=r.choice(ACTORS),
        )
        return text[0].upper() + text[1:]

    def _load(self, n_articles: int, per_article: int, per_claim: int) -> dict[str, int]:
        now = timezone.now()
        needed = settings.NEWSDESK_CONFIRM_MIN_SOURCES
        with connection.cursor() as cursor:
            loader = Loader(cursor)
            article_id = self._next_id(cursor, "articles_article")
            claim_id = self._next_id(cursor, "claims_claim")
            source_id = self._next_id(cursor, "claims_source")
            articles, claims, sources, events = [], [], [], []

            def flush() -> None:
                loader.load("articles_article", ARTICLE_COLUMNS, articles)
                loader.load("claims_claim", CLAIM_COLUMNS, claims)
                loader.load("claims_source", SOURCE_COLUMNS, sources)
                loader.load("claims_claimevent", EVENT_COLUMNS, events)
                totals["articles"] += len(articles)
                totals["claims"] += len(claims)
                totals["sources"] += len(sources)
                totals["history rows"] += len(events)
                for rows in (articles, claims, sources, events):
                    rows.clear()

            totals = dict.fromkeys(["articles", "claims", "sources", "history rows"], 0)
            statuses = [s for s, _ in STATUS_WEIGHTS]
            weights = [w for _, w in STATUS_WEIGHTS]
            for _ in range(n_articles):
                sentences = [self._sentence() for _ in range(per_article)]
                body = " ".join(sentences)
                created = now - timedelta(days=self.random.uniform(1, 400))
                articles.append(
                    (
                        article_id,
                        f"Report {article_id}: {sentences[0][:80]}",
                        self.random.choice(OUTLETS),
                        f"https://news.example/{article_id}",
                        "Staff reporter",
                        created.date(),
                        "en",
                        body,
                        self.editor,
                        created,
                        created,
                        1,
                        self.editor,
                        digest(body_key(body)),
                        digest(url_key(f"https://news.example/{article_id}")),
                    )
                )
                at = 0
                for sentence in sentences:
                    start, end = at, at + len(sentence)
                    at = end + 1
                    status = self.random.choices(statuses, weights)[0]
                    changed = created + timedelta(minutes=self.random.randint(1, 60 * 24 * 30))
                    reviewer = self.random.choice(self.reviewers)
                    assignee = None if self.random.random() < 0.2 else reviewer
                    claims.append(
                        (
                            claim_id,
                            article_id,
                            sentence,
                            start,
                            end,
                            body[max(0, start - ANCHOR_CONTEXT) : start],
                            body[end : end + ANCHOR_CONTEXT],
                            self.random.choice(ACTORS),
                            status,
                            assignee,
                            f"Checked against {per_claim} sources."
                            if status != "unverified"
                            else "",
                            1 if status == ClaimStatus.UNVERIFIED else 2,
                            changed,
                            ClaimOrigin.MANUAL,
                            self.editor,
                            created,
                            changed,
                            False,
                        )
                    )
                    events.append(
                        self._event(
                            claim_id,
                            self.editor,
                            created,
                            EventKind.CREATED,
                            "",
                            ClaimStatus.UNVERIFIED,
                        )
                    )
                    for k in range(per_claim):
                        stance = (
                            Stance.SUPPORTS
                            if status == "confirmed" and k < needed
                            else (self.random.choice(STANCES))
                        )
                        adder = self.reviewers[(self.reviewers.index(reviewer) + k + 1) % 8]
                        sources.append(
                            (
                                source_id,
                                claim_id,
                                f"https://s{k}.example{source_id % 97}.org/{source_id}",
                                f"Report {source_id}",
                                f"Publisher {k}",
                                "",
                                stance,
                                created.date(),
                                "",
                                adder,
                                created,
                            )
                        )
                        events.append(
                            self._event(
                                claim_id,
                                adder,
                                created,
                                EventKind.SOURCE_ADDED,
                                "",
                                "",
                                f'{{"stance": "{stance}"}}',
                            )
                        )
                        source_id += 1
                    if status != ClaimStatus.UNVERIFIED:
                        events.append(
                            self._event(
                                claim_id,
                                reviewer,
                                changed,
                                EventKind.STATUS_CHANGED,
                                ClaimStatus.UNVERIFIED,
                                status,
                                # Disputing needs a note, as the workflow asks of people.
                                note="Contradicted by the sources." if status == "disputed" else "",
                            )
                        )
                    claim_id += 1
                article_id += 1
                if len(claims) >= 20_000:
                    flush()
            flush()
        return totals

    @staticmethod
    def _event(claim_id, actor, at, kind, from_status, to_status, data="{}", note="") -> tuple:
        return (claim_id, actor, at, kind, from_status, to_status, note, None, "command", data)

    def _reset_sequences(self) -> None:
        if connection.vendor != "postgresql":
            return  # SQLite continues from the largest id by itself
        with connection.cursor() as cursor:
            for table in ("articles_article", "claims_claim", "claims_source", "claims_claimevent"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )


ARTICLE_COLUMNS = [
    "id",
    "title",
    "outlet",
    "url",
    "byline",
    "published_on",
    "language",
    "body",
    "created_by_id",
    "created_at",
    "updated_at",
    "version",
    "updated_by_id",
    "body_digest",
    "url_digest",
]
CLAIM_COLUMNS = [
    "id",
    "article_id",
    "text",
    "start",
    '"end"',
    "prefix",
    "suffix",
    "attributed_to",
    "status",
    "assignee_id",
    "rationale",
    "version",
    "status_changed_at",
    "origin",
    "created_by_id",
    "created_at",
    "updated_at",
    "orphaned",
]
SOURCE_COLUMNS = [
    "id",
    "claim_id",
    "url",
    "title",
    "publisher",
    "excerpt",
    "stance",
    "accessed_on",
    "archived_url",
    "added_by_id",
    "added_at",
]
EVENT_COLUMNS = [
    "claim_id",
    "actor_id",
    "at",
    "kind",
    "from_status",
    "to_status",
    "note",
    "batch",
    "via",
    "data",
]
