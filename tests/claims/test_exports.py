from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.services import article_body_update
from claims.exports import (
    CSV_COLUMNS,
    RATINGS,
    copy_sql,
    export_claimreview,
    export_csv,
    export_csv_excel,
    export_json,
)
from claims.models import Claim, ClaimEvent, ClaimStatus, EventKind, Stance, Via
from claims.services import claim_transition
from claims.views import reports
from related.models import LinkKind
from tests.factories import ArticleFactory, ClaimFactory, ClaimLinkFactory, SourceFactory

S = ClaimStatus
BASE = "https://desk.example"
SCHEMA = json.loads((Path(__file__).parent / "claimreview.schema.json").read_text())
FORMULAS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR", '=HYPERLINK("http://x")']
TRICKY = [
    'He said "five", not six',
    "commas, commas, commas",
    "line one\nline two",
    "Ukrainian: п'ять колон; Arabic: خمس قوافل; 中文",
    "emoji 🚚 and NUL-free",
    *FORMULAS,
]


def read(chunks) -> bytes:
    return b"".join(chunks)


def claim_with_text(text: str, **extra) -> Claim:
    article = ArticleFactory(
        body=f"Intro. {text} Outro.",
        title=extra.pop("title", "T"),
        outlet=extra.pop("outlet", "Wire"),
    )
    start = article.body.index(text)
    return ClaimFactory(article=article, start=start, end=start + len(text), text=text, **extra)


def plain(value: str) -> str:
    """What a neutralised cell held before the leading apostrophe was added."""
    return value[1:] if value.startswith("'") and value[1:2] in "=+-@\t\r" else value


@pytest.fixture
def corpus(db, reviewer2):
    claims = []
    for i, text in enumerate(TRICKY):
        claim = claim_with_text(
            text.strip("\t\r") or text,
            status=S.CONFIRMED,
            attributed_to=FORMULAS[i % len(FORMULAS)],
            rationale=TRICKY[(i + 1) % len(TRICKY)],
            title=TRICKY[(i + 2) % len(TRICKY)],
        )
        SourceFactory(
            claim=claim,
            stance=Stance.SUPPORTS,
            publisher='Wire, "A"\nDesk',
            url=f"https://a.example/{i}",
            added_by=reviewer2,
        )
        SourceFactory(
            claim=claim,
            stance=Stance.CONTRADICTS,
            publisher="",
            url=f"https://b.example/{i}",
            added_by=reviewer2,
        )
        SourceFactory(claim=claim, stance=Stance.CONTEXT, url=f"https://c.example/{i}")
        claims.append(claim)
    ClaimFactory(status=S.UNVERIFIED)  # not reviewed: left out by default
    return claims


def test_csv_parses_back_to_the_database_values(corpus):
    data = read(
        export_csv(Claim.objects.filter(status__in=[S.CONFIRMED]), base_url=BASE, use_copy=False)
    )
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    assert list(rows[0]) == CSV_COLUMNS
    assert len(rows) == len(corpus)
    for row in rows:
        claim = Claim.objects.select_related("article").get(pk=int(row["claim_id"]))
        assert row["claim_url"] == f"{BASE}/claims/{claim.pk}/"
        assert plain(row["quote"]) == claim.text
        assert plain(row["attributed_to"]) == claim.attributed_to
        assert plain(row["rationale"]) == claim.rationale
        assert plain(row["article_title"]) == claim.article.title
        assert row["status"] == "confirmed"
        supporting = row["supporting_sources"].split("\n")
        assert supporting == [f'https://a.example/{claim.pk - corpus[0].pk} (Wire, "A" Desk)']
        assert row["contradicting_sources"] == f"https://b.example/{claim.pk - corpus[0].pk}"


def test_every_formula_payload_comes_out_neutralised(corpus):
    data = read(export_csv(Claim.objects.all(), base_url=BASE, use_copy=False)).decode()
    for row in csv.reader(io.StringIO(data, newline="")):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY is PostgreSQL's"
)


