"""Links and the matcher's stored matches in the admin: staff read both, and remove links
through `related.services` (so both claims' history says who removed them); nobody adds
or edits either here."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from claims.models import Claim, Via
from newsdesk.admin_options import NewsdeskAdminMixin, ReadOnlyAdminMixin
from newsdesk.auth import LINK_CLAIM, VIEW_CLAIM
from newsdesk.errors import NewsdeskError, error_text
from newsdesk.fields import parse_id
from related.models import ClaimLink, ClaimMatch
from related.services import claims_unlink


def _claim_html(claim: Claim) -> str:
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    return format_html('<a href="{}">{}</a>', url, claim)


class ByClaimNumberMixin:
    """The search box takes a claim number (#12 or 12) and lists the rows with that claim
    at either end; anything else finds nothing, rather than scanning every quote."""

    search_fields = ["=claim__id"]
    search_help_text = "A claim number, e.g. 12: the rows with that claim at either end."

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        pk = parse_id(term.removeprefix("#"))
        if pk is None:
            return queryset.none(), False
        return queryset.filter(Q(claim_id=pk) | Q(other_id=pk)), False


class NewsroomViewMixin:
    """Any newsroom member on the staff may read these lists: seeing links needs no more
    than seeing claims."""

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm(VIEW_CLAIM)

    def has_module_permission(self, request) -> bool:
        return request.user.has_perm(VIEW_CLAIM)


@admin.register(ClaimLink)
class ClaimLinkAdmin(NewsroomViewMixin, ByClaimNumberMixin, NewsdeskAdminMixin, admin.ModelAdmin):
    list_display = ["id", "claim_link", "kind", "other_link", "linked_by", "linked_at"]
    list_filter = ["kind"]
    list_select_related = ["claim", "other", "linked_by"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    ordering = ["-linked_at", "-id"]
    list_per_page = 100
    fields = ["claim_link", "kind", "other_link", "linked_by", "linked_at"]
    readonly_fields = fields

    @admin.display(description="claim")
    def claim_link(self, obj: ClaimLink) -> str:
        return _claim_html(obj.claim)

    @admin.display(description="other claim")
    def other_link(self, obj: ClaimLink) -> str:
        return _claim_html(obj.other)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.has_perm(LINK_CLAIM)

    # --- removing, through the service, in the app's words ------------------------
    # Removing a link deletes no claim and no source: Django's "delete" pages and messages
    # ("Are you sure?", "Successfully deleted 2 claim links") would say otherwise.

    delete_confirmation_template = "related/admin_remove_link.html"

    def delete_view(self, request, object_id, extra_context=None):
        context = {"title": "Remove this link?", **(extra_context or {})}
        # Django deletes in one transaction: a refusal also takes back its log entry.
        try:
            return super().delete_view(request, object_id, context)
        except (NewsdeskError, PermissionDenied) as exc:
            self.message_user(request, f"Nothing was removed: {error_text(exc)}", messages.ERROR)
            return HttpResponseRedirect(reverse("admin:related_claimlink_changelist"))

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(
            request, f"Removed the link {obj_display}; both claims' history records it."
        )
        # To the list, not the admin's index (where Django sends those who may not edit).
        return HttpResponseRedirect(reverse("admin:related_claimlink_changelist"))

    def delete_model(self, request, obj: ClaimLink) -> None:
        claims_unlink(claim=obj.claim, other=obj.other, by=request.user, via=Via.ADMIN)

    def delete_queryset(self, request, queryset) -> None:
        for link in queryset.select_related("claim", "other").order_by("pk"):
            claims_unlink(claim=link.claim, other=link.other, by=request.user, via=Via.ADMIN)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _, name, _ = actions["delete_selected"]
            actions["delete_selected"] = (
                ClaimLinkAdmin.remove_selected,
                name,
                "Remove the selected links",
            )
        return actions

    def remove_selected(self, request, queryset):
        """Django's "delete selected" (a confirmation page, then the removal), all or
        nothing: a link someone removed meanwhile leaves every selected link in place, and
        the message says which. Nothing points at a link, so no other row goes with it."""
        links = list(queryset.select_related("claim__article", "other__article").order_by("pk"))
        if not request.POST.get("post"):
            return self._remove_confirmation(request, links)
        try:
            with transaction.atomic():
                self.log_deletions(request, links)
                self.delete_queryset(request, queryset)
        except (NewsdeskError, PermissionDenied) as exc:
            self.message_user(request, f"Nothing was removed: {error_text(exc)}", messages.ERROR)
            return None
        n = len(links)
        self.message_user(
            request, f"Removed {n} link{'s' if n != 1 else ''}; both claims' history records it."
        )
        return None

    def _remove_confirmation(self, request, links: list[ClaimLink]) -> TemplateResponse:
        request.current_app = self.admin_site.name
        n = len(links)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Remove {n} link{'s' if n != 1 else ''}?",
            "subtitle": None,
            "links": links,
            "opts": self.opts,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "related/admin_remove_links.html", context)


@admin.register(ClaimMatch)
class ClaimMatchAdmin(
    NewsroomViewMixin,
    ByClaimNumberMixin,
    ReadOnlyAdminMixin,
    NewsdeskAdminMixin,
    admin.ModelAdmin,
):
    """The matcher's stored guesses: rebuilt whenever a claim's words change, so read-only."""

    list_display = ["claim_link", "other_link", "score_shown", "verdict", "why", "scored_at"]
    list_filter = ["same"]
    list_select_related = ["claim", "other"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    # The (claim, -score) index serves this order: no sort of the whole table.
    ordering = ["claim", "-score"]
    list_per_page = 100

    @admin.display(description="claim")
    def claim_link(self, obj: ClaimMatch) -> str:
        return _claim_html(obj.claim)

    @admin.display(description="matches")
    def other_link(self, obj: ClaimMatch) -> str:
        return _claim_html(obj.other)

    @admin.display(description="score", ordering="score")
    def score_shown(self, obj: ClaimMatch) -> str:
        return f"{obj.score:.2f}"

    @admin.display(description="verdict")
    def verdict(self, obj: ClaimMatch) -> str:
        return "Same claim" if obj.same else "Related, not the same"

    @admin.display(description="why")
    def why(self, obj: ClaimMatch) -> str:
        return "; ".join(obj.reasons)
