"""The history in the admin: read-only for everyone."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from claims.admin.filters import ByClaimMixin
from claims.admin.inlines import batch_link_html
from claims.models import ClaimEvent
from newsdesk.admin_options import NewsdeskAdminMixin, ReadOnlyAdminMixin


@admin.register(ClaimEvent)
class ClaimEventAdmin(ReadOnlyAdminMixin, NewsdeskAdminMixin, ByClaimMixin, admin.ModelAdmin):
    """The history: read-only for everyone, superusers included."""

    list_display = ["at", "claim_link", "kind", "actor", "change", "via", "batch_link", "note"]
    # Every user is listed (a short table) rather than a DISTINCT over the whole history.
    list_filter = ["kind", "via", "actor"]
    list_select_related = ["claim", "actor"]
    search_fields = ["note"]
    search_help_text = "Search the notes."
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    ordering = ["-at", "-id"]
    list_per_page = 100

    def lookup_allowed(self, lookup, value, request=None):
        # Links from a claim's history filter by claim and by batch.
        if lookup in {"batch", "batch__exact"}:
            return True
        return super().lookup_allowed(lookup, value, request)

    @admin.display(description="claim")
    def claim_link(self, obj: ClaimEvent) -> str:
        url = reverse("admin:claims_claim_change", args=[obj.claim_id])
        return format_html('<a href="{}">{}</a>', url, obj.claim)

    @admin.display(description="status")
    def change(self, obj: ClaimEvent) -> str:
        if not obj.to_status:
            return ""
        if not obj.from_status:
            return obj.get_to_status_display()
        return f"{obj.get_from_status_display()} → {obj.get_to_status_display()}"

    @admin.display(description="batch")
    def batch_link(self, obj: ClaimEvent) -> str:
        return batch_link_html(obj)
