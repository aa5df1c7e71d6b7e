"""The forms of the article page's suggestion panel."""

from __future__ import annotations

from django import forms

from newsdesk.fields import MAX_ID
from suggestions.scorer import THRESHOLD


class SuggestionForm(forms.Form):
    """Which suggested sentence: its span, as the article page drew it."""

    start = forms.IntegerField(min_value=0, max_value=MAX_ID, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    # The words the person saw there (Suggestion.digest), in case the text changed since.
    digest = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)


THRESHOLD_CHOICES = [(f"{n / 10:.1f}", f"{n / 10:.1f}") for n in range(9, 2, -1)]


class AcceptAllForm(forms.Form):
    threshold = forms.TypedChoiceField(
        choices=THRESHOLD_CHOICES,
        coerce=float,
        initial=f"{THRESHOLD:.1f}",
        label="Accept every suggestion scored at least",
    )
