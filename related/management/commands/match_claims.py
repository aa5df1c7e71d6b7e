"""Print the claims of other articles that match an article's claims, or one claim's.

Reads only: the matches are worked out as the claim page works them out
(related.retrieval.claim_matches) and nothing is stored.
"""

from __future__ import annotations

import argparse
import json

from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from claims.models import Claim
from newsdesk.fields import parse_id
from related.retrieval import Match, claim_matches

QUOTE_SHOWN = 100


def an_id(value: str) -> int:
    parsed = parse_id(value)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"{value!r} is not an id (a whole number from 1)")
    return parsed


def a_limit(value: str) -> int:
    parsed = parse_id(value)
    if parsed is None or parsed > 100:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of matches from 1 to 100")
    return parsed


def _shortened(text: str, size: int = QUOTE_SHOWN) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def match_dict(match: Match) -> dict[str, object]:
    other = match.claim
    return {
        "claim": other.pk,
        "text": other.text,
        "status": other.status,
        "same": match.same,
        "score": round(match.score, 4),
        "reasons": list(match.reasons),
        "sources": getattr(other, "sources_count", None),
        "article": {"id": other.article_id, "title": other.article.title},
    }


class Command(BaseCommand):
    help = (
        "Print the claims of other articles that match the claims of an article (--article) "
        "or one claim (--claim), best first, with their status and the matcher's reasons. "
        "Nothing is saved."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--article", type=an_id, metavar="ID", help="This article's claims.")
        parser.add_argument("--claim", type=an_id, metavar="ID", help="This claim only.")
        parser.add_argument(
            "--limit",
            type=a_limit,
            default=5,
            metavar="N",
            help="Matches per claim, at most (default 5, up to 100).",
        )
        parser.add_argument(
            "--json", action="store_true", help="Print JSON, one object per claim in a list."
        )

    def handle(self, *args, **options) -> None:
        claims = self._claims(options["article"], options["claim"])
        # A generator: the text is printed claim by claim as each is matched.
        found = ((claim, claim_matches(claim=claim, limit=options["limit"])) for claim in claims)
        if options["json"]:
            rows = [
                {
                    "claim": claim.pk,
                    "article": claim.article_id,
                    "text": claim.text,
                    "status": claim.status,
                    "matches": [match_dict(m) for m in matches],
                }
                for claim, matches in found
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for claim, matches in found:
            self._write_claim(claim, matches)

    def _claims(self, article_id: int | None, claim_id: int | None) -> list[Claim]:
        if article_id is None and claim_id is None:
            raise CommandError(
                "Say which claims to match: --article ID (every claim of that article) or "
                "--claim ID (one claim)."
            )
        claims = Claim.objects.select_related("article").order_by("start", "id")
        if claim_id is not None:
            claims = claims.filter(pk=claim_id)
            if article_id is not None:
                claims = claims.filter(article_id=article_id)
            found = list(claims)
            if not found:
                where = f" in article #{article_id}" if article_id is not None else ""
                raise CommandError(f"There is no claim #{claim_id}{where}.")
            return found
        if not Article.objects.filter(pk=article_id).exists():
            raise CommandError(f"There is no article #{article_id}.")
        found = list(claims.filter(article_id=article_id))
        if not found:
            raise CommandError(f"Article #{article_id} has no claims to match.")
        return found

    def _write_claim(self, claim: Claim, matches: list[Match]) -> None:
        write = self.stdout.write
        write(f"#{claim.pk} [{claim.get_status_display()}] “{_shortened(claim.text)}”")
        if not matches:
            write("  no matches in other articles")
        for match in matches:
            other = match.claim
            verdict = "same" if match.same else "related, not the same"
            write(
                f"  #{other.pk} {other.get_status_display()}, {verdict}, score {match.score:.2f}"
                f" — in “{_shortened(other.article.title, 60)}” (article #{other.article_id})"
            )
            write(f"    “{_shortened(other.text)}”")
            if match.reasons:
                write(f"    reasons: {'; '.join(match.reasons)}")
        write("")
