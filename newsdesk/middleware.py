from __future__ import annotations

import logging
import time
import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control

from newsdesk.db import restore_statement_limit
from newsdesk.request_id import request_id


class RequestIdMiddleware:
    """Gives each request an id: in the logs, in the X-Request-ID header, on error pages."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        request.id = uuid.uuid4().hex[:16]
        token = request_id.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = request.id
        return response


class RejectNulInQueryMiddleware:
    """A NUL byte in a query string is never a real search or filter, and PostgreSQL
    cannot even compare text with one; answer 400 before any view builds a query.

    Posted forms need no such guard: Django's form CharField refuses NUL with a field error.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        ):
            response = TemplateResponse(
                request, "400.html", {"reason": "a NUL character"}, status=400
            )
            return response.render()
        return self.get_response(request)


class PrivatePagesMiddleware:
    """What a signed-in person sees is theirs and unpublished: `Cache-Control: private,
    no-store`, unless the response chose its own (downloads send `no-store`, the admin
    never_cache's set).

    no-store rather than no-cache: no-cache still lets the browser keep the page on disk
    and show it from history after logout, to the next person at a shared newsroom desk;
    and since no page carries a validator (ETag, Last-Modified), revalidating would cost a
    full response anyway, so no-cache would save nothing.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        if not response.has_header("Cache-Control") and request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


STARTED, SEEN = "_newsdesk_session_started", "_newsdesk_session_seen"
# How stale "last seen" may get before it is written again: a write per minute, not per request.
RENEW_AFTER = 60


def start_session_clock(sender, request, user, **kwargs) -> None:
    now = time.time()
    request.session[STARTED] = request.session[SEEN] = now


class SessionLifetimeMiddleware:
    """Ends a session after SESSION_IDLE_TIMEOUT seconds without a request, and in any case
    SESSION_ABSOLUTE_AGE seconds after login. "Last seen" is stored at most once a minute,
    so a busy reviewer's pages do not each cost a session write."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.get(STARTED, now)
            seen = request.session.get(SEEN, now)
            if (
                now - started > settings.SESSION_ABSOLUTE_AGE
                or now - seen > settings.SESSION_IDLE_TIMEOUT
            ):
                logout(request)
                return redirect_to_login(request.get_full_path())
            if now - seen > RENEW_AFTER or STARTED not in request.session:
                request.session[STARTED], request.session[SEEN] = started, now
        return self.get_response(request)


logger = logging.getLogger(__name__)
# How long a person is asked to wait, and a client told to (Retry-After), before trying again.
BUSY_RETRY_SECONDS = 5
# PostgreSQL's SQLSTATEs for a lock wait that hit lock_timeout, and a statement cancelled,
# by statement_timeout (or by an administrator).
LOCK_NOT_AVAILABLE, QUERY_CANCELED = "55P03", "57014"
# What a write locks, by the model its URL names: a claim's sources and history are judged
# under the claim's lock.
LOCKED_AS = {"claim": "claim", "source": "claim", "claimevent": "claim", "article": "article"}


class DatabaseBusyMiddleware:
    """A database that could not answer in time fails the request, not the application,
    and the page says what happened and what to do, instead of the 500 page's "something
    went wrong" (or the web server killing its worker):

    - a row someone else is saving, still held after DB_LOCK_TIMEOUT_MS: 409, "Someone else
      is saving this claim; try again in a moment";
    - a statement stopped at DB_STATEMENT_TIMEOUT_MS: 503, "This took too long";
    - anything else (SQLite still locked after its timeout, a PostgreSQL connection
      dropped): 503, "The database is busy".

    Every write runs in one transaction, which the error has rolled back, so each page can
    say nothing was saved. The pages are rendered without the request's context, as the
    500 page is: its context processors would ask the same database again.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        # A download dropped unclosed may have left this thread's persistent connection
        # with an export's time limit: the new request gets the web's again.
        restore_statement_limit()
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, OperationalError):
            return None
        sqlstate = getattr(exception.__cause__, "sqlstate", None)
        context = {"request_id": getattr(request, "id", ""), "retry_seconds": BUSY_RETRY_SECONDS}
        if sqlstate == LOCK_NOT_AVAILABLE:
            logger.warning("Lock wait timed out on %s: %s", request.path, exception)
            body = loader.get_template("409.html").render(
                {**context, "what": _what_was_saved(request)}
            )
            return HttpResponse(body, status=409)
        if sqlstate == QUERY_CANCELED:
            logger.warning("Statement timed out on %s: %s", request.path, exception)
            context.update(timed_out=True, seconds=settings.DB_STATEMENT_TIMEOUT_MS / 1000)
        else:
            logger.warning("Database busy or unreachable: %s", exception, exc_info=exception)
        response = HttpResponse(loader.get_template("503.html").render(context), status=503)
        response["Retry-After"] = str(BUSY_RETRY_SECONDS)
        return response


def _what_was_saved(request: HttpRequest) -> str:
    """'this claim', 'one of these claims', 'this article'…, from the URL that was posted
    to: the app's own pages by their namespace, the admin's by the model they edit."""
    match = request.resolver_match
    if match is None:
        return "this"
    if match.namespace == "admin":
        model = (match.url_name or "").split("_")[1:2]
        noun = LOCKED_AS.get(model[0]) if model else None
    else:
        noun = {"claims": "claim", "articles": "article"}.get(match.namespace)
    if noun is None:
        return "this"
    one = {"pk", "object_id"} & set(match.kwargs) or noun == "article"
    return f"this {noun}" if one else f"one of these {noun}s"
