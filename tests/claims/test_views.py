from __future__ import annotations

import re
from datetime import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, ClaimEvent, ClaimStatus, EventKind, Source, Stance
from claims.services import claim_assign, claim_transition
from tests.factories import SENTENCES, ArticleFactory, ClaimFactory, SourceFactory

S = ClaimStatus
ROLES = ["anonymous", "nobody", "reviewer", "editor", "staff", "superuser"]


def login(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


# --- who may see what --------------------------------------------------------------

PAGES = {
    "dashboard": lambda c: reverse("dashboard"),
    "queue": lambda c: reverse("claims:queue"),
    "claim": lambda c: reverse("claims:detail", args=[c.pk]),
    "claim-edit": lambda c: reverse("claims:edit", args=[c.pk]),
    "articles": lambda c: reverse("articles:list"),
    "article": lambda c: reverse("articles:detail", args=[c.article_id]),
}
PAGE_ACCESS = {
    # role: pages answering 200; every other page answers 403 (302 to login when anonymous)
    "reviewer": {"dashboard", "queue", "claim", "articles", "article"},
    "editor": set(PAGES),
    "staff": set(PAGES),
    "superuser": set(PAGES),
    "nobody": set(),
}


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_page_permissions(db, client, request, role, page, claim):
    url = PAGES[page](claim)
    response = login(client, request, role).get(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif page in PAGE_ACCESS[role]:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert "role" in response.content.decode()


def test_a_user_without_a_role_is_told_what_they_lack(client, nobody):
    client.force_login(nobody)
    page = client.get(reverse("claims:queue")).content.decode()
    assert "You need the Reviewer or Editor role to use Newsdesk" in page


def _post_actions(claim, source):
    return {
        "decide": (
            reverse("claims:decide", args=[claim.pk]),
            {"to": S.DISPUTED, "note": "Old photo", "expected_version": 1},
        ),
        "add-source": (
            reverse("claims:add_source", args=[claim.pk]),
            {
                "url": "https://wire.example/x",
                "stance": Stance.SUPPORTS,
                "accessed_on": "2026-11-20",
            },
        ),
        "remove-source": (reverse("claims:remove_source", args=[claim.pk, source.pk]), {}),
        "edit": (
            reverse("claims:edit", args=[claim.pk]),
            {"quote": claim.text, "attributed_to": "X", "expected_version": 1},
        ),
        "add-claim": (
            reverse("articles:add_claim", args=[claim.article_id]),
            {"quote": SENTENCES[3]},
        ),
    }


ACTION_ACCESS = {
    "reviewer": {"decide", "add-source", "remove-source"},
    "editor": {"edit", "add-claim"},
    "staff": {"decide", "add-source", "remove-source", "edit", "add-claim"},
    "superuser": {"decide", "add-source", "remove-source", "edit", "add-claim"},
    "nobody": set(),
}


@pytest.mark.parametrize("action", ["decide", "add-source", "remove-source", "edit", "add-claim"])
@pytest.mark.parametrize("role", ROLES)
def test_action_permissions(db, client, request, role, action, claim):
    source = SourceFactory(claim=claim)
    url, data = _post_actions(claim, source)[action]
    response = login(client, request, role).post(url, data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert not ClaimEvent.objects.exists()
    elif action in ACTION_ACCESS[role]:
        assert response.status_code == 302, response.content[:400]
        assert ClaimEvent.objects.exists()
    else:
        assert response.status_code == 403
        assert not ClaimEvent.objects.exists()


@pytest.mark.parametrize("url_name", ["claims:decide", "claims:add_source"])
def test_state_changing_urls_refuse_get(client, reviewer, claim, url_name):
    client.force_login(reviewer)
    assert client.get(reverse(url_name, args=[claim.pk])).status_code == 405


def test_unknown_claim_is_a_404(client, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("claims:detail", args=[999])).status_code == 404
    response = client.post(reverse("claims:decide", args=[999]), {"to": "keep"})
    assert response.status_code == 404


# --- pages render in a fixed number of queries -------------------------------------


def test_dashboard_queries_do_not_grow(client, reviewer, reviewer2):
    client.force_login(reviewer)

    def grow(n):
        article = ArticleFactory()
        for i in range(n):
            claim = ClaimFactory(article=article, sentence=i % 4, assignee=reviewer)
            claim_transition(claim=claim, to=S.DISPUTED, by=reviewer2, expected_version=1, note="n")
        return queries(client, reverse("dashboard"))

    assert grow(2) == grow(25) <= 10


def test_queue_queries_do_not_grow(client, reviewer):
    client.force_login(reviewer)
    url = reverse("claims:queue") + "?status=unverified&assignee=me&q=convoy&order=oldest"

    def grow(n):
        article = ArticleFactory()
        for i in range(n):
            claim = ClaimFactory(article=article, sentence=i % 4, assignee=reviewer)
            SourceFactory.create_batch(2, claim=claim)
        return queries(client, url)

    assert grow(3) == grow(60) <= 8


def test_claim_page_queries_do_not_grow(client, reviewer, reviewer2, claim):
    client.force_login(reviewer)
    url = reverse("claims:detail", args=[claim.pk])

    def grow(n):
        for _ in range(n):
            SourceFactory(claim=claim, added_by=reviewer2)
            claim.refresh_from_db()
            ClaimEvent.objects.create(claim=claim, kind=EventKind.EDITED, via="web", actor=reviewer)
        return queries(client, url)

    # Seven for the claim itself, one for its links, the matcher's for "Reviewed before" and
    # its savepoint (tests/related/test_views.py pins the page with matches and links too).
    assert grow(1) == grow(30) <= 12


def test_article_pages_queries_do_not_grow(client, editor, monkeypatch):
    # The notes on suggestions that repeat reviewed claims cost queries of their own, the
    # same for any number of suggestions (tests/related/test_surfaces.py).
    monkeypatch.setattr("suggestions.selectors.suggestions_reviewed", lambda listed, *, article: ())
    client.force_login(editor)
    article = ArticleFactory()

    def grow(n):
        for i in range(n):
            claim = ClaimFactory(article=article, sentence=i % 4)
            SourceFactory(claim=claim)
            ArticleFactory()
        return (
            queries(client, reverse("articles:detail", args=[article.pk])),
            queries(client, reverse("articles:list")),
        )

    detail, listing = grow(2)
    assert grow(40) == (detail, listing)
    assert detail <= 7
    assert listing <= 7


def test_claim_edit_page_queries_are_fixed(client, editor, claim):
    client.force_login(editor)
    url = reverse("claims:edit", args=[claim.pk])
    first = queries(client, url)
    SourceFactory.create_batch(5, claim=claim)
    assert queries(client, url) == first <= 8


# --- the queue ---------------------------------------------------------------------


def test_queue_filters_live_in_the_url_and_counts_follow_them(client, reviewer, reviewer2):
    mine = ClaimFactory(assignee=reviewer, status=S.SOURCED, attributed_to="Ministry")
    ClaimFactory(assignee=reviewer, status=S.DISPUTED, attributed_to="Ministry")
    ClaimFactory(assignee=reviewer2, status=S.SOURCED)
    client.force_login(reviewer)
    response = client.get(
        reverse("claims:queue") + "?assignee=me&status=sourced&attributed_to=minis"
    )
    assert [c.pk for c in response.context["page"].items] == [mine.pk]
    counts = {value: n for value, _, n, _ in response.context["status_links"]}
    assert counts == {"unverified": "0", "sourced": "1", "disputed": "1", "confirmed": "0"}
    assert (
        "?from=assignee%3Dme%26status%3Dsourced%26attributed_to%3Dminis"
        in response.content.decode()
    )


@pytest.mark.parametrize(
    "query",
    [
        "status=bogus",
        "assignee=99999",
        "assignee=abc",
        "article=x",
        "changed_after=2026-99-01",
        "changed_after=2026-01-01&changed_before=2025-01-01",
        "order=sideways",
        "after=garbage",
        "before=20261301.x",
        "q=" + "x" * 3000,
        "q=%00",
    ],
)
def test_queue_never_fails_on_odd_input(client, reviewer, query):
    ClaimFactory()
    client.force_login(reviewer)
    assert client.get(reverse("claims:queue") + "?" + query).status_code == (
        400 if "%00" in query else 200
    )


def test_queue_pages_by_keyset_forward_and_back(client, reviewer):
    article = ArticleFactory()
    claims = [ClaimFactory(article=article, sentence=i % 4) for i in range(60)]
    client.force_login(reviewer)
    seen = []
    url = reverse("claims:queue") + "?order=oldest"
    pages = []
    while url:
        response = client.get(url)
        pages.append(response)
        seen += [c.pk for c in response.context["page"].items]
        link = response.context["next_link"]
        url = reverse("claims:queue") + link if link else None
    assert seen == sorted(c.pk for c in claims)  # same timestamps order by id
    assert len(pages) == 3
    back = client.get(reverse("claims:queue") + pages[2].context["prev_link"])
    assert [c.pk for c in back.context["page"].items] == seen[25:50]


def test_assign_to_me_from_the_queue(client, reviewer):
    claims = [ClaimFactory(), ClaimFactory()]
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:assign"),
        {
            "claim": [c.pk for c in claims],
            **{f"version-{c.pk}": c.version for c in claims},
            "to_me": "1",
            "to": "none",
            "next": "/claims/?status=unverified",
        },
    )
    assert response["Location"] == "/claims/?status=unverified"
    assert set(Claim.objects.values_list("assignee", flat=True)) == {reviewer.pk}
    assert messages_of(response) == ["2 claims assigned to you."]


def test_take_one_claim(client, reviewer):
    claim = ClaimFactory()
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:assign"), {"take": claim.pk, f"version-{claim.pk}": 1, "to": "none"}
    )
    claim.refresh_from_db()
    assert claim.assignee == reviewer
    assert messages_of(response) == [f"Claim #{claim.pk} is assigned to you."]


def test_editor_assigns_a_selection_to_a_reviewer(client, editor, reviewer):
    claims = [ClaimFactory(), ClaimFactory()]
    client.force_login(editor)
    response = client.post(
        reverse("claims:assign"),
        {
            "claim": [c.pk for c in claims],
            **{f"version-{c.pk}": c.version for c in claims},
            "to": reviewer.pk,
        },
    )
    assert messages_of(response) == ["2 claims assigned to rui."]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select at least one claim first."),
        ({"claim": ["1"], "to": "bogus"}, "Choose who should get the selected claims."),
        ({"claim": ["x"], "to": "me"}, "Select at least one claim first."),
        (
            {"claim": ["1"], "version-1": "1", "to": "424242"},
            "That person cannot review claims; assign a Reviewer.",
        ),
    ],
)
def test_assign_refuses_bad_input_with_a_message(client, reviewer, data, message):
    ClaimFactory()
    client.force_login(reviewer)
    response = client.post(reverse("claims:assign"), data)
    assert response.status_code == 302
    assert message in messages_of(response)[0]
    assert not ClaimEvent.objects.exists()


