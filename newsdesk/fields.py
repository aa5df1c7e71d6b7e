"""Model fields shared by the apps."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator, URLValidator
from django.db import models

from newsdesk.text import normalize_text

# The largest id a BigAutoField holds; larger numbers in a URL or form are not ids.
MAX_ID = 2**63 - 1
_ID = re.compile(r"[0-9]{1,19}")


def parse_id(value: object) -> int | None:
    """A database id from untrusted text, or None. ASCII digits only: "²" is a digit
    to str.isdigit() but not to int()."""
    text = str(value)
    if not _ID.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


# Only web links: a source or article address is opened by people in a browser.
web_url = URLValidator(
    schemes=["http", "https"], message="Enter a web address starting with http:// or https://."
)


class WebURLFormField(forms.URLField):
    default_validators = [web_url]
    # The form field's own "invalid" message would otherwise replace the validator's.
    default_error_messages = {"invalid": web_url.message}


class WebURLField(models.URLField):
    """An http(s) URL; its form assumes https:// when the scheme is left out."""

    # A NUL byte passes URLValidator, but PostgreSQL cannot store it.
    default_validators = [web_url, ProhibitNullCharactersValidator()]

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": WebURLFormField, "assume_scheme": "https", **kwargs}
        )


class StoredTextField(forms.CharField):
    """Text compared as it is stored: `\\n` line ends (a browser sends every textarea's as
    `\\r\\n`) and, unless `strip=False`, no outer blanks.

    Both sides are put in that form before a form decides whether the field changed, so
    a value shown and sent back untouched is unchanged, even one stored before it was
    normalised (with trailing blanks, say): nothing is rewritten and nothing is logged.
    """

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(value, str):
            # Outer blanks are the field's own `strip` to decide.
            value = normalize_text(value, strip=False)
        return value

    def has_changed(self, initial, data) -> bool:
        if isinstance(initial, str):
            initial = self.to_python(initial)
        return super().has_changed(initial, data)


def fingerprint(value: str) -> str:
    """A short digest of one field's value: enough to tell whether it changed, small enough
    to travel in a hidden input where the value itself (an article's text) would not."""
    return hashlib.sha256(value.encode()).hexdigest()[:16]


_FINGERPRINT = re.compile(r"[0-9a-f]{16}")


class FingerprintsField(forms.CharField):
    """What an edit form was loaded with, as a fingerprint per field (compact JSON in a
    hidden input): after a conflict, a field whose value is still the loaded one was not
    changed by this person, and one whose saved value is not the loaded one was changed
    by someone else. Cleans to {name: fingerprint}, with every one of `names`."""

    widget = forms.HiddenInput
    default_error_messages = {
        "invalid": "This page's record of what it was opened with is unreadable: reload it."
    }

    def __init__(self, *, names: tuple[str, ...], **kwargs) -> None:
        self.names = names
        super().__init__(max_length=64 * len(names), **kwargs)

    def prepare_value(self, value):
        if isinstance(value, Mapping):
            return json.dumps(dict(value), separators=(",", ":"), sort_keys=True)
        return value

    def to_python(self, value) -> dict[str, str] | None:
        value = super().to_python(value)
        if not value:
            return None
        try:
            loaded = json.loads(value)
        except ValueError:
            loaded = None
        if (
            not isinstance(loaded, dict)
            or set(loaded) != set(self.names)
            or not all(isinstance(v, str) and _FINGERPRINT.fullmatch(v) for v in loaded.values())
        ):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return loaded
