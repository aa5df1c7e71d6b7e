"""The one normal form for article text: every claim offset points into it."""

from __future__ import annotations

import unicodedata


def normalize_body(text: str) -> str:
    """Unicode NFC, `\\n` line ends, no NUL bytes, no surrounding blank space.

    Offsets are counted in code points of this form, so it must be applied once,
    before anything anchors into the text, and give the same result when re-applied.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return unicodedata.normalize("NFC", text).strip()
