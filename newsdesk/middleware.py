from __future__ import annotations

from django.http import HttpRequest
from django.template.response import TemplateResponse


class RejectNulInQueryMiddleware:
    """A NUL byte in a query string is never a real search or filter, and PostgreSQL
    cannot even compare text with one; answer 400 before any view builds a query.

    Posted forms need no such guard: Django's form CharField refuses NUL with a field error.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if any("\x00" in key or any("\x00" in v for v in values)
               for key, values in request.GET.lists()):  # fmt: skip
            response = TemplateResponse(
                request, "400.html", {"reason": "a NUL character"}, status=400
            )
            return response.render()
        return self.get_response(request)