@pytest.fixture
def every_case(corpus, reviewer):
    """The corpus, and the cases each format treats on its own; returns the claim whose
    last change the system made."""
    claim_transition(
        claim=ClaimFactory(),
        to=S.DISPUTED,
        by=reviewer,
        expected_version=1,
        note="n",
        rationale="=cmd|' /C calc'!A0",
    )
    bare = ArticleFactory(outlet="", url="", published_on=None)
    ClaimFactory(article=bare, status=S.CONFIRMED, attributed_to="", rationale="")
    dated = ArticleFactory(url="https://wire.example/a", published_on="2024-02-29")
    SourceFactory(
        claim=ClaimFactory(article=dated, status=S.SOURCED),
        publisher=" \t ",
        archived_url="https://archive.example/a",
        excerpt='A "quoted"\\ passage\x0b',
    )
    ClaimFactory(status=S.SOURCED, orphaned=True)
    # A change the system made (no actor) after a person's: nobody decided it last.
    system = ClaimFactory(status=S.DISPUTED)
    claim_transition(claim=system, to=S.UNVERIFIED, by=reviewer, expected_version=1, note="n")
    ClaimEvent.objects.create(
        claim=system,
        kind=EventKind.STATUS_CHANGED,
        via=Via.COMMAND,
        from_status=S.UNVERIFIED,
        to_status=S.DISPUTED,
        batch="9f1c2b4e-0000-4000-8000-000000000001",
    )
    # Links: the same claim in three articles (one of them an orphan now, one article
    # holding two of its copies), and a related claim, which is no appearance.
    ClaimLinkFactory(claim=corpus[0], other=corpus[1], kind=LinkKind.SAME)
    ClaimLinkFactory(claim=corpus[0], other=corpus[2], kind=LinkKind.RELATED)
    ClaimLinkFactory(claim=corpus[3], other=ClaimFactory(article=bare), kind=LinkKind.SAME)
    ClaimLinkFactory(
        claim=corpus[3], other=ClaimFactory(article=bare, sentence=1), kind=LinkKind.SAME
    )
    ClaimLinkFactory(
        claim=corpus[4], other=ClaimFactory(status=S.SOURCED, orphaned=True), kind=LinkKind.SAME
    )
    return system


@only_postgresql
def test_copy_and_python_paths_give_byte_identical_csv(corpus, every_case):
    selection = Claim.objects.all()
    via_copy = read(export_csv(selection, base_url=BASE, use_copy=True))
    via_python = read(export_csv(selection, base_url=BASE, use_copy=False))
    assert via_copy.count(b"\n") > len(corpus)
    assert via_copy == via_python
    row = next(
        r
        for r in csv.DictReader(io.StringIO(via_copy.decode()))
        if int(r["claim_id"]) == every_case.pk
    )
    assert row["decided_by"] == ""


@only_postgresql
def test_copy_hands_over_rows_in_blocks_not_one_by_one(corpus):
    chunks = list(export_csv(Claim.objects.all(), base_url=BASE, use_copy=True))
    assert chunks[0] == ",".join(CSV_COLUMNS).encode() + b"\n"
    (body,) = chunks[1:]
    assert body.count(b"https://b.example/") == len(corpus)


def test_copy_sql_computes_each_cell_once(db):
    """Each subquery is written once, as a join: none sits in the column list, where the
    formula guard (which names its value three times) would run it three times a row."""
    sql, _ = copy_sql(Claim.objects.filter(status=S.CONFIRMED), base_url=BASE)
    columns = sql.removeprefix("COPY (SELECT ").split(" FROM (SELECT ", 1)[0]
    assert "SELECT" not in columns.upper()
    # The row, the URL prefix, the selected claims, the decider and the source lists.
    assert sql.upper().count("SELECT") == 5
    assert sql.count("claims_claimevent") == 1
    assert sql.count("FROM claims_source") == 1


@only_postgresql
def test_copy_plan_runs_no_subquery_per_row(corpus):
    sql, params = copy_sql(Claim.objects.filter(status=S.CONFIRMED), base_url=BASE)
    select = sql.removeprefix("COPY (").rsplit(") TO STDOUT", 1)[0]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (VERBOSE) " + select, params)
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "SubPlan" not in plan


def without_clock(data: bytes) -> dict:
    parsed = json.loads(data)
    parsed.pop("generated_at")
    return parsed


