"""Reads of articles that more than one caller needs."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles.links import body_key, digest, url_key
from articles.models import Article
from claims.models import Claim, ClaimStatus


@dataclass(frozen=True)
class Duplicate:
    """An article already in Newsdesk that an import would repeat, and why it matches."""

    article: Article
    same_address: bool
    same_text: bool

    @property
    def what(self) -> str:
        if self.same_address and self.same_text:
            return "address and text"
        return "address" if self.same_address else "text"

    def describe(self) -> str:
        article = self.article
        by = f" by {article.created_by.get_username()}" if article.created_by else ""
        when = timezone.localtime(article.created_at)
        return f"#{article.pk} “{article.title}”, imported {when:%-d %b %Y}{by} (same {self.what})"


# How many of the articles an import repeats it names: enough to find the story again. A
# story imported many times over has its own problem, and a list of all of them would be
# read by nobody (and loaded whole on every refused import).
DUPLICATES_SHOWN = 5


def duplicate_keys(*, url: str, body: str) -> tuple[str, str]:
    """The digests two articles are compared by: the address's ("" for none) and the
    text's. `body` is in its stored normal form (`articles.text.normalize_text`)."""
    return digest(url_key(url)), digest(body_key(body))


def _same_story(url_digest: str, body_digest: str) -> Q:
    same = Q(body_digest=body_digest)
    if url_digest:
        same |= Q(url_digest=url_digest)
    return same


def article_duplicates(
    *, url: str, body: str, limit: int = DUPLICATES_SHOWN + 1
) -> list[Duplicate]:
    """Up to `limit` articles with the same address (as `url_key` compares them) or the same
    text (as `body_key` compares them: blank space does not count), newest first. The
    default is one more than is shown, which says whether there are more to count
    (`article_duplicate_count`).

    One indexed query, whatever the number of articles: both are compared by digest.
    """
    url_digest, body_digest = duplicate_keys(url=url, body=body)
    articles = (
        Article.objects.select_related("created_by")
        .filter(_same_story(url_digest, body_digest))
        .order_by("-created_at", "-id")
    )
    return [
        Duplicate(
            article,
            same_address=bool(url_digest) and article.url_digest == url_digest,
            same_text=article.body_digest == body_digest,
        )
        for article in articles[:limit]
    ]


def article_duplicate_count(*, url: str, body: str) -> int:
    """How many articles `article_duplicates` would find with no limit."""
    return Article.objects.filter(_same_story(*duplicate_keys(url=url, body=body))).count()


def articles_with_progress() -> QuerySet[Article]:
    """Articles with their claims counted by status (`n_<status>`) and the orphans among
    them (`orphan_count`), in the one query that loads them: the article page lists only a
    part of a long article's claims, but its progress bar counts them all."""

    def counted(**filters) -> Coalesce:
        rows = (
            Claim.objects.filter(article=OuterRef("pk"), **filters)
            .order_by()
            .values("article")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), 0)

    statuses = {f"n_{status}": counted(status=status) for status in ClaimStatus.values}
    return Article.objects.annotate(**statuses, orphan_count=counted(orphaned=True))
