"""What every Newsdesk ModelAdmin shares (the apps' admin modules import it from here,
not from another app's admin)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection, models
from django.http import HttpResponseRedirect
from django.utils.functional import cached_property

from newsdesk.errors import NewsdeskError, error_text
from newsdesk.fields import StoredTextField, parse_id

ESTIMATE_ABOVE = 10_000

# What a service refuses a save with: its message says why, for the person who acted.
SERVICE_REFUSALS: tuple[type[Exception], ...] = (NewsdeskError, ValidationError, PermissionDenied)


def table_estimate(model) -> int | None:
    """The number of rows in a model's table, in one query: PostgreSQL's own estimate (kept
    fresh by autovacuum and ANALYZE) for a large table, an exact COUNT(*) for a small one.
    None where there is no estimate to read (SQLite)."""
    if connection.vendor != "postgresql":
        return None
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        # CASE evaluates the COUNT only when the estimate says the table is small.
        cursor.execute(
            f"SELECT CASE WHEN reltuples > %s THEN reltuples::bigint "
            f"ELSE (SELECT COUNT(*) FROM {table}) END "
            "FROM pg_class WHERE oid = %s::regclass",
            [ESTIMATE_ABOVE, model._meta.db_table],
        )
        row = cursor.fetchone()
    return row[0] if row else None


class EstimatedCountPaginator(Paginator):
    """Counts an unfiltered list from the planner's estimate on PostgreSQL, where an exact
    COUNT(*) would read every row of a large table on every page; filtered lists, and
    small tables, are counted exactly."""

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not hasattr(queryset, "query") or queryset.query.where:
            return super().count
        estimate = table_estimate(queryset.model)
        return super().count if estimate is None else estimate


# The deepest row a changelist pages to. OFFSET reads and throws away every row before
# the page: 10,000 rows deep answers in about 0.1 s, 500,000 deep took 2 s. Past this,
# a filter or a search narrows the list better than paging could.
PAGE_CAP_ROWS = 10_000


def last_page(per_page: int) -> int:
    """The deepest page a changelist of `per_page` rows a page offers."""
    return max(1, PAGE_CAP_ROWS // per_page)


class CappedPaginator(EstimatedCountPaginator):
    """Offers no page past `PAGE_CAP_ROWS` rows, so no OFFSET goes deeper; the count (and
    the "1,000,000 claims" the list shows) stays the whole list's."""

    @property
    def num_pages(self) -> int:
        return min(super().num_pages, last_page(self.per_page))


class CappedChangeList(ChangeList):
    """A changelist asked for a page past the cap (`?p=10001`: a bookmark, an edited URL)
    shows the last page it offers, and says how to reach the rest, rather than an error."""

    def get_results(self, request) -> None:
        asked = self.page_num
        self.page_num = min(self.page_num, last_page(self.list_per_page))
        super().get_results(request)
        # Said on the page shown, not again on the POST of an action run from it.
        last = self.page_num == self.paginator.num_pages
        if request.method == "GET" and last and self.result_count > PAGE_CAP_ROWS:
            name = self.opts.verbose_name_plural
            past = (
                f"Page {asked:,} is past the end: this is page {self.page_num:,}, the last. "
                if asked > self.page_num
                else ""
            )
            messages.info(
                request,
                f"{past}This list pages through its first {PAGE_CAP_ROWS:,} {name} only: "
                f"filter or search to narrow it to the {name} you are looking for.",
            )


class ReadOnlyAdminMixin:
    """A record written by the app alone (history, background runs): staff read it, and
    nobody adds, changes or deletes it in the admin."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class NewsdeskAdminMixin:
    """Large lists are paginated by estimate, down to `PAGE_CAP_ROWS` rows deep, and an
    action posted with ids that cannot be ids is refused, where Django's own `pk__in`
    filter would fail with a server error. A change form saved untouched changes nothing,
    its log included. In an admin that saves through the services, a save they refuse
    saves nothing and says why."""

    paginator = CappedPaginator
    # Set by the admins that save through the services (this module serves every app, so
    # it names no app's errors). `refuse_on`, usually SERVICE_REFUSALS: the change form
    # says "Nothing was saved" and why. Left empty, Django's own handling stands (a page
    # the user may not open is a 403). `retry_on`, the app's "someone saved first" error
    # (StaleClaim, StaleArticle): the change form is shown again instead.
    refuse_on: tuple[type[Exception], ...] = ()
    retry_on: tuple[type[Exception], ...] = ()
    # Text is compared as stored, so an untouched form is not "changed" by the browser's
    # \r\n line ends or by blanks the field trims.
    formfield_overrides = {
        models.CharField: {"form_class": StoredTextField},
        models.TextField: {"form_class": StoredTextField},
    }

    def get_changelist(self, request, **kwargs):
        return CappedChangeList

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Django runs the whole save in one transaction; a rule that refuses at the last
        # moment (a race the form could not see) rolls it all back and lands here.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except self.retry_on:
            # Someone saved between this form's check and its save: shown again, the form
            # now meets the newer version and says who saved it, keeping what was typed.
            return super().changeform_view(request, object_id, form_url, extra_context)
        except self.refuse_on as exc:
            if request.method != "POST":
                # A page the person may not open is a 403, not a redirect to itself (which
                # would loop): only a refused save goes back to the form with a message.
                raise
            self.message_user(request, f"Nothing was saved: {error_text(exc)}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    @staticmethod
    def adopt(obj: models.Model, saved: models.Model) -> None:
        """Make the admin's `obj` the row a service saved. save_model returns nothing: the
        admin goes on with the very `obj` it passed in (redirect, log entry, inlines), so
        the service's instance (its pk, version and normalised fields) is copied into it."""
        obj.__dict__.update(saved.__dict__)

    def save_model(self, request, obj, form, change):
        # An untouched form writes nothing: not even an updated_at or a version goes up.
        if change and not form.has_changed():
            return
        super().save_model(request, obj, form, change)

    def log_change(self, request, obj, message):
        # Nor does it add "No fields changed." to the admin's log.
        if not message:
            return None
        return super().log_change(request, obj, message)

    def response_action(self, request, queryset):
        selected = request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME)
        if any(parse_id(value) is None for value in selected):
            self.message_user(
                request,
                "Those selections are not items on this list; nothing was done.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)
