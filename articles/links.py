"""Comparing links to stories: the same story, whatever the link's spelling."""

from __future__ import annotations

import contextlib
import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

# Added by newsletters, social sites and ad networks: the same story, another link.
_TRACKING = re.compile(r"utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|_ga", re.I)


def _host(hostname: str, codec: str = "idna") -> str:
    """A host name without "www.", its letters in lower case and, for an international
    domain name, in punycode (or, with codec="unicode", in its own letters)."""
    host = hostname.rstrip(".").lower()
    with contextlib.suppress(UnicodeError):
        host = host.encode("idna").decode("ascii")
        if codec == "unicode":
            host = host.encode("ascii").decode("idna")
    return host.removeprefix("www.")


def url_key(url: str) -> str:
    """The story a link points at, for comparing links: the same for http and https, with
    or without "www.", a default port, a fragment, a trailing slash, tracking parameters,
    or percent-encoded letters. Empty for an empty or unreadable link."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ""
    if not parts.hostname:
        return ""
    netloc = _host(parts.hostname) + (f":{port}" if port not in (None, 80, 443) else "")
    path = unicodedata.normalize("NFC", unquote(parts.path)).rstrip("/")
    query = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING.fullmatch(name)
    )
    return netloc + path + (f"?{urlencode(query)}" if query else "")


def digest(text: str) -> str:
    """A fixed-length key for an indexed lookup of long text (a body, a link's key)."""
    return hashlib.sha256(text.encode()).hexdigest() if text else ""
