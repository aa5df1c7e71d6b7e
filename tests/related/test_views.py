from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import ClaimEvent, ClaimStatus, EventKind, Source
from related.models import ClaimLink, LinkKind
from related.selectors import MATCHES_SHOWN, reviewed_before
from tests.factories import ClaimFactory, ClaimLinkFactory, SourceFactory, claim_with_text
from tests.related.conftest import FIVE

EIGHTEEN = "18 supply convoys came under attack on the northern route, officials said."
SIXTEEN = "Sixteen supply convoys came under attack on the northern route, officials said."

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "nobody", "reviewer", "editor", "staff", "superuser"]


def login(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def page_of(client, claim) -> str:
    response = client.get(reverse("claims:detail", args=[claim.pk]))
    assert response.status_code == 200
    return response.content.decode()


def panel(html: str) -> str:
    start = html.index('id="reviewed-before"')
    return html[start : html.index("</section>", start)]


# --- the panel -----------------------------------------------------------------------


def test_the_claim_page_shows_a_matching_claim_of_another_article(client, reviewer, wire_pair):
    new, before = wire_pair
    before.status, before.rationale = ClaimStatus.CONFIRMED, "Both wires report five convoys."
    before.save()
    SourceFactory.create_batch(2, claim=before)
    client.force_login(reviewer)
    shown = panel(page_of(client, new))
    assert "Reviewed before" in shown
    assert "Same claim" in shown
    assert f"#{before.pk}" in shown
    assert "Five supply convoys were attacked" in shown
    assert reverse("articles:detail", args=[before.article_id]) in shown
    assert "Supply convoys attacked" in shown
    assert "Confirmed" in shown
    assert "Both wires report five convoys." in shown
    assert "2 sources" in shown
    assert "same numbers: five" in shown
    assert f'action="{reverse("related:link", args=[new.pk])}"' in shown


def test_a_claim_whose_number_differs_is_shown_related_not_the_same(client, reviewer):
    new = claim_with_text(FIVE, title="Five convoys")
    claim_with_text(FIVE.replace("Five", "Four"), title="Four convoys")
    client.force_login(reviewer)
    shown = panel(page_of(client, new))
    assert "Related, not the same" in shown
    assert "numbers differ: five vs four" in shown


def test_claims_of_the_same_article_are_not_offered(client, reviewer, article):
    claim = ClaimFactory(article=article)
    ClaimFactory(article=article, sentence=1)
    client.force_login(reviewer)
    assert "No claim of another article matches this one." in panel(page_of(client, claim))


def test_links_are_listed_from_both_ends_and_not_offered_again(client, reviewer, wire_pair):
    new, before = wire_pair
    SourceFactory.create_batch(3, claim=before)
    ClaimLinkFactory(claim=new, other=before, kind=LinkKind.SAME)
    client.force_login(reviewer)
    shown = panel(page_of(client, new))
    assert "Marked the same as" in shown
    assert f"Copy 3 sources from #{before.pk}" in shown
    assert "Remove link" in shown
    assert "may match" not in shown  # the only match is linked already
    other_end = panel(page_of(client, before))
    assert "Marked the same as" in other_end
    assert f"#{new.pk}" in other_end
    assert "Copy" not in other_end  # nothing to copy: the new claim has no sources


def test_a_related_link_offers_no_copy(client, reviewer, wire_pair):
    new, before = wire_pair
    SourceFactory(claim=before)
    ClaimLinkFactory(claim=new, other=before, kind=LinkKind.RELATED)
    client.force_login(reviewer)
    shown = panel(page_of(client, new))
    assert "Related to" in shown
    assert "Copy" not in shown


def test_an_editor_links_but_is_not_offered_the_copy(client, editor, wire_pair):
    new, before = wire_pair
    SourceFactory(claim=before)
    ClaimLinkFactory(claim=new, other=before, kind=LinkKind.SAME)
    client.force_login(editor)
    shown = panel(page_of(client, new))
    assert "Remove link" in shown
    assert f"Copy 1 source from #{before.pk}" not in shown
    # Where the button would be, why it is not.
    assert "Copying sources needs the Reviewer role." in shown


def test_nothing_is_said_of_copying_when_there_is_nothing_to_copy(client, editor, wire_pair):
    new, before = wire_pair
    ClaimLinkFactory(claim=new, other=before, kind=LinkKind.SAME)  # `before` has no sources
    client.force_login(editor)
    assert "Copying sources needs" not in panel(page_of(client, new))


def test_reviewed_matches_are_listed_before_unreviewed_near_copies(client, reviewer):
    """Five unreviewed copies of the wire text outscore a confirmed rewording of it; the
    rewording is still shown, and first."""
    new = claim_with_text(FIVE, title="The claim")
    copies = [claim_with_text(FIVE, title=f"Copy {i}") for i in range(MATCHES_SHOWN + 1)]
    reworded = claim_with_text(
        "Five convoys were attacked on the northern route, officials said.",
        title="Reworded",
        status=ClaimStatus.DISPUTED,
    )
    matches = reviewed_before(claim=new).matches
    assert len(matches) == MATCHES_SHOWN
    assert matches[0].claim == reworded
    rest = [match.claim for match in matches[1:]]
    assert set(rest) <= set(copies)
    # The unreviewed keep the matcher's order among themselves.
    scores = [match.score for match in matches[1:]]
    assert scores == sorted(scores, reverse=True)
    client.force_login(reviewer)
    shown = panel(page_of(client, new))
    assert shown.index(f"#{reworded.pk}") < min(shown.index(f"#{c.pk}<") for c in rest)


def test_a_linked_claim_the_matcher_holds_apart_shows_why(client, reviewer):
    new = claim_with_text(EIGHTEEN, title="Eighteen convoys")
    other = claim_with_text(SIXTEEN, title="Sixteen convoys")
    ClaimLinkFactory(claim=new, other=other, kind=LinkKind.SAME)
    client.force_login(reviewer)
    shown = panel(page_of(client, new))
    assert "Marked the same as" in shown
    assert "The matcher noted: numbers differ: 18 vs sixteen" in shown
    # A related link is what the matcher says already: nothing to note.
    ClaimLink.objects.update(kind=LinkKind.RELATED)
    assert "The matcher noted" not in panel(page_of(client, new))


# --- posting -------------------------------------------------------------------------


def test_linking_redirects_to_the_panel_with_a_message(client, reviewer, wire_pair):
    new, before = wire_pair
    client.force_login(reviewer)
    response = client.post(
        reverse("related:link", args=[new.pk]),
        {"other": before.pk, "kind": "same", "from": "status=unverified"},
    )
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("claims:detail", args=[new.pk]) + "?from=status%3Dunverified#reviewed-before"
    )
    assert messages_of(response) == [f"Claim #{new.pk} marked the same as #{before.pk}."]
    assert ClaimLink.objects.get().kind == LinkKind.SAME
    html = page_of(client, new)
    assert (
        f"<strong>rui</strong> marked it the same as #{before.pk} (Supply convoys attacked)" in html
    )


