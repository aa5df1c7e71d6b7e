"""The claim admin: staff's bulk-edit tool. Every write goes through `claims.services`;
its bulk actions report what each claim did."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from claims.admin.filters import AssigneeFilter, OutletFilter
from claims.admin.inlines import AddSourceInline, HistoryInline, SourceInline
from claims.exports import export_response
from claims.forms import BulkAssignForm, BulkTransitionForm, ClaimAdminForm
from claims.models import Claim, ClaimStatus, Source, Via
from claims.selectors import source_count
from claims.services import (
    BulkResult,
    StaleClaim,
    claim_create,
    claim_edit,
    claims_bulk_assign,
    claims_bulk_transition,
    source_add,
    sources_bulk_remove,
)
from claims.workflow import DONE, VERB, note_required
from newsdesk.admin_options import SERVICE_REFUSALS, NewsdeskAdminMixin
from newsdesk.auth import ASSIGN, EXPORT, REVIEW
from newsdesk.errors import NewsdeskError, error_text
from related.models import ClaimMatch
from related.tasks import claims_match, claims_match_refresh

# "Find matches" matches this many claims within the request (tens of milliseconds each);
# more are handed to the background worker in steps of this size, up to MATCH_QUEUED_MAX.
MATCH_NOW_MAX = 500
MATCH_QUEUED_MAX = 20_000


@admin.register(Claim)
class ClaimAdmin(NewsdeskAdminMixin, admin.ModelAdmin):
    form = ClaimAdminForm
    # The claim's number leads its quote rather than taking a column of its own, so the
    # list fits a 1280 px screen beside the navigation and the filters.
    list_display = [
        "quote",
        "article_title",
        "status_label",
        "assignee",
        "sources_count",
        "status_changed_at",
    ]
    list_display_links = ["quote"]
    list_filter = ["status", AssigneeFilter, OutletFilter, "origin"]
    # Both columns carry trigram indexes on PostgreSQL (claims/migrations/0004); article
    # titles are searched in the article list.
    search_fields = ["text", "attributed_to"]
    search_help_text = "Search quotes and who they are attributed to."
    list_select_related = ["article", "assignee"]
    list_per_page = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    raw_id_fields = ["article"]
    ordering = ["-status_changed_at", "-id"]
    refuse_on = SERVICE_REFUSALS
    retry_on = (StaleClaim,)
    inlines = [SourceInline, AddSourceInline, HistoryInline]
    actions = [
        "assign_selected",
        "assign_to_me",
        "mark_sourced",
        "mark_disputed",
        "mark_confirmed",
        "reopen",
        "export_csv",
        "export_csv_excel",
        "export_json",
        "export_claimreview",
        "find_matches",
    ]
    readonly_fields = [
        "status_label",
        "rationale",
        "prefix",
        "suffix",
        "end",
        "origin",
        "created_by",
        "created_at",
        "status_changed_at",
        "version_shown",
    ]

    def get_fieldsets(self, request, obj=None):
        anchor = (
            ["quote", "start"] if obj is None else ["quote", "start", "end", "prefix", "suffix"]
        )
        main = ["article", *anchor, "attributed_to", "assignee"]
        if obj is None:
            return [(None, {"fields": main})]
        return [
            (None, {"fields": [*main, "expected_version", "loaded"]}),
            ("Review", {"fields": ["status_label", "rationale", "status_changed_at"]}),
            (
                "Record",
                {"fields": ["origin", "created_by", "created_at", "version_shown"]},
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        # Moving a claim to another article would break its anchor.
        return [*self.readonly_fields, "article"] if obj else self.readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_sources=source_count())

    @admin.display(description="claim", ordering="id")
    def quote(self, obj: Claim) -> str:
        text = obj.text if len(obj.text) <= 90 else obj.text[:89] + "…"
        return f"#{obj.pk} {text}"

    @admin.display(description="article", ordering="article__title")
    def article_title(self, obj: Claim) -> str:
        return obj.article.title

    @admin.display(description="status", ordering="status")
    def status_label(self, obj: Claim) -> str:
        return format_html(
            '<span class="nd-status nd-status-{}">{}</span>', obj.status, obj.get_status_display()
        )

    @admin.display(description="sources", ordering="n_sources")
    def sources_count(self, obj: Claim) -> int:
        return obj.n_sources

    @admin.display(description="version")
    def version_shown(self, obj: Claim) -> int:
        return obj.version

    # --- permissions -----------------------------------------------------------

    def has_delete_permission(self, request, obj=None) -> bool:
        # Claims are part of the record: a wrong one is disputed or reopened, never erased.
        return False

    def has_change_status_permission(self, request) -> bool:
        return request.user.has_perm(REVIEW)

    def has_assign_permission(self, request) -> bool:
        return request.user.has_perm(ASSIGN)

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm(EXPORT)

    # --- saving through the services ------------------------------------------

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            claim = claim_create(
                article=data["article"],
                start=data["start"],
                end=data["end"],
                by=request.user,
                attributed_to=data.get("attributed_to", ""),
                assignee=data.get("assignee"),
                via=Via.ADMIN,
            )
            self.adopt(obj, claim)
            return
        claim = claim_edit(
            claim=obj,
            by=request.user,
            expected_version=data["expected_version"],
            start=data["start"],
            end=data["end"],
            attributed_to=data.get("attributed_to", ""),
            assignee=data.get("assignee"),
            via=Via.ADMIN,
        )
        self.adopt(obj, claim)

    def save_formset(self, request, form, formset, change):
        # The admin's change message reads these lists, normally filled by formset.save().
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is not Source:
            return
        # Together, so two removals that each leave enough support but not both are refused.
        # These are the rows SourceInline loaded, with who added each (the history keeps it).
        removed = [source_form.instance for source_form in formset.deleted_forms]
        if any(source.pk is None for source in removed):
            # The page listed a source that is no longer there: the formset can only offer
            # an empty row in its place, which names nothing.
            raise NewsdeskError(
                "a source ticked for deletion was removed by someone else after this page "
                "was opened. Reload the page to see the claim's sources as they are now."
            )
        if removed:
            sources_bulk_remove(sources=removed, by=request.user, via=Via.ADMIN)
            formset.deleted_objects.extend(removed)
        for source_form in formset.forms:
            if source_form.instance.pk or not source_form.has_changed():
                continue
            source = source_add(
                claim=form.instance,
                by=request.user,
                via=Via.ADMIN,
                **{name: source_form.cleaned_data.get(name) for name in AddSourceInline.fields},
            )
            formset.new_objects.append(source)

    def get_inline_instances(self, request, obj=None):
        # Sources and history belong to a claim that exists.
        return super().get_inline_instances(request, obj) if obj else []

    # --- bulk actions ---------------------------------------------------------

    def _report(self, request, result: BulkResult, done: str) -> None:
        level = messages.SUCCESS if not result.refused else messages.WARNING
        self.message_user(request, result.describe(done), level)

    def _intermediate(self, request, queryset, *, form, title: str, button: str):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "form": form,
            "action": request.POST.get("action", ""),
            "button": button,
            "count": queryset.count(),
            "preview": queryset.select_related("article")[:20],
            "select_across": request.POST.get("select_across") == "1",
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/claims/claim/bulk_action.html", context)

    def _transition(self, request, queryset, to: ClaimStatus):
        origins = set(queryset.order_by().values_list("status", flat=True).distinct())
        needs_note = any(note_required(origin, to) for origin in origins)
        applying = "apply" in request.POST
        verb = VERB[to]
        page = {"title": f"{verb}: selected claims", "button": f"{verb} these claims"}
        if needs_note and not applying:
            form = BulkTransitionForm(to=to, note_required=True)
            return self._intermediate(request, queryset, form=form, **page)
        form = BulkTransitionForm(request.POST if applying else {}, to=to, note_required=needs_note)
        if not form.is_valid():
            return self._intermediate(request, queryset, form=form, **page)
        try:
            result = claims_bulk_transition(
                claims=queryset.values_list("pk", flat=True),
                to=to,
                by=request.user,
                note=form.cleaned_data["note"],
                rationale=form.cleaned_data["rationale"] or None,
                via=Via.ADMIN,
            )
        except (NewsdeskError, PermissionDenied) as exc:
            self.message_user(request, error_text(exc), messages.ERROR)
            return None
        self._report(request, result, DONE[to])
        return None

    @admin.action(description="Mark selected claims sourced", permissions=["change_status"])
    def mark_sourced(self, request, queryset):
        return self._transition(request, queryset, ClaimStatus.SOURCED)

    @admin.action(description="Dispute selected claims…", permissions=["change_status"])
    def mark_disputed(self, request, queryset):
        return self._transition(request, queryset, ClaimStatus.DISPUTED)

    @admin.action(description="Confirm selected claims", permissions=["change_status"])
    def mark_confirmed(self, request, queryset):
        return self._transition(request, queryset, ClaimStatus.CONFIRMED)

    @admin.action(
        description="Reopen selected claims (back to unverified)…", permissions=["change_status"]
    )
    def reopen(self, request, queryset):
        return self._transition(request, queryset, ClaimStatus.UNVERIFIED)

    @admin.action(description="Assign selected claims to…", permissions=["assign"])
    def assign_selected(self, request, queryset):
        form = BulkAssignForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            assignee = form.cleaned_data["assignee"]
            return self._assign(request, queryset, assignee)
        return self._intermediate(
            request,
            queryset,
            form=form,
            title="Assign selected claims",
            button="Assign",
        )

    @admin.action(description="Export selected claims: CSV", permissions=["export"])
    def export_csv(self, request, queryset):
        return export_response(queryset, "csv", request=request)

    @admin.action(description="Export selected claims: CSV for Excel", permissions=["export"])
    def export_csv_excel(self, request, queryset):
        return export_response(queryset, "csv-excel", request=request)

    @admin.action(description="Export selected claims: JSON", permissions=["export"])
    def export_json(self, request, queryset):
        return export_response(queryset, "json", request=request, history=True)

    @admin.action(description="Export selected claims: ClaimReview JSON-LD", permissions=["export"])
    def export_claimreview(self, request, queryset):
        return export_response(queryset, "claimreview", request=request)

    @admin.action(description="Find matches for the selected claims", permissions=["view"])
    def find_matches(self, request, queryset):
        """Match the selected claims afresh and store what the matcher finds (ClaimMatch, in
        both directions): the queue's "Has a reviewed match" reads these rows. Nothing a
        reviewer decided (status, links, sources) changes."""
        # One more than the ceiling is enough to know it is passed.
        ids = list(queryset.order_by("pk").values_list("pk", flat=True)[: MATCH_QUEUED_MAX + 1])
        if len(ids) > MATCH_QUEUED_MAX:
            self.message_user(
                request,
                f"Matching is done for at most {MATCH_QUEUED_MAX:,} claims at a time; "
                "select fewer (filter the list first).",
                messages.ERROR,
            )
            return None
        if len(ids) > MATCH_NOW_MAX:
            # Too many to match before the web server gives up on the request.
            for start in range(0, len(ids), MATCH_NOW_MAX):
                claims_match.enqueue(claim_ids=ids[start : start + MATCH_NOW_MAX])
            self.message_user(
                request,
                f"{len(ids):,} claims are being matched in the background; their matches "
                "appear in the list of claim matches as the worker gets through them.",
                messages.INFO,
            )
            return None
        claims_match_refresh(claim_ids=ids)
        # Counted from the rows as stored: the task reports rows written in both directions.
        found = ClaimMatch.objects.filter(claim_id__in=ids).count()
        listed = (
            reverse("admin:related_claimmatch_changelist")
            + "?claim__id__in="
            + ",".join(str(pk) for pk in ids)
        )
        if not found:
            self.message_user(
                request,
                f"No claim of another article matches the {len(ids)} selected "
                f"claim{pluralize(len(ids))}.",
                messages.INFO,
            )
            return None
        self.message_user(
            request,
            format_html(
                'Found {} match{} for {} claim{}. <a href="{}">See them in the claim matches</a>.',
                found,
                pluralize(found, "es"),
                len(ids),
                pluralize(len(ids)),
                listed,
            ),
            messages.SUCCESS,
        )
        return None

    @admin.action(description="Assign selected claims to me", permissions=["change_status"])
    def assign_to_me(self, request, queryset):
        # Claims someone else holds stay theirs; "Assign selected claims to…" hands them over.
        return self._assign(request, queryset, request.user, if_unassigned=True)

    def _assign(self, request, queryset, assignee, *, if_unassigned: bool = False):
        try:
            result = claims_bulk_assign(
                claims=queryset.values_list("pk", flat=True),
                assignee=assignee,
                by=request.user,
                if_unassigned=if_unassigned,
                via=Via.ADMIN,
            )
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(request, error_text(exc), messages.ERROR)
            return None
        who = assignee.get_username() if assignee else "nobody"
        self._report(request, result, f"assigned to {who}")
        return None
