"""Who may do what: the permission vocabulary, the two newsroom roles and what each
grants, the refusal every check words the same way, and who may be given claims to review.

Every permission the app checks is named here once; views, services, admin, forms and
the workflow use these names, never the strings. The roles' groups and permissions are
created by migrations (claims/migrations/0002_roles.py, then 0003 for exports and 0010 for
links), which keep their own copies of what they grant.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest

# --- the vocabulary ----------------------------------------------------------------------

ADD_ARTICLE = "articles.add_article"
CHANGE_ARTICLE = "articles.change_article"
VIEW_ARTICLE = "articles.view_article"
ADD_CLAIM = "claims.add_claim"
CHANGE_CLAIM = "claims.change_claim"
VIEW_CLAIM = "claims.view_claim"
# Deciding on a claim: moving its status and writing its rationale. Whoever holds it may
# be given claims to review (`may_review`).
REVIEW = "claims.change_claim_status"
# Handing claims to other people; a reviewer takes one for themselves with REVIEW alone.
ASSIGN = "claims.assign_claim"
ADD_SOURCE = "claims.add_source"
DELETE_SOURCE = "claims.delete_source"
VIEW_SOURCE = "claims.view_source"
VIEW_HISTORY = "claims.view_claimevent"
EXPORT = "claims.export_claims"
# Marking a claim the same as (or related to) a claim of another article, and removing
# such a link; seeing links needs VIEW_CLAIM only.
LINK_CLAIM = "claims.link_claim"

# --- the roles ---------------------------------------------------------------------------

EDITORS = "Editors"
REVIEWERS = "Reviewers"

# What one member of each group is called, in the order a message names them.
ROLE_TITLES: dict[str, str] = {REVIEWERS: "Reviewer", EDITORS: "Editor"}

ROLE_PERMISSIONS: dict[str, list[str]] = {
    EDITORS: [
        ADD_ARTICLE,
        CHANGE_ARTICLE,
        VIEW_ARTICLE,
        ADD_CLAIM,
        CHANGE_CLAIM,
        VIEW_CLAIM,
        ASSIGN,
        VIEW_SOURCE,
        VIEW_HISTORY,
        EXPORT,
        LINK_CLAIM,
    ],
    REVIEWERS: [
        VIEW_ARTICLE,
        VIEW_CLAIM,
        REVIEW,
        ADD_SOURCE,
        DELETE_SOURCE,
        VIEW_SOURCE,
        VIEW_HISTORY,
        EXPORT,
        LINK_CLAIM,
    ],
}


def _titles_holding(perm: str) -> str:
    """'Editor', or 'Reviewer or Editor' when both roles hold `perm`."""
    titles = [title for role, title in ROLE_TITLES.items() if perm in ROLE_PERMISSIONS[role]]
    if not titles:
        # A refusal that could name no role would send the person nowhere.
        raise ValueError(f"No newsroom role holds {perm!r}.")
    return " or ".join(titles)


def role_needed(perm: str) -> str:
    """The role that grants `perm`, as a message names it: 'the Editor role'."""
    return f"the {_titles_holding(perm)} role"


def refusal_text(perm: str, *, to: str) -> str:
    """'You need the Editor role to import articles.': the one wording of a refusal for
    want of `perm`, whoever checks it (a page, a service, the workflow)."""
    return f"You need {role_needed(perm)} to {to}."


# --- the checks --------------------------------------------------------------------------


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


def require_perm(user: AbstractBaseUser, perm: str, *, to: str) -> None:
    """Refuse (PermissionDenied, a 403 on a page) unless `user` holds `perm`, saying which
    role would let them `to` ..., e.g. to="decide on claims"."""
    if not user.has_perm(perm):
        raise PermissionDenied(refusal_text(perm, to=to))


NO_ROLE = (
    refusal_text(VIEW_CLAIM, to="use Newsdesk")
    + " Ask a Newsdesk administrator to add you to one of those groups."
)


def member_required(view):
    """Signed in and holding a newsroom role; anyone else gets a 403 that says why."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.has_perm(VIEW_CLAIM):
            raise PermissionDenied(NO_ROLE)
        return view(request, *args, **kwargs)

    return wrapper


# --- who may be given claims -------------------------------------------------------------
# One rule, asked two ways: of one person (the services, before they assign) and of
# everyone (the lists a person is picked from), so nobody is offered who would be
# refused, and nobody who would be accepted is missing.


def may_review(user: AbstractBaseUser) -> bool:
    """Whether `user` may be given claims to review: active, and holding REVIEW through a
    role, directly, or as a superuser."""
    return user.is_active and user.has_perm(REVIEW)


def reviewers() -> QuerySet[AbstractBaseUser]:
    """Everyone `may_review` accepts, by username. One query: each user is tested with an
    EXISTS over their permissions rather than joined to them, so nobody is listed twice
    (a member of both roles who also holds REVIEW directly is one row) and no DISTINCT
    is needed."""
    return (
        NewsdeskBackend()
        .with_perm(REVIEW, is_active=True, include_superusers=True)
        .order_by("username")
    )


def not_assignable(name: str) -> str:
    """Why `name` may not be given a claim, worded once for every place that refuses it."""
    return f"{name} cannot review claims; assign a {_titles_holding(REVIEW)}."