@only_postgresql
@pytest.mark.parametrize("history", [False, True])
def test_json_from_the_database_parses_as_python_builds_it(corpus, every_case, history):
    selection = Claim.objects.all()
    in_db = read(export_json(selection, base_url=BASE, history=history, use_copy=True))
    in_python = read(export_json(selection, base_url=BASE, history=history, use_copy=False))
    assert without_clock(in_db) == without_clock(in_python)
    claims = [c for a in json.loads(in_db)["articles"] for c in a["claims"]]
    assert len(claims) == Claim.objects.count()
    if history:
        assert any(e["batch"] for c in claims for e in c["history"])
    for nothing in (Claim.objects.none(), Claim.objects.filter(pk=0)):
        assert (
            json.loads(read(export_json(nothing, base_url=BASE, use_copy=True)))["articles"] == []
        )


@only_postgresql
def test_claimreview_from_the_database_parses_as_python_builds_it(corpus, every_case):
    selection = Claim.objects.all()
    in_db = json.loads(read(export_claimreview(selection, base_url=BASE, use_copy=True)))
    in_python = json.loads(read(export_claimreview(selection, base_url=BASE, use_copy=False)))
    assert in_db == in_python
    jsonschema.validate(in_db, SCHEMA)
    assert len(in_db) == Claim.objects.filter(orphaned=False).count()
    assert json.loads(read(export_claimreview(Claim.objects.none(), base_url=BASE))) == []


def statement_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout')")
        return cursor.fetchone()[0]


@only_postgresql
@pytest.mark.parametrize(
    ("fmt", "leading"), [("csv", 1), ("csv-excel", 2), ("json", 1), ("claimreview", 1)]
)
def test_a_download_lifts_the_statement_limit_while_it_streams(
    client, reviewer, corpus, settings, fmt, leading
):
    """Lifted when the stream starts, not when the view returns, and put back at its end."""
    settings.DB_LONG_STATEMENT_TIMEOUT_MS = 123_456
    client.force_login(reviewer)
    web_limit = statement_timeout()
    assert web_limit != "123456ms"
    response = client.get(reverse("claims:export", args=[fmt]))
    assert statement_timeout() == web_limit
    chunks = iter(response.streaming_content)
    first = [next(chunks) for _ in range(leading)]
    assert statement_timeout() == "123456ms"
    body = b"".join([*first, *chunks])
    assert all(f"/claims/{claim.pk}/".encode() in body for claim in corpus)
    assert statement_timeout() == web_limit


@only_postgresql
@pytest.mark.parametrize("writer", [export_csv, export_json, export_claimreview])
def test_a_download_given_up_halfway_puts_the_statement_limit_back(corpus, settings, writer):
    settings.DB_LONG_STATEMENT_TIMEOUT_MS = 123_456
    web_limit = statement_timeout()
    chunks = writer(Claim.objects.all(), base_url=BASE)
    next(chunks)
    assert statement_timeout() == "123456ms"
    chunks.close()  # what the server does when the client goes away
    assert statement_timeout() == web_limit


@pytest.mark.parametrize(
    "use_copy",
    [
        False,
        pytest.param(
            True,
            marks=only_postgresql,
        ),
    ],
)
def test_csv_for_excel_is_the_csv_after_a_utf8_byte_order_mark(corpus, use_copy):
    selection = Claim.objects.all()
    plain_csv = read(export_csv(selection, base_url=BASE, use_copy=use_copy))
    chunks = list(export_csv_excel(selection, base_url=BASE, use_copy=use_copy))
    assert chunks[0] == b"\xef\xbb\xbf"
    assert b"".join(chunks) == b"\xef\xbb\xbf" + plain_csv
    # What a spreadsheet reads: the accents and scripts as they were, not mojibake.
    text = b"".join(chunks).decode("utf-8-sig")
    assert "Ukrainian: п'ять колон; Arabic: خمس قوافل; 中文" in text
    assert b"".join(export_csv_excel(Claim.objects.none(), base_url=BASE)) == (
        b"\xef\xbb\xbf" + ",".join(CSV_COLUMNS).encode() + b"\n"
    )


