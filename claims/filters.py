from __future__ import annotations

from collections.abc import Iterable

import django_filters
from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from claims.models import Claim, ClaimStatus
from claims.selectors import has_reviewed_match
from newsdesk.auth import reviewers
from newsdesk.fields import MAX_ID, parse_id
from newsdesk.text import normalize_text
from newsdesk.widgets import DatePicker

ORDER_CHOICES = [
    ("recent", "Latest status change first"),
    ("oldest", "Oldest status change first"),
]


def assignee_choices(people: Iterable[AbstractBaseUser]) -> list[tuple[str, str]]:
    """The choices of a filter by assignee, the queue's and the admin's alike: the person
    asking, nobody, then each of `people` (the reviewers, `newsdesk.auth.reviewers`)."""
    return [("me", "Me"), ("none", "Unassigned")] + [
        (str(person.pk), person.get_full_name() or person.get_username()) for person in people
    ]


def filter_by_assignee(
    queryset: QuerySet[Claim], value: str, *, user: AbstractBaseUser
) -> QuerySet[Claim]:
    """The claims a choice of `assignee_choices` selects, `user` being the person asking.
    A value that is none of them leaves the claims as they are."""
    if value == "me":
        return queryset.filter(assignee=user)
    if value == "none":
        return queryset.filter(assignee__isnull=True)
    pk = parse_id(value)
    return queryset if pk is None else queryset.filter(assignee_id=pk)


class IdFilter(django_filters.NumberFilter):
    """A row's number: a whole number, so "1.5" is refused rather than read as #1."""

    field_class = forms.IntegerField


class NormalTextFilter(django_filters.CharFilter):
    """Text matched as it is stored (`normalize_text`): "Cafe" + a combining accent, as
    some keyboards and pastes send it, finds "Café"."""

    def filter(self, qs, value):
        return super().filter(qs, normalize_text(value) if value else value)


class DateRange(django_filters.widgets.DateRangeWidget):
    """Two date pickers, each with a name a screen reader can say."""

    def __init__(self) -> None:
        super().__init__()
        self.widgets = [
            DatePicker(attrs={"aria-label": "Changed on or after"}),
            DatePicker(attrs={"aria-label": "Changed on or before"}),
        ]


class ClaimFilter(django_filters.FilterSet):
    """The reviewer queue's filters; every value lives in the URL, so a queue can be shared."""

    status = django_filters.MultipleChoiceFilter(
        # One status per row: no join can repeat a claim, so no DISTINCT is needed.
        choices=ClaimStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    assignee = django_filters.ChoiceFilter(method="filter_assignee", empty_label="Anyone")
    article = IdFilter(
        field_name="article_id", label="Article number", min_value=1, max_value=MAX_ID
    )
    # Typed rather than picked from a list: listing every outlet would cost a query (a
    # DISTINCT over all articles) on every page of the queue.
    outlet = NormalTextFilter(
        field_name="article__outlet", lookup_expr="iexact", label="Outlet", max_length=200
    )
    attributed_to = NormalTextFilter(lookup_expr="icontains", label="Attributed to")
    q = NormalTextFilter(field_name="text", lookup_expr="icontains", label="Text contains")
    reviewed_match = django_filters.ChoiceFilter(
        choices=[("yes", "Yes")],
        empty_label="Any",
        method="filter_reviewed_match",
        label="Has a reviewed match",
        help_text="A sourced, disputed or confirmed claim of another article that the "
        "matcher calls the same claim, or that a reviewer linked.",
    )
    changed = django_filters.DateFromToRangeFilter(
        field_name="status_changed_at",
        label="Status changed between",
        widget=DateRange(),
    )
    order = django_filters.ChoiceFilter(
        choices=ORDER_CHOICES, method="keep", empty_label=None, label="Sort"
    )

    class Meta:
        model = Claim
        fields: list[str] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Read once per request: the form validates and renders these choices.
        self.reviewers = list(reviewers())
        self.filters["assignee"].extra["choices"] = assignee_choices(self.reviewers)

    def filter_assignee(self, queryset: QuerySet[Claim], name: str, value: str):
        return filter_by_assignee(queryset, value, user=self.request.user)

    def filter_reviewed_match(self, queryset: QuerySet[Claim], name: str, value: str):
        return queryset.filter(has_reviewed_match()) if value == "yes" else queryset

    def keep(self, queryset, name, value):
        # Ordering is applied by keyset pagination, which needs to know it.
        return queryset

    @property
    def sort(self) -> str:
        """The chosen order, even when another filter in the URL is unusable."""
        if not self.is_bound:
            return "recent"
        self.form.is_valid()
        return self.form.cleaned_data.get("order") or "recent"

    @property
    def ignored(self) -> list[str]:
        """The filters in the URL that could not be used, each with the reason."""
        if not self.is_bound or self.form.is_valid():
            return []
        return [
            f"{self.form.fields[name].label}: {' '.join(errors)}"
            for name, errors in self.form.errors.items()
            if name in self.form.fields
        ]
