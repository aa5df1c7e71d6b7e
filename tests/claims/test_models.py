from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from claims.models import Claim, ClaimEvent, EventKind, Source, Via
from claims.workflow import independent_publishers
from tests.factories import ClaimFactory, SourceFactory


def refused_by_database(**changes) -> bool:
    claim = ClaimFactory()
    try:
        with transaction.atomic():
            Claim.objects.filter(pk=claim.pk).update(**changes)
    except IntegrityError:
        return True
    return False


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes",
    [
        {"status": "maybe"},
        {"origin": "rumour"},
        {"start": 10, "end": 10},
        {"start": 12, "end": 3},
        {"end": 5},  # the quote no longer matches its span
        {"version": 0},
    ],
    ids=["status", "origin", "empty-span", "reversed-span", "quote-mismatch", "version"],
)
def test_database_refuses_claims_that_break_the_rules(changes):
    assert refused_by_database(**changes)


@pytest.mark.django_db
def test_database_refuses_an_unknown_stance():
    source = SourceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.filter(pk=source.pk).update(stance="sort of")


@pytest.mark.django_db
def test_database_refuses_a_status_change_event_without_a_target(claim):
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimEvent.objects.create(claim=claim, kind=EventKind.STATUS_CHANGED, via=Via.WEB)


@pytest.mark.django_db
def test_history_rows_cannot_be_changed_or_deleted_through_the_orm(claim):
    event = ClaimEvent.objects.create(claim=claim, kind=EventKind.CREATED, via=Via.WEB)
    event.note = "rewritten"
    with pytest.raises(TypeError, match="append-only"):
        event.save()
    with pytest.raises(TypeError, match="append-only"):
        event.delete()
    with pytest.raises(TypeError, match="append-only"):
        ClaimEvent.objects.filter(pk=event.pk).update(note="x")
    with pytest.raises(TypeError, match="append-only"):
        ClaimEvent.objects.all().delete()
    assert ClaimEvent.objects.get().note == ""


@pytest.mark.django_db
def test_a_claim_with_history_cannot_be_deleted(claim):
    from django.db.models import ProtectedError

    ClaimEvent.objects.create(claim=claim, kind=EventKind.CREATED, via=Via.WEB)
    with pytest.raises(ProtectedError):
        claim.delete()


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        (("The  Wire", "https://a.example"), ("the wire ", "https://b.example"), True),
        (("", "https://WWW.Wire.Example:8443/x"), ("", "https://wire.example/y"), True),
        (("", "https://uk.reuters.com/x"), ("", "https://reuters.com/y"), True),
        (("Reuters", "https://a.example"), ("", "https://www.reuters.com/y"), True),
        (("", "https://news.bbc.co.uk/x"), ("BBC", "https://bbc.co.uk/y"), True),
        (("Wire A", "https://a.example"), ("Wire B", "https://b.example"), False),
        (("", "https://bbc.co.uk/x"), ("", "https://itv.co.uk/y"), False),
    ],
)
def test_independent_publishers(first, second, same):
    sources = [Source(publisher=p, url=u) for p, u in (first, second)]
    assert independent_publishers(sources) == (1 if same else 2)


def test_a_publisher_bridges_two_sources_that_share_nothing_directly():
    sources = [
        Source(publisher="Reuters", url="https://a.example/1"),
        Source(publisher="", url="https://reuters.com/2"),
        Source(publisher="", url="https://www.reuters.com/3"),
        Source(publisher="AP", url="https://apnews.com/4"),
    ]
    assert independent_publishers(sources) == 2


def test_claim_str_shortens_long_quotes():
    claim = Claim(pk=7, text="word " * 40)
    assert str(claim).startswith("#7 “word")
    assert str(claim).endswith("…”")


def test_bare_links_on_look_alike_domains_are_different_publishers():
    sources = [
        Source(publisher="", url="https://brannock-haulage.example.com/news"),
        Source(publisher="Meridian News", url="https://www.meridian-news.example.org/a"),
        Source(publisher="", url="https://other.example.org/b"),
    ]
    assert independent_publishers(sources) == 3


def test_typed_publishers_sharing_a_platform_stay_apart():
    sources = [
        Source(publisher="Alice Reports", url="https://alice.substack.com/p/1"),
        Source(publisher="Bob Checks", url="https://bob.substack.com/p/2"),
    ]
    assert independent_publishers(sources) == 2
