"""Verified-claims reports: CSV, JSON and schema.org ClaimReview, streamed at any size.

Every format is a generator of bytes, so memory stays flat whatever the number of rows.
On PostgreSQL the CSV comes straight from `COPY … TO STDOUT`; elsewhere it is built
here, row by row. Both paths give byte-identical output (tests/claims/test_exports.py),
so the CSV format below is defined once, in `CSV_COLUMNS` and `csv_cell`.

One cohesive thing, kept in one module past the usual size: the three formats share their
columns, their selection of claims and their streaming, and a change to one is checked
against the others.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, ClaimEvent, ClaimStatus, EventKind, Source, Stance

# What a report holds unless a status filter says otherwise: claims someone has reviewed.
REVIEWED = (ClaimStatus.SOURCED, ClaimStatus.DISPUTED, ClaimStatus.CONFIRMED)

CSV_COLUMNS = [
    "claim_id",
    "claim_url",
    "article_id",
    "article_title",
    "outlet",
    "article_url",
    "published_on",
    "quote",
    "attributed_to",
    "status",
    "rationale",
    "decided_by",
    "status_changed_at",
    "supporting_sources",
    "contradicting_sources",
    # Last, so that readers which take the columns by position still find the others.
    "orphaned",
]

# Schema.org ClaimReview ratings on a 1 (worst) to 5 (best) scale. "3" means no verdict
# yet: the claim is neither shown false nor confirmed.
RATINGS = {
    ClaimStatus.DISPUTED: (1, "Disputed"),
    ClaimStatus.UNVERIFIED: (3, "Unverified"),
    ClaimStatus.SOURCED: (3, "Sourced, not yet confirmed"),
    ClaimStatus.CONFIRMED: (5, "Confirmed"),
}
WORST_RATING, BEST_RATING = 1, 5

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 1000
_SPACES = re.compile(r"[ \t\n\r\f\v]+")


# --- selection -------------------------------------------------------------------------


def decided_by():
    """Who made the latest status change, as a correlated subquery."""
    return Subquery(
        ClaimEvent.objects.filter(claim=OuterRef("pk"), kind=EventKind.STATUS_CHANGED)
        .order_by("-at", "-id")
        .values("actor__username")[:1]
    )


def report_claims(queryset: QuerySet[Claim]) -> QuerySet[Claim]:
    """Claims in report order: article by article, in the order they appear."""
    return queryset.order_by("article_id", "start", "id")


CLAIM_FIELDS = (
    "pk",
    "article_id",
    "article__title",
    "article__outlet",
    "article__url",
    "article__published_on",
    "text",
    "start",
    "end",
    "attributed_to",
    "status",
    "rationale",
    "decider",
    "status_changed_at",
    "orphaned",
)


def _claim_rows(queryset: QuerySet[Claim]) -> Iterator[list[dict]]:
    """The selected claims as dicts, CHUNK at a time, from one server-side cursor."""
    rows = (
        report_claims(queryset)
        .annotate(decider=decided_by())
        .values_list(*CLAIM_FIELDS)
        .iterator(chunk_size=2000)
    )
    chunk: list[dict] = []
    for row in rows:
        chunk.append(dict(zip(CLAIM_FIELDS, row, strict=True)))
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _sources_for(claim_ids: list[int], stances: Iterable[str] | None = None) -> dict:
    sources = Source.objects.filter(claim_id__in=claim_ids).order_by("claim_id", "added_at", "id")
    if stances is not None:
        sources = sources.filter(stance__in=list(stances))
    grouped: dict[int, list[dict]] = defaultdict(list)
    for source in sources.values(
        "claim_id",
        "url",
        "title",
        "publisher",
        "stance",
        "excerpt",
        "accessed_on",
        "archived_url",
        "added_by__username",
    ):
        grouped[source["claim_id"]].append(source)
    return grouped


def _history_for(claim_ids: list[int]) -> dict:
    events = (
        ClaimEvent.objects.filter(claim_id__in=claim_ids)
        .order_by("claim_id", "at", "id")
        .values(
            "claim_id",
            "at",
            "actor__username",
            "kind",
            "from_status",
            "to_status",
            "note",
            "via",
            "batch",
        )
    )
    grouped: dict[int, list[dict]] = defaultdict(list)
    for event in events:
        grouped[event["claim_id"]].append(
            {
                "at": _iso(event["at"]),
                "actor": event["actor__username"],
                "kind": event["kind"],
                "from_status": event["from_status"] or None,
                "to_status": event["to_status"] or None,
                "note": event["note"],
                "via": event["via"],
                "batch": str(event["batch"]) if event["batch"] else None,
            }
        )
    return grouped


# --- shared formatting -------------------------------------------------------------------


def claim_url(base_url: str, claim_id: int) -> str:
    return base_url.rstrip("/") + reverse("claims:detail", args=[claim_id])


def article_page_url(base_url: str, article_id: int) -> str:
    return base_url.rstrip("/") + reverse("articles:detail", args=[article_id])


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _flag(value: bool) -> str:
    return "true" if value else "false"


def source_line(source: dict) -> str:
    """One source in a CSV cell: its URL, then its publisher in brackets if it has one."""
    publisher = _SPACES.sub(" ", source["publisher"]).strip(" ")
    return f"{source['url']} ({publisher})" if publisher else source["url"]


def neutralise(value: str) -> str:
    """A cell a spreadsheet would run as a formula is turned into plain text."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_cell(value: object) -> str:
    """One CSV field, quoted exactly as PostgreSQL's COPY … CSV quotes it."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    text = neutralise(str(value))
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_header() -> bytes:
    return (",".join(CSV_COLUMNS) + "\n").encode()


# --- CSV -------------------------------------------------------------------------------


def csv_rows(queryset: QuerySet[Claim], *, base_url: str) -> Iterator[bytes]:
    """The CSV body built in Python: the path for SQLite, and the reference for COPY."""
    for chunk in _claim_rows(queryset):
        sources = _sources_for([c["pk"] for c in chunk], (Stance.SUPPORTS, Stance.CONTRADICTS))
        lines = []
        for claim in chunk:
            own = sources.get(claim["pk"], [])
            supporting = "\n".join(source_line(s) for s in own if s["stance"] == Stance.SUPPORTS)
            contradicting = "\n".join(
                source_line(s) for s in own if s["stance"] == Stance.CONTRADICTS
            )
            values = [
                claim["pk"],
                claim_url(base_url, claim["pk"]),
                claim["article_id"],
                claim["article__title"],
                claim["article__outlet"],
                claim["article__url"],
                _day(claim["article__published_on"]),
                claim["text"],
                claim["attributed_to"],
                claim["status"],
                claim["rationale"],
                claim["decider"],
                _iso(claim["status_changed_at"]),
                supporting,
                contradicting,
                _flag(claim["orphaned"]),
            ]
            lines.append(",".join(csv_cell(v) for v in values) + "\n")
        yield "".join(lines).encode()


def _sql_cell(expression: str) -> str:
    """SQL twin of `csv_cell` for text: neutralise formulas, and '' becomes NULL so COPY
    writes it unquoted, as Python's path does."""
    starts = ", ".join(["'='", "'+'", "'-'", "'@'", "E'\\t'", "E'\\r'"])
    return (
        f"NULLIF(CASE WHEN left({expression}, 1) IN ({starts}) "
        f"THEN '''' || {expression} ELSE {expression} END, '')"
    )


