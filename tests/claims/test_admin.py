from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, ClaimEvent, ClaimStatus, EventKind, Source, Stance, Via
from claims.services import claim_transition, claim_update
from tests.factories import SENTENCES, ArticleFactory, ClaimFactory, SourceFactory, UserFactory
from tests.html_forms import submitted

S = ClaimStatus
CHANGELIST = reverse("admin:claims_claim_changelist")
ADD = reverse("admin:claims_claim_add")


def change_url(claim) -> str:
    return reverse("admin:claims_claim_change", args=[claim.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def action(client, name, claims, **extra):
    data = {"action": name, "index": 0, "_selected_action": [c.pk for c in claims], **extra}
    return client.post(CHANGELIST, data, follow=True)


@pytest.fixture
def admin_client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("nobody", 302),
        ("reviewer", 302),
        ("editor", 302),
        ("staff", 200),
        ("superuser", 200),
    ],
)
@pytest.mark.parametrize(
    "url",
    [
        CHANGELIST,
        ADD,
        reverse("admin:claims_claimevent_changelist"),
        reverse("admin:claims_source_changelist"),
        reverse("admin:articles_article_changelist"),
    ],
)
def test_admin_pages_are_for_staff_only(db, request, client, role, expected, url):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.get(url)
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("admin:login"))


def test_claim_changelist_runs_a_fixed_number_of_queries(admin_client_for, superuser, reviewer):
    client = admin_client_for(superuser)

    def count(n_claims: int) -> int:
        article = ArticleFactory()
        for i in range(n_claims):
            claim = ClaimFactory(article=article, sentence=i % len(SENTENCES), assignee=reviewer)
            SourceFactory(claim=claim)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(CHANGELIST)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    small = count(5)
    large = count(195)  # 200 claims in all, 50 shown per page
    assert small == large
    assert small <= 10


def test_claim_changelist_shows_what_a_desk_needs(admin_client_for, superuser, reviewer):
    claim = ClaimFactory(status=S.SOURCED, assignee=reviewer)
    SourceFactory.create_batch(2, claim=claim)
    response = admin_client_for(superuser).get(CHANGELIST)
    page = response.content.decode()
    assert claim.article.title in page
    assert "Sourced" in page
    assert "rui" in page
    assert 'class="field-sources_count">2<' in page


@pytest.mark.parametrize(
    "query",
    [
        "status=sourced",
        "assignee=me",
        "assignee=none",
        "assignee=999",
        "outlet=Newsdesk+Wire",
        "q=convoys",
        "assignee=abc",
        "status=bogus",
        "o=4",
    ],
)
def test_claim_changelist_filters_never_fail(admin_client_for, superuser, query):
    ClaimFactory()
    response = admin_client_for(superuser).get(f"{CHANGELIST}?{query}")
    assert response.status_code in (200, 302)


def test_add_claim_by_quote(admin_client_for, staff, reviewer, article):
    quote = SENTENCES[2]
    response = admin_client_for(staff).post(
        ADD,
        {
            "article": article.pk,
            "quote": quote,
            "attributed_to": "Northern Shield",
            "assignee": reviewer.pk,
        },
        follow=True,
    )
    assert response.status_code == 200
    claim = Claim.objects.get()
    assert (claim.text, claim.start) == (quote, article.body.index(quote))
    assert (claim.created_by, claim.assignee) == (staff, reviewer)
    kinds = set(ClaimEvent.objects.values_list("kind", "via"))
    assert kinds == {(EventKind.CREATED, Via.ADMIN), (EventKind.ASSIGNED, Via.ADMIN)}


def test_add_claim_with_an_ambiguous_quote_asks_which_one(admin_client_for, staff):
    article = ArticleFactory(body="Five convoys. Then five convoys again.")
    response = admin_client_for(staff).post(ADD, {"article": article.pk, "quote": "convoys"})
    assert response.status_code == 200
    assert "appears 2 times (at offsets 5, 24)" in response.content.decode()
    assert not Claim.objects.exists()

    response = admin_client_for(staff).post(
        ADD, {"article": article.pk, "quote": "convoys", "start": 24}
    )
    assert response.status_code == 302
    assert Claim.objects.get().start == 24


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"quote": "not in the text"}, "not in the article body"),
        ({"quote": "convoys", "start": 0}, "does not stand at this offset"),
        ({"quote": ""}, "This field is required"),
        ({"quote": "convoys", "start": -3}, "greater than or equal to 0"),
    ],
)
def test_add_claim_refuses_bad_anchors(admin_client_for, staff, article, data, error):
    response = admin_client_for(staff).post(ADD, {"article": article.pk, **data})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Claim.objects.exists()


