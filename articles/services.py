"""Every write to articles. A change of an article's text goes through
`claims.services.article_body_update`, which follows the claims anchored in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from articles.text import normalize_body
from claims.models import Claim, Via
from claims.services import ReanchorReport, article_body_update, clean_text, suggestions_accept_all
from newsdesk.auth import require_perm


@dataclass(frozen=True)
class ImportResult:
    article: Article
    claims: list[Claim] = field(default_factory=list)


def _metadata(
    *, title: str, outlet: str, url: str, byline: str, published_on: date | None, language: str
) -> dict[str, object]:
    return {
        "title": clean_text(title),
        "outlet": clean_text(outlet),
        "url": clean_text(url),
        "byline": clean_text(byline),
        "published_on": published_on,
        "language": clean_text(language) or "en",
    }


@transaction.atomic
def article_import(
    *,
    by: AbstractBaseUser,
    title: str,
    body: str,
    outlet: str = "",
    url: str = "",
    byline: str = "",
    published_on: date | None = None,
    language: str = "en",
    accept_suggestions: bool = False,
    via: Via = Via.WEB,
) -> ImportResult:
    """Create an article and, if asked, a claim from every suggestion above the threshold.

    All or nothing: if any part fails, no article and no claim is left behind.
    """
    require_perm(by, "articles.add_article", "You need the Editor role to import articles.")
    if accept_suggestions:
        require_perm(by, "claims.add_claim", "You need the Editor role to create claims.")
    article = Article(
        body=normalize_body(body),
        created_by=by,
        **_metadata(
            title=title,
            outlet=outlet,
            url=url,
            byline=byline,
            published_on=published_on,
            language=language,
        ),
    )
    article.full_clean(exclude=["created_by"])
    article.save()
    claims = suggestions_accept_all(article=article, by=by, via=via) if accept_suggestions else []
    return ImportResult(article, claims)


class StaleArticle(ValidationError):
    """The article was saved by someone else after this person opened it."""


@transaction.atomic
def article_update(
    *,
    article: Article,
    by: AbstractBaseUser,
    expected_updated_at: datetime | None,
    body: str,
    title: str,
    outlet: str = "",
    url: str = "",
    byline: str = "",
    published_on: date | None = None,
    language: str = "en",
    via: Via = Via.WEB,
) -> ReanchorReport:
    """Change an article's details and text; its claims follow the text."""
    require_perm(by, "articles.change_article", "You need the Editor role to edit articles.")
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if expected_updated_at is not None and locked.updated_at != expected_updated_at:
        when = timezone.localtime(locked.updated_at).strftime("%-d %b %Y %H:%M:%S")
        raise StaleArticle(
            f"Someone saved this article at {when}, after you opened it. Nothing was saved; "
            "your text is below. Compare it with the current article, then save again.",
            code="stale",
        )
    values = _metadata(
        title=title,
        outlet=outlet,
        url=url,
        byline=byline,
        published_on=published_on,
        language=language,
    )
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    for name in changed:
        setattr(locked, name, values[name])
    locked.full_clean(exclude=["created_by", "body"])
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
    report = article_body_update(article=locked, body=body, by=by, via=via)
    article.refresh_from_db()
    return report
