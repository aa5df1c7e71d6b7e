#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

# These serve requests (or stand in for the web, as the tests do): they keep the web's
# database time limits. Every other command may run as long as its work needs
# (newsdesk.settings.base: DB_LONG_STATEMENT_TIMEOUT_MS).
SERVES_AS_WEB = {"runserver", "test"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.dev")
    if len(sys.argv) > 1 and sys.argv[1] not in SERVES_AS_WEB:
        os.environ.setdefault("NEWSDESK_DB_LONG_STATEMENTS", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
