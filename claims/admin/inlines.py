"""What the claim admin page shows of a claim's sources and history."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from claims.models import ClaimEvent, Source
from claims.services import repeated_link
from newsdesk.fields import parse_id


class LoadedRow(forms.ModelChoiceField):
    """A formset form's id, found among the rows its formset loaded: Django's own field
    looks each one up again, one query for every source ticked for deletion."""

    def __init__(self, *, rows, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows = rows

    def to_python(self, value):
        if value in self.empty_values:
            return None
        row = self.rows().get(parse_id(value))
        if row is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return row


class LoadedRowsFormSet(forms.BaseInlineFormSet):
    """Forms whose rows come from the formset's one query (with what SourceInline joins).
    The service locks each row and checks it is still there before it writes."""

    def _loaded(self) -> dict:
        if not hasattr(self, "_rows"):
            self._rows = {row.pk: row for row in self.get_queryset()}
        return self._rows

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        name = self.model._meta.pk.name
        field = form.fields[name]
        if isinstance(field, forms.ModelChoiceField):
            form.fields[name] = LoadedRow(
                rows=self._loaded,
                queryset=field.queryset,
                initial=field.initial,
                required=False,
                widget=field.widget,
            )


class SourceInline(admin.TabularInline):
    """Sources already attached: read-only, so a stance cannot change after a verdict."""

    model = Source
    formset = LoadedRowsFormSet
    verbose_name_plural = "Sources"
    fields = ["publisher_name", "link", "title", "stance", "excerpt", "added_by", "added_at"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("added_by")

    @admin.display(description="publisher")
    def publisher_name(self, obj: Source) -> str:
        return obj.publisher_name

    @admin.display(description="URL")
    def link(self, obj: Source) -> str:
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', obj.url, obj.url)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class AddSourceForm(forms.ModelForm):
    """A new source on the claim being edited: a link the claim cites already is refused
    here, on the form, so that the page keeps what was typed (the service refuses it
    again, under lock, should it arrive meanwhile)."""

    def clean(self) -> dict:
        data = super().clean()
        if self.instance.claim_id and data.get("url"):
            refusal = repeated_link(claim=self.instance.claim, url=data["url"])
            if refusal is not None:
                self.add_error(None, refusal)
        return data


class AddSourceInline(admin.StackedInline):
    model = Source
    form = AddSourceForm
    verbose_name = "new source"
    verbose_name_plural = "Add a source"
    fields = ["url", "title", "publisher", "stance", "excerpt", "accessed_on", "archived_url"]
    extra = 1
    max_num = 5
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_add_permission(request, obj)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_add_permission(request, obj)


class HistoryInline(admin.TabularInline):
    model = ClaimEvent
    verbose_name_plural = "History"
    fields = ["at", "actor", "kind", "from_status", "to_status", "note", "via", "batch_link"]
    readonly_fields = fields
    ordering = ["-at", "-id"]
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description="batch")
    def batch_link(self, obj: ClaimEvent) -> str:
        return batch_link_html(obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def batch_link_html(event: ClaimEvent) -> str:
    if event.batch is None:
        return "—"
    url = reverse("admin:claims_claimevent_changelist") + f"?batch={event.batch}"
    return format_html('<a href="{}">{}…</a>', url, str(event.batch)[:8])
