"""Print the claims Newsdesk would suggest for a document, without saving anything."""

from __future__ import annotations

import argparse
import json

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from articles.extract import FORMAT_NAMES, ExtractionError, extract_file
from suggestions.scorer import THRESHOLD, suggest


def score(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0 <= number <= 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a score from 0 to 1")
    return number


class Command(BaseCommand):
    help = (
        "Print the sentences of PATH (.txt, .md or .html; - reads standard input) worth "
        "checking, with score, reasons and attribution. Offsets count code points in the "
        "text as Newsdesk stores it (NFC, \\n line ends, paragraphs kept). Saves nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", metavar="PATH", help="The file to read, or - for stdin.")
        parser.add_argument("--json", action="store_true", help="Print a JSON array.")
        parser.add_argument(
            "--threshold",
            type=score,
            default=THRESHOLD,
            help=f"Lowest score to print (default {THRESHOLD}; 0 prints every sentence).",
        )
        parser.add_argument(
            "--format",
            choices=sorted(FORMAT_NAMES),
            help="How to read PATH; by default its extension says (standard input: text).",
        )

    def handle(self, *args, **options) -> None:
        try:
            found = extract_file(options["path"], kind=FORMAT_NAMES.get(options["format"] or ""))
        except ExtractionError as error:
            raise CommandError(str(error)) from None
        suggestions = suggest(found.body, threshold=options["threshold"])
        if options["json"]:
            self.stdout.write(
                json.dumps([s.as_dict() for s in suggestions], ensure_ascii=False, indent=2)
            )
            return
        for s in suggestions:
            who = f"  (attributed to {s.attributed_to})" if s.attributed_to else ""
            self.stdout.write(f"{s.score:.2f}  {s.start}-{s.end}  {s.text}{who}")
            self.stdout.write(f"      {'; '.join(s.reasons)}")
        self.stderr.write(f"{len(suggestions)} suggestion{pluralize(len(suggestions))}.")
