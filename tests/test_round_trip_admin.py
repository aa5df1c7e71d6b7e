"""Every admin change form, opened and saved untouched, changes nothing in the database.

The data sent is read from the rendered page as a browser would send it
(tests/html_forms.py), so a value rendered in a form the server cannot read back, or one
the browser would drop, fails here too.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import article_import
from claims.models import Claim, ClaimEvent, ClaimStatus, EventKind, Source, Stance, Via
from newsdesk.auth import EDITORS
from tests.factories import UserFactory
from tests.html_forms import submitted
from tests.snapshot import assert_unchanged, database_snapshot

LEDE = "Le pont a été fermé après «\u00a014 fissures\u00a0», a dit Zoë Ångström."
BODY = f"{LEDE}\r\n\r\nThe council “said” so.\r\nA second line.\r\n\r\nTraffic rose 30 %."


@pytest.fixture
def story(editor, reviewer, reviewer2):
    article = article_import(
        by=editor,
        title="Pont “Cœur” fermé",
        body=BODY,
        outlet="Le Journal du Nord",
        url="https://journal.example/actualités/pont?id=7",
        byline="Zoë Ångström",
        published_on=date(2021, 1, 23),
        language="fr",
    ).article
    # Stored before the services trimmed what they store.
    Article.objects.filter(pk=article.pk).update(byline="Zoë Ångström  ")
    body = Article.objects.get(pk=article.pk).body
    lede = Claim.objects.create(
        article=article,
        text=LEDE,
        start=0,
        end=len(LEDE),
        suffix=body[len(LEDE) : len(LEDE) + 32],
        attributed_to="Zoë Ångström  ",
        assignee=reviewer,
        status=ClaimStatus.SOURCED,
        rationale="Two wires agree.\nThe “council” too.",
    )
    at = body.index("A second line.")
    end = body.index("Traffic") + len("Traffic")
    spanning = Claim.objects.create(
        article=article, text=body[at:end], start=at, end=end, prefix=body[at - 32 : at]
    )
    source = Source.objects.create(
        claim=lede,
        url="https://wire.example/pont-cœur",
        publisher="Wire “A”",
        excerpt="«\u00a014 fissures\u00a0»\nsur le pont.",
        stance=Stance.SUPPORTS,
        accessed_on=date(2021, 2, 3),
        added_by=reviewer2,
    )
    event = ClaimEvent.objects.create(
        claim=lede, actor=reviewer2, kind=EventKind.SOURCE_ADDED, via=Via.WEB, note="Wire “A”"
    )
    return {
        "article": article,
        "lede": lede,
        "spanning": spanning,
        "source": source,
        "event": event,
    }


def save_untouched(client, url: str, form: str) -> None:
    """Open the change page, send its form back as it came, and find nothing changed."""
    page = client.get(url)
    assert page.status_code == 200
    data = submitted(page.content.decode(), selector=f"//form[@id='{form}']", button="_save")
    before = database_snapshot()
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert_unchanged(before)


def test_article_change_form(client, staff, story):
    client.force_login(staff)
    url = reverse("admin:articles_article_change", args=[story["article"].pk])
    save_untouched(client, url, "article_form")
    assert Article.objects.get().published_on == date(2021, 1, 23)


@pytest.mark.parametrize("name", ["lede", "spanning"])
def test_claim_change_form_with_its_source_inlines(client, staff, story, name):
    client.force_login(staff)
    save_untouched(
        client, reverse("admin:claims_claim_change", args=[story[name].pk]), "claim_form"
    )


def test_user_change_form(client, superuser, roles_for_user):
    client.force_login(superuser)
    person = roles_for_user
    save_untouched(client, reverse("admin:auth_user_change", args=[person.pk]), "user_form")


def test_group_change_form(client, superuser):
    client.force_login(superuser)
    group = Group.objects.get(name=EDITORS)
    save_untouched(client, reverse("admin:auth_group_change", args=[group.pk]), "group_form")


@pytest.mark.parametrize(
    ("model", "key"), [("claims_source", "source"), ("claims_claimevent", "event")]
)
def test_sources_and_history_are_shown_not_edited(client, superuser, story, model, key):
    """The admin shows a source or a history row without a form to change it, and a
    change sent anyway is refused."""
    client.force_login(superuser)
    url = reverse(f"admin:{model}_change", args=[story[key].pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    before = database_snapshot()
    refused = client.post(url, {"note": "changed", "url": "https://other.example/"})
    # Refused outright, or sent back to the page with "Nothing was saved".
    assert refused.status_code in (302, 403)
    assert_unchanged(before)


@pytest.fixture
def roles_for_user(db):
    """Someone who signed in once, with a role: times with microseconds, and groups."""
    person = UserFactory(
        username="zoë",
        email="zoe@newsdesk.example",
        first_name="Zoë",
        last_name="Ångström",
        roles=[EDITORS],
        is_staff=True,
    )
    joined = timezone.now() - timedelta(days=400, microseconds=123_457)
    person.date_joined = joined
    person.last_login = joined + timedelta(days=3, microseconds=654_321)
    person.save()
    return person


def test_the_assign_form_of_a_claim_whose_assignee_left_changes_nothing(client, editor, story):
    """Not one of the reviewers listed: the form shows them, not the first reviewer, and
    sending it untouched assigns nobody new."""
    claim = story["lede"]
    claim.assignee.groups.clear()
    client.force_login(editor)
    page = client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    assert "rui (no longer a reviewer)" in page
    data = submitted(page, selector="//form[contains(@action, '/claims/assign/')]")
    before = database_snapshot()
    response = client.post(reverse("claims:assign"), data)
    assert response.status_code == 302
    assert_unchanged(before)