def test_empty_selection_gives_valid_empty_reports(db):
    nothing = Claim.objects.none()
    assert read(export_csv(nothing, base_url=BASE)).decode() == ",".join(CSV_COLUMNS) + "\n"
    assert json.loads(read(export_json(nothing, base_url=BASE)))["articles"] == []
    assert json.loads(read(export_claimreview(nothing, base_url=BASE))) == []


def test_json_groups_claims_by_article_with_sources_and_history(corpus, reviewer):
    data = json.loads(read(export_json(Claim.objects.all(), base_url=BASE, history=True)))
    assert data["format"] == "newsdesk-claims/1"
    assert len(data["articles"]) == len(corpus) + 1
    first = data["articles"][0]
    assert first["newsdesk_url"] == f"{BASE}/articles/{first['id']}/"
    claim = first["claims"][0]
    assert claim["quote"] == TRICKY[0]
    assert [s["stance"] for s in claim["sources"]] == ["supports", "contradicts", "context"]
    assert claim["history"] == []
    moved = ClaimFactory()
    claim_transition(claim=moved, to=S.DISPUTED, by=reviewer, expected_version=1, note="old")
    data = json.loads(
        read(export_json(Claim.objects.filter(pk=moved.pk), base_url=BASE, history=True))
    )
    (event,) = data["articles"][0]["claims"][0]["history"]
    assert (event["kind"], event["to_status"], event["note"], event["actor"]) == (
        "status_changed",
        "disputed",
        "old",
        "rui",
    )
    assert data["articles"][0]["claims"][0]["decided_by"] == "rui"


def test_claimreview_validates_and_maps_every_status_as_documented(db):
    claims = {
        status: claim_with_text(
            f"Claim that is {status}.",
            status=status,
            attributed_to="Ministry",
            rationale=f"Because {status}",
        )
        for status in S
    }
    reviews = json.loads(read(export_claimreview(Claim.objects.all(), base_url=BASE)))
    jsonschema.validate(reviews, SCHEMA)
    by_claim = {r["claimReviewed"]: r for r in reviews}
    documented = {
        S.DISPUTED: (1, "Disputed"),
        S.UNVERIFIED: (3, "Unverified"),
        S.SOURCED: (3, "Sourced, not yet confirmed"),
        S.CONFIRMED: (5, "Confirmed"),
    }
    assert documented == RATINGS
    for status, claim in claims.items():
        review = by_claim[claim.text]
        rating = review["reviewRating"]
        assert (rating["ratingValue"], rating["alternateName"]) == documented[status]
        assert (rating["worstRating"], rating["bestRating"]) == (1, 5)
        assert review["itemReviewed"]["author"]["name"] == "Ministry"
        assert review["url"] == f"{BASE}/claims/{claim.pk}/"
        assert review["reviewBody"] == f"Because {status}"


ORPHAN_BODY = (
    "The ministry said five convoys were attacked. "
    "Three advisors were allegedly injured near the bridge. "
    "The road reopened on Monday."
)


@pytest.fixture
def orphan(db, editor):
    """A sourced claim whose sentence an article edit deleted, beside one that stayed."""
    article = ArticleFactory(title="Convoys", body=ORPHAN_BODY)

    def claim_on(text: str) -> Claim:
        start = article.body.index(text)
        return ClaimFactory(
            article=article, start=start, end=start + len(text), text=text, status=S.SOURCED
        )

    kept = claim_on("The ministry said five convoys were attacked.")
    gone = claim_on("Three advisors were allegedly injured near the bridge.")
    SourceFactory(claim=gone, url="https://a.example/gone")
    article_body_update(
        article=article,
        body="The ministry said five convoys were attacked. The road reopened on Monday.",
        by=editor,
    )
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert gone.orphaned
    assert not kept.orphaned
    return gone, kept


def test_csv_marks_orphaned_claims(orphan):
    gone, kept = orphan
    data = read(export_csv(Claim.objects.all(), base_url=BASE, use_copy=False)).decode()
    rows = {int(r["claim_id"]): r for r in csv.DictReader(io.StringIO(data, newline=""))}
    assert CSV_COLUMNS[-1] == "orphaned"
    assert rows[gone.pk]["orphaned"] == "true"
    assert rows[kept.pk]["orphaned"] == "false"


