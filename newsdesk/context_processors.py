from __future__ import annotations

from django.http import HttpRequest

SECTIONS = {"claims": "queue", "articles": "articles"}


def navigation(request: HttpRequest) -> dict[str, str]:
    """Which main-menu entry the page belongs to, for aria-current."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return {}
    if match.url_name == "dashboard":
        return {"nav": "dashboard"}
    return {"nav": SECTIONS.get(match.namespace, "")}