def test_linking_as_the_same_what_the_matcher_holds_apart_says_why(client, reviewer):
    new = claim_with_text(EIGHTEEN, title="Eighteen convoys")
    other = claim_with_text(SIXTEEN, title="Sixteen convoys")
    client.force_login(reviewer)
    url = reverse("related:link", args=[new.pk])
    response = client.post(url, {"other": other.pk, "kind": "same"})
    assert messages_of(response) == [
        f"Claim #{new.pk} marked the same as #{other.pk}.",
        "Linked as you asked; the matcher noted: numbers differ: 18 vs sixteen.",
    ]
    assert ClaimLink.objects.get().kind == LinkKind.SAME
    # Marked only related, it is what the matcher says: no warning.
    page_of(client, new)  # shows, and so clears, the messages above
    response = client.post(url, {"other": other.pk, "kind": "related"})
    assert messages_of(response) == [f"Claim #{new.pk} marked related to #{other.pk}."]


def test_a_refused_link_says_why(client, reviewer, article):
    one, two = ClaimFactory(article=article), ClaimFactory(article=article, sentence=1)
    client.force_login(reviewer)
    response = client.post(
        reverse("related:link", args=[one.pk]), {"other": two.pk, "kind": "same"}
    )
    assert response.status_code == 302
    assert "links join claims of different articles" in messages_of(response)[0]
    assert not ClaimLink.objects.exists()


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"other": "abc", "kind": "same"}, "A claim number is a whole number"),
        ({"other": "999999", "kind": "same"}, "There is no claim #999999."),
        ({"other": "", "kind": "same"}, "This field is required."),
        ({"kind": "identical"}, "Select a valid choice."),
        ({"other": "1" * 40, "kind": "same"}, "at most 20 characters"),
    ],
)
def test_a_malformed_link_form_gets_the_400_page(client, reviewer, claim, data, problem):
    client.force_login(reviewer)
    response = client.post(reverse("related:link", args=[claim.pk]), data)
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert not ClaimLink.objects.exists()


