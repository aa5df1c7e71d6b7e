"""Errors whose message is meant for the person who acted, and the one wording every
message uses to name someone else's change."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone


class NewsdeskError(Exception):
    """A domain error whose message is meant for the person who acted."""


def error_text(exc: Exception) -> str:
    """What to tell the person about a refused write: a domain error, a permission refusal
    or a ValidationError (whose messages may be keyed by field)."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or "You may not do that."


def who_when(actor, at: datetime, did: str, *, nobody: str = "Someone") -> str:
    """'rania changed this claim at 1 Dec 2026 13:45:02': who did what, and when, worded the
    same by every message that names someone else's change. To the second, as two saves
    that meet are most often made within one minute. `nobody` stands for an unknown actor
    (None); it opens the sentence, so it is capitalised."""
    who = actor.get_username() if actor is not None else nobody
    return f"{who} {did} at {timezone.localtime(at):%-d %b %Y %H:%M:%S}"
