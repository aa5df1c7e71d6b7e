"""List filters of the claims admin, and ?claim=<id> on the lists that hang off a claim."""

from __future__ import annotations

from django.contrib import admin

from claims.forms import reviewers
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


class ByClaimMixin:
    """Allows ?claim=<id> in the list, for links from a claim; a value that cannot be a
    claim id is refused (400) rather than reaching the database."""

    def lookup_allowed(self, lookup, value, request=None):
        if lookup in {"claim", "claim__id__exact", "claim__exact"}:
            return parse_id(value) is not None
        return super().lookup_allowed(lookup, value, request)
