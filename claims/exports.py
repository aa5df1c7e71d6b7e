"""Verified-claims reports: CSV, JSON and schema.org ClaimReview, streamed at any size.

Every format is a generator of bytes, so memory stays flat whatever the number of rows.
On PostgreSQL the database writes the rows and streams them by `COPY … TO STDOUT`: the CSV
file itself, and for JSON and ClaimReview each claim's JSON text, which Python only joins.
Elsewhere every format is built here, row by row. The CSV paths give byte-identical
output and the JSON paths the same parsed JSON (tests/claims/test_exports.py), so each
format is defined by its Python path (`CSV_COLUMNS` and `csv_cell`, `_claim_json`,
`claim_review`) and the SQL beside it is its twin.

A download runs for as long as it takes: each generator lifts the web requests' statement
time limit while it streams (`long_statements()`, entered on the first chunk).

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
from newsdesk.db import long_statements
from related.models import ClaimLink, LinkKind

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
BLOCK_BYTES = 64 * 1024  # what a download hands the server at a time, at least
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


# What a report reads of the claim at the other end of a "same claim" link.
LINKED_FIELDS = (
    "id",
    "orphaned",
    "article_id",
    "article__title",
    "article__outlet",
    "article__url",
    "article__published_on",
)


def _same_as_for(claim_ids: list[int]) -> dict[int, list[dict]]:
    """The claims each of `claim_ids` is marked the same as (a link is stored once, so
    either end may be ours), by claim id, in one query per end."""
    grouped: dict[int, list[dict]] = defaultdict(list)
    links = ClaimLink.objects.filter(kind=LinkKind.SAME).order_by()
    for ours, theirs in (("claim", "other"), ("other", "claim")):
        rows = links.filter(**{f"{ours}_id__in": claim_ids}).values_list(
            f"{ours}_id", *(f"{theirs}__{name}" for name in LINKED_FIELDS)
        )
        for claim_id, *values in rows:
            grouped[claim_id].append(dict(zip(LINKED_FIELDS, values, strict=True)))
    for linked in grouped.values():
        linked.sort(key=lambda other: other["id"])
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
    writes it unquoted, as Python's path does. `expression` appears three times, so it
    must be a column or a cheap expression over columns, never a subquery."""
    starts = ", ".join(["'='", "'+'", "'-'", "'@'", "E'\\t'", "E'\\r'"])
    return (
        f"NULLIF(CASE WHEN left({expression}, 1) IN ({starts}) "
        f"THEN '''' || {expression} ELSE {expression} END, '')"
    )


# What the PostgreSQL paths read of a claim: the selection itself yields these columns, so
# the table is read once, not a second time to match the selected ids.
SELECTED_COLUMNS = (
    "id",
    "article_id",
    "start",
    "end",
    "text",
    "attributed_to",
    "status",
    "rationale",
    "status_changed_at",
    "orphaned",
)


def _selected_claims(queryset: QuerySet[Claim]) -> tuple[str, list[object]]:
    """The selected claims as a derived table (alias c, placed after the parameters the
    statement binds before it); EmptyResultSet if Django knows there are none. Each claim
    comes once: the queue's filters and the admin's selection only follow to-one links."""
    sql, params = queryset.order_by().values(*SELECTED_COLUMNS).query.sql_with_params()
    return f"CROSS JOIN ({sql}) c JOIN articles_article a ON a.id = c.article_id", list(params)


def _selected_ids(queryset: QuerySet[Claim]) -> tuple[str, list[object]]:
    """The ids of the selected claims, as a subquery, for a join that needs only them."""
    sql, params = queryset.order_by().values("id").query.sql_with_params()
    return sql, list(params)


def _url_prefix(base_url: str, name: str) -> str:
    """What precedes an object's id in its address, e.g. https://desk.example/claims/."""
    return base_url.rstrip("/") + reverse(name, args=[0]).removesuffix("0/")


def _sql_iso(column: str) -> str:
    """SQL twin of `_iso`."""
    return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"


def _sql_day(column: str) -> str:
    """SQL twin of `_day`."""
    return f"to_char({column}, 'YYYY-MM-DD')"


