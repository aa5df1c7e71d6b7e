"""What a person sees at Newsdesk's limits: an over-long note, and the lock-out pages."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from claims.models import Claim, ClaimEvent, ClaimStatus
from tests.browser.conftest import PASSWORD, log_in
from tests.factories import ClaimFactory


def test_a_note_too_long_is_refused_with_the_reason_and_kept_whole(page, reviewer):
    claim = ClaimFactory()
    # A paste gone wrong: a whole article where a note belongs.
    note = "The ministry's figures do not add up. " * 200
    log_in(page, "rui")
    page.goto(f"/claims/{claim.pk}/")
    page.get_by_label("Dispute").check()
    page.get_by_label("Note for the history").fill(note)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(re.compile(r"at most 5000 characters \(it has 7599\)"))).to_be_visible()
    # Nothing cut off behind the person's back: every word is still there to trim.
    assert page.get_by_label("Note for the history").input_value() == note
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.UNVERIFIED
    assert not ClaimEvent.objects.filter(claim=claim).exists()


def test_the_limit_on_notes_and_rationales_is_said_before_sending(page, reviewer):
    claim = ClaimFactory()
    log_in(page, "rui")
    page.goto(f"/claims/{claim.pk}/")
    for label in ("Note for the history", "Rationale (shown in reports)"):
        box = page.get_by_label(label)
        # Read out with the box and shown under it, not only in the error after sending.
        expect(box).to_have_accessible_description(re.compile(r"Up to 5,000 characters\."))
        described = box.get_attribute("aria-describedby").split()[0]
        expect(page.locator(f"#{described}")).to_be_visible()
        # Said, not enforced by the browser: a maxlength would cut a paste short unseen.
        assert box.get_attribute("maxlength") is None


def fail_login(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()


def test_five_wrong_passwords_show_the_lock_out_and_how_long(page, reviewer):
    for _ in range(5):
        fail_login(page, "rui")
    expect(page.get_by_role("heading", name="Too many failed logins")).to_be_visible()
    expect(
        page.get_by_text("This account is locked from your address for 15 minutes")
    ).to_be_visible()


def test_one_address_trying_many_usernames_is_told_the_address_is_locked(page, reviewer, settings):
    settings.NEWSDESK_LOGIN_ADDRESS_FAILURE_LIMIT = 6
    for number in range(6):
        fail_login(page, f"guess{number}")
    expect(page.get_by_text("Logins from your address are refused for 15 minutes")).to_be_visible()
    # Even the right password, from this address, until the lock lifts.
    page.goto("/login/")
    page.get_by_label("Username").fill("rui")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Too many failed logins")).to_be_visible()