def test_json_marks_orphaned_claims_and_gives_them_no_offsets(orphan):
    gone, kept = orphan
    data = json.loads(read(export_json(Claim.objects.all(), base_url=BASE)))
    claims = {c["id"]: c for a in data["articles"] for c in a["claims"]}
    # The old offsets now point at other words ("The road reopened…"): none is given.
    assert (claims[gone.pk]["orphaned"], claims[gone.pk]["start"], claims[gone.pk]["end"]) == (
        True,
        None,
        None,
    )
    assert claims[gone.pk]["quote"] == gone.text
    assert (claims[kept.pk]["orphaned"], claims[kept.pk]["start"], claims[kept.pk]["end"]) == (
        False,
        kept.start,
        kept.end,
    )


def test_claimreview_leaves_orphaned_claims_out(orphan):
    _gone, kept = orphan
    reviews = json.loads(read(export_claimreview(Claim.objects.all(), base_url=BASE)))
    jsonschema.validate(reviews, SCHEMA)
    assert [r["url"] for r in reviews] == [f"{BASE}/claims/{kept.pk}/"]


def test_printable_report_marks_orphaned_claims(client, reviewer, orphan):
    gone, kept = orphan
    client.force_login(reviewer)
    page = client.get(reverse("claims:report")).content.decode()
    entries = {
        int(m[1]): entry
        for entry in page.split('class="nd-report-claim')[1:]
        if (m := re.search(r"claim #(\d+)", entry))
    }
    marker = "Orphaned: its words are no longer in the article"
    assert marker in entries[gone.pk]
    assert marker not in entries[kept.pk]


def test_exports_run_a_fixed_number_of_queries(db):
    def count(n: int, writer) -> int:
        for _ in range(n):
            claim = ClaimFactory(status=S.CONFIRMED)
            SourceFactory(claim=claim)
            ClaimLinkFactory(claim=claim, other=ClaimFactory(status=S.CONFIRMED))
        with CaptureQueriesContext(connection) as ctx:
            read(writer(Claim.objects.all(), base_url=BASE))
        return len(ctx.captured_queries)

    for writer in (export_csv, export_csv_excel, export_json, export_claimreview):
        assert count(2, writer) == count(30, writer)


# --- where else the claim appears ------------------------------------------------------


@pytest.fixture
def linked(db):
    """One claim marked the same as claims of two other articles (one of which holds two
    copies of it) and related to a third; the links stored from either end."""
    claim = claim_with_text("Five convoys were attacked.", status=S.CONFIRMED, title="Ours")
    first = claim_with_text("Five convoys came under attack.", status=S.CONFIRMED, title="First")
    dated = ArticleFactory(
        title="Dated", outlet="", url="https://dated.example/a", published_on="2024-02-29"
    )
    second = ClaimFactory(article=dated)
    again = ClaimFactory(article=dated, sentence=1)
    related = claim_with_text("Four convoys were attacked.", status=S.CONFIRMED, title="Other")
    ClaimLinkFactory(claim=first, other=claim, kind=LinkKind.SAME)
    ClaimLinkFactory(claim=claim, other=second, kind=LinkKind.SAME)
    ClaimLinkFactory(claim=claim, other=again, kind=LinkKind.SAME)
    ClaimLinkFactory(claim=claim, other=related, kind=LinkKind.RELATED)
    return claim, first, second, again, related


@pytest.mark.parametrize("use_copy", [False, pytest.param(True, marks=only_postgresql)])
def test_json_lists_the_claims_marked_the_same(linked, use_copy):
    claim, first, second, again, _related = linked
    data = json.loads(
        read(export_json(Claim.objects.filter(pk=claim.pk), base_url=BASE, use_copy=use_copy))
    )
    (shown,) = data["articles"][0]["claims"]
    assert [s["claim"] for s in shown["same_as"]] == sorted([first.pk, second.pk, again.pk])
    by_claim = {s["claim"]: s for s in shown["same_as"]}
    assert by_claim[first.pk] == {
        "claim": first.pk,
        "url": f"{BASE}/claims/{first.pk}/",
        "article": {
            "id": first.article_id,
            "title": "First",
            "outlet": "Wire",
            "url": None,
            "published_on": None,
            "newsdesk_url": f"{BASE}/articles/{first.article_id}/",
        },
    }
    assert by_claim[second.pk]["article"]["published_on"] == "2024-02-29"
    assert by_claim[second.pk]["article"]["url"] == "https://dated.example/a"
    # Seen from the other end too.
    data = json.loads(read(export_json(Claim.objects.filter(pk=first.pk), base_url=BASE)))
    assert [s["claim"] for s in data["articles"][0]["claims"][0]["same_as"]] == [claim.pk]