def _decider_join() -> str:
    """`decided_by()` as a LATERAL join (alias d), so each claim's is looked up once."""
    users = get_user_model()._meta.db_table
    # LEFT JOIN, as `decided_by()` does: a change the system made names nobody.
    return (
        "LEFT JOIN LATERAL (SELECT u.username AS decider FROM claims_claimevent e "
        f"LEFT JOIN {users} u ON u.id = e.actor_id "
        f"WHERE e.claim_id = c.id AND e.kind = '{EventKind.STATUS_CHANGED.value}' "
        "ORDER BY e.at DESC, e.id DESC LIMIT 1) d ON true"
    )


def _source_lists_join() -> str:
    """Each claim's supporting and contradicting sources (alias src), a line each as
    `source_line` writes them, from one pass over the claim's sources."""
    publisher = "btrim(regexp_replace(s.publisher, '[ \\t\\n\\r\\f\\v]+', ' ', 'g'), ' ')"
    # An empty publisher turns the whole bracket NULL, so it is computed once per source.
    line = f"s.url || coalesce(' (' || NULLIF({publisher}, '') || ')', '')"

    def listed(stance: str) -> str:
        return (
            f"string_agg({line}, E'\\n' ORDER BY s.added_at, s.id) "
            f"FILTER (WHERE s.stance = '{stance}') AS {stance}"
        )

    return (
        f"LEFT JOIN LATERAL (SELECT {listed(Stance.SUPPORTS)}, {listed(Stance.CONTRADICTS)} "
        "FROM claims_source s WHERE s.claim_id = c.id "
        f"AND s.stance IN ('{Stance.SUPPORTS}', '{Stance.CONTRADICTS}')) src ON true"
    )


def copy_sql(queryset: QuerySet[Claim], *, base_url: str) -> tuple[str, list[object]]:
    """The COPY statement for PostgreSQL, selecting the same rows in the same order.

    Every subquery is a LATERAL join and the columns only name what the joins found:
    `_sql_cell` repeats its expression, and a subquery there would run once per mention.
    """
    selected, selected_params = _selected_claims(queryset)
    columns = [
        "c.id",
        _sql_cell("p.prefix || c.id::text || '/'"),
        "c.article_id",
        _sql_cell("a.title"),
        _sql_cell("a.outlet"),
        _sql_cell("a.url"),
        _sql_day("a.published_on"),
        _sql_cell("c.text"),
        _sql_cell("c.attributed_to"),
        _sql_cell("c.status"),
        _sql_cell("c.rationale"),
        _sql_cell("d.decider"),
        _sql_iso("c.status_changed_at"),
        _sql_cell(f"src.{Stance.SUPPORTS}"),
        _sql_cell(f"src.{Stance.CONTRADICTS}"),
        "CASE WHEN c.orphaned THEN 'true' ELSE 'false' END",
    ]
    sql = (
        f"COPY (SELECT {', '.join(columns)} "
        # The URL prefix is bound once and named, however often the columns use it.
        f"FROM (SELECT %s::text AS prefix) p {selected} "
        f"{_decider_join()} {_source_lists_join()} "
        "ORDER BY c.article_id, c.start, c.id) TO STDOUT WITH (FORMAT csv)"
    )
    return sql, [_url_prefix(base_url, "claims:detail"), *selected_params]


def copy_rows(queryset: QuerySet[Claim], *, base_url: str) -> Iterator[bytes]:
    try:
        sql, params = copy_sql(queryset, base_url=base_url)
    except EmptyResultSet:  # e.g. .none(): Django knows there is nothing to select
        return
    connection.ensure_connection()
    # COPY hands over one row at a time; passed on as they come, each ~600-byte row cost
    # a trip through the response's generators and a write to the socket.
    buffer = bytearray()
    with connection.connection.cursor() as cursor, cursor.copy(sql, params) as copy:
        for row in copy:
            buffer += row
            if len(buffer) >= BLOCK_BYTES:
                yield bytes(buffer)
                buffer.clear()
    if buffer:
        yield bytes(buffer)


def _use_copy(use_copy: bool | None) -> bool:
    """The database builds the report when it is PostgreSQL, unless told otherwise."""
    return connection.vendor == "postgresql" if use_copy is None else use_copy