def test_reviewer_cannot_hand_claims_to_someone_else(client, reviewer, reviewer2):
    claim = ClaimFactory()
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:assign"),
        {"claim": [claim.pk], f"version-{claim.pk}": claim.version, "to": reviewer2.pk},
    )
    assert "Editor role" in messages_of(response)[0]


def test_assign_ignores_an_offsite_next(client, reviewer):
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:assign"), {"take": ClaimFactory().pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("claims:queue")


# --- the claim page ----------------------------------------------------------------


def test_claim_page_shows_only_the_moves_the_rules_allow(client, reviewer, reviewer2):
    claim = ClaimFactory(status=S.SOURCED)
    SourceFactory(claim=claim, publisher="Wire A", added_by=reviewer2)
    client.force_login(reviewer)
    page = client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    assert 'id="to-confirmed" value="confirmed" disabled' in page
    assert (
        "Confirming needs 2 supporting sources from different publishers; this claim has 1." in page
    )
    assert 'id="to-disputed" value="disputed">' in page
    assert 'id="to-sourced"' not in page  # not a move from sourced at all
    assert 'rel="noopener noreferrer"' in page


def test_decide_moves_the_claim_and_keeps_the_queue(client, reviewer):
    claim = ClaimFactory()
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:decide", args=[claim.pk]),
        {
            "to": S.DISPUTED,
            "note": "Photo is from 2019",
            "rationale": "Old image.",
            "expected_version": 1,
            "from": "status=unverified",
        },
    )
    assert (
        response["Location"]
        == reverse("claims:detail", args=[claim.pk]) + "?from=status%3Dunverified"
    )
    claim.refresh_from_db()
    assert (claim.status, claim.rationale) == (S.DISPUTED, "Old image.")
    assert messages_of(response) == [f"Claim #{claim.pk} disputed."]


