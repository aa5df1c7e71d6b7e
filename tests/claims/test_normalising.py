"""Every text a person types is stored in the one normal form (articles.text.normalize_text):
the words of an attribution, a rationale, a note or a source compare equal however they were
typed, as a body's do. Before, these skipped the Unicode NFC step that bodies took."""

from __future__ import annotations

import pytest

from claims.models import ClaimEvent, ClaimStatus, EventKind, Stance
from claims.services import claim_transition, claim_update, source_add, source_remove
from newsdesk.text import normalize_text
from tests.factories import ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db

DECOMPOSED = "Cafe\u0301 owners\r\n"  # "Café" typed as e + a combining accent, a Windows line end
COMPOSED = "Café owners"


def test_the_one_normaliser_composes_and_trims():
    assert normalize_text(DECOMPOSED) == COMPOSED
    assert normalize_text("a\r\nb\rc\x00") == "a\nb\nc"


def test_an_attribution_is_stored_composed(editor):
    claim = ClaimFactory()
    saved = claim_update(
        claim=claim, by=editor, expected_version=claim.version, attributed_to=DECOMPOSED
    )
    assert saved.attributed_to == COMPOSED
    # Sent again composed, it is the same words: nothing to write, no history row.
    again = claim_update(
        claim=saved, by=editor, expected_version=saved.version, attributed_to=COMPOSED
    )
    assert again.version == saved.version


def test_a_rationale_and_a_note_are_stored_composed(reviewer):
    claim = ClaimFactory()
    claim = claim_transition(
        claim=claim,
        to=ClaimStatus.DISPUTED,
        by=reviewer,
        expected_version=claim.version,
        note=DECOMPOSED,
        rationale=DECOMPOSED,
    )
    assert claim.rationale == COMPOSED
    event = ClaimEvent.objects.get(claim=claim, kind=EventKind.STATUS_CHANGED)
    assert event.note == COMPOSED
    assert event.data["rationale"] == COMPOSED


def test_a_sources_details_and_a_removal_note_are_stored_composed(reviewer):
    claim = ClaimFactory()
    source = source_add(
        claim=claim,
        by=reviewer,
        url="https://wire.example/story",
        stance=Stance.CONTEXT,
        title=DECOMPOSED,
        publisher=DECOMPOSED,
        excerpt=DECOMPOSED,
    )
    assert (source.title, source.publisher, source.excerpt) == (COMPOSED,) * 3
    other = SourceFactory(claim=claim, stance=Stance.CONTEXT)
    source_remove(source=other, by=reviewer, note=DECOMPOSED)
    removed = ClaimEvent.objects.get(claim=claim, kind=EventKind.SOURCE_REMOVED)
    assert removed.note == COMPOSED