@pytest.mark.parametrize("use_copy", [False, pytest.param(True, marks=only_postgresql)])
def test_claimreview_lists_every_article_where_the_claim_appears(linked, use_copy):
    claim, first, _second, _again, related = linked
    reviews = json.loads(
        read(
            export_claimreview(
                Claim.objects.filter(pk__in=[claim.pk, related.pk]),
                base_url=BASE,
                use_copy=use_copy,
            )
        )
    )
    jsonschema.validate(reviews, SCHEMA)
    ours = next(r for r in reviews if r["url"] == f"{BASE}/claims/{claim.pk}/")
    # Its own article first, then the others by number, each once; related claims are not
    # the claim appearing elsewhere.
    assert ours["itemReviewed"]["appearance"] == [
        {
            "@type": "NewsArticle",
            "headline": "Ours",
            "url": f"{BASE}/articles/{claim.article_id}/",
            "publisher": {"@type": "Organization", "name": "Wire"},
        },
        {
            "@type": "NewsArticle",
            "headline": "First",
            "url": f"{BASE}/articles/{first.article_id}/",
            "publisher": {"@type": "Organization", "name": "Wire"},
        },
        {
            "@type": "NewsArticle",
            "headline": "Dated",
            "url": "https://dated.example/a",
            "datePublished": "2024-02-29",
        },
    ]
    theirs = next(r for r in reviews if r["url"] == f"{BASE}/claims/{related.pk}/")
    assert [a["headline"] for a in theirs["itemReviewed"]["appearance"]] == ["Other"]


def test_an_orphan_marked_the_same_is_no_appearance(linked):
    claim, first, *_ = linked
    Claim.objects.filter(pk=first.pk).update(orphaned=True)
    (review,) = json.loads(
        read(export_claimreview(Claim.objects.filter(pk=claim.pk), base_url=BASE, use_copy=False))
    )
    assert [a["headline"] for a in review["itemReviewed"]["appearance"]] == ["Ours", "Dated"]


# --- over HTTP -------------------------------------------------------------------------

EXPORT_ROLES = {
    "anonymous": 302,
    "nobody": 403,
    "reviewer": 200,
    "editor": 200,
    "staff": 200,
    "superuser": 200,
}


@pytest.mark.parametrize("fmt", ["csv", "csv-excel", "json", "claimreview", "report"])
@pytest.mark.parametrize("role", list(EXPORT_ROLES))
def test_who_may_export(db, client, request, role, fmt):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    url = reverse("claims:report") if fmt == "report" else reverse("claims:export", args=[fmt])
    response = client.get(url)
    assert response.status_code == EXPORT_ROLES[role]


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("csv", "text/csv; charset=utf-8"),
        ("csv-excel", "text/csv; charset=utf-8"),
        ("json", "application/json"),
        ("claimreview", "application/ld+json"),
    ],
)
def test_downloads_stream_as_attachments_that_are_not_cached(
    client, reviewer, corpus, fmt, content_type
):
    client.force_login(reviewer)
    response = client.get(reverse("claims:export", args=[fmt]))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith('attachment; filename="newsdesk-claims-')
    assert response["Cache-Control"] == "no-store"
    assert b"".join(response.streaming_content)