def test_missing_claims_are_404(client, reviewer, claim):
    client.force_login(reviewer)
    assert client.post(reverse("related:link", args=[999]), {"other": claim.pk}).status_code == 404
    assert client.post(reverse("related:unlink", args=[claim.pk, 999])).status_code == 404
    assert client.post(reverse("related:copy_sources", args=[999, claim.pk])).status_code == 404


def test_unlinking_redirects_with_a_message_and_writes_history(client, editor, wire_pair):
    new, before = wire_pair
    ClaimLinkFactory(claim=new, other=before, kind=LinkKind.RELATED)
    client.force_login(editor)
    response = client.post(reverse("related:unlink", args=[before.pk, new.pk]))
    assert response.status_code == 302
    assert messages_of(response) == [f"Link to #{new.pk} removed (it said related)."]
    assert not ClaimLink.objects.exists()
    assert ClaimEvent.objects.filter(kind=EventKind.UNLINKED).count() == 2
    again = client.post(reverse("related:unlink", args=[before.pk, new.pk]))
    assert "are not linked: elena removed the link at" in messages_of(again)[-1]


def test_copying_sources_redirects_with_what_was_copied(client, reviewer, wire_pair):
    new, before = wire_pair
    originals = SourceFactory.create_batch(2, claim=before)
    SourceFactory(claim=new, url=originals[0].url)
    ClaimLinkFactory(claim=new, other=before, kind=LinkKind.SAME)
    client.force_login(reviewer)
    response = client.post(reverse("related:copy_sources", args=[new.pk, before.pk]))
    assert response.status_code == 302
    assert messages_of(response) == [
        f"Copied 1 source from #{before.pk}. "
        "1 source was already on this claim and was left as it was."
    ]
    again = client.post(reverse("related:copy_sources", args=[new.pk, before.pk]))
    assert messages_of(again)[-1] == (
        f"Nothing to copy: claim #{new.pk} cites every source of #{before.pk}."
    )
    assert Source.objects.filter(claim=new).count() == 2
    assert f"copied a supports source ({originals[1].publisher}) from #{before.pk}" in page_of(
        client, new
    )


def test_sources_already_cited_are_counted_in_the_plural(client, reviewer, wire_pair):
    new, before = wire_pair
    originals = SourceFactory.create_batch(3, claim=before)
    for original in originals[:2]:
        SourceFactory(claim=new, url=original.url)
    ClaimLinkFactory(claim=new, other=before, kind=LinkKind.SAME)
    client.force_login(reviewer)
    response = client.post(reverse("related:copy_sources", args=[new.pk, before.pk]))
    assert messages_of(response) == [
        f"Copied 1 source from #{before.pk}. "
        "2 sources were already on this claim and were left as they were."
    ]


def test_copying_from_a_related_claim_is_refused_with_a_message(client, reviewer, wire_pair):
    new, before = wire_pair
    SourceFactory(claim=before)
    ClaimLinkFactory(claim=new, other=before, kind=LinkKind.RELATED)
    client.force_login(reviewer)
    response = client.post(reverse("related:copy_sources", args=[new.pk, before.pk]))
    assert response.status_code == 302
    [said] = messages_of(response)
    assert "related, not the same" in said
    assert said.lower().count("nothing was copied") == 1, said
    assert not Source.objects.filter(claim=new).exists()