def _sql_sources(stance: str) -> str:
    publisher = "btrim(regexp_replace(s.publisher, '[ \\t\\n\\r\\f\\v]+', ' ', 'g'), ' ')"
    line = f"s.url || CASE WHEN {publisher} <> '' THEN ' (' || {publisher} || ')' ELSE '' END"
    return (
        f"(SELECT string_agg({line}, E'\\n' ORDER BY s.added_at, s.id) FROM claims_source s "
        f"WHERE s.claim_id = c.id AND s.stance = '{stance}')"
    )


def copy_sql(queryset: QuerySet[Claim], *, base_url: str) -> tuple[str, list[object]]:
    """The COPY statement for PostgreSQL, selecting the same rows in the same order."""
    ids_sql, ids_params = queryset.order_by().values("pk").query.sql_with_params()
    url_prefix = base_url.rstrip("/") + reverse("claims:detail", args=[0]).removesuffix("0/")
    users = get_user_model()._meta.db_table
    timestamp = "to_char(c.status_changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
    # LEFT JOIN, as `decided_by()` does: a change the system made names nobody.
    decider = (
        f"(SELECT u.username FROM claims_claimevent e LEFT JOIN {users} u ON u.id = e.actor_id "
        f"WHERE e.claim_id = c.id AND e.kind = '{EventKind.STATUS_CHANGED.value}' "
        "ORDER BY e.at DESC, e.id DESC LIMIT 1)"
    )
    columns = [
        "c.id",
        _sql_cell("p.prefix || c.id::text || '/'"),
        "c.article_id",
        _sql_cell("a.title"),
        _sql_cell("a.outlet"),
        _sql_cell("a.url"),
        "to_char(a.published_on, 'YYYY-MM-DD')",
        _sql_cell("c.text"),
        _sql_cell("c.attributed_to"),
        _sql_cell("c.status"),
        _sql_cell("c.rationale"),
        _sql_cell(decider),
        timestamp,
        _sql_cell(_sql_sources(Stance.SUPPORTS)),
        _sql_cell(_sql_sources(Stance.CONTRADICTS)),
        "CASE WHEN c.orphaned THEN 'true' ELSE 'false' END",
    ]
    sql = (
        f"COPY (SELECT {', '.join(columns)} FROM claims_claim c "
        "JOIN articles_article a ON a.id = c.article_id "
        # The URL prefix is bound once and named, however often the columns use it.
        "CROSS JOIN (SELECT %s::text AS prefix) p "
        f"WHERE c.id IN ({ids_sql}) ORDER BY c.article_id, c.start, c.id) "
        "TO STDOUT WITH (FORMAT csv)"
    )
    return sql, [url_prefix, *ids_params]