def test_refused_decision_says_why_and_keeps_what_was_typed(client, reviewer):
    claim = ClaimFactory()
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:decide", args=[claim.pk]),
        {"to": S.SOURCED, "rationale": "My careful words", "expected_version": 1},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Marking a claim sourced needs at least one source" in page
    assert "My careful words" in page
    assert not ClaimEvent.objects.exists()


def test_missing_note_is_a_field_error(client, reviewer):
    claim = ClaimFactory()
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:decide", args=[claim.pk]), {"to": S.DISPUTED, "expected_version": 1}
    )
    assert response.status_code == 400
    assert response.context["decision_form"].errors["note"] == ["Dispute needs a note saying why."]


def test_stale_decision_names_who_changed_it_and_keeps_the_typing(client, reviewer, reviewer2):
    claim = ClaimFactory()
    claim_transition(claim=claim, to=S.DISPUTED, by=reviewer2, expected_version=1, note="x")
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:decide", args=[claim.pk]),
        {"to": S.DISPUTED, "note": "My note", "rationale": "My rationale", "expected_version": 1},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "rania changed this claim at" in page
    assert "My note" in page
    assert "My rationale" in page
    assert 'name="expected_version" value="2"' in page  # a deliberate resubmit can go through
    assert ClaimEvent.objects.count() == 1


