from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from articles.models import Article
from claims.models import Claim, ClaimEvent, ClaimStatus, Source, Stance
from claims.workflow import confirmation_refusal


@pytest.mark.django_db
def test_seed_bulk_loads_varied_consistent_data():
    out = StringIO()
    call_command("seed_bulk", "--articles", "6", "--claims-per-article", "40",
                 "--sources-per-claim", "3", stdout=out)  # fmt: skip
    assert "Loaded 6 articles, 240 claims, 720 sources" in out.getvalue()
    assert Article.objects.count() == 6
    assert set(Claim.objects.values_list("status", flat=True)) == set(ClaimStatus)
    assert set(Source.objects.values_list("stance", flat=True)) == set(Stance)
    assert Claim.objects.filter(assignee__isnull=False).exists()
    for claim in Claim.objects.select_related("article")[:50]:
        assert claim.article.body[claim.start : claim.end] == claim.text
    confirmed = Claim.objects.filter(status=ClaimStatus.CONFIRMED).prefetch_related("sources")
    assert all(confirmation_refusal(list(c.sources.all())) is None for c in confirmed)
    reviewed = Claim.objects.exclude(status=ClaimStatus.UNVERIFIED).count()
    assert ClaimEvent.objects.filter(kind="status_changed").count() == reviewed
    assert ClaimEvent.objects.filter(kind="created").count() == 240


@pytest.mark.django_db
def test_seed_bulk_adds_to_what_is_there_and_ids_keep_counting():
    call_command("seed_bulk", "--articles", "2", "--claims-per-article", "3", stdout=StringIO())
    call_command("seed_bulk", "--articles", "2", "--claims-per-article", "3", stdout=StringIO())
    assert Claim.objects.count() == 12
    fresh = Article.objects.create(title="After", body="Text after the bulk load.")
    assert fresh.pk == Article.objects.aggregate(n=Count("id"))["n"]


@pytest.mark.django_db
def test_seed_bulk_refuses_nonsense():
    with pytest.raises(CommandError, match="must be 1 or more"):
        call_command("seed_bulk", "--articles", "0", "--claims-per-article", "3")
