"""Running the management commands in tests: the story they read, and what they print.
The `story` fixture (tests/conftest.py) is TEXT in a file."""

from __future__ import annotations

import io
import sys

from django.core.management import call_command

from tests.factories import SENTENCES

# One sentence a paragraph, as a story arrives from the wire.
TEXT = "\n\n".join(SENTENCES)


def run(*args, stdin: bytes | None = None, monkeypatch=None) -> tuple[str, str]:
    """Run a command with `args`, reading `stdin` if given; what it wrote to stdout and stderr."""
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()
