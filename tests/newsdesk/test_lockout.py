"""Who the client is, as the lock-outs count it (newsdesk.lockout.client_address)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from newsdesk.lockout import client_address

PEER = "10.0.0.2"


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "client"),
    [
        # No trusted proxy: the header is anyone's to write, so it is not read.
        (0, "", PEER),
        (0, "198.51.100.7", PEER),
        # One proxy appends the address it saw: the right-most entry.
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.7,203.0.113.9", "203.0.113.9"),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "203.0.113.9:51234", "203.0.113.9"),
        (1, "[2001:db8::1]:51234", "2001:db8::1"),
        (1, "2001:DB8:0::1", "2001:db8::1"),
        # Two proxies: the first one's entry is second from the right.
        (2, "198.51.100.7, 203.0.113.9, 10.0.0.5", "203.0.113.9"),
        # Fewer entries than proxies, or junk where a proxy writes: only the peer is known.
        (1, "", PEER),
        (2, "203.0.113.9", PEER),
        (1, "198.51.100.7, not-an-address", PEER),
        (1, "198.51.100.7, unknown", PEER),
    ],
)
def test_the_client_is_the_entry_the_outermost_trusted_proxy_wrote(
    settings, proxies, forwarded_for, client
):
    settings.NEWSDESK_TRUSTED_PROXIES = proxies
    meta = {"REMOTE_ADDR": PEER}
    if forwarded_for:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    assert client_address(RequestFactory().post("/login/", **meta)) == client
