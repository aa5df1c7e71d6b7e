"""Who may do what, said once: the permission vocabulary, the refusal every check words the
same way, and who may be given claims, offered by every form and filter exactly as the
services accept them."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import reverse

import newsdesk.auth as auth
from articles.services import article_body_update, article_import, article_update
from claims.admin.filters import AssigneeFilter
from claims.filters import ClaimFilter
from claims.forms import BulkAssignForm, ClaimAdminForm, ClaimForm
from claims.models import Claim, ClaimStatus, Stance
from claims.services import (
    claim_assign,
    claim_create,
    claim_transition,
    claim_update,
    claims_bulk_assign,
    source_add,
    source_remove,
)
from claims.workflow import TransitionRefused
from newsdesk.auth import (
    ADD_ARTICLE,
    EXPORT,
    NO_ROLE,
    REVIEW,
    ROLE_PERMISSIONS,
    may_review,
    refusal_text,
    reviewers,
)
from suggestions.models import DismissedSuggestion
from suggestions.services import (
    suggestion_accept,
    suggestion_dismiss,
    suggestion_restore,
    suggestions_accept_all,
)
from tests.factories import (
    ClaimFactory,
    SourceFactory,
    UserFactory,
    editor_factory,
    reviewer_factory,
)

ROOT = Path(__file__).resolve().parents[2]
VOCABULARY = {
    name: value
    for name, value in vars(auth).items()
    if name.isupper() and isinstance(value, str) and re.fullmatch(r"[a-z]+\.[a-z_]+", value)
}


# --- one vocabulary ----------------------------------------------------------------------


def test_every_permission_named_is_granted_by_a_role():
    """Each refusal names the role that would allow the act, so every permission the app
    checks must belong to one."""
    granted = {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}
    assert set(VOCABULARY.values()) == granted


@pytest.mark.django_db
def test_every_permission_named_exists():
    existing = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }
    assert set(VOCABULARY.values()) <= existing


def test_no_permission_is_spelled_out_outside_the_vocabulary():
    """A permission written as a string beside the constants is how two spellings of one
    rule begin. The migrations keep their own copies, as migrations must. A template asks
    its view (`may_export`), which asks the constants: `perms.` there is a spelling too."""
    literal = re.compile(
        r"""["'](?:articles|claims|suggestions)\.(?:add|change|delete|view|assign|export)_\w+["']"""
    )
    in_template = re.compile(rf"\bperms\.|{literal.pattern}")
    code = [
        path
        for app in ("articles", "claims", "suggestions", "newsdesk")
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and path != ROOT / "newsdesk" / "auth.py"
    ]
    templates = list((ROOT / "templates").rglob("*.html"))
    assert templates
    spelled = [
        f"{path.relative_to(ROOT)}:{number}"
        for paths, pattern in ((code, literal), (templates, in_template))
        for path in paths
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert spelled == []


def test_a_refusal_names_the_role_that_holds_the_permission():
    assert refusal_text(ADD_ARTICLE, to="import articles") == (
        "You need the Editor role to import articles."
    )
    assert refusal_text(REVIEW, to="decide on claims") == (
        "You need the Reviewer role to decide on claims."
    )
    assert refusal_text(EXPORT, to="export reports") == (
        "You need the Reviewer or Editor role to export reports."
    )
    assert NO_ROLE == (
        "You need the Reviewer or Editor role to use Newsdesk. "
        "Ask a Newsdesk administrator to add you to one of those groups."
    )


def test_a_permission_no_role_holds_cannot_be_refused_in_words():
    with pytest.raises(ValueError, match="No newsroom role holds"):
        refusal_text("claims.delete_claim", to="erase claims")


# --- one wording for each refusal --------------------------------------------------------


def refused_by_page(response) -> str:
    """What a page said when it refused: its 403 page, or else its first message."""
    if response.status_code == 403:
        return unescape(response.context["exception"])
    return str(next(iter(get_messages(response.wsgi_request))))


def refused_by_service(act) -> str:
    with pytest.raises((PermissionDenied, TransitionRefused, ValidationError)) as refused:
        act()
    error = refused.value
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def test_deciding_is_refused_in_the_same_words_by_the_page_and_the_services(client, editor, claim):
    client.force_login(editor)
    page = refused_by_page(client.post(reverse("claims:decide", args=[claim.pk]), {"to": "keep"}))
    assert page == "You need the Reviewer role to decide on claims."
    assert page == refused_by_service(
        lambda: claim_transition(
            claim=claim, to=ClaimStatus.DISPUTED, by=editor, expected_version=1, note="why"
        )
    )
    assert page == refused_by_service(
        lambda: claim_update(claim=claim, by=editor, expected_version=1, rationale="Ok")
    )


def test_editing_a_claim_is_refused_in_the_same_words_by_the_page_and_the_service(
    client, reviewer, claim
):
    client.force_login(reviewer)
    page = refused_by_page(client.get(reverse("claims:edit", args=[claim.pk])))
    assert page == "You need the Editor role to edit claims."
    assert page == refused_by_service(
        lambda: claim_update(claim=claim, by=reviewer, expected_version=1, start=0, end=4)
    )
    assert page == refused_by_service(
        lambda: claim_update(claim=claim, by=reviewer, expected_version=1, attributed_to="X")
    )


def test_sources_are_refused_in_the_same_words_by_the_page_and_the_services(client, editor, claim):
    client.force_login(editor)
    page = refused_by_page(
        client.post(
            reverse("claims:add_source", args=[claim.pk]),
            {"url": "https://a.example", "stance": Stance.SUPPORTS},
        )
    )
    assert page == "You need the Reviewer role to add sources."
    assert page == refused_by_service(
        lambda: source_add(claim=claim, by=editor, url="https://a.example", stance=Stance.SUPPORTS)
    )
    source = SourceFactory(claim=claim)
    removed = client.post(reverse("claims:remove_source", args=[claim.pk, source.pk]))
    assert refused_by_page(removed) == refused_by_service(
        lambda: source_remove(source=source, by=editor)
    )
    assert refused_by_page(removed) == "You need the Reviewer role to remove sources."


def test_making_a_claim_is_refused_in_the_same_words_by_the_page_and_the_service(
    client, reviewer, article
):
    client.force_login(reviewer)
    page = refused_by_page(
        client.post(reverse("articles:add_claim", args=[article.pk]), {"quote": "Five"})
    )
    assert page == "You need the Editor role to create claims."
    assert page == refused_by_service(
        lambda: claim_create(article=article, start=0, end=4, by=reviewer)
    )


def test_suggestions_are_refused_in_the_same_words_by_the_panel_and_the_services(
    client, reviewer, article
):
    client.force_login(reviewer)
    page = refused_by_page(
        client.post(reverse("articles:accept_suggestion", args=[article.pk]), {})
    )
    assert page == "You need the Editor role to judge suggestions."
    suggestion = {"article": article, "start": 0, "end": 4, "digest": "0" * 16, "by": reviewer}
    for act in (
        lambda: suggestion_accept(**suggestion),
        lambda: suggestion_dismiss(**suggestion),
        lambda: suggestions_accept_all(article=article, by=reviewer),
        lambda: suggestion_restore(dismissed=DismissedSuggestion(article=article), by=reviewer),
    ):
        assert refused_by_service(act) == page


def test_articles_are_refused_in_the_same_words_by_the_pages_and_the_services(
    client, reviewer, article
):
    client.force_login(reviewer)
    page = refused_by_page(client.get(reverse("articles:import")))
    assert page == "You need the Editor role to import articles."
    assert page == refused_by_service(
        lambda: article_import(by=reviewer, title="T", body="Some words.")
    )
    page = refused_by_page(client.get(reverse("articles:edit", args=[article.pk])))
    assert page == "You need the Editor role to edit articles."
    assert page == refused_by_service(
        lambda: article_update(
            article=article, by=reviewer, expected_version=1, body="New words.", title="T"
        )
    )
    assert page == refused_by_service(
        lambda: article_body_update(article=article, body="New words.", by=reviewer)
    )


def test_handing_a_claim_to_someone_else_is_refused_in_the_services_words(
    client, reviewer, reviewer2, claim
):
    client.force_login(reviewer)
    page = refused_by_page(
        client.post(
            reverse("claims:assign"),
            {"claim": [claim.pk], f"version-{claim.pk}": 1, "to": reviewer2.pk},
        )
    )
    assert page == "You need the Editor role to assign claims to other people."
    assert page == refused_by_service(
        lambda: claim_assign(claim=claim, assignee=reviewer2, by=reviewer)
    )


def test_an_assignee_who_cannot_review_is_refused_in_the_same_words(client, editor, claim):
    outsider = UserFactory(username="olga")
    client.force_login(editor)
    page = refused_by_page(
        client.post(
            reverse("claims:assign"),
            {"claim": [claim.pk], f"version-{claim.pk}": 1, "to": outsider.pk},
        )
    )
    service = refused_by_service(lambda: claim_assign(claim=claim, assignee=outsider, by=editor))
    assert page == "That person cannot review claims; assign a Reviewer."
    assert service == "olga cannot review claims; assign a Reviewer."


# --- one rule for who may be given claims ------------------------------------------------


@pytest.fixture
def people(db, superuser):
    """Everyone the rule has to tell apart, by what they hold."""
    direct = UserFactory(username="dora")
    direct.user_permissions.add(Permission.objects.get(codename="change_claim_status"))
    return {
        "in the Reviewers group": reviewer_factory(username="rui"),
        "a superuser outside Reviewers": superuser,
        "granted the permission directly": direct,
        "an inactive reviewer": reviewer_factory(username="ivan", is_active=False),
        "an inactive superuser": UserFactory(
            username="zed", is_staff=True, is_superuser=True, is_active=False
        ),
        "an editor": editor_factory(username="elena"),
        "someone with no role": UserFactory(username="nina"),
    }


OFFERED = {
    "in the Reviewers group",
    "a superuser outside Reviewers",
    "granted the permission directly",
}


def fresh(user):
    """The user as a request would load them, with no permission cache yet."""
    return type(user).objects.get(pk=user.pk)


def test_reviewers_are_everyone_who_may_review_and_nobody_else(people):
    assert {user.username for user in reviewers()} == {people[who].username for who in OFFERED}
    for who, user in people.items():
        assert may_review(fresh(user)) == (who in OFFERED), who


def test_reviewers_come_once_each_by_username_in_one_query(
    people, groups, django_assert_num_queries
):
    # A member of both roles who also holds the permission directly is still one person.
    both = reviewer_factory(username="bea")
    both.groups.add(groups["Editors"])
    both.user_permissions.add(Permission.objects.get(codename="change_claim_status"))
    with django_assert_num_queries(1):
        names = [user.username for user in reviewers()]
    assert names == sorted({*names})
    assert names == ["ada", "bea", "dora", "rui"]


def choice_values(choices) -> set[str]:
    return {str(value) for value, _ in choices} - {"", "me", "none"}


def offered_ids(people) -> set[str]:
    return {str(people[who].pk) for who in OFFERED}


def test_every_assign_form_offers_exactly_the_reviewers(people, article, claim):
    for form in (
        ClaimForm(article=article),
        ClaimAdminForm(instance=claim),
        BulkAssignForm(),
    ):
        assert choice_values(form.fields["assignee"].choices) == offered_ids(people), form


def test_the_queue_and_the_admin_filter_by_the_same_choices(people, editor):
    request = RequestFactory().get("/")
    request.user = editor
    queue = ClaimFilter({}, queryset=Claim.objects.all(), request=request)
    in_queue = list(queue.form.fields["assignee"].choices)
    in_admin = AssigneeFilter(request, {}, Claim, admin.site._registry[Claim]).lookup_choices
    assert in_queue[1:] == list(in_admin)  # the queue's first choice is "Anyone"
    assert choice_values(in_admin) == offered_ids(people)


def test_the_queue_and_the_admin_filter_pick_the_same_claims(people, editor):
    mine = ClaimFactory(assignee=people["a superuser outside Reviewers"])
    ClaimFactory()
    request = RequestFactory().get("/")
    request.user = editor
    model_admin = admin.site._registry[Claim]
    for value in ("none", str(mine.assignee_id)):
        queue = ClaimFilter({"assignee": value}, queryset=Claim.objects.all(), request=request)
        in_admin = AssigneeFilter(request, {"assignee": [value]}, Claim, model_admin)
        assert set(queue.qs) == set(in_admin.queryset(request, Claim.objects.all())), value


def test_the_claim_page_offers_exactly_the_reviewers(client, people, editor, claim):
    client.force_login(editor)
    response = client.get(reverse("claims:detail", args=[claim.pk]))
    assert {str(user.pk) for user in response.context["reviewers"]} == offered_ids(people)


@pytest.mark.parametrize("who", sorted(OFFERED))
def test_everyone_offered_is_accepted_by_the_services(people, editor, article, who):
    person = fresh(people[who])
    claim = claim_create(article=article, start=0, end=4, by=editor, assignee=person)
    assert claim.assignee == person
    other = ClaimFactory()
    claim_assign(claim=other, assignee=person, by=editor)
    assert claims_bulk_assign(claims=[ClaimFactory()], assignee=person, by=editor).changed


@pytest.mark.parametrize(
    "who", ["an inactive reviewer", "an inactive superuser", "an editor", "someone with no role"]
)
def test_nobody_else_is_accepted_by_the_services(people, editor, article, who):
    person = fresh(people[who])
    with pytest.raises(ValidationError, match="cannot review claims"):
        claim_create(article=article, start=0, end=4, by=editor, assignee=person)
    with pytest.raises(ValidationError, match="cannot review claims"):
        claim_assign(claim=ClaimFactory(), assignee=person, by=editor)
    assert not Claim.objects.filter(assignee=person).exists()


def test_the_queue_assigns_to_a_superuser_it_offers(client, people, editor):
    claim = ClaimFactory()
    ada = people["a superuser outside Reviewers"]
    client.force_login(editor)
    client.post(
        reverse("claims:assign"),
        {"claim": [claim.pk], f"version-{claim.pk}": claim.version, "to": ada.pk},
    )
    claim.refresh_from_db()
    assert claim.assignee == ada
