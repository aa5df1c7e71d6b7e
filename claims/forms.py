from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from articles.text import normalize_body
from claims.anchoring import quote_occurrences
from claims.models import Claim
from claims.roles import REVIEWERS
from claims.services import StaleClaim
from claims.workflow import DONE


def reviewers():
    """Everyone a claim may be assigned to: active members of the Reviewers group."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=REVIEWERS)
        .order_by("username")
        .distinct()
    )


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        full = obj.get_full_name()
        return f"{full} ({obj.get_username()})" if full else obj.get_username()


class ClaimAdminForm(forms.ModelForm):
    """Anchors a claim by its quote: the server finds where it stands in the article.

    The form only validates; the admin saves through `claims.services`.
    """

    quote = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Paste the exact words from the article body.",
    )
    start = forms.IntegerField(
        required=False,
        min_value=0,
        label="Start offset",
        help_text="Only needed when the quote appears more than once in the article.",
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Claim
        fields = ["article", "attributed_to", "assignee"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "assignee" in self.fields:
            self.fields["assignee"] = ReviewerChoiceField(
                queryset=reviewers(), required=False, empty_label="Nobody"
            )
            if self.instance.pk:
                self.fields["assignee"].initial = self.instance.assignee_id
        if self.instance.pk:
            self.fields["quote"].initial = self.instance.text
            self.fields["start"].initial = self.instance.start
            self.fields["expected_version"].initial = self.instance.version

    def clean(self) -> dict:
        data = super().clean()
        if self.instance.pk and data.get("expected_version") != self.instance.version:
            raise ValidationError(StaleClaim(self.instance).refusal.message, code="stale")
        article = data.get("article") or (self.instance.article if self.instance.pk else None)
        # Pasted text may arrive decomposed or with \r\n; the body is stored normalised.
        quote = normalize_body(data.get("quote") or "")
        if article is None or not quote:
            return data
        start = data.get("start")
        if start is not None:
            if article.body[start : start + len(quote)] != quote:
                self.add_error("start", "The quote does not stand at this offset in the article.")
                return data
        else:
            found = quote_occurrences(article.body, quote)
            if not found:
                self.add_error("quote", "These exact words are not in the article body.")
                return data
            if len(found) > 1:
                offsets = ", ".join(str(at) for at in found[:10])
                self.add_error(
                    "start",
                    f"The quote appears {len(found)} times (at offsets {offsets}); "
                    "enter the start offset of the one you mean.",
                )
                return data
            start = found[0]
        data["start"], data["end"] = start, start + len(quote)
        return data


class BulkTransitionForm(forms.Form):
    """The note an admin bulk action asks for when a rule needs one."""

    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Optional. Replaces the rationale of every claim that changes.",
    )

    def __init__(self, *args, to: str, note_required: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].required = note_required
        self.fields["note"].label = f"Why are these claims being {DONE[to]}?"
        if note_required:
            self.fields["note"].help_text = "Required: recorded in each claim's history."


class BulkAssignForm(forms.Form):
    assignee = ReviewerChoiceField(
        queryset=None, required=False, empty_label="Nobody (unassign)", label="Assign to"
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = reviewers()
