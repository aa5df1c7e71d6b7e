"""Sources in the admin: added and removed through the services, never edited."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse

from claims.admin.filters import ByClaimMixin
from claims.admin.inlines import AddSourceInline
from claims.models import Source, Via
from claims.services import (
    repeated_link,
    source_add,
    source_remove,
    sources_bulk_remove,
)
from claims.workflow import TransitionRefused
from newsdesk.admin_options import SERVICE_REFUSALS, NewsdeskAdminMixin
from newsdesk.errors import NewsdeskError, error_text
from newsdesk.fields import parse_id


class SourceAdminForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ["claim", *AddSourceInline.fields]

    def clean(self) -> dict:
        data = super().clean()
        # As on a claim's own page: refused on the form, so that what was typed stays.
        if data.get("claim") and data.get("url"):
            refusal = repeated_link(claim=data["claim"], url=data["url"])
            if refusal is not None:
                self.add_error(None, refusal)
        return data


@admin.register(Source)
class SourceAdmin(NewsdeskAdminMixin, ByClaimMixin, admin.ModelAdmin):
    """Sources are added and removed, never edited: a stance must not shift under a verdict."""

    form = SourceAdminForm
    list_display = ["id", "claim", "publisher_name", "stance", "url", "added_by", "added_at"]
    list_filter = ["stance"]
    list_select_related = ["claim", "added_by"]
    search_fields = ["url", "publisher", "title"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    raw_id_fields = ["claim"]
    ordering = ["-added_at", "-id"]
    refuse_on = SERVICE_REFUSALS

    @admin.display(description="publisher")
    def publisher_name(self, obj: Source) -> str:
        return obj.publisher_name

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        source = source_add(
            by=request.user,
            via=Via.ADMIN,
            **{name: data.get(name) for name in SourceAdminForm.Meta.fields},
        )
        self.adopt(obj, source)

    # --- removing, all or nothing -------------------------------------------------

    def delete_view(self, request, object_id, extra_context=None):
        # Django deletes in one transaction: a refusal also takes back its log entry.
        try:
            return super().delete_view(request, object_id, extra_context)
        except (NewsdeskError, PermissionDenied) as exc:
            self.message_user(request, f"Nothing was deleted: {error_text(exc)}", messages.ERROR)
            pk = parse_id(object_id)
            if pk and Source.objects.filter(pk=pk).exists():
                return HttpResponseRedirect(reverse("admin:claims_source_change", args=[pk]))
            return HttpResponseRedirect(reverse("admin:claims_source_changelist"))

    def delete_model(self, request, obj):
        try:
            source_remove(source=obj, by=request.user, via=Via.ADMIN)
        except TransitionRefused as refused:
            raise NewsdeskError(f"source #{obj.pk} ({obj.publisher_name}): {refused}") from None

    def delete_queryset(self, request, queryset):
        sources_bulk_remove(
            sources=queryset.select_related("added_by"), by=request.user, via=Via.ADMIN
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _, name, description = actions["delete_selected"]
            actions["delete_selected"] = (SourceAdmin.delete_selected_sources, name, description)
        return actions

    def delete_selected_sources(self, request, queryset):
        """Django's "delete selected", in one transaction with its log entries: a refused
        source leaves every selected source in place, and the message says which and why."""
        try:
            with transaction.atomic():
                return delete_selected(self, request, queryset)
        except (NewsdeskError, PermissionDenied) as exc:
            self.message_user(request, error_text(exc), messages.ERROR)
            return None