def export_csv(
    queryset: QuerySet[Claim], *, base_url: str, use_copy: bool | None = None
) -> Iterator[bytes]:
    """The CSV report: header, then one row per claim (COPY on PostgreSQL)."""
    rows = copy_rows if _use_copy(use_copy) else csv_rows
    # Entered when the download starts streaming, not when the view returns, and left
    # when it ends or the client goes away (the generator is closed).
    with long_statements():
        yield csv_header()
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
#
# Two paths give the same parsed JSON (tests/claims/test_exports.py): Python's, built from
# `_claim_rows`, and PostgreSQL's, where the database writes each claim's JSON text
# (json_build_object) and streams it by COPY, so Python only joins the texts. At 650,000
# claims the per-row work in Python, not the database, was what took the time.


def _article_json(article: dict, base_url: str) -> dict:
    """An article as the JSON report gives it, from `article_id`, `article__title`, … ."""
    return {
        "id": article["article_id"],
        "title": article["article__title"],
        "outlet": article["article__outlet"],
        "url": article["article__url"] or None,
        "published_on": _day(article["article__published_on"]),
        "newsdesk_url": article_page_url(base_url, article["article_id"]),
    }


def _claim_json(claim: dict, sources: list[dict], same_as: list[dict], base_url: str) -> dict:
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
        # The claims reviewers marked the same, in other articles: where else it appears.
        "same_as": [
            {
                "claim": other["id"],
                "url": claim_url(base_url, other["id"]),
                "article": _article_json(other, base_url),
            }
            for other in same_as
        ],
    }


def _sql_sources_json() -> str:
    """`_claim_json`'s sources as a LATERAL join (alias src), each claim's in one pass."""
    users = get_user_model()._meta.db_table
    # array_to_json rather than json_agg: the same JSON without a line break per element.
    return (
        "LEFT JOIN LATERAL (SELECT array_to_json(array_agg(json_build_object("
        "'url', s.url, 'title', s.title, 'publisher', s.publisher, 'stance', s.stance, "
        f"'excerpt', s.excerpt, 'accessed_on', {_sql_day('s.accessed_on')}, "
        "'archived_url', NULLIF(s.archived_url, ''), 'added_by', u.username) "
        "ORDER BY s.added_at, s.id)) AS sources "
        f"FROM claims_source s LEFT JOIN {users} u ON u.id = s.added_by_id "
        "WHERE s.claim_id = c.id) src ON true"
    )


def _sql_history_json() -> str:
    """`_history_for` as a LATERAL join (alias h)."""
    users = get_user_model()._meta.db_table
    return (
        "LEFT JOIN LATERAL (SELECT array_to_json(array_agg(json_build_object("
        f"'at', {_sql_iso('e.at')}, 'actor', u.username, 'kind', e.kind, "
        "'from_status', NULLIF(e.from_status, ''), 'to_status', NULLIF(e.to_status, ''), "
        "'note', e.note, 'via', e.via, 'batch', e.batch::text) "
        "ORDER BY e.at, e.id)) AS history "
        f"FROM claims_claimevent e LEFT JOIN {users} u ON u.id = e.actor_id "
        "WHERE e.claim_id = c.id) h ON true"
    )


def _sql_same_pairs(selected_ids: str) -> str:
    """(id, other): each selected claim (`selected_ids`, a subquery, written twice, so its
    parameters are bound twice) with each claim it is marked the same as. A link is stored
    once, lower id first: each end is matched to the selection in its own branch, which
    its own index serves when the selection is small."""
    return (
        "(SELECT claim_id AS id, other_id AS other FROM related_claimlink "
        f"WHERE kind = '{LinkKind.SAME.value}' AND claim_id IN ({selected_ids}) "
        "UNION ALL SELECT other_id, claim_id FROM related_claimlink "
        f"WHERE kind = '{LinkKind.SAME.value}' AND other_id IN ({selected_ids}))"
    )


def _sql_article_json(alias: str, articles: str = "p.articles") -> str:
    """SQL twin of `_article_json` for the article `alias`; `articles` is the prefix of
    an article page's address."""
    return (
        f"json_build_object('id', {alias}.id, 'title', {alias}.title, "
        f"'outlet', {alias}.outlet, 'url', NULLIF({alias}.url, ''), "
        f"'published_on', {_sql_day(f'{alias}.published_on')}, "
        f"'newsdesk_url', {articles} || {alias}.id::text || '/')"
    )


