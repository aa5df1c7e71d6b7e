"""What every Newsdesk ModelAdmin shares."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponseRedirect

from newsdesk.fields import parse_id


class SafeActionsMixin:
    """Refuses an action posted with ids that cannot be ids, where Django's own
    `pk__in` filter would fail with a server error."""

    def response_action(self, request, queryset):
        selected = request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME)
        if any(parse_id(value) is None for value in selected):
            self.message_user(
                request, "Those selections are not items on this list; nothing was done.",
                messages.ERROR,
            )  # fmt: skip
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)