def test_copying_from_a_claim_not_linked_says_nothing_was_copied_once(client, reviewer, wire_pair):
    new, before = wire_pair
    SourceFactory(claim=before)
    client.force_login(reviewer)
    response = client.post(reverse("related:copy_sources", args=[new.pk, before.pk]))
    [said] = messages_of(response)
    assert "are not linked" in said
    assert said.lower().count("nothing was copied") == 1, said


def test_a_source_todays_rules_refuse_is_not_copied_and_the_message_says_so(
    client, reviewer, wire_pair
):
    new, before = wire_pair
    source = SourceFactory(claim=before)
    Source.objects.filter(pk=source.pk).update(url="ftp://files.example/old")  # stored long ago
    ClaimLinkFactory(claim=new, other=before, kind=LinkKind.SAME)
    client.force_login(reviewer)
    response = client.post(reverse("related:copy_sources", args=[new.pk, before.pk]))
    [said] = messages_of(response)
    assert said.startswith("Nothing was copied: ")
    assert said.lower().count("nothing was copied") == 1, said
    assert not Source.objects.filter(claim=new).exists()


def test_the_forms_need_the_csrf_token(reviewer, wire_pair):
    new, before = wire_pair
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    response = client.post(reverse("related:link", args=[new.pk]), {"other": before.pk})
    assert response.status_code == 403
    assert not ClaimLink.objects.exists()


# --- who may do what -----------------------------------------------------------------

# role: (link, unlink, copy); every POST answers a redirect to the claim page when allowed.
ALLOWED = {
    "anonymous": (302, 302, 302),  # to the login page
    "nobody": (403, 403, 403),
    "reviewer": (302, 302, 302),
    "editor": (302, 302, 403),
    "staff": (302, 302, 302),
    "superuser": (302, 302, 302),
}


@pytest.mark.parametrize("role", ROLES)
def test_permissions_per_role(client, request, role, wire_pair):
    new, before = wire_pair
    SourceFactory(claim=before)
    login(client, request, role)
    link, unlink, copy = ALLOWED[role]
    claim_page = reverse("claims:detail", args=[new.pk])

    response = client.post(
        reverse("related:link", args=[new.pk]), {"other": before.pk, "kind": "same"}
    )
    assert response.status_code == link
    linked = ClaimLink.objects.exists()
    assert linked == (link == 302 and role != "anonymous")
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    elif link == 302:
        assert response["Location"].startswith(claim_page)
    if not linked:
        ClaimLinkFactory(claim=new, other=before, kind=LinkKind.SAME)

    response = client.post(reverse("related:copy_sources", args=[new.pk, before.pk]))
    assert response.status_code == copy
    copied = Source.objects.filter(claim=new).exists()
    assert copied == (copy == 302 and role != "anonymous")

    response = client.post(reverse("related:unlink", args=[new.pk, before.pk]))
    assert response.status_code == unlink
    assert ClaimLink.objects.exists() == (unlink != 302 or role == "anonymous")

    for url in (
        reverse("related:link", args=[new.pk]),
        reverse("related:unlink", args=[new.pk, before.pk]),
        reverse("related:copy_sources", args=[new.pk, before.pk]),
    ):
        assert client.put(url).status_code == 405
        assert client.delete(url).status_code == 405


# --- a button's address opened with GET (the login page sends people on to it) -------

BUTTONS = {
    "link": ("related:link", False, "No link was made or changed"),
    "unlink": ("related:unlink", True, "The link to #{other} was not removed"),
    "copy": ("related:copy_sources", True, "No source was copied from #{other}"),
}


