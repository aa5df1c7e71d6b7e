"""The admin of Django's own users and groups, with what every Newsdesk admin shares."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User

from newsdesk.admin_options import NewsdeskAdminMixin

admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class NewsdeskUserAdmin(NewsdeskAdminMixin, UserAdmin):
    # Records, not settings: shown, never sent back. Their date and time boxes hold no
    # microseconds, so sending them back rewrote both on every save of a person.
    readonly_fields = ["last_login", "date_joined"]


@admin.register(Group)
class NewsdeskGroupAdmin(NewsdeskAdminMixin, GroupAdmin):
    """Django's, saving and logging only what changed."""
