from __future__ import annotations

import html

import pytest

from articles.anchoring import TextEdit
from articles.services import article_body_update
from claims.models import Claim, ClaimEvent, ClaimStatus, EventKind
from tests.factories import SENTENCES, ArticleFactory, ClaimFactory

OLD = "Police said five convoys were hit near Orlen on Sunday. The army denied it."


def follow(old: str, new: str, quote: str):
    """Where the claim on `quote` in `old` lands in `new`."""
    start = old.index(quote)
    return TextEdit(old, new).follow(
        start=start,
        end=start + len(quote),
        text=quote,
        prefix=old[max(0, start - 32) : start],
        suffix=old[start + len(quote) :][:32],
    )


def test_a_replacement_across_the_claims_edge_gives_it_none_of_the_words_outside():
    # Found by the property test: "aaa aar" became "AAA"; the claim on "aar aaq" keeps
    # "aaq" and never takes "AAA", which was written for the word before it.
    old = "abc aam aal aak abb aaa aar aaq.\n\naaj aai."
    new = "abc aam aal aak abb AAA aaq.\n\naaj aai."
    found = follow(old, new, "aar aaq")
    assert found.outcome == "changed"
    assert found.text(new) == "aaq"


def claim_on(article, quote: str, **fields):
    """A claim on the first place `quote` stands in the article."""
    at = article.body.index(quote)
    return ClaimFactory(article=article, start=at, end=at + len(quote), text=quote, **fields)


def find(new: str, quote: str = "five convoys were hit near Orlen"):
    return follow(OLD, new, quote)


def test_untouched_text_keeps_its_place():
    found = find(OLD + " More later.")
    assert (found.outcome, found.start) == ("kept", OLD.index("five"))


def test_text_inserted_before_moves_the_claim():
    new = "UPDATE: " + OLD
    found = find(new)
    assert found.outcome == "moved"
    assert found.text(new) == "five convoys were hit near Orlen"


def test_the_same_words_elsewhere_are_found_by_their_surroundings():
    new = "The army denied it. Police said five convoys were hit near Orlen, officials added."
    found = find(new)
    assert (found.outcome, found.text(new)) == ("moved", "five convoys were hit near Orlen")


def test_reworded_quote_is_changed_not_lost():
    new = OLD.replace("five convoys were hit near Orlen", "six convoys were hit near Orlen")
    found = find(new)
    assert found.outcome == "changed"
    assert "convoys were hit near Orlen" in found.text(new)


def test_deleted_words_leave_the_claim_orphaned():
    assert find("The army denied it.").outcome == "orphaned"


@pytest.mark.django_db
def test_article_edit_moves_changes_and_orphans_claims_and_says_so(editor):
    article = ArticleFactory()
    moved = ClaimFactory(article=article, sentence=0)
    changed = ClaimFactory(article=article, sentence=1, status=ClaimStatus.CONFIRMED)
    gone = ClaimFactory(article=article, sentence=2, status=ClaimStatus.DISPUTED)
    body = "Editor's note: updated.\n\n" + "\n\n".join(
        [SENTENCES[0], SENTENCES[1].replace("Three", "Four"), SENTENCES[3]]
    )
    report = article_body_update(article=article, body=body, by=editor)
    assert [c.pk for c in report.moved] == [moved.pk]
    assert [c.pk for c in report.changed] == [changed.pk]
    assert [c.pk for c in report.orphaned] == [gone.pk]
    moved, changed, gone = (Claim.objects.get(pk=c.pk) for c in (moved, changed, gone))
    assert body[moved.start : moved.end] == SENTENCES[0]
    assert changed.text.startswith("Four contractors")
    assert changed.status == ClaimStatus.UNVERIFIED  # its verdict was on other words
    assert (gone.orphaned, gone.status, gone.text) == (True, ClaimStatus.DISPUTED, SENTENCES[2])
    outcomes = {
        e.claim_id: e.data["reanchored"] for e in ClaimEvent.objects.filter(kind=EventKind.EDITED)
    }
    assert outcomes == {moved.pk: "moved", changed.pk: "changed", gone.pk: "orphaned"}
    assert ClaimEvent.objects.filter(claim=changed, kind=EventKind.STATUS_CHANGED).exists()


