from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles.models import Article
from claims.models import Claim, ClaimEvent, ClaimStatus, EventKind, Source, Stance, Via
from newsdesk.auth import ASSIGN, REVIEW
from suggestions.selectors import open_suggestions


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_demo_builds_a_believable_newsroom():
    output = seed()
    assert "newsdesk-demo" in output
    for username in ("editor", "reviewer", "reviewer2", "admin"):
        assert username in output
    article, imported = Article.objects.order_by("pk")
    assert "fictional" in article.body
    # The second article was just imported: its suggestions wait for an Editor.
    assert not imported.claims.exists()
    assert len(open_suggestions(article=imported)) >= 3
    assert set(Claim.objects.values_list("status", flat=True)) == set(ClaimStatus)
    assert set(Source.objects.values_list("stance", flat=True)) == set(Stance)
    assert set(ClaimEvent.objects.values_list("kind", flat=True)) >= {
        EventKind.CREATED,
        EventKind.ASSIGNED,
        EventKind.SOURCE_ADDED,
        EventKind.STATUS_CHANGED,
    }
    assert set(ClaimEvent.objects.values_list("via", flat=True)) == {Via.COMMAND}
    confirmed = Claim.objects.get(status=ClaimStatus.CONFIRMED)
    confirmer = confirmed.events.get(to_status=ClaimStatus.CONFIRMED).actor
    assert not confirmed.sources.filter(added_by=confirmer).exists()  # four eyes, shown


@pytest.mark.django_db
def test_seed_demo_is_idempotent():
    seed()
    counts = (Article.objects.count(), Claim.objects.count(), ClaimEvent.objects.count())
    get_user_model().objects.filter(username="reviewer").update(password="!")
    assert "already there" in seed()
    assert (Article.objects.count(), Claim.objects.count(), ClaimEvent.objects.count()) == counts
    assert get_user_model().objects.get(username="reviewer").check_password("newsdesk-demo")


@pytest.mark.django_db
def test_demo_users_have_their_roles():
    seed()
    users = {u.username: u for u in get_user_model().objects.all()}
    assert users["admin"].is_superuser
    assert users["editor"].has_perm(ASSIGN)
    assert users["reviewer2"].has_perm(REVIEW)
    assert not users["reviewer"].is_staff


def test_seed_demo_refuses_production_settings(settings):
    settings.SETTINGS_MODULE = "newsdesk.settings.prod"
    with pytest.raises(CommandError, match="refuses to run with production settings"):
        call_command("seed_demo")