def _sql_same_as_json(selected_ids: str) -> str:
    """`_claim_json`'s same_as (alias sa), joined on the claim's id.

    The links of the selected claims (`selected_ids`, a subquery) are read in one pass and
    joined by hash, rather than looked up claim by claim (LATERAL): links are few beside
    claims, and two index probes for every claim exported cost more. Being no LATERAL it
    cannot read `p`: it binds the claims' and the articles' address prefixes itself, then
    the selection's parameters (twice: `_sql_same_pairs`).
    """
    return (
        "LEFT JOIN (SELECT l.id, array_to_json(array_agg(json_build_object("
        "'claim', o.id, 'url', %s::text || o.id::text || '/', "
        f"'article', {_sql_article_json('oa', '%s::text')}) ORDER BY o.id)) AS same_as "
        f"FROM {_sql_same_pairs(selected_ids)} l JOIN claims_claim o ON o.id = l.other "
        "JOIN articles_article oa ON oa.id = o.article_id GROUP BY l.id) sa ON sa.id = c.id"
    )


def json_copy_sql(
    queryset: QuerySet[Claim], *, base_url: str, history: bool = False
) -> tuple[str, list[object]]:
    """COPY of one row per claim in report order: its article's JSON if it is the first
    of its article (else NULL), then the claim's JSON, as `export_json` writes them."""
    selected, selected_params = _selected_claims(queryset)
    ids, ids_params = _selected_ids(queryset)
    order = "c.article_id, c.start, c.id"
    article = f"{_sql_article_json('a')}::text"
    claim = (
        "json_build_object('id', c.id, 'url', p.claims || c.id::text || '/', "
        "'quote', c.text, 'orphaned', c.orphaned, "
        "'start', CASE WHEN c.orphaned THEN NULL ELSE c.start END, "
        "'end', CASE WHEN c.orphaned THEN NULL ELSE c.\"end\" END, "
        "'attributed_to', c.attributed_to, 'status', c.status, 'rationale', c.rationale, "
        f"'decided_by', d.decider, 'status_changed_at', {_sql_iso('c.status_changed_at')}, "
        "'sources', coalesce(src.sources, '[]'::json), "
        "'same_as', coalesce(sa.same_as, '[]'::json)"
        + (", 'history', coalesce(h.history, '[]'::json)" if history else "")
        + ")::text"
    )
    sql = (
        f"COPY (SELECT CASE WHEN c.article_id IS DISTINCT FROM lag(c.article_id) "
        f"OVER (ORDER BY {order}) THEN {article} END, {claim} "
        f"FROM (SELECT %s::text AS claims, %s::text AS articles) p {selected} "
        f"{_decider_join()} {_sql_sources_json()} {_sql_same_as_json(ids)} "
        f"{_sql_history_json() if history else ''} "
        f"ORDER BY {order}) TO STDOUT WITH (FORMAT binary)"
    )
    prefixes = [_url_prefix(base_url, "claims:detail"), _url_prefix(base_url, "articles:detail")]
    return sql, [*prefixes, *selected_params, *prefixes, *ids_params, *ids_params]


def _copy_texts(sql: str, params: list[object], width: int) -> Iterator[tuple]:
    """The rows of a COPY … (FORMAT binary) of `width` text columns, streamed."""
    connection.ensure_connection()
    with connection.connection.cursor() as cursor, cursor.copy(sql, params) as copy:
        copy.set_types(["text"] * width)
        yield from copy.rows()


def _json_articles_python(
    queryset: QuerySet[Claim], *, base_url: str, history: bool
) -> Iterator[tuple[str | None, str]]:
    """(article JSON if the claim is its article's first, claim JSON), built here."""
    current = None
    for chunk in _claim_rows(queryset):
        ids = [c["pk"] for c in chunk]
        sources = _sources_for(ids)
        same_as = _same_as_for(ids)
        events = _history_for(ids) if history else {}
        for claim in chunk:
            head = None
            if claim["article_id"] != current:
                current = claim["article_id"]
                head = json.dumps(_article_json(claim, base_url), ensure_ascii=False)
            body = _claim_json(
                claim, sources.get(claim["pk"], []), same_as.get(claim["pk"], []), base_url
            )
            if history:
                body["history"] = events.get(claim["pk"], [])
            yield head, json.dumps(body, ensure_ascii=False)