@pytest.mark.django_db
def test_an_orphan_is_anchored_again_by_editing_its_quote(editor):
    from claims.services import claim_update

    article = ArticleFactory()
    claim = ClaimFactory(article=article, sentence=2)
    article_body_update(article=article, body=SENTENCES[0] + " " + SENTENCES[2][:20], by=editor)
    claim.refresh_from_db()
    assert claim.orphaned
    article.refresh_from_db()
    claim_update(claim=claim, by=editor, expected_version=claim.version, start=0, end=4)
    claim.refresh_from_db()
    assert not claim.orphaned


@pytest.mark.django_db
def test_editing_an_article_needs_the_editor_role(reviewer, article):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        article_body_update(article=article, body="New text.", by=reviewer)


# The walkthrough's article (a real 2021 report): deleting a claim's whole sentence once
# moved that claim onto the tail of the sentence before it, which another claim held.
CONVOYS = (
    "The attacks targeted a logistics convoy, and a female engineer of the coalition’s "
    "Spanish forces were allegedly injured. A number of military advisors from the "
    "coalition’s Spanish forces were allegedly injured. The group said 18 containers "
    "were destroyed."
)
ADVISORS = (
    "A number of military advisors from the coalition’s Spanish forces were allegedly injured."
)
ENGINEER = "convoy, and a female engineer of the coalition’s Spanish forces were allegedly injured."


def test_a_deleted_sentence_orphans_its_claim_instead_of_taking_a_neighbours_words():
    new = CONVOYS.replace(ADVISORS + " ", "")
    assert follow(CONVOYS, new, ADVISORS).outcome == "orphaned"
    engineer = follow(CONVOYS, new, ENGINEER)
    assert (engineer.outcome, engineer.text(new)) == ("kept", ENGINEER)


def test_a_deleted_sentence_beside_an_edited_one_is_still_orphaned():
    new = CONVOYS.replace(ADVISORS + " ", "").replace("female engineer", "male engineer")
    assert follow(CONVOYS, new, ADVISORS).outcome == "orphaned"
    engineer = follow(CONVOYS, new, ENGINEER)
    assert (engineer.outcome, engineer.text(new)) == ("changed", ENGINEER.replace("fe", "", 1))


def test_a_changed_number_keeps_the_claim_on_its_own_sentence():
    quote = "The group said 18 containers were destroyed."
    new = CONVOYS.replace("18 containers", "19 containers")
    found = follow(CONVOYS, new, quote)
    assert (found.outcome, found.text(new)) == ("changed", quote.replace("18", "19"))


def test_a_moved_paragraph_takes_its_claims_along():
    old = "First paragraph here.\n\nSecond one, with the claim in it.\n\nThird and last."
    new = "Second one, with the claim in it.\n\nFirst paragraph here.\n\nThird and last."
    found = follow(old, new, "with the claim in it")
    assert (found.outcome, found.text(new)) == ("moved", "with the claim in it")


def test_words_that_stayed_elsewhere_do_not_adopt_a_deleted_claim():
    # The same words stand in another sentence that was not touched: they are that
    # sentence's words, not a new home for the claim whose sentence was deleted.
    old = "Officials said it was an attack. Witnesses said it was an attack."
    new = "Officials said it was an attack."
    assert follow(old, new, "Witnesses said it was an attack.").outcome == "orphaned"


def test_an_orphan_is_found_again_when_its_words_come_back():
    old, new = "Something else entirely.", "Something else entirely. The claim is back."
    edit = TextEdit(old, new)
    found = edit.follow(
        start=0, end=5, text="The claim is back.", prefix="", suffix="", orphaned=True
    )
    assert (found.outcome, found.text(new)) == ("moved", "The claim is back.")


