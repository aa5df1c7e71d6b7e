"""Write a verified-claims report to a file or standard output."""

from __future__ import annotations

import argparse
import os
import sys

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from claims.exports import FORMATS, REVIEWED
from claims.models import Claim, ClaimStatus
from newsdesk.fields import parse_id, web_url


def article_id(value: str) -> int:
    parsed = parse_id(value)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"{value!r} is not an article id")
    return parsed


def base_url(value: str) -> str:
    try:
        web_url(value)
    except ValidationError:
        raise argparse.ArgumentTypeError(f"{value!r} is not an http(s) address") from None
    return value


class Command(BaseCommand):
    help = (
        "Export claims (by default every reviewed one: sourced, disputed, confirmed) as CSV, "
        "CSV for Excel (with a UTF-8 byte-order mark), JSON or schema.org ClaimReview JSON-LD."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--article",
            type=article_id,
            action="append",
            default=[],
            metavar="ID",
            help="Only this article's claims; repeat for several.",
        )
        parser.add_argument(
            "--status",
            action="append",
            default=[],
            choices=ClaimStatus.values,
            help="Only claims in this status; repeat for several.",
        )
        parser.add_argument("--format", choices=sorted(FORMATS), default="csv")
        parser.add_argument(
            "--output",
            default="-",
            metavar="FILE|-",
            help="Where to write the report; - (the default) is standard output.",
        )
        parser.add_argument(
            "--history", action="store_true", help="JSON only: include each claim's history."
        )
        parser.add_argument(
            "--base-url",
            default=settings.NEWSDESK_BASE_URL,
            type=base_url,
            help="Where Newsdesk is served, for links to claims (default: NEWSDESK_BASE_URL).",
        )

    def handle(self, *args, **options) -> None:
        claims = Claim.objects.filter(status__in=options["status"] or REVIEWED)
        if options["article"]:
            found = set(
                Article.objects.filter(pk__in=options["article"]).values_list("pk", flat=True)
            )
            missing = sorted(set(options["article"]) - found)
            if missing:
                raise CommandError(f"No article with id {', '.join(map(str, missing))}.")
            claims = claims.filter(article_id__in=options["article"])
        if options["history"] and options["format"] != "json":
            raise CommandError("--history goes with --format json.")
        writer = FORMATS[options["format"]][0]
        kwargs = {"base_url": options["base_url"]}
        if options["format"] == "json":
            kwargs["history"] = options["history"]
        chunks = writer(claims, **kwargs)
        if options["output"] == "-":
            self._write(sys.stdout.buffer, chunks)
            return
        # Written beside the target and renamed at the end, so a failure never leaves
        # half a report where a whole one is expected.
        partial = f"{options['output']}.part"
        try:
            with open(partial, "wb") as out:
                self._write(out, chunks)
            os.replace(partial, options["output"])
        except OSError as error:
            raise CommandError(f"Cannot write {options['output']}: {error.strerror}.") from None
        finally:
            if os.path.exists(partial):
                os.remove(partial)
        self.stderr.write(f"Wrote {options['output']}.")

    @staticmethod
    def _write(out, chunks) -> None:
        for chunk in chunks:
            out.write(chunk)
        out.flush()
