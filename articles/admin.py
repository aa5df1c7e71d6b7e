from __future__ import annotations

from django.contrib import admin, messages
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html

from articles.forms import ArticleAdminForm, ArticleTextField
from articles.models import Article
from articles.services import StaleArticle, article_import, article_update
from claims.models import Claim, Via
from claims.selectors import count_of
from newsdesk.admin_options import SERVICE_REFUSALS, NewsdeskAdminMixin

# The article's change page lists this many of its claims; a 2 MB article can hold 25,000,
# and the claims list, filtered by the article, pages through them all.
CLAIMS_INLINE = 100


class FirstClaims(BaseInlineFormSet):
    def get_queryset(self):
        # Sliced after the formset has filtered by the article (a sliced queryset cannot
        # be filtered), and kept: the formset asks for it several times.
        if not hasattr(self, "_first_claims"):
            self._first_claims = super().get_queryset()[:CLAIMS_INLINE]
        return self._first_claims


class ClaimInline(admin.TabularInline):
    """An article's first claims at a glance; each is edited on its own page, and the
    claims list shows all of them."""

    model = Claim
    formset = FirstClaims
    fields = ["text", "attributed_to", "status", "orphaned", "assignee", "start", "end"]
    readonly_fields = fields
    ordering = ["start", "id"]
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("assignee")

    def get_formset(self, request, obj=None, **kwargs):
        # A new inline is made for each request, so its heading can name this article's
        # count (ArticleAdmin.get_queryset counted them).
        total = getattr(obj, "n_claims", 0)
        if total > CLAIMS_INLINE:
            url = reverse("admin:claims_claim_changelist") + f"?article__id__exact={obj.pk}"
            self.verbose_name_plural = format_html(
                'claims: the first {} of {}, in the order they stand (<a href="{}">all {} in '
                "the claims list</a>)",
                CLAIMS_INLINE,
                f"{total:,}",
                url,
                f"{total:,}",
            )
        return super().get_formset(request, obj, **kwargs)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(NewsdeskAdminMixin, admin.ModelAdmin):
    formfield_overrides = {
        **NewsdeskAdminMixin.formfield_overrides,
        models.TextField: {"form_class": ArticleTextField},
    }
    list_display = ["title", "outlet", "published_on", "language", "claims", "created_at"]
    list_filter = ["language", "published_on"]
    search_fields = ["title", "outlet", "byline", "url"]
    list_select_related = ["created_by"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    ordering = ["-created_at", "-id"]
    refuse_on = SERVICE_REFUSALS
    retry_on = (StaleArticle,)
    inlines = [ClaimInline]
    form = ArticleAdminForm
    readonly_fields = ["created_by", "created_at", "updated_by", "updated_at", "version"]

    def get_fieldsets(self, request, obj=None):
        details = ["title", "outlet", "url", "byline", "published_on", "language"]
        if obj is None:
            return [
                (None, {"fields": details}),
                ("Text", {"fields": ["body"]}),
                (None, {"fields": ["import_anyway"]}),
            ]
        return [
            # The version the page was opened on, and what it showed, travel with the
            # form, hidden.
            (None, {"fields": [*details, "expected_version", "loaded"]}),
            ("Text", {"fields": ["body"]}),
            ("Record", {"fields": self.readonly_fields}),
        ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_claims=count_of(Claim, parent="article"))

    @admin.display(description="claims", ordering="n_claims")
    def claims(self, obj: Article) -> int:
        return obj.n_claims

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        details = {name: data[name] for name in ArticleAdminForm.Meta.fields}
        if not change:
            # As an import: normalised details, the duplicate check, the permission check.
            created = article_import(
                by=request.user,
                allow_duplicate=data.get("import_anyway", False),
                **details,
            ).article
            self.adopt(obj, created)
            return
        # Details and text go through the service, which checks the version under lock
        # and follows every claim into the new text.
        report = article_update(
            article=obj,
            by=request.user,
            expected_version=data["expected_version"],
            loaded=data.get("loaded"),
            via=Via.ADMIN,
            **details,
        )
        if report.text_changed:
            level = messages.WARNING if report.changed or report.orphaned else messages.INFO
            self.message_user(request, report.describe(), level)