@pytest.mark.django_db
def test_the_history_says_what_an_article_edit_did_to_each_claim(client, editor, reviewer):
    article = ArticleFactory(body=CONVOYS)
    containers = "The group said 18 containers were destroyed."
    advisors, counted, engineer = (claim_on(article, q) for q in (ADVISORS, containers, ENGINEER))
    new = "Update: " + CONVOYS.replace(ADVISORS + " ", "").replace("18", "19")
    report = article_body_update(article=article, body=new, by=editor)
    assert (report.orphaned, report.changed, report.moved) == ([advisors], [counted], [engineer])
    client.force_login(reviewer)
    pages = {
        c.pk: html.unescape(client.get(f"/claims/{c.pk}/").content.decode())
        for c in (advisors, counted, engineer)
    }
    assert (
        "removed the claim's words, so it is orphaned (it read “A number of military"
        in (pages[advisors.pk])
    )
    assert (
        "changed the claim's words from “The group said <del>18</del> containers were "
        "destroyed.” to “The group said <ins>19</ins> containers were destroyed.”"
    ) in pages[counted.pk]
    assert "the claim's words moved, unchanged" in pages[engineer.pk]
    assert "edited the claim" not in "".join(pages.values())


@pytest.mark.django_db
def test_following_claims_costs_the_same_queries_for_many_claims(
    editor, django_assert_max_num_queries
):
    article = ArticleFactory(body="\n\n".join(f"Sentence number {i} is here." for i in range(600)))
    for i in range(0, 600, 2):
        claim_on(article, f"Sentence number {i} is here.")
    # Every claim moves, written in batches: 9 queries on PostgreSQL, 14 on SQLite, whose
    # bound on query parameters makes the batches smaller; a query per claim would be 600.
    with django_assert_max_num_queries(14):
        report = article_body_update(
            article=article, body="New lead.\n\n" + article.body, by=editor
        )
    assert len(report.moved) == 300
    assert Claim.objects.filter(start__gt=0).count() == 300


# Two sentences run into one ("… said. The …" to "… said, and the …"), from the
# walkthrough: the first claim kept its full stop and pulled the second sentence in, and
# the second was orphaned though its words were still there.
FARSAN = "Neighbouring Farsan closed its border crossing to refugees, its foreign ministry said."
PLEDGE = "The European Union pledged €12 million in emergency aid on Wednesday."
WELLS = "Only 60 of the 1,566 wells were still out of service."
FUND = "The agency said it had released $6.5 million from its emergency fund."
MERGES = f"Intro.\n\n{FARSAN} {PLEDGE}\n\n{WELLS} {FUND}\n\nLast paragraph."


@pytest.mark.parametrize(
    ("quote", "now"),
    [
        (FARSAN, FARSAN[:-1]),
        (PLEDGE, "the" + PLEDGE[3:]),
        (WELLS, WELLS[:-1]),
        (FUND, "the" + FUND[3:-1]),
    ],
)
def test_sentences_run_together_keep_each_claim_on_its_own_words(quote, now):
    new = (
        MERGES.replace("said. The", "said, and the")
        .replace("service. The", "service, and the")
        .replace("fund.", "fund")
    )
    found = follow(MERGES, new, quote)
    assert (found.outcome, found.text(new)) == ("changed", now)