def _json_articles_copy(
    queryset: QuerySet[Claim], *, base_url: str, history: bool
) -> Iterator[tuple[str | None, str]]:
    try:
        sql, params = json_copy_sql(queryset, base_url=base_url, history=history)
    except EmptyResultSet:
        return
    yield from _copy_texts(sql, params, 2)


def export_json(
    queryset: QuerySet[Claim],
    *,
    base_url: str,
    history: bool = False,
    use_copy: bool | None = None,
) -> Iterator[bytes]:
    """Articles with their claims and sources (and, if asked, each claim's history)."""
    rows = _json_articles_copy if _use_copy(use_copy) else _json_articles_python
    with long_statements():
        head = {
            "generated_at": _iso(timezone.now()),
            "newsroom": settings.NEWSDESK_NEWSROOM_NAME,
            "format": "newsdesk-claims/1",
        }
        yield (json.dumps(head, ensure_ascii=False)[:-1] + ', "articles": [').encode()
        parts: list[str] = []
        opened = False
        for article, claim in rows(queryset, base_url=base_url, history=history):
            if article is not None:
                closing = "]}," if opened else ""
                parts.append(closing + article[:-1] + ', "claims": [' + claim)
                opened = True
            else:
                parts.append("," + claim)
            if len(parts) == CHUNK:
                yield "".join(parts).encode()
                parts = []
        yield ("".join(parts) + ("]}" if opened else "") + "]}\n").encode()


# --- ClaimReview JSON-LD -----------------------------------------------------------------


def _appearance(article: dict, base_url: str) -> dict:
    """An article where a claim appears, as schema.org's CreativeWork (a NewsArticle)."""
    appearance = {
        "@type": "NewsArticle",
        "headline": article["article__title"],
        "url": article["article__url"] or article_page_url(base_url, article["article_id"]),
    }
    if article["article__outlet"]:
        appearance["publisher"] = {"@type": "Organization", "name": article["article__outlet"]}
    if article["article__published_on"]:
        appearance["datePublished"] = _day(article["article__published_on"])
    return appearance


def _appearances(claim: dict, same_as: list[dict], base_url: str) -> list[dict]:
    """Every article where the claim appears: its own, then, by article number, the
    articles of the claims marked the same as it that still hold their words."""
    others: dict[int, dict] = {}
    for other in same_as:
        if not other["orphaned"] and other["article_id"] != claim["article_id"]:
            others.setdefault(other["article_id"], other)
    return [
        _appearance(article, base_url)
        for article in (claim, *(others[pk] for pk in sorted(others)))
    ]


def claim_review(claim: dict, base_url: str, same_as: list[dict] | None = None) -> dict:
    value, name = RATINGS[ClaimStatus(claim["status"])]
    item = {"@type": "Claim", "appearance": _appearances(claim, same_as or [], base_url)}
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


def _sql_appearance(alias: str, articles: str = "p.articles") -> str:
    """SQL twin of `_appearance` for the article `alias` (`articles`, the prefix of its
    page's address): its optional members are NULL when absent, for json_strip_nulls to
    drop."""
    return (
        f"json_build_object('@type', 'NewsArticle', 'headline', {alias}.title, "
        f"'url', coalesce(NULLIF({alias}.url, ''), {articles} || {alias}.id::text || '/'), "
        f"'publisher', CASE WHEN {alias}.outlet <> '' THEN "
        f"json_build_object('@type', 'Organization', 'name', {alias}.outlet) END, "
        f"'datePublished', {_sql_day(f'{alias}.published_on')})"
    )


def _sql_appearances_join(selected_ids: str) -> str:
    """The other articles of `_appearances` (alias ap): those of the claims marked the
    same that still hold their words, by article number.

    Read and joined as `_sql_same_as_json` is, for the same reasons: it binds the
    articles' address prefix, then the selection's parameters (twice).
    """
    return (
        "LEFT JOIN (SELECT x.id, "
        f"array_agg({_sql_appearance('oa', '%s::text')} ORDER BY oa.id) AS others "
        "FROM (SELECT DISTINCT l.id, o.article_id "
        f"FROM {_sql_same_pairs(selected_ids)} l "
        "JOIN claims_claim o ON o.id = l.other AND NOT o.orphaned "
        "JOIN claims_claim own ON own.id = l.id AND own.article_id <> o.article_id) x "
        "JOIN articles_article oa ON oa.id = x.article_id GROUP BY x.id) ap ON ap.id = c.id"
    )