def copy_rows(queryset: QuerySet[Claim], *, base_url: str) -> Iterator[bytes]:
    try:
        sql, params = copy_sql(queryset, base_url=base_url)
    except EmptyResultSet:  # e.g. .none(): Django knows there is nothing to select
        return
    connection.ensure_connection()
    with connection.connection.cursor() as cursor, cursor.copy(sql, params) as copy:
        for block in copy:
            yield bytes(block)


def export_csv(
    queryset: QuerySet[Claim], *, base_url: str, use_copy: bool | None = None
) -> Iterator[bytes]:
    """The CSV report: header, then one row per claim (COPY on PostgreSQL)."""
    if use_copy is None:
        use_copy = connection.vendor == "postgresql"
    yield csv_header()
    rows = copy_rows if use_copy else csv_rows
    yield from rows(queryset, base_url=base_url)


# Excel and LibreOffice read a CSV without a byte-order mark in the computer's legacy code
# page, which garbles every accented letter; the mark tells them it is UTF-8.
UTF8_BOM = "\ufeff".encode()


def export_csv_excel(
    queryset: QuerySet[Claim], *, base_url: str, use_copy: bool | None = None
) -> Iterator[bytes]:
    """The CSV report for spreadsheets: the same bytes, after a UTF-8 byte-order mark."""
    yield UTF8_BOM
    yield from export_csv(queryset, base_url=base_url, use_copy=use_copy)


# --- JSON ------------------------------------------------------------------------------


def _claim_json(claim: dict, sources: list[dict], base_url: str) -> dict:
    # An orphan's offsets are those its words had before an edit removed them: they point
    # at whatever stands there now, so none are given.
    orphaned = claim["orphaned"]
    return {
        "id": claim["pk"],
        "url": claim_url(base_url, claim["pk"]),
        "quote": claim["text"],
        "orphaned": orphaned,
        "start": None if orphaned else claim["start"],
        "end": None if orphaned else claim["end"],
        "attributed_to": claim["attributed_to"],
        "status": claim["status"],
        "rationale": claim["rationale"],
        "decided_by": claim["decider"],
        "status_changed_at": _iso(claim["status_changed_at"]),
        "sources": [
            {
                "url": s["url"],
                "title": s["title"],
                "publisher": s["publisher"],
                "stance": s["stance"],
                "excerpt": s["excerpt"],
                "accessed_on": _day(s["accessed_on"]),
                "archived_url": s["archived_url"] or None,
                "added_by": s["added_by__username"],
            }
            for s in sources
        ],
    }


