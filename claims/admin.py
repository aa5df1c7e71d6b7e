"""The admin: staff's bulk-edit tool. Every write goes through `claims.services`."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from claims.forms import BulkAssignForm, BulkTransitionForm, ClaimAdminForm, reviewers
from claims.models import Claim, ClaimEvent, ClaimStatus, Source, Via
from claims.selectors import source_count
from claims.services import (
    BulkResult,
    StaleClaim,
    claim_create,
    claim_edit,
    claims_bulk_assign,
    claims_bulk_transition,
    source_add,
    source_remove,
    sources_bulk_remove,
)
from claims.views import export_response
from claims.workflow import DONE, STATUS_PERMISSION, VERB, TransitionRefused, note_required
from newsdesk.admin_options import NewsdeskAdminMixin
from newsdesk.errors import NewsdeskError, error_text
from newsdesk.fields import parse_id


class AssigneeFilter(admin.SimpleListFilter):
    title = "assignee"
    parameter_name = "assignee"

    def lookups(self, request, model_admin):
        yield "me", "Me"
        yield "none", "Unassigned"
        for user in reviewers():
            yield str(user.pk), user.get_username()

    def queryset(self, request, queryset):
        value = self.value()
        if value == "me":
            return queryset.filter(assignee=request.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value and parse_id(value):
            return queryset.filter(assignee_id=parse_id(value))
        return queryset


class OutletFilter(admin.SimpleListFilter):
    """A text box rather than a list of links: listing every outlet would cost a query on
    each page of the changelist."""

    title = "outlet"
    parameter_name = "outlet"
    template = "admin/claims/text_filter.html"

    def lookups(self, request, model_admin):
        return ()

    def has_output(self) -> bool:
        return True

    def choices(self, changelist):
        others = [
            (name, value)
            for name, values in changelist.params.items()
            if name not in (self.parameter_name, "p")
            for value in (values if isinstance(values, list) else [values])
        ]
        yield {"name": self.parameter_name, "value": self.value() or "", "others": others}

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(article__outlet__iexact=self.value().strip())
        return queryset


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


class AddSourceInline(admin.StackedInline):
    model = Source
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
        return _batch_link(obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _batch_link(event: ClaimEvent) -> str:
    if event.batch is None:
        return "—"
    url = reverse("admin:claims_claimevent_changelist") + f"?batch={event.batch}"
    return format_html('<a href="{}">{}…</a>', url, str(event.batch)[:8])


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
        return request.user.has_perm(STATUS_PERMISSION)

    def has_assign_permission(self, request) -> bool:
        return request.user.has_perm("claims.assign_claim")

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm("claims.export_claims")

    # --- saving through the services ------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Django runs the whole save in one transaction; a rule that refuses at the last
        # moment (a race the form could not see) rolls it all back and lands here.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleClaim:
            # Someone saved between this form's check and its save: shown again, the form
            # now meets the newer version and says who changed it, keeping what was typed.
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (NewsdeskError, ValidationError, PermissionDenied) as exc:
            self.message_user(request, f"Nothing was saved: {error_text(exc)}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

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
            # The admin goes on with `obj` (redirect, log entry, inlines): make it the claim.
            obj.__dict__.update(claim.__dict__)
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
        obj.__dict__.update(claim.__dict__)

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


class SourceAdminForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ["claim", *AddSourceInline.fields]


class ByClaimMixin:
    """Allows ?claim=<id> in the list, for links from a claim; a value that cannot be a
    claim id is refused (400) rather than reaching the database."""

    def lookup_allowed(self, lookup, value, request=None):
        if lookup in {"claim", "claim__id__exact", "claim__exact"}:
            return parse_id(value) is not None
        return super().lookup_allowed(lookup, value, request)


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

    @admin.display(description="publisher")
    def publisher_name(self, obj: Source) -> str:
        return obj.publisher_name

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, PermissionDenied) as exc:
            self.message_user(request, f"Nothing was saved: {error_text(exc)}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        source = source_add(
            by=request.user,
            via=Via.ADMIN,
            **{name: data.get(name) for name in SourceAdminForm.Meta.fields},
        )
        obj.__dict__.update(source.__dict__)

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


@admin.register(ClaimEvent)
class ClaimEventAdmin(NewsdeskAdminMixin, ByClaimMixin, admin.ModelAdmin):
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
        return _batch_link(obj)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