def claimreview_copy_sql(queryset: QuerySet[Claim], *, base_url: str) -> tuple[str, list[object]]:
    """COPY of `claim_review` for each selected claim, one JSON text per row.

    The optional members are NULL when absent and json_strip_nulls drops them; every other
    member is never NULL (the columns are NOT NULL), so nothing else is dropped.
    """
    selected, selected_params = _selected_claims(queryset)
    ids, ids_params = _selected_ids(queryset)
    rating_value = " ".join(
        f"WHEN '{status.value}' THEN {value}" for status, (value, _) in RATINGS.items()
    )
    rating_name = " ".join(f"WHEN '{status.value}' THEN %s" for status in RATINGS)
    review = (
        "json_strip_nulls(json_build_object("
        "'@context', 'https://schema.org', '@type', 'ClaimReview', "
        "'url', p.claims || c.id::text || '/', 'claimReviewed', c.text, "
        "'itemReviewed', json_build_object('@type', 'Claim', "
        f"'appearance', array_to_json(ARRAY[{_sql_appearance('a')}] "
        "|| coalesce(ap.others, '{}'::json[])), "
        "'author', CASE WHEN c.attributed_to <> '' THEN "
        "json_build_object('@type', 'Thing', 'name', c.attributed_to) END), "
        "'author', json_build_object('@type', 'Organization', 'name', p.newsroom), "
        f"'datePublished', {_sql_iso('c.status_changed_at')}, "
        "'reviewRating', json_build_object('@type', 'Rating', "
        f"'ratingValue', CASE c.status {rating_value} END, "
        f"'bestRating', {BEST_RATING}, 'worstRating', {WORST_RATING}, "
        f"'alternateName', CASE c.status {rating_name} END), "
        "'reviewBody', NULLIF(c.rationale, '')))::text"
    )
    sql = (
        f"COPY (SELECT {review} "
        "FROM (SELECT %s::text AS claims, %s::text AS articles, %s::text AS newsroom) p "
        f"{selected} {_sql_appearances_join(ids)} "
        "ORDER BY c.article_id, c.start, c.id) TO STDOUT WITH (FORMAT binary)"
    )
    names = [name for _, name in RATINGS.values()]
    prefixes = [_url_prefix(base_url, "claims:detail"), _url_prefix(base_url, "articles:detail")]
    return sql, [
        *names,
        *prefixes,
        settings.NEWSDESK_NEWSROOM_NAME,
        *selected_params,
        prefixes[1],
        *ids_params,
        *ids_params,
    ]


def _claimreviews_python(queryset: QuerySet[Claim], *, base_url: str) -> Iterator[str]:
    for chunk in _claim_rows(queryset):
        same_as = _same_as_for([c["pk"] for c in chunk])
        for claim in chunk:
            review = claim_review(claim, base_url, same_as.get(claim["pk"], []))
            yield json.dumps(review, ensure_ascii=False)


def _claimreviews_copy(queryset: QuerySet[Claim], *, base_url: str) -> Iterator[str]:
    try:
        sql, params = claimreview_copy_sql(queryset, base_url=base_url)
    except EmptyResultSet:
        return
    for (review,) in _copy_texts(sql, params, 1):
        yield review


def export_claimreview(
    queryset: QuerySet[Claim], *, base_url: str, use_copy: bool | None = None
) -> Iterator[bytes]:
    """A JSON array of schema.org ClaimReview objects, one per claim still in its article.

    An orphaned claim is left out: a ClaimReview published next to the article says the
    article holds these words, and an orphan's words are no longer in it.
    """
    reviews = _claimreviews_copy if _use_copy(use_copy) else _claimreviews_python
    with long_statements():
        yield b"["
        parts: list[str] = []
        separator = ""
        for review in reviews(queryset.filter(orphaned=False), base_url=base_url):
            parts.append(separator + review)
            separator = ",\n"
            if len(parts) == CHUNK:
                yield "".join(parts).encode()
                parts = []
        yield ("".join(parts) + "]\n").encode()


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
