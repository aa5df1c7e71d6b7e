"""Import an article from a file or standard input, and optionally accept its suggestions."""

from __future__ import annotations

import argparse
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from articles.extract import FORMAT_NAMES, ExtractionError, extract_file
from articles.services import DuplicateArticle
from claims.models import Via
from newsdesk.errors import error_text
from suggestions.scorer import THRESHOLD
from suggestions.selectors import open_suggestions
from suggestions.services import article_import_with_suggestions


def published(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = (
        "Import an article from PATH (.txt, .md or .html; - reads plain text from standard "
        "input) and print its id and the claims created."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", metavar="PATH", help="The file to import, or - for stdin.")
        parser.add_argument(
            "--title", default="", help="Required unless the file has a title (HTML, Markdown)."
        )
        parser.add_argument("--outlet", default="")
        parser.add_argument("--url", default="")
        parser.add_argument("--byline", default="")
        parser.add_argument("--published", type=published, metavar="YYYY-MM-DD")
        parser.add_argument("--language", default="", help="BCP 47 tag; default en.")
        parser.add_argument(
            "--format",
            choices=sorted(FORMAT_NAMES),
            help="How to read PATH; by default its extension says (standard input: text).",
        )
        parser.add_argument(
            "--accept-suggestions",
            action="store_true",
            help=f"Make a claim of every suggestion scored {THRESHOLD} or more.",
        )
        parser.add_argument(
            "--allow-duplicate",
            action="store_true",
            help="Import it even if an article with the same URL or the same text exists.",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Who imports it (an Editor); by default the first active superuser.",
        )

    def handle(self, *args, **options) -> None:
        by = self._user(options["user"])
        kind = FORMAT_NAMES.get(options["format"] or "")
        try:
            found = extract_file(options["path"], kind=kind)
        except ExtractionError as error:
            raise CommandError(str(error)) from None
        typed = {
            "title": options["title"],
            "outlet": options["outlet"],
            "url": options["url"],
            "byline": options["byline"],
            "published_on": options["published"],
            "language": options["language"],
        }
        try:
            result = article_import_with_suggestions(
                by=by,
                body=found.body,
                accept_suggestions=options["accept_suggestions"],
                allow_duplicate=options["allow_duplicate"],
                via=Via.COMMAND,
                **found.details(typed),
            )
        except DuplicateArticle as repeated:
            raise CommandError(
                f"{error_text(repeated)} To import it as another article, add --allow-duplicate."
            ) from None
        except ValidationError as error:
            if "title" in getattr(error, "error_dict", {}) and not options["title"]:
                raise CommandError("Give the article a title with --title.") from None
            raise CommandError(error_text(error)) from None
        except PermissionDenied as error:
            raise CommandError(f"{by.get_username()}: {error}") from None
        article = result.article
        self.stdout.write(str(article.pk))
        self.stderr.write(
            f"Imported article {article.pk}, “{article.title}” "
            f"({len(article.body.split()):,} words), as {by.get_username()}."
        )
        for claim in result.claims:
            self.stdout.write(f"claim {claim.pk}\t{claim.start}\t{claim.end}\t{claim.text}")
        if found.encoding:
            self.stderr.write(f"The file was not UTF-8; it was read as {found.encoding}.")
        if options["accept_suggestions"]:
            made = len(result.claims)
            self.stderr.write(f"{made} claim{pluralize(made)} created from suggestions.")
        else:
            waiting = sum(s.suggested for s in open_suggestions(article=article))
            self.stderr.write(
                f"{waiting} sentence{pluralize(waiting)} {pluralize(waiting, 'is,are')} "
                "suggested as claims: accept them on the article page, or import with "
                "--accept-suggestions."
            )

    @staticmethod
    def _user(username: str | None):
        users = get_user_model().objects.filter(is_active=True)
        if username:
            try:
                return users.get(username=username)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No active user named {username!r}.") from None
        first = users.filter(is_superuser=True).order_by("pk").first()
        if first is None:
            raise CommandError("No user to import as: pass --user USERNAME (an Editor).")
        return first