def export_json(
    queryset: QuerySet[Claim], *, base_url: str, history: bool = False
) -> Iterator[bytes]:
    """Articles with their claims and sources (and, if asked, each claim's history)."""
    head = {
        "generated_at": _iso(timezone.now()),
        "newsroom": settings.NEWSDESK_NEWSROOM_NAME,
        "format": "newsdesk-claims/1",
    }
    yield (json.dumps(head, ensure_ascii=False)[:-1] + ', "articles": [').encode()
    current = None
    first_article = True
    for chunk in _claim_rows(queryset):
        ids = [c["pk"] for c in chunk]
        sources = _sources_for(ids)
        events = _history_for(ids) if history else {}
        parts = []
        for claim in chunk:
            if claim["article_id"] != current:
                if current is not None:
                    parts.append("]}")
                article = {
                    "id": claim["article_id"],
                    "title": claim["article__title"],
                    "outlet": claim["article__outlet"],
                    "url": claim["article__url"] or None,
                    "published_on": _day(claim["article__published_on"]),
                    "newsdesk_url": article_page_url(base_url, claim["article_id"]),
                }
                opening = json.dumps(article, ensure_ascii=False)[:-1] + ', "claims": ['
                parts.append(opening if first_article else "," + opening)
                first_article, current, first_claim = False, claim["article_id"], True
            body = _claim_json(claim, sources.get(claim["pk"], []), base_url)
            if history:
                body["history"] = events.get(claim["pk"], [])
            parts.append(("" if first_claim else ",") + json.dumps(body, ensure_ascii=False))
            first_claim = False
        yield "".join(parts).encode()
    yield ("]}" if current is not None else "").encode() + b"]}\n"


# --- ClaimReview JSON-LD -----------------------------------------------------------------


def claim_review(claim: dict, base_url: str) -> dict:
    value, name = RATINGS[ClaimStatus(claim["status"])]
    appearance = {
        "@type": "NewsArticle",
        "headline": claim["article__title"],
        "url": claim["article__url"] or article_page_url(base_url, claim["article_id"]),
    }
    if claim["article__outlet"]:
        appearance["publisher"] = {"@type": "Organization", "name": claim["article__outlet"]}
    if claim["article__published_on"]:
        appearance["datePublished"] = _day(claim["article__published_on"])
    item = {"@type": "Claim", "appearance": appearance}
    if claim["attributed_to"]:
        item["author"] = {"@type": "Thing", "name": claim["attributed_to"]}
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": claim_url(base_url, claim["pk"]),
        "claimReviewed": claim["text"],
        "itemReviewed": item,
        "author": {"@type": "Organization", "name": settings.NEWSDESK_NEWSROOM_NAME},
        "datePublished": _iso(claim["status_changed_at"]),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": name,
        },
    }
    if claim["rationale"]:
        review["reviewBody"] = claim["rationale"]
    return review


def export_claimreview(queryset: QuerySet[Claim], *, base_url: str) -> Iterator[bytes]:
    """A JSON array of schema.org ClaimReview objects, one per claim still in its article.

    An orphaned claim is left out: a ClaimReview published next to the article says the
    article holds these words, and an orphan's words are no longer in it.
    """
    yield b"["
    first = True
    for chunk in _claim_rows(queryset.filter(orphaned=False)):
        parts = []
        for claim in chunk:
            parts.append(
                ("" if first else ",\n")
                + json.dumps(claim_review(claim, base_url), ensure_ascii=False)
            )
            first = False
        yield "".join(parts).encode()
    yield b"]\n"


FORMATS = {
    # name: (writer, content type, how the file name ends)
    "csv": (export_csv, "text/csv; charset=utf-8", ".csv"),
    "csv-excel": (export_csv_excel, "text/csv; charset=utf-8", "-excel.csv"),
    "json": (export_json, "application/json", ".json"),
    "claimreview": (export_claimreview, "application/ld+json", ".jsonld"),
}


def export_filename(fmt: str) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"newsdesk-claims-{stamp}{FORMATS[fmt][2]}"


def export_response(
    queryset: QuerySet[Claim], fmt: str, *, request: HttpRequest, history: bool = False
) -> StreamingHttpResponse:
    """A download that streams, so memory stays flat at any size."""
    writer, content_type, _ = FORMATS[fmt]
    options = {"history": history} if fmt == "json" else {}
    base_url = request.build_absolute_uri("/")
    response = StreamingHttpResponse(
        writer(queryset, base_url=base_url, **options), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename(fmt)}"'
    response["Cache-Control"] = "no-store"
    return response