@pytest.mark.django_db
def test_an_editor_anchors_an_orphan_again_from_its_edit_page(client, editor):
    # The walkthrough: the edit page offered the orphan's old offset, and saving the
    # right quote was refused with "The quote does not stand at this offset".
    article = ArticleFactory(body=MERGES)
    claim = claim_on(article, WELLS)
    edited = MERGES.replace(WELLS, "Officials gave no figure for the wells on Monday.")
    article_body_update(article=article, body=edited, by=editor)
    claim.refresh_from_db()
    assert claim.orphaned
    client.force_login(editor)
    page = client.get(f"/claims/{claim.pk}/edit/")
    assert page.context["form"]["start"].value() is None
    new_quote = "Officials gave no figure for the wells"
    answer = client.post(
        f"/claims/{claim.pk}/edit/",
        {
            "quote": new_quote,
            "start": "",
            "attributed_to": "",
            "assignee": "",
            "expected_version": claim.version,
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    claim.refresh_from_db()
    assert (claim.orphaned, claim.text) == (False, new_quote)
    assert edited[claim.start : claim.end] == new_quote
    history = html.unescape(client.get(f"/claims/{claim.pk}/").content.decode())
    assert f"anchored the orphaned claim again, to “{new_quote}”" in history


@pytest.mark.django_db
def test_a_new_quote_sent_with_the_old_offset_untouched_is_found_by_its_words(client, editor):
    article = ArticleFactory()
    claim = ClaimFactory(article=article, sentence=1)
    client.force_login(editor)
    form = client.get(f"/claims/{claim.pk}/edit/").context["form"]
    assert form["start"].value() == claim.start
    answer = client.post(
        f"/claims/{claim.pk}/edit/",
        {
            "quote": SENTENCES[3],
            "start": claim.start,  # as shown, untouched
            "attributed_to": "",
            "assignee": "",
            "expected_version": claim.version,
        },
    )
    assert answer.status_code == 302
    claim.refresh_from_db()
    assert article.body[claim.start : claim.end] == SENTENCES[3]


def test_a_text_pasted_as_one_long_line_is_compared_piece_by_piece():
    # No full stops followed by a space, so the whole text is one "sentence": it is cut
    # at words so both sides line up again after an edit, and the claims beyond it stay.
    words = [f"word{i}" for i in range(6_000)]
    old = " ".join(words)
    new = old.replace("word10 ", "changed10 ", 1)
    edit = TextEdit(old, new)
    # Only the changed word is taken as replaced, not a stretch of the line.
    assert max(i2 - i1 for i1, i2, _, _, equal in edit.blocks if not equal) < 100
    far = "word4000 word4001 word4002"
    found = follow(old, new, far)
    assert (found.outcome, found.text(new)) == ("moved", far)
    near = "word9 word10 word11"
    found = follow(old, new, near)
    assert (found.outcome, found.text(new)) == ("changed", "word9 changed10 word11")


@pytest.mark.django_db
def test_a_reopened_claim_loses_its_verdict_and_rationale_and_nobody_is_credited(
    client, editor, reviewer
):
    # The second walkthrough: after "Two" became "Three", the claim was unverified but
    # still showed and exported "Checked against Riverton Police.", under the editor's name.
    from claims.exports import export_csv

    article = ArticleFactory(body=CONVOYS)
    quote = "The group said 18 containers were destroyed."
    claim = claim_on(
        article,
        quote,
        status=ClaimStatus.SOURCED,
        rationale="Checked against the group's statement.",
    )
    article_body_update(article=article, body=CONVOYS.replace("18", "19"), by=editor)
    claim.refresh_from_db()
    assert (claim.status, claim.rationale) == (ClaimStatus.UNVERIFIED, "")
    reopened = ClaimEvent.objects.get(claim=claim, kind=EventKind.STATUS_CHANGED)
    assert reopened.actor is None
    assert reopened.note.startswith("elena edited the article and the quote changed")
    assert reopened.data == {"rationale_cleared": "Checked against the group's statement."}
    client.force_login(reviewer)
    page = html.unescape(client.get(f"/claims/{claim.pk}/").content.decode())
    assert "<strong>system</strong> moved it from" in page
    assert "Rationale cleared with the verdict: “Checked against the group's statement.”" in page
    csv = b"".join(export_csv(Claim.objects.filter(pk=claim.pk), base_url="http://x")).decode()
    assert "Checked against" not in csv
    assert ",elena," not in csv


@pytest.mark.django_db
def test_capitals_and_punctuation_alone_do_not_reopen_a_verdict(editor):
    article = ArticleFactory(body=MERGES)
    claim = claim_on(article, PLEDGE, status=ClaimStatus.CONFIRMED, rationale="Two wires.")
    article_body_update(
        article=article, body=MERGES.replace("said. The", "said, and the"), by=editor
    )
    claim.refresh_from_db()
    assert claim.text == "the" + PLEDGE[3:]
    assert (claim.status, claim.rationale) == (ClaimStatus.CONFIRMED, "Two wires.")
    assert not ClaimEvent.objects.filter(claim=claim, kind=EventKind.STATUS_CHANGED).exists()
