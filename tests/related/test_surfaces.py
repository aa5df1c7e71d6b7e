"""Where people meet claims reviewed before: the notes on the article page's suggestions,
the queue's "Has a reviewed match" filter and its row markers, and the admin's "Find
matches" action."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import suggestions.selectors
from claims.models import Claim, ClaimStatus
from related.models import ClaimLink, ClaimMatch, LinkKind
from tests.factories import ArticleFactory

S = ClaimStatus
ROLES = ["anonymous", "nobody", "reviewer", "editor", "staff", "superuser"]

# Wire copy and its rewrites: the same claim, and one whose number differs.
CONVOYS = "Five supply convoys came under attack on the northern route, officials said."
CONVOYS_AGAIN = "Five supply convoys came under attack on the northern route, officials said."
CONVOYS_FOUR = "Four supply convoys came under attack on the northern route, officials said."
BRIDGE = "Three contractors were allegedly injured near the Karsk bridge on Sunday."
BRIDGE_AGAIN = "Three contractors were allegedly injured near the Karsk bridge on Sunday."
TRUCKS = "About 40 trucks were turned back at the Tarn crossing since Friday, a general said."
TRUCKS_AGAIN = "About 40 trucks were turned back at the Tarn crossing since Friday, a general said."


def login(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


def claim_in(article, text: str, *, status: str = S.UNVERIFIED, **fields) -> Claim:
    start = article.body.index(text)
    return Claim.objects.create(
        article=article,
        text=text,
        start=start,
        end=start + len(text),
        status=status,
        **fields,
    )


def article_of(*sentences: str, title: str | None = None):
    fields = {"title": title} if title else {}
    return ArticleFactory(body="\n\n".join(sentences), **fields)


def queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries), response.content.decode()


def detail(article) -> str:
    return reverse("articles:detail", args=[article.pk])


def notes(page: str) -> list[str]:
    """The reviewed-before notes of the suggestion panel, as text."""
    found = re.findall(r'<div class="small nd-reviewed-note">(.*?)</div>', page, re.S)
    return [re.sub(r"<[^>]+>", "", note).strip() for note in found]


# --- the article page: suggestions that repeat a reviewed claim -----------------------


@pytest.fixture
def reviewed_elsewhere(db):
    """An article whose convoy claim is confirmed and whose bridge claim is disputed."""
    earlier = article_of(CONVOYS, BRIDGE, title="Convoys hit on the northern route")
    return {
        "article": earlier,
        "convoys": claim_in(earlier, CONVOYS, status=S.CONFIRMED),
        "bridge": claim_in(earlier, BRIDGE, status=S.DISPUTED),
    }


def test_a_suggestion_repeating_a_confirmed_claim_says_where_before_it_is_accepted(
    client, editor, reviewed_elsewhere
):
    convoys = reviewed_elsewhere["convoys"]
    bridge = reviewed_elsewhere["bridge"]
    article = article_of(CONVOYS_AGAIN, BRIDGE_AGAIN, TRUCKS)
    client.force_login(editor)
    page = client.get(detail(article)).content.decode()
    said = notes(page)
    assert f"Confirmed in Convoys hit on the northern route as #{convoys.pk}" in said
    assert f"Disputed in Convoys hit on the northern route as #{bridge.pk}" in said
    assert len(said) == 2  # the trucks sentence was never reviewed
    assert f'href="{reverse("claims:detail", args=[convoys.pk])}"' in page


def test_an_unverified_claim_elsewhere_gives_no_note(client, editor):
    earlier = article_of(CONVOYS)
    claim_in(earlier, CONVOYS, status=S.UNVERIFIED)
    client.force_login(editor)
    page = client.get(detail(article_of(CONVOYS_AGAIN, TRUCKS))).content.decode()
    assert notes(page) == []
    assert "Suggested claims (2)" in page


def test_a_claim_of_the_same_article_gives_no_note(client, editor):
    article = article_of(CONVOYS, BRIDGE, TRUCKS)
    claim_in(article, CONVOYS, status=S.SOURCED)
    client.force_login(editor)
    assert notes(client.get(detail(article)).content.decode()) == []


def test_a_changed_number_is_related_not_the_same_with_the_reason(client, editor):
    earlier = article_of(CONVOYS, title="Convoys hit")
    confirmed = claim_in(earlier, CONVOYS, status=S.CONFIRMED)
    client.force_login(editor)
    page = client.get(detail(article_of(CONVOYS_FOUR, TRUCKS))).content.decode()
    # Not worded as the same claim is ("Confirmed in …"): what it is related to comes
    # first, and the reason it is not the same.
    [note] = notes(page)
    assert note == (
        f"Related to a claim confirmed in Convoys hit as #{confirmed.pk} — not the same: "
        "numbers differ: four vs five"
    )
    link = reverse("claims:detail", args=[confirmed.pk])
    assert f'<a href="{link}">Convoys hit as #{confirmed.pk}</a>' in page


def test_a_sourced_claim_is_named_as_sourced(client, editor):
    earlier = article_of(TRUCKS, title="Trucks turned back")
    sourced = claim_in(earlier, TRUCKS, status=S.SOURCED)
    client.force_login(editor)
    page = client.get(detail(article_of(TRUCKS_AGAIN, BRIDGE))).content.decode()
    assert f"Sourced in Trucks turned back as #{sourced.pk}" in notes(page)


def test_the_notes_are_matched_in_one_batch_whatever_the_number_of_suggestions(
    client, editor, django_assert_max_num_queries
):
    """Three suggestions or thirty, each repeating a confirmed claim: the same queries."""
    client.force_login(editor)

    def grow(n: int) -> tuple[int, int]:
        lines = [f"Officials said {10 + i} trucks were hit near Karsk on Monday." for i in range(n)]
        earlier = article_of(*lines)
        for line in lines:
            claim_in(earlier, line, status=S.CONFIRMED)
        count, page = queries(client, detail(article_of(*lines)))
        return count, len(notes(page))

    few, shown_few = grow(3)
    many, shown_many = grow(30)
    assert (shown_few, shown_many) == (3, 30)
    assert few == many


def test_the_article_page_with_notes_stays_within_its_query_budget(
    client, editor, reviewed_elsewhere, django_assert_max_num_queries
):
    article = article_of(CONVOYS_AGAIN, BRIDGE_AGAIN, TRUCKS)
    client.force_login(editor)
    client.get(detail(article))  # the matcher's word statistics, cached from here on
    # Session, user and roles, article, claims, dismissals, assignees (7); the matching:
    # a savepoint (the test runs in a transaction), the word statistics (cached on a
    # table of any size), the candidates (PostgreSQL: in a savepoint of their own, with
    # the trigram threshold set), the matched claims with their articles (9 at most).
    with django_assert_max_num_queries(16):
        assert client.get(detail(article)).status_code == 200


def test_a_database_timeout_leaves_the_panel_without_notes(
    client, editor, reviewed_elsewhere, monkeypatch
):
    def gives_up(**kwargs):
        if connection.vendor == "postgresql":
            # A real cancelled statement, which breaks the transaction it runs in unless
            # a savepoint catches it: the rest of the page still needs the database.
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('statement_timeout', '20ms', true)")
                cursor.execute("SELECT pg_sleep(2)")
        raise OperationalError("canceling statement due to statement timeout")

    monkeypatch.setattr(suggestions.selectors, "texts_matches", gives_up)
    client.force_login(editor)
    response = client.get(detail(article_of(CONVOYS_AGAIN, TRUCKS)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Suggested claims (2)" in page
    assert notes(page) == []


def test_a_long_article_matches_only_the_part_shown(client, editor, monkeypatch):
    monkeypatch.setattr("claims.highlight.PART_CHARS", 600)
    lines = [f"Officials said {10 + i} trucks were hit near Karsk on Monday." for i in range(40)]
    article = article_of(*lines)
    asked: list[list[str]] = []
    real = suggestions.selectors.texts_matches

    def spy(**kwargs):
        asked.append([text for text, _ in kwargs["texts"]])
        return real(**kwargs)

    monkeypatch.setattr(suggestions.selectors, "texts_matches", spy)
    client.force_login(editor)
    page = client.get(detail(article) + "?part=2").content.decode()
    [texts] = asked
    shown = re.findall(r'class="nd-quote">“(.*?)”', page)
    assert texts == shown
    assert 0 < len(texts) < len(lines)


@pytest.mark.parametrize("role", ROLES)
def test_only_editors_see_the_suggestion_notes(client, request, role, reviewed_elsewhere):
    article = article_of(CONVOYS_AGAIN, TRUCKS)
    response = login(client, request, role).get(detail(article))
    expected = {"anonymous": 302, "nobody": 403}.get(role, 200)
    assert response.status_code == expected
    page = response.content.decode() if expected == 200 else ""
    convoys = reviewed_elsewhere["convoys"]
    noted = f"as #{convoys.pk}" in "".join(notes(page))
    assert noted == (role in {"editor", "staff", "superuser"})


# --- the queue: "Has a reviewed match" and its markers ---------------------------------


@pytest.fixture
def queue_claims(db):
    """Claims of a new article, each beside claims of an older one in another way."""
    old = article_of(CONVOYS, BRIDGE, TRUCKS, "The mayor spoke on Monday about the floods.")
    new = article_of(CONVOYS_AGAIN, BRIDGE_AGAIN, TRUCKS_AGAIN, "Nothing else happened today.")
    old_convoys = claim_in(old, CONVOYS, status=S.CONFIRMED)
    old_bridge = claim_in(old, BRIDGE, status=S.UNVERIFIED)
    old_trucks = claim_in(old, TRUCKS, status=S.DISPUTED)
    old_mayor = claim_in(old, "The mayor spoke on Monday about the floods.", status=S.SOURCED)
    convoys = claim_in(new, CONVOYS_AGAIN)
    bridge = claim_in(new, BRIDGE_AGAIN)
    trucks = claim_in(new, TRUCKS_AGAIN)
    alone = claim_in(new, "Nothing else happened today.")
    # The matcher's rows are written here as the task would (in both directions), so the
    # queue is tested on its own: the matcher's verdicts are tests/related/test_tasks.py's.
    ClaimMatch.objects.all().delete()
    for a, b, same in [(convoys, old_convoys, True), (bridge, old_bridge, True)]:
        for this, that in ((a, b), (b, a)):
            ClaimMatch.objects.create(
                claim=this,
                other=that,
                score=0.9,
                same=same,
                reasons=["same words"],
                other_reviewed=that.status != S.UNVERIFIED,
            )
    return {
        "convoys": convoys,  # a stored match to a confirmed claim
        "bridge": bridge,  # a stored match to an unverified claim only: not reviewed
        "trucks": trucks,  # no match stored, but a reviewer linked it to a disputed claim
        "alone": alone,
        "old_convoys": old_convoys,
        "old_trucks": old_trucks,
        "old_mayor": old_mayor,
    }


def queue(client, query: str = "") -> str:
    response = client.get(reverse("claims:queue") + query)
    assert response.status_code == 200
    return response.content.decode()


def rows(page: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'name="claim" value="(\d+)"', page)}


def test_the_queue_filters_claims_with_a_reviewed_match(client, reviewer, editor, queue_claims):
    c = queue_claims
    ClaimLink.objects.create(
        claim=c["old_trucks"], other=c["trucks"], kind=LinkKind.SAME, linked_by=editor
    )
    client.force_login(reviewer)
    page = queue(client, "?reviewed_match=yes")
    # The older claims are matched or linked too, but to claims nobody has reviewed.
    assert rows(page) == {c["convoys"].pk, c["trucks"].pk}
    assert rows(queue(client, "?reviewed_match=")) == set(
        Claim.objects.values_list("pk", flat=True)
    )
    assert "Has a reviewed match" in page


def test_a_link_from_the_higher_end_counts_too(client, reviewer, editor, queue_claims):
    c = queue_claims
    # Stored lower id first: the new claim is the `other` end here, and the `claim` end in
    # the next link.
    ClaimLink.objects.create(
        claim=c["old_mayor"], other=c["alone"], kind=LinkKind.SAME, linked_by=editor
    )
    client.force_login(reviewer)
    page = queue(client, "?reviewed_match=yes")
    assert c["alone"].pk in rows(page)
    assert f"Reviewed before: #{c['old_mayor'].pk} (Sourced), linked" in page


def test_a_related_link_is_not_a_match(client, reviewer, editor, queue_claims):
    c = queue_claims
    ClaimLink.objects.create(
        claim=c["old_mayor"], other=c["alone"], kind=LinkKind.RELATED, linked_by=editor
    )
    client.force_login(reviewer)
    assert c["alone"].pk not in rows(queue(client, "?reviewed_match=yes"))


def test_queue_rows_are_marked_with_the_claim_reviewed_before(client, reviewer, queue_claims):
    c = queue_claims
    client.force_login(reviewer)
    page = queue(client)
    convoys_page = reverse("claims:detail", args=[c["convoys"].pk])
    assert (
        f'href="{convoys_page}#reviewed-before">Reviewed before: #{c["old_convoys"].pk} '
        "(Confirmed)</a>" in page
    )
    assert page.count("nd-reviewed-mark") == 1  # the unverified match marks nothing


def test_a_reviewers_same_link_is_marked_before_a_better_scored_related_match(
    client, reviewer, editor, queue_claims
):
    c = queue_claims
    ClaimMatch.objects.create(
        claim=c["trucks"], other=c["old_mayor"], score=0.99, same=False, reasons=[]
    )
    ClaimLink.objects.create(
        claim=c["old_trucks"], other=c["trucks"], kind=LinkKind.SAME, linked_by=editor
    )
    client.force_login(reviewer)
    page = queue(client)
    assert f"Reviewed before: #{c['old_trucks'].pk} (Disputed), linked" in page


def test_the_filter_keeps_keyset_pages(client, reviewer):
    old, new = article_of(CONVOYS), article_of(*(f"Claim number {i}." for i in range(60)))
    reviewed = claim_in(old, CONVOYS, status=S.CONFIRMED)
    matched = []
    for i in range(60):
        claim = claim_in(new, f"Claim number {i}.")
        if i % 2:
            ClaimMatch.objects.create(
                claim=claim, other=reviewed, score=0.5, same=True, other_reviewed=True
            )
            matched.append(claim.pk)
    client.force_login(reviewer)
    seen: list[int] = []
    url = reverse("claims:queue") + "?reviewed_match=yes&order=oldest"
    pages = 0
    while url:
        response = client.get(url)
        page = response.content.decode()
        seen += [int(pk) for pk in re.findall(r'name="claim" value="(\d+)"', page)]
        link = response.context["next_link"]
        url = reverse("claims:queue") + link if link else None
        pages += 1
    assert sorted(seen) == sorted(matched)
    assert len(seen) == len(set(seen)) == 30
    assert pages == 2


def test_the_queue_counts_follow_the_filter(client, reviewer, queue_claims):
    client.force_login(reviewer)
    response = client.get(reverse("claims:queue") + "?reviewed_match=yes")
    assert response.context["total"] == "1"


def test_an_unusable_filter_value_is_said_and_left_out(client, reviewer, queue_claims):
    client.force_login(reviewer)
    page = queue(client, "?reviewed_match=maybe")
    assert "Has a reviewed match: Select a valid choice." in page
    assert len(rows(page)) == Claim.objects.count()


def test_queue_queries_do_not_grow_with_marked_rows(client, reviewer):
    client.force_login(reviewer)
    old = article_of(CONVOYS)
    reviewed = claim_in(old, CONVOYS, status=S.CONFIRMED)

    def grow(n: int) -> tuple[int, int]:
        article = article_of(*(f"Claim {i} of {n}." for i in range(n)))
        for i in range(n):
            claim = claim_in(article, f"Claim {i} of {n}.")
            ClaimMatch.objects.create(
                claim=claim, other=reviewed, score=0.8, same=True, other_reviewed=True
            )
            ClaimLink.objects.create(
                claim=reviewed, other=claim, kind="related", linked_by=reviewer
            )
        count, page = queries(client, reverse("claims:queue") + "?reviewed_match=yes")
        return count, page.count("nd-reviewed-mark")

    few, marked_few = grow(3)
    many, marked_many = grow(40)
    assert (marked_few, marked_many) == (3, 25)
    assert few == many <= 8


@pytest.mark.parametrize("role", ROLES)
def test_the_filtered_queue_per_role(client, request, role, queue_claims):
    response = login(client, request, role).get(reverse("claims:queue") + "?reviewed_match=yes")
    assert response.status_code == {"anonymous": 302, "nobody": 403}.get(role, 200)


def test_the_filter_is_one_exists_per_source_of_truth(queue_claims):
    from claims.selectors import has_reviewed_match

    sql = str(Claim.objects.filter(has_reviewed_match()).query)
    assert sql.count("EXISTS") == 3
    assert "JOIN" not in sql.split("EXISTS")[0]  # no join on the claims themselves


# --- the admin: "Find matches for the selected claims" --------------------------------


def run_action(client, ids, action="find_matches"):
    return client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": action, "_selected_action": [str(pk) for pk in ids]},
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_staff_find_matches_for_selected_claims(client, staff, reviewed_elsewhere):
    new = article_of(CONVOYS_AGAIN, TRUCKS)
    claim = claim_in(new, CONVOYS_AGAIN)
    ClaimMatch.objects.all().delete()
    client.force_login(staff)
    response = run_action(client, [claim.pk])
    assert response.status_code == 200
    [text] = messages_of(response)
    assert re.match(r"Found \d+ match(es)? for 1 claim", text), text
    assert ClaimMatch.objects.filter(claim=claim, other=reviewed_elsewhere["convoys"]).exists()
    page = response.content.decode()
    changelist = reverse("admin:related_claimmatch_changelist")
    assert f'href="{changelist}?claim__id__in={claim.pk}"' in page
    # The link lists the selected claims' matches, and no others.
    listed = client.get(f"{changelist}?claim__id__in={claim.pk}")
    assert listed.status_code == 200
    shown = {row.claim_id for row in listed.context["cl"].result_list}
    assert shown == {claim.pk}


def test_find_matches_says_so_when_there_are_none(client, staff):
    claim = claim_in(
        article_of("Nothing like it was ever said anywhere."),
        "Nothing like it was ever said anywhere.",
    )
    client.force_login(staff)
    [text] = messages_of(run_action(client, [claim.pk]))
    assert text == "No claim of another article matches the 1 selected claim."


def test_find_matches_refuses_more_than_it_can_do_at_once(client, staff, monkeypatch):
    import claims.admin.claim as claim_admin

    monkeypatch.setattr(claim_admin, "MATCH_NOW_MAX", 2)
    monkeypatch.setattr(claim_admin, "MATCH_QUEUED_MAX", 3)
    article = article_of(*(f"Claim number {i}." for i in range(5)))
    ids = [claim_in(article, f"Claim number {i}.").pk for i in range(5)]
    client.force_login(staff)
    said = " ".join(messages_of(run_action(client, ids[:3])))
    assert "3 claims are being matched in the background" in said
    said = " ".join(messages_of(run_action(client, ids)))
    assert "at most 3" in said


def test_find_matches_is_offered_to_staff_only(client, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("admin:claims_claim_changelist"))
    assert response.status_code == 302  # not staff: the admin's login


def test_a_note_names_a_difference_never_a_likeness():
    from related.retrieval import Match
    from suggestions.selectors import ReviewedNote

    shared_only = Match(claim=None, score=0.31, same=False, reasons=("same date: June 2019",))
    assert ReviewedNote(shared_only).main_reason == "too few words in common"
    apart = Match(
        claim=None,
        score=0.8,
        same=False,
        reasons=("numbers differ: four vs five", "same date: Monday"),
        conflicts=("numbers differ: four vs five",),
    )
    assert ReviewedNote(apart).main_reason == "numbers differ: four vs five"
