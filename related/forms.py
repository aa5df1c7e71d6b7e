"""The one form posted from a claim page's "Reviewed before" panel: which claim to link,
and how."""

from __future__ import annotations

from django import forms

from claims.models import Claim
from newsdesk.fields import parse_id
from related.models import LinkKind


class LinkForm(forms.Form):
    other = forms.CharField(max_length=20, label="Claim number")
    kind = forms.ChoiceField(choices=LinkKind.choices)

    def clean_other(self) -> Claim:
        value = self.cleaned_data["other"].strip().removeprefix("#")
        pk = parse_id(value)
        if pk is None:
            raise forms.ValidationError("A claim number is a whole number, such as 12.")
        claim = Claim.objects.select_related("article").filter(pk=pk).first()
        if claim is None:
            raise forms.ValidationError(f"There is no claim #{pk}.")
        return claim