def test_csv_for_excel_downloads_as_the_csv_with_a_byte_order_mark_and_its_own_name(
    client, reviewer, corpus
):
    client.force_login(reviewer)
    query = f"?article={corpus[2].article_id}"
    plain_csv = client.get(reverse("claims:export", args=["csv"]) + query)
    excel = client.get(reverse("claims:export", args=["csv-excel"]) + query)
    plain_bytes = b"".join(plain_csv.streaming_content)
    assert plain_bytes.count(b"\n") > 1
    assert b"".join(excel.streaming_content) == b"\xef\xbb\xbf" + plain_bytes
    name = re.compile(r'attachment; filename="newsdesk-claims-\d{8}-\d{4}(-excel)?\.csv"')
    assert name.fullmatch(plain_csv["Content-Disposition"])[1] is None
    assert name.fullmatch(excel["Content-Disposition"])[1] == "-excel"


@pytest.mark.parametrize(
    ("where", "url"),
    [
        ("dashboard", "/"),
        ("queue", "/claims/?status=confirmed"),
        ("report", "/claims/report/"),
        ("article", "article"),
    ],
)
def test_csv_for_excel_is_offered_wherever_the_csv_is(client, reviewer, corpus, where, url):
    client.force_login(reviewer)
    if url == "article":
        url = reverse("articles:detail", args=[corpus[0].article_id])
    page = client.get(url).content.decode()
    plain_link = re.search(r'href="(/claims/export/csv/[^"]*)" download>CSV</a>', page)
    excel_link = re.search(
        r'href="(/claims/export/csv-excel/[^"]*)" download>CSV for Excel</a>', page
    )
    assert plain_link, where
    assert excel_link, where
    # The same selection, only the format differs.
    assert plain_link[1].removeprefix("/claims/export/csv/") == excel_link[1].removeprefix(
        "/claims/export/csv-excel/"
    )


def test_download_follows_the_queue_filters(client, reviewer, corpus):
    client.force_login(reviewer)
    article_id = corpus[2].article_id
    response = client.get(reverse("claims:export", args=["csv"]) + f"?article={article_id}")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [int(r["claim_id"]) for r in rows] == [corpus[2].pk]
    everything = client.get(reverse("claims:export", args=["csv"]) + "?status=unverified")
    assert b"".join(everything.streaming_content).count(b"\n") == 2  # header + one claim


@pytest.mark.parametrize("query", ["article=abc", "changed_after=2026-99-01", "status=maybe"])
def test_a_bad_filter_is_refused_not_widened(client, reviewer, query):
    client.force_login(reviewer)
    response = client.get(reverse("claims:export", args=["csv"]) + "?" + query)
    assert response.status_code == 400
    assert "could not be understood" in response.content.decode()


def test_unknown_format_is_404(client, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("claims:export", args=["xlsx"])).status_code == 404


def test_printable_report_shows_summary_verdicts_and_sources(client, editor, corpus):
    client.force_login(editor)
    response = client.get(reverse("claims:report"))
    page = response.content.decode()
    assert f'aria-label="Claims by status: {len(corpus)} confirmed' in page
    assert "https://a.example/0" in page
    assert "Verdict:" in page
    assert "@media print" not in page  # the print styles live in the stylesheet


def test_printable_report_queries_do_not_grow(client, reviewer):
    client.force_login(reviewer)

    def count(n: int) -> int:
        for _ in range(n):
            SourceFactory.create_batch(2, claim=ClaimFactory(status=S.SOURCED))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("claims:report")).status_code == 200
        return len(ctx.captured_queries)

    assert count(2) == count(25) <= 10


def test_printable_report_queries_do_not_grow_past_its_limit(client, reviewer, monkeypatch):
    monkeypatch.setattr(reports, "REPORT_PAGE_LIMIT", 5)
    client.force_login(reviewer)

    def count(n: int) -> int:
        for _ in range(n):
            SourceFactory.create_batch(2, claim=ClaimFactory(status=S.SOURCED))
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("claims:report")).content.decode()
        assert page.count('class="nd-report-claim') == min(Claim.objects.count(), 5)
        return len(ctx.captured_queries)

    assert count(6) == count(25)