def test_keep_saves_the_rationale_only(client, reviewer, claim):
    client.force_login(reviewer)
    client.post(
        reverse("claims:decide", args=[claim.pk]),
        {"to": "keep", "rationale": "Waiting for the ministry.", "expected_version": 1},
    )
    claim.refresh_from_db()
    assert (claim.status, claim.rationale, claim.version) == (
        S.UNVERIFIED,
        "Waiting for the ministry.",
        2,
    )


def test_a_long_rationale_of_many_lines_is_counted_as_it_is_stored(client, reviewer, claim):
    """A browser ends every line of a box with \r\n; the service counts the stored \n.
    Both count the same, so what the service would keep, the form does not refuse."""
    lines = [f"Line {n:03} of the reviewer's working notes." for n in range(118)]
    rationale = "\r\n".join(lines)
    stored = "\n".join(lines)
    assert len(stored) <= 5000 < len(rationale)
    client.force_login(reviewer)
    url = reverse("claims:decide", args=[claim.pk])
    response = client.post(
        url,
        {"to": "disputed", "note": rationale, "rationale": rationale, "expected_version": 1},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.rationale) == (S.DISPUTED, stored)
    assert ClaimEvent.objects.get(kind=EventKind.STATUS_CHANGED).note == stored
    # One more line is over the limit as stored, and the form says so in the same count.
    longer = rationale + "\r\n" + "x" * (5001 - len(stored) - 1)
    response = client.post(url, {"to": "keep", "rationale": longer, "expected_version": 2})
    assert response.status_code == 400
    assert "at most 5000 characters (it has 5001)" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"to": "exploded", "expected_version": 1},
        {"to": "keep"},
        {"to": "keep", "expected_version": "x"},
        {"to": "keep", "expected_version": 1, "rationale": "r" * 6000},
    ],
)
def test_malformed_decisions_are_form_errors(client, reviewer, claim, data):
    client.force_login(reviewer)
    response = client.post(reverse("claims:decide", args=[claim.pk]), data)
    assert response.status_code == 400
    assert not ClaimEvent.objects.exists()


