"""Comparing links to stories: the same story, whatever the link's spelling."""

from __future__ import annotations

import contextlib
import re
import unicodedata
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from newsdesk.text import text_digest

# Added by newsletters, social sites, ad networks and the outlets' own homepages and feeds
# to count where readers came from: the same story, another link. Only names that say
# nothing about which story is shown; `source`, `id` or `page` can, so they stay.
TRACKING_PARAMETERS = (
    r"utm_\w+",  # Google Analytics campaigns
    "fbclid",  # Facebook
    "gclid",  # Google Ads
    "dclid",
    "msclkid",  # Microsoft Ads
    "twclid",  # X / Twitter ads
    "mc_cid",  # Mailchimp
    "mc_eid",
    "igshid",  # Instagram
    "_ga",
    "ref",  # "came from": ?ref=homepage, ?ref=rss
    "ref_src",  # Twitter embeds: ?ref_src=twsrc^tfw
    "ref_url",
    "cmpid",  # campaign ids of many news sites (CNN, Reuters)
    "ocid",  # Microsoft Start / MSN
    "icid",  # internal campaign ids
    "smid",  # New York Times share links
)
_TRACKING = re.compile("|".join(TRACKING_PARAMETERS), re.I)


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


def body_key(body: str) -> str:
    """An article's text for comparing texts: every run of blank space (spaces, tabs, line
    ends, blank lines, no-break spaces) as one space. The same words pasted with an extra
    blank line or a doubled space are the same article; the stored text is not changed."""
    return " ".join(body.split())


def digest(text: str) -> str:
    """A fixed-length key for an indexed lookup of long text (a body's or a link's key)."""
    return text_digest(text) if text else ""