def test_printable_report_stops_at_its_limit_and_offers_the_downloads(
    client, reviewer, monkeypatch
):
    monkeypatch.setattr(reports, "REPORT_PAGE_LIMIT", 3)
    client.force_login(reviewer)
    ClaimFactory.create_batch(3, status=S.SOURCED)
    page = client.get(reverse("claims:report") + "?status=sourced").content.decode()
    assert page.count('class="nd-report-claim') == 3
    assert "This page shows the first" not in page
    ClaimFactory.create_batch(2, status=S.SOURCED)
    ClaimFactory(status=S.CONFIRMED)  # outside the selection
    page = client.get(reverse("claims:report") + "?status=sourced").content.decode()
    assert page.count('class="nd-report-claim') == 3
    notice = page.split('class="alert alert-warning', 1)[1].split("</div>\n  </div>", 1)[0]
    assert "This page shows the first 3 of the 5 claims selected." in notice
    for fmt in ("csv", "csv-excel", "json", "claimreview"):
        assert f'href="{reverse("claims:export", args=[fmt])}?status=sourced"' in notice


def test_printable_report_leaves_article_texts_and_excerpts_unread(client, reviewer):
    """Each claim's article came with the article's whole text: megabytes per claim on a
    big article, 1.9 GB for one page of 1,000 claims."""
    client.force_login(reviewer)
    SourceFactory(claim=ClaimFactory(status=S.SOURCED), excerpt="A passage.")
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("claims:report")).content.decode()
    assert "claim #" in page
    selects = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT")]
    assert any('"articles_article"' in sql for sql in selects)
    assert not any('"articles_article"."body"' in sql for sql in selects)
    assert not any('"claims_source"."excerpt"' in sql for sql in selects)


def test_admin_exports_selected_claims(client, staff, corpus):
    client.force_login(staff)
    response = client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "export_csv", "index": 0, "_selected_action": [corpus[0].pk, corpus[1].pk]},
    )
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert sorted(int(r["claim_id"]) for r in rows) == [corpus[0].pk, corpus[1].pk]


def test_admin_exports_selected_claims_for_excel(client, staff, corpus):
    client.force_login(staff)
    selected = {"index": 0, "_selected_action": [corpus[0].pk, corpus[1].pk]}
    changelist = reverse("admin:claims_claim_changelist")
    plain_csv = client.post(changelist, {"action": "export_csv", **selected})
    excel = client.post(changelist, {"action": "export_csv_excel", **selected})
    assert b"".join(excel.streaming_content) == b"\xef\xbb\xbf" + b"".join(
        plain_csv.streaming_content
    )
    assert excel["Content-Disposition"].endswith('-excel.csv"')


# --- the command -----------------------------------------------------------------------


def test_command_writes_a_file(tmp_path, corpus):
    target = tmp_path / "report.jsonld"
    call_command(
        "export_claims",
        "--format",
        "claimreview",
        "--output",
        str(target),
        "--article",
        str(corpus[0].article_id),
        stderr=io.StringIO(),
    )
    reviews = json.loads(target.read_text())
    assert [r["claimReviewed"] for r in reviews] == [corpus[0].text]
    assert not (tmp_path / "report.jsonld.part").exists()


def test_command_writes_csv_for_excel(tmp_path, corpus, capsysbinary):
    call_command("export_claims", "--status", "confirmed")
    plain_csv = capsysbinary.readouterr().out
    target = tmp_path / "report.csv"
    call_command(
        "export_claims",
        "--status",
        "confirmed",
        "--format",
        "csv-excel",
        "--output",
        str(target),
        stderr=io.StringIO(),
    )
    assert target.read_bytes() == b"\xef\xbb\xbf" + plain_csv


def test_command_writes_standard_output(corpus, capsysbinary):
    call_command("export_claims", "--status", "confirmed")
    out = capsysbinary.readouterr().out.decode()
    assert out.startswith(",".join(CSV_COLUMNS))
    assert out.count("https://b.example/") == len(corpus)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--article", "424242"], "No article with id 424242."),
        (["--format", "csv", "--history"], "--history goes with --format json."),
        (["--output", "/nonexistent-dir/x.csv"], "Cannot write /nonexistent-dir/x.csv"),
        (["--article", "99999999999999999999"], "is not an article id"),
        (["--base-url", "javascript:alert(1)"], "is not an http"),
    ],
)
def test_command_refuses_bad_input(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_claims", *args)


def test_command_refuses_an_unknown_status(db):
    with pytest.raises(CommandError, match="invalid choice: 'maybe'"):
        call_command("export_claims", "--status", "maybe")