def test_save_and_next_goes_to_the_next_claim_of_the_queue(client, reviewer):
    article = ArticleFactory()
    first, second, third = (ClaimFactory(article=article, sentence=i) for i in range(3))
    client.force_login(reviewer)
    data = {
        "to": S.DISPUTED,
        "note": "n",
        "expected_version": 1,
        "save_and_next": "1",
        "from": "status=unverified&order=oldest",
    }
    response = client.post(reverse("claims:decide", args=[first.pk]), data)
    assert response["Location"].startswith(reverse("claims:detail", args=[second.pk]))
    client.post(reverse("claims:decide", args=[second.pk]), data)
    response = client.post(reverse("claims:decide", args=[third.pk]), data)
    assert response["Location"] == reverse("claims:queue") + "?status=unverified&order=oldest"
    assert "That was the last claim in this queue." in messages_of(response)


def test_add_source_and_refuse_a_bad_url(client, reviewer, claim):
    client.force_login(reviewer)
    url = reverse("claims:add_source", args=[claim.pk])
    bad = client.post(
        url,
        {
            "url": "javascript:alert(1)",
            "stance": Stance.SUPPORTS,
            "accessed_on": "2026-11-20",
            "title": "Kept title",
        },
    )
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "starting with http:// or https://" in page
    assert "Kept title" in page
    good = client.post(
        url,
        {"url": "https://wire.example/a", "stance": Stance.SUPPORTS, "accessed_on": "2026-11-20"},
    )
    assert good.status_code == 302
    assert Source.objects.get().added_by == reviewer


def test_adding_a_link_the_claim_has_already_is_a_form_error(client, reviewer, claim):
    first = SourceFactory(claim=claim, url="https://wire.example/a", publisher="Wire")
    client.force_login(reviewer)
    data = {
        "url": "http://www.wire.example/a/",
        "stance": Stance.SUPPORTS,
        "title": "Again",
        "accessed_on": "2026-11-20",
    }
    response = client.post(reverse("claims:add_source", args=[claim.pk]), data)
    assert response.status_code == 400
    errors = response.context["source_form"].errors["url"]
    assert errors == [
        f"This claim already has this link: source #{first.pk} (Wire, supports, added by "
        f"{first.added_by.get_username()} on {timezone.localtime(first.added_at):%-d %b %Y}). "
        "Nothing was added."
    ]
    page = response.content.decode()
    assert "This claim already has this link" in page
    assert 'value="Again"' in page
    assert Source.objects.count() == 1
    # The CSV lists it once.
    claim.status = ClaimStatus.SOURCED
    claim.save()
    csv_text = b"".join(client.get(reverse("claims:export", args=["csv"])).streaming_content)
    assert csv_text.count(b"wire.example/a") == 1


def facts(page: str) -> dict[str, str]:
    """The claim page's facts (a <dl>), label to text, tags and spacing left out."""
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", page, re.S)
    return {dt: " ".join(re.sub(r"<[^>]+>", " ", dd).split()) for dt, dd in pairs}


def test_claim_page_tells_the_status_change_from_the_latest_activity(client, reviewer, editor):
    decided = timezone.make_aware(datetime(2026, 1, 2, 10, 30))
    claim = ClaimFactory(status=ClaimStatus.SOURCED, status_changed_at=decided)
    claim_assign(claim=claim, assignee=reviewer, by=editor)
    assigned = ClaimEvent.objects.get(claim=claim).at
    client.force_login(reviewer)
    shown = facts(client.get(reverse("claims:detail", args=[claim.pk])).content.decode())
    # An assignment is not a status change: that date stays, and the activity is shown apart.
    assert "Last change" not in shown
    assert shown["Status changed"] == "2 Jan 2026 10:30"
    when = timezone.localtime(assigned)
    assert shown["Last activity"] == f"{when:%-d %b %Y %H:%M} · assigned by elena · version 2"


def test_remove_source_records_the_note(client, reviewer, claim):
    source = SourceFactory(claim=claim, publisher="Wire")
    client.force_login(reviewer)
    client.post(reverse("claims:remove_source", args=[claim.pk, source.pk]), {"note": "dead link"})
    assert not Source.objects.exists()
    assert ClaimEvent.objects.get().note == "dead link"


def test_remove_source_of_another_claim_is_a_404(client, reviewer, claim):
    other = SourceFactory()
    client.force_login(reviewer)
    response = client.post(reverse("claims:remove_source", args=[claim.pk, other.pk]))
    assert response.status_code == 404