def test_change_form_keeps_status_read_only(admin_client_for, superuser, claim):
    page = admin_client_for(superuser).get(change_url(claim)).content.decode()
    assert 'name="status"' not in page
    assert 'name="rationale"' not in page
    assert 'name="expected_version"' in page


def test_stale_change_form_names_who_changed_the_claim(admin_client_for, staff, reviewer2, claim):
    client = admin_client_for(staff)
    claim_transition(claim=claim, to=S.DISPUTED, by=reviewer2, expected_version=1, note="old")
    response = client.post(
        change_url(claim),
        {
            "quote": claim.text,
            "attributed_to": "Someone else",
            "expected_version": 1,
            **empty_inlines(),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "rania changed this claim at" in page
    assert 'value="Someone else"' in page  # what the editor typed is still there
    claim.refresh_from_db()
    assert claim.attributed_to == "Officials"


def test_stale_change_form_names_what_changed_since_it_was_opened(
    admin_client_for, staff, editor, reviewer, claim
):
    client = admin_client_for(staff)
    page = client.get(change_url(claim)).content.decode()
    [record] = re.findall(r'name="loaded" value="([^"]+)"', page)
    claim_update(claim=claim, by=editor, expected_version=1, attributed_to="The army")
    response = client.post(
        change_url(claim),
        {
            "quote": claim.text,
            "attributed_to": "Officials",
            "assignee": reviewer.pk,  # this person's own change, not named
            "expected_version": 1,
            "loaded": unescape(record),
            **empty_inlines(),
        },
    )
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "elena changed this claim at" in page
    assert (
        "after you opened it; changed since then: Attributed to (it is now Unverified, "
        "version 2). Your change was not saved" in page
    )
    claim.refresh_from_db()
    assert (claim.attributed_to, claim.assignee, claim.version) == ("The army", None, 2)


def empty_inlines() -> dict[str, object]:
    return {
        "sources-TOTAL_FORMS": 0,
        "sources-INITIAL_FORMS": 0,
        "sources-2-TOTAL_FORMS": 0,
        "sources-2-INITIAL_FORMS": 0,
        "events-TOTAL_FORMS": 0,
        "events-INITIAL_FORMS": 0,
    }


def test_change_form_edits_through_the_services(admin_client_for, staff, reviewer, claim):
    response = admin_client_for(staff).post(
        change_url(claim),
        {
            "quote": "Five convoys",
            "attributed_to": "The ministry",
            "assignee": reviewer.pk,
            "expected_version": 1,
            **empty_inlines(),
        },
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.text, claim.attributed_to, claim.assignee) == (
        "Five convoys",
        "The ministry",
        reviewer,
    )
    assert claim.version == 3
    kinds = sorted(ClaimEvent.objects.values_list("kind", flat=True))
    assert kinds == [EventKind.ASSIGNED, EventKind.EDITED]


def test_add_source_inline_goes_through_the_service(admin_client_for, staff, claim):
    data = {
        "quote": claim.text,
        "attributed_to": claim.attributed_to,
        "expected_version": 1,
        **empty_inlines(),
        "sources-2-TOTAL_FORMS": 1,
        "sources-2-0-url": "https://wire.example/a",
        "sources-2-0-stance": Stance.SUPPORTS,
        "sources-2-0-publisher": "Wire",
        "sources-2-0-accessed_on": "2026-11-01",
    }
    response = admin_client_for(staff).post(change_url(claim), data)
    assert response.status_code == 302
    source = Source.objects.get()
    assert (source.added_by, source.publisher) == (staff, "Wire")
    assert ClaimEvent.objects.get().kind == EventKind.SOURCE_ADDED


def _delete_inline_sources(client, claim, count: int) -> int:
    """Tick Delete on the first `count` of the claim's sources in its admin page and save;
    returns how many queries the save took."""
    page = client.get(change_url(claim)).content.decode()
    data = submitted(page, selector="//form[@id='claim_form']", button="_save")
    for n in range(count):
        data[f"sources-{n}-DELETE"] = "on"
    with CaptureQueriesContext(connection) as queries:
        response = client.post(change_url(claim), data)
    assert response.status_code == 302
    return len(queries)


def test_deleting_sources_in_the_claim_page_costs_the_same_for_one_or_many(admin_client_for, staff):
    client = admin_client_for(staff)
    one, many = ClaimFactory(), ClaimFactory(sentence=1)
    for claim in (one, many):
        for n in range(4):  # each added by someone else, named in the history
            SourceFactory(claim=claim, added_by=UserFactory(username=f"adder{claim.pk}-{n}"))
    few = _delete_inline_sources(client, one, 1)
    more = _delete_inline_sources(client, many, 4)
    assert (one.sources.count(), many.sources.count()) == (3, 0)
    removed = ClaimEvent.objects.filter(claim=many, kind=EventKind.SOURCE_REMOVED)
    assert sorted(e.data["added_by"] for e in removed) == [f"adder{many.pk}-{n}" for n in range(4)]
    assert more == few


def test_add_source_inline_refuses_non_web_links(admin_client_for, staff, claim):
    data = {
        "quote": claim.text,
        "expected_version": 1,
        **empty_inlines(),
        "sources-2-TOTAL_FORMS": 1,
        "sources-2-0-url": "javascript:alert(1)",
        "sources-2-0-stance": Stance.SUPPORTS,
        "sources-2-0-accessed_on": "2026-11-01",
    }
    response = admin_client_for(staff).post(change_url(claim), data)
    assert response.status_code == 200
    assert "starting with http:// or https://" in response.content.decode()
    assert not Source.objects.exists()


def test_bulk_confirm_reports_refusals(admin_client_for, staff, reviewer2):
    ready = [ClaimFactory(status=S.SOURCED) for _ in range(3)]
    for claim in ready:
        SourceFactory(claim=claim, publisher="A", added_by=reviewer2)
        SourceFactory(claim=claim, publisher="B", added_by=reviewer2)
    thin = ClaimFactory(status=S.SOURCED)
    SourceFactory(claim=thin, added_by=reviewer2)

    response = action(admin_client_for(staff), "mark_confirmed", [*ready, thin])

    assert messages_of(response) == [
        "3 claims confirmed; 1 refused: need 2 supporting sources from different publishers "
        f"(#{thin.pk})."
    ]
    assert Claim.objects.filter(status=S.CONFIRMED).count() == 3
    events = ClaimEvent.objects.all()
    assert len(events) == 3
    assert len({e.batch for e in events}) == 1
    assert {e.via for e in events} == {Via.ADMIN}


def test_bulk_dispute_asks_for_a_note_first(admin_client_for, staff):
    claims = [ClaimFactory() for _ in range(2)]
    client = admin_client_for(staff)

    page = action(client, "mark_disputed", claims)
    assert page.templates[0].name == "admin/claims/claim/bulk_action.html"
    assert "Why are these claims being disputed?" in page.content.decode()
    assert not ClaimEvent.objects.exists()

    missing = action(client, "mark_disputed", claims, apply="Dispute", note="  ")
    assert "This field is required" in missing.content.decode()
    assert not ClaimEvent.objects.exists()

    done = action(client, "mark_disputed", claims, apply="Dispute", note="Old footage")
    assert messages_of(done) == ["2 claims disputed."]
    assert set(ClaimEvent.objects.values_list("note", flat=True)) == {"Old footage"}


def test_bulk_confirm_of_disputed_claims_needs_a_note(admin_client_for, staff):
    claim = ClaimFactory(status=S.DISPUTED)
    page = action(admin_client_for(staff), "mark_confirmed", [claim])
    assert "Why are these claims being confirmed?" in page.content.decode()


def test_bulk_action_across_all_pages(admin_client_for, staff):
    ClaimFactory.create_batch(3)
    client = admin_client_for(staff)
    data = {"action": "mark_disputed", "index": 0, "select_across": 1, "_selected_action": [1]}
    page = client.post(CHANGELIST, data)
    assert 'name="select_across" value="1"' in page.content.decode()
    done = client.post(CHANGELIST, {**data, "apply": "go", "note": "n"}, follow=True)
    assert messages_of(done) == ["3 claims disputed."]


def test_status_actions_are_offered_only_to_reviewers(admin_client_for, editor, staff):
    editor.is_staff = True
    editor.save()
    page = admin_client_for(editor).get(CHANGELIST).content.decode()
    assert "mark_confirmed" not in page
    assert "assign_selected" in page
    response = action(admin_client_for(editor), "mark_confirmed", [ClaimFactory()])
    assert "No action selected" in " ".join(messages_of(response))
    assert not ClaimEvent.objects.exists()


def test_bulk_assign(admin_client_for, staff, reviewer):
    claims = [ClaimFactory() for _ in range(2)]
    client = admin_client_for(staff)
    page = action(client, "assign_selected", claims)
    assert "rui" in page.content.decode()
    done = action(client, "assign_selected", claims, apply="Assign", assignee=reviewer.pk)
    assert messages_of(done) == ["2 claims assigned to rui."]
    assert set(Claim.objects.values_list("assignee", flat=True)) == {reviewer.pk}


def test_bulk_assign_refuses_someone_who_is_not_a_reviewer(admin_client_for, staff, editor):
    claims = [ClaimFactory()]
    page = action(admin_client_for(staff), "assign_selected", claims, apply="A", assignee=editor.pk)
    assert "Select a valid choice" in page.content.decode()
    assert not ClaimEvent.objects.exists()


def test_assign_to_me(admin_client_for, staff):
    done = action(admin_client_for(staff), "assign_to_me", [ClaimFactory()])
    assert messages_of(done) == ["1 claim assigned to sam."]


def test_claims_cannot_be_deleted_in_the_admin(admin_client_for, superuser, claim):
    client = admin_client_for(superuser)
    assert client.get(reverse("admin:claims_claim_delete", args=[claim.pk])).status_code == 403
    assert "delete_selected" not in client.get(CHANGELIST).content.decode()


# --- history -----------------------------------------------------------------------


def test_history_is_read_only_even_for_superusers(admin_client_for, superuser, reviewer, claim):
    claim_transition(claim=claim, to=S.DISPUTED, by=reviewer, expected_version=1, note="n")
    event = ClaimEvent.objects.get()
    client = admin_client_for(superuser)
    assert client.get(reverse("admin:claims_claimevent_add")).status_code == 403
    assert client.get(reverse("admin:claims_claimevent_delete", args=[event.pk])).status_code == 403
    view = client.get(reverse("admin:claims_claimevent_change", args=[event.pk]))
    assert view.status_code == 200
    assert 'name="_save"' not in view.content.decode()
    response = client.post(
        reverse("admin:claims_claimevent_change", args=[event.pk]), {"note": "x"}
    )
    assert response.status_code == 403
    assert ClaimEvent.objects.get().note == "n"


def test_history_filters_by_batch_claim_and_kind(admin_client_for, superuser, reviewer):
    claims = [ClaimFactory() for _ in range(2)]
    from claims.services import claims_bulk_transition

    result = claims_bulk_transition(claims=claims, to=S.DISPUTED, by=reviewer, note="n")
    client = admin_client_for(superuser)
    url = reverse("admin:claims_claimevent_changelist")
    page = client.get(f"{url}?batch={result.batch}")
    assert page.status_code == 200
    assert page.context["cl"].result_list.count() == 2
    assert client.get(f"{url}?claim={claims[0].pk}").context["cl"].result_list.count() == 1
    assert client.get(f"{url}?kind=status_changed").status_code == 200
    bad = client.get(f"{url}?batch=not-a-uuid")
    assert bad.status_code == 302
    assert "e=1" in bad["Location"]


def test_history_changelist_queries_do_not_grow(admin_client_for, superuser, reviewer):
    client = admin_client_for(superuser)
    url = reverse("admin:claims_claimevent_changelist")

    def count(n: int) -> int:
        from claims.services import claims_bulk_transition

        claims_bulk_transition(
            claims=[ClaimFactory() for _ in range(n)], to=S.DISPUTED, by=reviewer, note="n"
        )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert count(3) == count(60)


# --- sources -----------------------------------------------------------------------


def test_source_admin_adds_and_removes_through_the_services(admin_client_for, staff, claim):
    client = admin_client_for(staff)
    response = client.post(
        reverse("admin:claims_source_add"),
        {
            "claim": claim.pk,
            "url": "https://wire.example/1",
            "stance": Stance.CONTEXT,
            "accessed_on": "2026-11-20",
        },
    )
    assert response.status_code == 302
    source = Source.objects.get()
    assert source.added_by == staff
    response = client.post(reverse("admin:claims_source_delete", args=[source.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Source.objects.exists()
    kinds = list(ClaimEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == [EventKind.SOURCE_ADDED, EventKind.SOURCE_REMOVED]


def test_outlet_filter_is_a_text_box_that_keeps_the_other_filters(admin_client_for, superuser):
    ClaimFactory(article=ArticleFactory(outlet="Valdora Times"))
    ClaimFactory(article=ArticleFactory(outlet="Northern Post"), status=S.SOURCED)
    client = admin_client_for(superuser)
    page = client.get(CHANGELIST + "?status=unverified")
    html = page.content.decode()
    assert 'name="outlet"' in html
    assert '<input type="hidden" name="status" value="unverified">' in html
    filtered = client.get(CHANGELIST + "?outlet=valdora+times")
    assert [c.article.outlet for c in filtered.context["cl"].result_list] == ["Valdora Times"]


def test_add_source_inline_refuses_a_link_the_claim_has_already(admin_client_for, staff, claim):
    first = SourceFactory(claim=claim, url="https://wire.example/a", publisher="Wire")
    data = {
        "quote": claim.text,
        "attributed_to": claim.attributed_to,
        "expected_version": 1,
        **empty_inlines(),
        "sources-TOTAL_FORMS": 1,
        "sources-INITIAL_FORMS": 1,
        "sources-0-id": first.pk,
        "sources-0-claim": claim.pk,
        "sources-2-TOTAL_FORMS": 1,
        "sources-2-0-url": "http://www.wire.example/a/",
        "sources-2-0-stance": Stance.CONTRADICTS,
        "sources-2-0-title": "Typed title",
        "sources-2-0-accessed_on": "2026-11-01",
    }
    response = admin_client_for(staff).post(change_url(claim), data)
    # Refused on the form, which comes back with what was typed (a redirect lost it).
    assert response.status_code == 200
    page = response.content.decode()
    assert "This claim already has this link: " in page
    assert f"source #{first.pk} (Wire, supports" in page
    assert 'value="Typed title"' in page
    assert list(Source.objects.all()) == [first]
    assert not ClaimEvent.objects.exists()


def test_adding_a_source_the_claim_has_already_keeps_the_form(admin_client_for, staff, claim):
    SourceFactory(claim=claim, url="https://wire.example/a", publisher="Wire")
    response = admin_client_for(staff).post(
        reverse("admin:claims_source_add"),
        {
            "claim": claim.pk,
            "url": "https://wire.example/a?utm_source=x",
            "stance": Stance.SUPPORTS,
            "excerpt": "A long excerpt typed by hand.",
            "accessed_on": "2026-11-01",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This claim already has this link: " in page
    assert "A long excerpt typed by hand." in page
    assert Source.objects.count() == 1


def test_bulk_note_says_its_limit_before_sending(admin_client_for, staff):
    disputed = ClaimFactory()
    response = action(admin_client_for(staff), "mark_disputed", [disputed])
    page = response.content.decode()
    assert "Required: recorded in each claim&#x27;s history. Up to 5,000 characters." in page
    assert "Replaces the rationale of every claim that changes. Up to 5,000 characters." in page
    assert 'maxlength="5000"' not in page


@pytest.mark.parametrize(
    "page",
    ["admin:claims_source_add", "admin:claims_claim_add", "admin:articles_article_add"],
)
def test_staff_without_the_permission_get_a_403_page_not_a_redirect_loop(client, db, page):
    from tests.factories import UserFactory

    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    response = client.get(reverse(page))
    assert response.status_code == 403
