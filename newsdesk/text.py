"""The one normal form for text Newsdesk stores: article bodies, quotes, attributions,
rationales, notes, source details and the details of an article. Every app and form uses
it, so a name or a quote compares equal however it was typed."""

from __future__ import annotations

import hashlib
import unicodedata


def normalize_text(text: str, *, strip: bool = True) -> str:
    """Unicode NFC, `\\n` line ends (browsers send `\\r\\n`), no NUL bytes (PostgreSQL refuses
    them) and, unless `strip=False`, no surrounding blank space.

    Claim offsets are counted in code points of this form, so it must be applied once,
    before anything anchors into the text, and give the same result when re-applied.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = unicodedata.normalize("NFC", text)
    return text.strip() if strip else text


def text_digest(text: str) -> str:
    """A fixed-length key for a text: a sentence's words (dismissals and accepts are made
    against them), an article's text for its cached scores, an indexed lookup key."""
    return hashlib.sha256(text.encode()).hexdigest()
