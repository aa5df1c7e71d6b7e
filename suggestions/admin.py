"""The background runs that prepare long articles' suggestions, read-only: they are written
by their job (suggestions.tasks) alone."""

from __future__ import annotations

from django.contrib import admin

from newsdesk.admin_options import NewsdeskAdminMixin, ReadOnlyAdminMixin
from suggestions.models import SuggestionRun


@admin.register(SuggestionRun)
class SuggestionRunAdmin(ReadOnlyAdminMixin, NewsdeskAdminMixin, admin.ModelAdmin):
    list_display = [
        "id",
        "article",
        "status",
        "accept",
        "sentences_done",
        "sentences_total",
        "claims_accepted",
        "requested_by",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "accept"]
    list_select_related = ["article", "requested_by"]
    # The scores of a 2 MB article are a few hundred kilobytes: never loaded for the list.
    exclude = ["scores"]
    raw_id_fields = ["article", "requested_by"]
    search_fields = ["article__title", "error"]
    ordering = ["-id"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("scores")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "scores"]