def test_claim_page_renders_hostile_text_inert(client, reviewer):
    article = ArticleFactory(body='Officials said <img src=x onerror=alert(1)> was "fine".')
    claim = ClaimFactory(
        article=article,
        start=15,
        end=43,
        text=article.body[15:43],
        attributed_to="<script>alert(2)</script>",
    )
    SourceFactory(claim=claim, title="<b>bold</b>", excerpt="<script>x</script>")
    client.force_login(reviewer)
    page = client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    assert "<img src=x" not in page
    assert "<script>alert(2)" not in page
    assert "<b>bold</b>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


# --- editing claims ----------------------------------------------------------------


def test_editor_edits_a_claim(client, editor, reviewer, claim):
    client.force_login(editor)
    response = client.post(
        reverse("claims:edit", args=[claim.pk]),
        {
            "quote": "Five convoys",
            "attributed_to": "Ministry",
            "assignee": reviewer.pk,
            "expected_version": 1,
        },
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.text, claim.attributed_to, claim.assignee) == (
        "Five convoys",
        "Ministry",
        reviewer,
    )


def test_stale_edit_is_a_conflict(client, editor, reviewer2, claim):
    claim_transition(claim=claim, to=S.DISPUTED, by=reviewer2, expected_version=1, note="x")
    client.force_login(editor)
    response = client.post(
        reverse("claims:edit", args=[claim.pk]),
        {"quote": claim.text, "attributed_to": "Changed", "expected_version": 1},
    )
    assert response.status_code == 409
    assert "rania changed this claim" in response.content.decode()
    claim.refresh_from_db()
    assert claim.attributed_to == "Officials"


def test_date_fields_speak_iso_so_date_pickers_show_them(client, reviewer, claim):
    from django.utils import timezone

    client.force_login(reviewer)
    page = client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in page
    queue = client.get(reverse("claims:queue") + "?changed_after=2026-01-02").content.decode()
    assert 'value="2026-01-02"' in queue


def test_edit_without_a_version_is_refused(client, editor, claim):
    client.force_login(editor)
    response = client.post(
        reverse("claims:edit", args=[claim.pk]), {"quote": claim.text, "attributed_to": "Changed"}
    )
    assert response.status_code == 400
    claim.refresh_from_db()
    assert claim.attributed_to == "Officials"


def test_refused_source_removal_is_a_message(client, reviewer, reviewer2):
    claim = ClaimFactory(status=S.CONFIRMED)
    source = SourceFactory(claim=claim, publisher="Wire A", added_by=reviewer2)
    SourceFactory(claim=claim, publisher="Wire B", added_by=reviewer2)
    client.force_login(reviewer)
    response = client.post(reverse("claims:remove_source", args=[claim.pk, source.pk]))
    assert response.status_code == 302
    assert "reopen the claim before removing it" in messages_of(response)[0]
    assert claim.sources.count() == 2


def test_unusable_filters_are_named_and_the_rest_still_apply(client, reviewer):
    article = ArticleFactory()
    older, newer = ClaimFactory(article=article), ClaimFactory(article=article, sentence=1)
    client.force_login(reviewer)
    response = client.get(reverse("claims:queue") + "?assignee=424242&order=oldest")
    assert [c.pk for c in response.context["page"].items] == [older.pk, newer.pk]
    page = response.content.decode()
    assert "Some filters could not be used" in page
    assert "Assignee: Select a valid choice." in page


def test_after_a_conflict_the_reviewer_chooses_again(client, reviewer, reviewer2):
    claim = ClaimFactory()
    SourceFactory(claim=claim, added_by=reviewer2)
    claim_transition(claim=claim, to=S.SOURCED, by=reviewer2, expected_version=1)
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:decide", args=[claim.pk]),
        {"to": S.SOURCED, "note": "", "expected_version": 1},
    )
    assert response.status_code == 409
    page = response.content.decode()
    # Neither the stale choice nor "keep" stands in for one: nothing is checked.
    assert 'name="to" id="to-keep" value="keep">' in page
    assert " checked" not in page.split('id="decision-h"')[1].split("</fieldset>")[0]
    assert "Choose what to do with the claim as it stands now." in page


