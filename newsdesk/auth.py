"""Who may do what: Django's ModelBackend reading a user's permissions in one query, the
check every service makes before it writes, and the one every page makes first."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest


class NewsdeskBackend(ModelBackend):
    """Every page checks roles; the stock backend spends two queries on them (the user's
    own permissions, then their groups'). One query with an OR does the same work."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(Q(user=user_obj) | Q(group__user=user_obj))
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in permissions.values_list(
                    "content_type__app_label", "codename"
                ).distinct()
            }
        return user_obj._perm_cache


def require_perm(user: AbstractBaseUser, perm: str, message: str) -> None:
    """Refuse, with a message that names the role needed, unless `user` holds `perm`."""
    if not user.has_perm(perm):
        raise PermissionDenied(message)


NO_ROLE = (
    "You need the Reviewer or Editor role to use Newsdesk. "
    "Ask a Newsdesk administrator to add you to one of those groups."
)


def member_required(view):
    """Signed in and holding a newsroom role; anyone else gets a 403 that says why."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.has_perm("claims.view_claim"):
            raise PermissionDenied(NO_ROLE)
        return view(request, *args, **kwargs)

    return wrapper
