"""What keeps pages fast at a million claims: capped counts, estimated totals, one query
for permissions, trigram indexes."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, ClaimStatus
from claims.selectors import capped_status_counts
from newsdesk import admin_options as newsdesk_admin
from newsdesk.admin_options import EstimatedCountPaginator
from newsdesk.auth import ASSIGN, REVIEW
from tests.factories import ArticleFactory, ClaimFactory, SourceFactory

S = ClaimStatus


def test_capped_counts_are_exact_below_the_cap_and_flag_above(db):
    article = ArticleFactory()
    for i in range(4):
        ClaimFactory(article=article, sentence=i, status=S.SOURCED)
    ClaimFactory(article=article, status=S.DISPUTED)
    with CaptureQueriesContext(connection) as ctx:
        counts = capped_status_counts(Claim.objects.all(), cap=3)
    assert len(ctx.captured_queries) == 1
    assert counts == {"unverified": 0, "sourced": 4, "disputed": 1, "confirmed": 0}
    assert capped_status_counts(Claim.objects.none()) == dict.fromkeys(S.values, 0)


def test_queue_shows_capped_counts_as_a_floor(client, reviewer, monkeypatch):
    from claims.views import desk as views

    monkeypatch.setattr(views, "COUNT_CAP", 2)
    article = ArticleFactory()
    for i in range(4):
        ClaimFactory(article=article, sentence=i)
    client.force_login(reviewer)
    response = client.get(reverse("claims:queue"))
    counts = {value: n for value, _, n, _ in response.context["status_links"]}
    assert counts["unverified"] == "2+"
    assert response.context["total"] == "2+"


def test_unfiltered_admin_lists_are_counted_by_estimate(db, monkeypatch):
    ClaimFactory()
    monkeypatch.setattr(newsdesk_admin, "table_estimate", lambda model: 1_234_567)
    assert EstimatedCountPaginator(Claim.objects.all(), 50).count == 1_234_567
    assert EstimatedCountPaginator(Claim.objects.filter(status=S.SOURCED), 50).count == 0
    monkeypatch.setattr(newsdesk_admin, "table_estimate", lambda model: None)
    assert EstimatedCountPaginator(Claim.objects.all(), 50).count == 1  # no estimate: exact


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_class is PostgreSQL's")
def test_postgres_estimate_reads_the_planner_statistics(db):
    for _ in range(3):
        ClaimFactory()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    assert newsdesk_admin.table_estimate(Claim) == 3  # a small table is counted exactly


def test_roles_are_read_in_one_query(db, editor):
    user = get_user_model().objects.get(pk=editor.pk)
    with CaptureQueriesContext(connection) as ctx:
        assert user.has_perm(ASSIGN)
        assert not user.has_perm(REVIEW)
    assert len(ctx.captured_queries) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_text_search_has_trigram_indexes(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'claims_claim' "
            "AND indexdef LIKE '%gin_trgm_ops%'"
        )
        found = dict(cursor.fetchall())
    assert set(found) == {"claim_text_trgm", "claim_attributed_trgm"}
    assert "upper(text)" in found["claim_text_trgm"]


@pytest.mark.parametrize("role", ["superuser", "staff"])
def test_admin_claim_list_runs_at_most_six_queries_at_any_size(db, client, request, role):
    client.force_login(request.getfixturevalue(role))

    def count(n: int) -> int:
        article = ArticleFactory()
        for i in range(n):
            SourceFactory(claim=ClaimFactory(article=article, sentence=i % 4))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("admin:claims_claim_changelist")).status_code == 200
        return len(ctx.captured_queries)

    assert count(5) == count(120) <= 6
