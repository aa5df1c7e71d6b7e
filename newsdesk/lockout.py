"""Login lock-outs, as django-axes applies them here: who the client is behind the proxy, and
a second limit per address across usernames.

django-axes counts failures per (username, address) and locks a pair at AXES_FAILURE_LIMIT.
It compares every lock-out parameter with that one limit, so a higher limit per address
alone (password spraying: one guess each at many usernames) is checked here, from the same
attempt rows axes keeps in the database: every host sees the same counts, the same cool-off
lifts both locks, and axes' own commands (`axes_reset_ip`, `axes_reset_username`) lift them.
"""

from __future__ import annotations

import ipaddress
import logging
from datetime import timedelta

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

log = logging.getLogger(__name__)


def client_address(request: HttpRequest) -> str | None:
    """The address of whoever sent the request (django-axes' AXES_CLIENT_IP_CALLABLE).

    With no trusted proxy the connection's own address is the client, and X-Forwarded-For
    is ignored: anyone can send it. Behind N trusted proxies, each appends the address it
    received the request from, so the client is the N-th entry from the right; the entries
    left of it were written by the client and prove nothing.
    """
    peer = request.META.get("REMOTE_ADDR")
    proxies = settings.NEWSDESK_TRUSTED_PROXIES
    if proxies == 0:
        return peer
    chain = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if len(chain) < proxies:
        # Not through the whole chain of proxies: only the connection can be believed.
        return peer
    entry = chain[-proxies]
    try:
        return str(ipaddress.ip_address(_without_port(entry)))
    except ValueError:
        # A proxy writes addresses; anything else is a misconfiguration, and all its clients
        # would share the proxy's address (and its lock-outs): say so in the log.
        log.warning("X-Forwarded-For entry %r is not an address; using %s", entry, peer)
        return peer


def _without_port(entry: str) -> str:
    """Some proxies (Azure's, for one) write `203.0.113.9:51234` or `[2001:db8::1]:51234`."""
    if entry.startswith("["):
        return entry[1:].split("]", 1)[0]
    if entry.count(":") == 1:
        return entry.split(":", 1)[0]
    return entry


class AddressLimitedHandler(AxesDatabaseHandler):
    """axes' database handler, plus NEWSDESK_LOGIN_ADDRESS_FAILURE_LIMIT failures per address
    within the cool-off, whichever usernames they were for."""

    def address_failures(self, request: HttpRequest) -> int:
        total = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        ).aggregate(failures=Sum("failures_since_start"))["failures"]
        return total or 0

    def address_locked(self, request: HttpRequest) -> bool:
        return self.address_failures(request) >= settings.NEWSDESK_LOGIN_ADDRESS_FAILURE_LIMIT

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or self.address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        # The failure that reaches the address limit is answered with the lock-out, as the
        # one that reaches the per-username limit is.
        if request is not None and not request.axes_locked_out and self.address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """The 429 page (AXES_LOCKOUT_CALLABLE): says which limit was hit and for how long."""
    cool_off = get_cool_off(request) or timedelta(0)
    context = {
        "address_locked": AddressLimitedHandler().address_locked(request),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "address_limit": settings.NEWSDESK_LOGIN_ADDRESS_FAILURE_LIMIT,
        "cooloff_minutes": int(cool_off.total_seconds() // 60),
    }
    return render(
        request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
