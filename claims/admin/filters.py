"""List filters of the claims admin, and ?claim=<id> on the lists that hang off a claim."""

from __future__ import annotations

from django.contrib import admin

from claims.filters import assignee_choices, filter_by_assignee
from newsdesk.auth import reviewers
from newsdesk.fields import parse_id


class AssigneeFilter(admin.SimpleListFilter):
    """The queue's filter by assignee, with the same choices and the same meaning."""

    title = "assignee"
    parameter_name = "assignee"

    def lookups(self, request, model_admin):
        return assignee_choices(reviewers())

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return filter_by_assignee(queryset, self.value(), user=request.user)


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