@pytest.mark.parametrize("button", BUTTONS)
def test_a_get_goes_back_to_the_panel_and_does_nothing(client, reviewer, wire_pair, button):
    name, with_other, not_done = BUTTONS[button]
    new, before = wire_pair
    SourceFactory(claim=before)
    ClaimLinkFactory(claim=new, other=before, kind=LinkKind.SAME)
    events = ClaimEvent.objects.count()
    client.force_login(reviewer)
    url = reverse(name, args=[new.pk, before.pk] if with_other else [new.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("claims:detail", args=[new.pk]) + "#reviewed-before"
    [message] = get_messages(response.wsgi_request)
    assert message.level_tag == "info"
    assert str(message) == (
        f"{not_done.format(other=before.pk)}: signing in passes on a button's address, not "
        "its click. Click the button again."
    )
    assert ClaimLink.objects.get().kind == LinkKind.SAME
    assert not Source.objects.filter(claim=new).exists()
    assert ClaimEvent.objects.count() == events


def test_signing_in_again_on_a_button_lands_on_the_claim_page_with_the_message(
    client, reviewer, wire_pair
):
    """The session ended; the reviewer clicked "Same claim", signed in, and the login
    page sent them on to the button's address."""
    new, before = wire_pair
    url = reverse("related:link", args=[new.pk])
    posted = client.post(url, {"other": before.pk, "kind": "same"})
    assert posted["Location"].startswith(reverse("login"))
    response = client.post(
        posted["Location"],
        {"username": reviewer.username, "password": "correct horse battery staple"},
        follow=True,
    )
    assert response.status_code == 200
    assert response.redirect_chain[0] == (url, 302)
    assert response.redirect_chain[-1][0].endswith(f"/claims/{new.pk}/#reviewed-before")
    page = response.content.decode()
    assert "No link was made or changed" in page
    assert "Click the button again." in page
    assert not ClaimLink.objects.exists()


@pytest.mark.parametrize("role", ["anonymous", "nobody", "editor"])
def test_a_get_of_a_button_is_refused_as_its_post_would_be(client, request, role, wire_pair):
    new, before = wire_pair
    login(client, request, role)
    response = client.get(reverse("related:copy_sources", args=[new.pk, before.pk]))
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == 403
    assert not get_messages(response.wsgi_request)


def test_a_get_of_a_missing_claim_is_404(client, reviewer, claim):
    client.force_login(reviewer)
    assert client.get(reverse("related:link", args=[999])).status_code == 404
    assert client.get(reverse("related:unlink", args=[claim.pk, 999])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_every_member_sees_the_panel_but_only_roles_that_may_link_get_buttons(
    client, request, role, wire_pair
):
    new, _ = wire_pair
    login(client, request, role)
    response = client.get(reverse("claims:detail", args=[new.pk]))
    if role in ("anonymous", "nobody"):
        assert response.status_code == (302 if role == "anonymous" else 403)
        return
    shown = panel(response.content.decode())
    assert "Same claim" in shown
    assert ('name="kind"' in shown) is (role in ("reviewer", "editor", "staff", "superuser"))


# --- queries -------------------------------------------------------------------------


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_claim_page_queries_do_not_grow_with_matches_and_links(client, reviewer, reviewer2):
    new = claim_with_text(FIVE, title="The claim")
    client.force_login(reviewer)
    url = reverse("claims:detail", args=[new.pk])
    words = ["north", "south", "east", "west", "central", "coastal", "border", "river"]

    def grow(n: int) -> int:
        for i in range(n):
            text = FIVE.replace("northern", words[(Source.objects.count() + i) % len(words)])
            match = claim_with_text(text, title=f"Match {i}", status=ClaimStatus.CONFIRMED)
            SourceFactory.create_batch(2, claim=match, added_by=reviewer2)
            linked = claim_with_text(text + " Again.", title=f"Linked {i}")
            SourceFactory(claim=linked, added_by=reviewer2)
            ClaimLinkFactory(claim=new, other=linked, kind=[LinkKind.SAME, LinkKind.RELATED][i % 2])
        return queries(client, url)

    few, many = grow(1), grow(8)
    assert few == many
    # The claim page's own seven, the links and their sources, the matcher's, and the
    # savepoint around the matcher (the test runs inside a transaction).
    assert many <= 14
