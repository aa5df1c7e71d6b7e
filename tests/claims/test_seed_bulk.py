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
    call_command(
        "seed_bulk",
        "--articles",
        "6",
        "--claims-per-article",
        "40",
        "--sources-per-claim",
        "3",
        stdout=out,
    )
    assert "Loaded 6 articles, 240 claims, 720 sources" in out.getvalue()
    assert Article.objects.count() == 6
    assert set(Claim.objects.values_list("status", flat=True)) == set(ClaimStatus)
    assert set(Source.objects.values_list("stance", flat=True)) == set(Stance)
    assert Claim.objects.filter(assignee__isnull=False).exists()
    for claim in Claim.objects.select_related("article")[:50]:
        assert claim.article.body[claim.start : claim.end] == claim.text
    # The duplicate-import keys, written by hand here, are the ones a save computes.
    for article in Article.objects.all():
        keys = (article.body_digest, article.url_digest)
        article.save()
        assert (article.body_digest, article.url_digest) == keys
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


@pytest.mark.django_db
@pytest.mark.parametrize("sources", ["0", "1"])
def test_seed_bulk_refuses_too_few_sources_for_a_confirmation(sources):
    with pytest.raises(CommandError, match="must be at least 2"):
        call_command(
            "seed_bulk",
            "--articles",
            "1",
            "--claims-per-article",
            "3",
            "--sources-per-claim",
            sources,
        )


@pytest.mark.django_db
def test_seed_bulk_disputes_carry_a_note():
    call_command("seed_bulk", "--articles", "2", "--claims-per-article", "50", stdout=StringIO())
    disputes = ClaimEvent.objects.filter(kind="status_changed", to_status=ClaimStatus.DISPUTED)
    assert disputes.exists()
    assert not disputes.filter(note="").exists()
