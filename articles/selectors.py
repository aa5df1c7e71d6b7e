"""Reads of articles that more than one caller needs."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from articles.links import body_key, digest, url_key
from articles.models import Article


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


def article_duplicates(*, url: str, body: str) -> list[Duplicate]:
    """Articles with the same address (as `url_key` compares them) or the same text (as
    `body_key` compares them: blank space does not count), newest first. `body` is in its
    stored normal form (`articles.text.normalize_body`).

    One indexed query, whatever the number of articles: both are compared by digest.
    """
    url_digest, body_digest = digest(url_key(url)), digest(body_key(body))
    same = Q(body_digest=body_digest)
    if url_digest:
        same |= Q(url_digest=url_digest)
    articles = Article.objects.select_related("created_by").filter(same)
    return [
        Duplicate(
            article,
            same_address=bool(url_digest) and article.url_digest == url_digest,
            same_text=article.body_digest == body_digest,
        )
        for article in articles.order_by("-created_at", "-id")
    ]
