from __future__ import annotations

from django.contrib import admin, messages

from articles.models import Article
from claims.models import Claim, Via
from claims.selectors import count_of
from claims.services import article_body_update
from newsdesk.admin import NewsdeskAdminMixin


class ClaimInline(admin.TabularInline):
    """An article's claims at a glance; each is edited on its own page."""

    model = Claim
    fields = ["text", "attributed_to", "status", "orphaned", "assignee", "start", "end"]
    readonly_fields = fields
    ordering = ["start", "id"]
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("assignee")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(NewsdeskAdminMixin, admin.ModelAdmin):
    list_display = ["title", "outlet", "published_on", "language", "claims", "created_at"]
    list_filter = ["language", "published_on"]
    search_fields = ["title", "outlet", "byline", "url"]
    list_select_related = ["created_by"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    ordering = ["-created_at", "-id"]
    inlines = [ClaimInline]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "outlet", "url", "byline", "published_on", "language"]}),
        ("Text", {"fields": ["body"]}),
        ("Record", {"fields": ["created_by", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_claims=count_of(Claim, parent="article"))

    @admin.display(description="claims", ordering="n_claims")
    def claims(self, obj: Article) -> int:
        return obj.n_claims

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            super().save_model(request, obj, form, change)
            return
        new_body = obj.body
        if "body" in form.changed_data:
            # The text goes through the service, which follows every claim into it.
            obj.body = Article.objects.values_list("body", flat=True).get(pk=obj.pk)
        super().save_model(request, obj, form, change)
        if "body" in form.changed_data:
            report = article_body_update(article=obj, body=new_body, by=request.user, via=Via.ADMIN)
            obj.refresh_from_db()
            level = messages.WARNING if report.changed or report.orphaned else messages.INFO
            self.message_user(request, report.describe(), level)
