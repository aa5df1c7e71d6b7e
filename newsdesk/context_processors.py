from __future__ import annotations

from django.http import HttpRequest

from newsdesk.auth import VIEW_CLAIM

SECTIONS = {"claims": "queue", "articles": "articles"}


def navigation(request: HttpRequest) -> dict[str, str]:
    """Which main-menu entry the page belongs to, for aria-current."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return {}
    if match.url_name == "dashboard":
        return {"nav": "dashboard"}
    return {"nav": SECTIONS.get(match.namespace, "")}


def membership(request: HttpRequest) -> dict[str, object]:
    """Whether the person holds a newsroom role: the error pages offer the dashboard only to
    those who may open it (to anyone else it is the same refusal again). Asked lazily, so a
    page that never shows it costs nothing."""
    user = getattr(request, "user", None)
    return {"is_member": lambda: user is not None and user.has_perm(VIEW_CLAIM)}