def test_editing_a_confirmed_quote_says_it_was_reopened(client, editor):
    claim = ClaimFactory(status=S.CONFIRMED)
    client.force_login(editor)
    response = client.post(
        reverse("claims:edit", args=[claim.pk]),
        {"quote": "Five convoys", "attributed_to": "Officials", "expected_version": 1},
        follow=True,
    )
    texts = [str(m) for m in response.context["messages"]]
    assert texts[-1].startswith("Its quote changed, so it is back to unverified (it was confirmed)")
    page = response.content.decode()
    assert "changed the quote" in page


def test_sources_a_confirmation_rests_on_offer_no_remove_button(client, reviewer, reviewer2):
    claim = ClaimFactory(status=S.CONFIRMED)
    SourceFactory(claim=claim, publisher="Wire A", added_by=reviewer2)
    SourceFactory(claim=claim, publisher="Wire B", added_by=reviewer2)
    SourceFactory(claim=claim, publisher="Wire C", stance=Stance.CONTEXT, added_by=reviewer2)
    client.force_login(reviewer)
    page = client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    assert page.count("The confirmation rests on this source; reopen first.") == 2
    assert page.count('class="d-flex gap-1 nd-remove"') == 1


def test_a_conflict_shows_the_rationale_someone_else_saved(client, reviewer, reviewer2):
    claim = ClaimFactory()
    claim_transition(
        claim=claim,
        to=S.DISPUTED,
        by=reviewer2,
        expected_version=1,
        note="n",
        rationale="Rania's verdict",
    )
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:decide", args=[claim.pk]),
        {"to": "keep", "rationale": "Rui's draft", "expected_version": 1},
    )
    page = response.content.decode()
    assert "The rationale saved now reads:" in page
    assert "Rania&#x27;s verdict" in page
    assert "Rui&#x27;s draft" in page


def test_history_says_what_an_edit_changed(client, editor, claim):
    from claims.services import claim_update

    claim_update(claim=claim, by=editor, expected_version=1, attributed_to="Ministry")
    client.force_login(editor)
    page = client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    assert "changed the attribution (“Officials” → “Ministry”)" in page


def test_login_and_health_pages_run_a_fixed_number_of_queries(
    db, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(0):
        assert client.get(reverse("login")).status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get(reverse("healthz")).status_code == 200


def test_a_fractional_article_number_is_refused_not_read_as_another_article(client, reviewer):
    ClaimFactory()
    client.force_login(reviewer)
    response = client.get(reverse("claims:export", args=["csv"]) + "?article=1.5")
    assert response.status_code == 400
    assert "Article number" in response.content.decode()


def test_text_filters_match_decomposed_accents_as_stored(client, reviewer):
    ClaimFactory()
    ClaimFactory(attributed_to="Café owners' association")
    client.force_login(reviewer)
    response = client.get(reverse("claims:queue"), {"attributed_to": "Cafe\u0301 owners"})
    assert response.status_code == 200
    assert "Café owners" in response.content.decode()


def test_claim_page_opens_the_part_of_a_long_article_that_holds_the_claim(client, reviewer):
    filler = "\n\n".join(f"Paragraph {n} says nothing worth checking at all." for n in range(900))
    quote = "Five convoys came under attack near the border on Tuesday."
    article = ArticleFactory(body=f"{filler}\n\n{quote}\n")
    start = article.body.index(quote)
    claim = ClaimFactory(article=article, start=start, end=start + len(quote))
    client.force_login(reviewer)
    page = client.get(reverse("claims:detail", args=[claim.pk])).content.decode()
    link = f"{reverse('articles:detail', args=[article.pk])}?at={start}#at-claim-{claim.pk}"
    assert f'href="{link}"' in page
    first_part = client.get(reverse("articles:detail", args=[article.pk])).content.decode()
    assert f'id="claim-{claim.pk}"' not in first_part
    its_part = client.get(link.split("#")[0]).content.decode()
    assert f'id="claim-{claim.pk}"' in its_part
    assert f'id="at-claim-{claim.pk}"' in its_part  # the words in the text, where it lands
