"""Project-wide views: the health check and the error pages."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.defaults import bad_request as django_bad_request


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and uptime checks: 200 when the database answers, 503 when not.
    Many probe with HEAD, which gets the same answer without the body."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy", never a 500
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page: no traceback, no SQL, only the id to quote to the administrators."""
    template = loader.get_template("500.html")
    body = template.render({"request_id": getattr(request, "id", "")})
    return HttpResponse(body, status=500)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 page; a form too large to read says so, and what to do instead."""
    if isinstance(exception, RequestDataTooBig):
        template = loader.get_template("400_too_big.html")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        return HttpResponse(template.render({"limit_mb": limit}, request), status=400)
    return django_bad_request(request, exception)
