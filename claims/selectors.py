"""Reads: what the pages and the services look up, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    Expression,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from articles.models import Article
from claims.models import Claim, ClaimEvent, ClaimStatus, EventKind, Source
from newsdesk.fields import MAX_ID
from related.models import ClaimLink, ClaimMatch, LinkKind

# Kinds that change the claim row itself, and so its version.
VERSIONED_KINDS = (
    EventKind.CREATED,
    EventKind.STATUS_CHANGED,
    EventKind.ASSIGNED,
    EventKind.EDITED,
)
OPEN_STATUSES = (ClaimStatus.UNVERIFIED, ClaimStatus.SOURCED)
# A claim someone has looked at: sourced, disputed or confirmed.
REVIEWED_STATUSES = tuple(s for s in ClaimStatus.values if s != ClaimStatus.UNVERIFIED)


def claim_last_change(*, claim_id: int) -> ClaimEvent | None:
    """The latest history row that changed the claim itself: who saved it last, and when."""
    return (
        ClaimEvent.objects.filter(claim_id=claim_id, kind__in=VERSIONED_KINDS)
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )


def claims_last_changes(*, claim_ids: list[int]) -> dict[int, ClaimEvent]:
    """`claim_last_change` of each of `claim_ids` that has one, in one query."""
    latest = (
        ClaimEvent.objects.filter(claim_id=OuterRef("claim_id"), kind__in=VERSIONED_KINDS)
        .order_by("-at", "-id")
        .values("pk")[:1]
    )
    events = ClaimEvent.objects.filter(claim_id__in=claim_ids, pk=Subquery(latest))
    return {event.claim_id: event for event in events.select_related("actor")}


def count_of(model, *, parent: str):
    """How many `model` rows point at each outer row, as a correlated subquery: evaluated
    only for the rows shown, where a COUNT … GROUP BY would aggregate the whole table
    before paginating."""
    counts = (
        model.objects.filter(**{parent: OuterRef("pk")})
        .order_by()
        .values(parent)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def source_count():
    return count_of(Source, parent="claim")


def claims_listed() -> QuerySet[Claim]:
    """Claims as lists show them: with article, assignee and number of sources."""
    return Claim.objects.select_related("article", "assignee").annotate(n_sources=source_count())


def claim_for_review(*, pk: int) -> Claim:
    """One claim with everything its review page shows, in three queries."""
    return (
        Claim.objects.select_related("article", "assignee", "created_by")
        .prefetch_related(
            Prefetch("sources", queryset=Source.objects.select_related("added_by")),
            Prefetch(
                "events", queryset=ClaimEvent.objects.select_related("actor").order_by("-at", "-id")
            ),
        )
        .get(pk=pk)
    )


def status_counts(queryset: QuerySet[Claim]) -> dict[str, int]:
    rows = queryset.order_by().values_list("status").annotate(n=Count("pk"))
    counts = dict.fromkeys(ClaimStatus.values, 0)
    counts.update(dict(rows))
    return counts


# Past this many claims in a status, the queue says "1,000+" instead of counting on.
COUNT_CAP = 1_000


def capped_status_counts(queryset: QuerySet[Claim], *, cap: int = COUNT_CAP) -> dict[str, int]:
    """Claims per status, exact up to `cap` and `cap + 1` beyond (shown as "1,000+").

    One query whatever the table's size: each count reads at most cap + 1 index entries,
    where an exact GROUP BY over a million claims would read them all on every page.
    """
    parts, params = [], []
    for status in ClaimStatus.values:
        limited = queryset.filter(status=status).order_by().values("pk")[: cap + 1]
        try:
            sql, sub_params = limited.query.sql_with_params()
        except EmptyResultSet:
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped)")
        params.extend(sub_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    return dict(zip(ClaimStatus.values, row, strict=True))


# --- reviewed before: matches and links to reviewed claims of other articles ---------


def has_reviewed_match() -> Q:
    """Claims that stand beside a reviewed claim of another article: a stored match the
    matcher calls the same (related.models.ClaimMatch, kept in both directions, its
    `other_reviewed` kept in step with the other claim's status, its `same` overruled by
    a reviewer's link) or a reviewer's "same as" link, read from either end. Three
    EXISTS probes, each one index range per claim
    (the partial claim_match_reviewed_idx, claim_link_once, the link's index on `other`),
    so a keyset page of the queue filtered by it never joins the whole match table with
    the claims."""
    matched = ClaimMatch.objects.filter(claim=OuterRef("pk"), same=True, other_reviewed=True)
    linked_to = ClaimLink.objects.filter(
        claim=OuterRef("pk"), kind=LinkKind.SAME, other__status__in=REVIEWED_STATUSES
    )
    linked_from = ClaimLink.objects.filter(
        other=OuterRef("pk"), kind=LinkKind.SAME, claim__status__in=REVIEWED_STATUSES
    )
    return Q(Exists(matched)) | Q(Exists(linked_to)) | Q(Exists(linked_from))


@dataclass(frozen=True)
class ReviewedMark:
    """The reviewed claim of another article that a claim repeats, as the queue marks it."""

    other_id: int
    status: str
    linked: bool  # a reviewer's "same as" link rather than the matcher's guess

    @property
    def status_label(self) -> str:
        return ClaimStatus(self.status).label


def reviewed_marks(*, claim_ids: list[int]) -> dict[int, ReviewedMark]:
    """For each of `claim_ids` that has one (`has_reviewed_match`), the reviewed claim it
    repeats, in one query: a reviewer's "same as" link first, then the matcher's "same"
    at the best score."""
    if not claim_ids:
        return {}
    columns = ("this", "that", "that_status", "linked", "weight")
    matches = ClaimMatch.objects.filter(
        claim_id__in=claim_ids, same=True, other__status__in=REVIEWED_STATUSES
    ).annotate(
        this=F("claim_id"),
        that=F("other_id"),
        that_status=F("other__status"),
        linked=Value(False),
        weight=F("score"),
    )
    # A link is stored once, lower id first: the page's claim may stand at either end.
    links_to = ClaimLink.objects.filter(
        claim_id__in=claim_ids, kind=LinkKind.SAME, other__status__in=REVIEWED_STATUSES
    ).annotate(
        this=F("claim_id"),
        that=F("other_id"),
        that_status=F("other__status"),
        linked=Value(True),
        weight=Value(1.0),
    )
    links_from = ClaimLink.objects.filter(
        other_id__in=claim_ids, kind=LinkKind.SAME, claim__status__in=REVIEWED_STATUSES
    ).annotate(
        this=F("other_id"),
        that=F("claim_id"),
        that_status=F("claim__status"),
        linked=Value(True),
        weight=Value(1.0),
    )
    rows = (
        matches.order_by()
        .values_list(*columns)
        .union(
            links_to.order_by().values_list(*columns),
            links_from.order_by().values_list(*columns),
            all=True,
        )
    )
    best: dict[int, tuple] = {}
    for this, that, status, linked, weight in rows:
        rank = (bool(linked), weight, -that)
        if this not in best or rank > best[this][0]:
            best[this] = (rank, ReviewedMark(that, status, bool(linked)))
    return {claim_id: found for claim_id, (_, found) in best.items()}


# --- keyset pagination -------------------------------------------------------------

ORDERS = {"recent": ("-status_changed_at", "-id"), "oldest": ("status_changed_at", "id")}
_STAMP = "%Y%m%d%H%M%S%f"


def encode_cursor(claim: Claim) -> str:
    return f"{claim.status_changed_at.astimezone(UTC).strftime(_STAMP)}.{claim.pk}"


def decode_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    """None for anything that is not a cursor this code wrote: the first page is shown."""
    if not cursor:
        return None
    stamp, _, pk = cursor.partition(".")
    try:
        at, pk_value = datetime.strptime(stamp, _STAMP).replace(tzinfo=UTC), int(pk)
    except ValueError:
        return None
    return (at, pk_value) if 0 < pk_value <= MAX_ID else None


class RowBeyond(Expression):
    """`(status_changed_at, id) < (t, pk)`, or `>`: one row-value comparison.

    PostgreSQL and SQLite both match a row value against consecutive columns of an index
    and start the scan at the cursor (PostgreSQL's "Index Cond"), so a page 900,000 rows
    deep reads what the first page reads. The equivalent `a < t OR (a = t AND id < pk)`
    is applied as a Filter to every row before the cursor, and costs the page's depth;
    Django's own tuple lookups write that form on SQLite, hence this expression.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, position: tuple[datetime, int], *, descending: bool) -> None:
        super().__init__()
        at, pk = position
        self.descending = descending
        # Typed by the model's fields, so each backend gets the timestamp as it stores it.
        self.row = [F("status_changed_at"), F("id")]
        self.values = [
            Value(at, output_field=Claim._meta.get_field("status_changed_at")),
            Value(pk, output_field=Claim._meta.pk),
        ]

    def get_source_expressions(self) -> list:
        return [*self.row, *self.values]

    def set_source_expressions(self, exprs) -> None:
        self.row, self.values = list(exprs[:2]), list(exprs[2:])

    def as_sql(self, compiler, connection):
        sql, params = [], []
        for expression in self.get_source_expressions():
            part, part_params = compiler.compile(expression)
            sql.append(part)
            params.extend(part_params)
        operator = "<" if self.descending else ">"
        return f"({sql[0]}, {sql[1]}) {operator} ({sql[2]}, {sql[3]})", params


@dataclass
class KeysetPage:
    items: list[Claim] = field(default_factory=list)
    next_cursor: str | None = None
    prev_cursor: str | None = None


def keyset_page(
    queryset: QuerySet[Claim],
    *,
    order: str = "recent",
    after: str | None = None,
    before: str | None = None,
    size: int = 25,
) -> KeysetPage:
    """A page of claims by (status change, id), without OFFSET or COUNT: deep pages cost
    what the first one does, as the index on (status_changed_at, id) serves both."""
    descending = ORDERS[order][0].startswith("-")
    back = decode_cursor(before)
    if back is not None:
        reverse = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in ORDERS[order])
        earlier = queryset.filter(RowBeyond(back, descending=not descending))
        rows = list(earlier.order_by(*reverse)[: size + 1])
        has_more = len(rows) > size
        items = rows[:size][::-1]
        return KeysetPage(
            items=items,
            next_cursor=encode_cursor(items[-1]) if items else None,
            prev_cursor=encode_cursor(items[0]) if has_more and items else None,
        )
    position = decode_cursor(after)
    if position is not None:
        queryset = queryset.filter(RowBeyond(position, descending=descending))
    rows = list(queryset.order_by(*ORDERS[order])[: size + 1])
    items = rows[:size]
    return KeysetPage(
        items=items,
        next_cursor=encode_cursor(items[-1]) if len(rows) > size else None,
        prev_cursor=encode_cursor(items[0]) if position is not None and items else None,
    )


def claim_after(
    queryset: QuerySet[Claim], *, order: str, position: tuple[datetime, int], exclude: int
) -> Claim | None:
    """The claim that follows `position` in a queue: where "Save and next" goes."""
    descending = ORDERS[order][0].startswith("-")
    return (
        queryset.filter(RowBeyond(position, descending=descending))
        .exclude(pk=exclude)
        .order_by(*ORDERS[order])
        .first()
    )


# --- articles and the dashboard -----------------------------------------------------


def progress_by_article(article_ids: list[int]) -> dict[int, dict[str, int]]:
    """Claims per status for each article, in one query."""
    progress: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(ClaimStatus.values, 0))
    rows = (
        Claim.objects.filter(article_id__in=article_ids)
        .order_by()
        .values_list("article_id", "status")
        .annotate(n=Count("pk"))
    )
    for article_id, status, n in rows:
        progress[article_id][status] = n
    return progress


def articles_in_review(*, limit: int = 8) -> list[Article]:
    """Recent articles that still have open claims, each with its `progress`."""
    open_claims = Claim.objects.filter(article=OuterRef("pk"), status__in=OPEN_STATUSES)
    articles = list(
        Article.objects.filter(Exists(open_claims)).order_by("-created_at", "-id")[:limit]
    )
    progress = progress_by_article([a.pk for a in articles])
    for article in articles:
        article.progress = progress[article.pk]
    return articles


def latest_activity(*, limit: int = 12) -> list[ClaimEvent]:
    return list(
        ClaimEvent.objects.select_related("actor", "claim", "claim__article").order_by(
            "-at", "-id"
        )[:limit]
    )
