"""Every write to articles. A change of an article's text goes through
`claims.services.article_body_update`, which follows the claims anchored in it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from articles.selectors import Duplicate, article_duplicates
from articles.text import normalize_body
from claims.models import Claim, Via
from claims.services import ReanchorReport, article_body_update, clean_text, suggestions_accept_all
from newsdesk.auth import require_perm


@dataclass(frozen=True)
class ImportResult:
    article: Article
    claims: list[Claim] = field(default_factory=list)


_LINE_BREAKS = re.compile(r"[ \t]*\n\s*")


def _one_line(value: str) -> str:
    """Text for a one-line box: a browser strips the line breaks from what such a box
    holds, gluing "Bridge\nclosed" into "Bridgeclosed" on the next untouched save."""
    return _LINE_BREAKS.sub(" ", clean_text(value))


def _metadata(
    *, title: str, outlet: str, url: str, byline: str, published_on: date | None, language: str
) -> dict[str, object]:
    return {
        "title": _one_line(title),
        "outlet": _one_line(outlet),
        "url": clean_text(url),
        "byline": _one_line(byline),
        "published_on": published_on,
        "language": clean_text(language) or "en",
    }


class DuplicateArticle(ValidationError):
    """The article is in Newsdesk already: same address or same text."""

    def __init__(self, duplicates: list[Duplicate]) -> None:
        self.duplicates = duplicates
        listed = "; ".join(d.describe() for d in duplicates[:5])
        more = f" and {len(duplicates) - 5} more" if len(duplicates) > 5 else ""
        super().__init__(
            f"This article is in Newsdesk already: {listed}{more}. Nothing was imported.",
            code="duplicate",
        )


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
    allow_duplicate: bool = False,
    via: Via = Via.WEB,
) -> ImportResult:
    """Create an article and, if asked, a claim from every suggestion above the threshold.

    An article with the same address or the same text is refused with DuplicateArticle,
    unless `allow_duplicate` says the person saw it and wants another. All or nothing: if
    any part fails, no article and no claim is left behind.
    """
    require_perm(by, "articles.add_article", "You need the Editor role to import articles.")
    if accept_suggestions:
        require_perm(by, "claims.add_claim", "You need the Editor role to create claims.")
    article = Article(
        body=normalize_body(body),
        created_by=by,
        updated_by=by,
        **_metadata(
            title=title,
            outlet=outlet,
            url=url,
            byline=byline,
            published_on=published_on,
            language=language,
        ),
    )
    # Who acts is the caller's word and the version the service's own count: checking
    # either would only cost queries.
    article.full_clean(exclude=["created_by", "updated_by", "version"])
    if not allow_duplicate:
        duplicates = article_duplicates(url=article.url, body=article.body)
        if duplicates:
            raise DuplicateArticle(duplicates)
    article.save()
    claims = suggestions_accept_all(article=article, by=by, via=via) if accept_suggestions else []
    return ImportResult(article, claims)


def article_saved_by(article: Article) -> str:
    """'elena saved this article at 1 Dec 2026 13:45:02': who saved the version stored now."""
    who = article.last_saved_by
    when = timezone.localtime(article.updated_at).strftime("%-d %b %Y %H:%M:%S")
    return f"{who.get_username() if who else 'Someone'} saved this article at {when}"


class StaleArticle(ValidationError):
    """The article was saved by someone else after this person opened it."""

    def __init__(self, article: Article) -> None:
        self.article = article
        super().__init__(
            f"{article_saved_by(article)} (version {article.version}), after you opened it. "
            "Nothing was saved: compare what you typed with the article as it is now, then "
            "save again to replace it.",
            code="stale",
        )


@transaction.atomic
def article_update(
    *,
    article: Article,
    by: AbstractBaseUser,
    expected_version: int,
    body: str,
    title: str,
    outlet: str = "",
    url: str = "",
    byline: str = "",
    published_on: date | None = None,
    language: str = "en",
    via: Via = Via.WEB,
) -> ReanchorReport:
    """Change an article's details and text; its claims follow the text.

    `expected_version` is the version the person started from: if anyone saved the article
    since, StaleArticle is raised and nothing is written.
    """
    require_perm(by, "articles.change_article", "You need the Editor role to edit articles.")
    locked = (
        Article.objects.select_related("updated_by", "created_by")
        .select_for_update(of=("self",))
        .get(pk=article.pk)
    )
    if locked.version != expected_version:
        raise StaleArticle(locked)
    values = _metadata(
        title=title,
        outlet=outlet,
        url=url,
        byline=byline,
        published_on=published_on,
        language=language,
    )
    # Compared in the same normal form: a value stored before it was normalised (say, with
    # trailing blanks) is not changed by a form that shows it and sends it back untouched.
    stored = _metadata(**{name: getattr(locked, name) for name in values})
    changed = [name for name, value in values.items() if stored[name] != value]
    for name in changed:
        setattr(locked, name, values[name])
    locked.full_clean(exclude=["created_by", "updated_by", "version", "body"])
    report = article_body_update(article=locked, body=body, by=by, via=via)
    # One save, one version: when the text changed, its write already made this one.
    if changed and report.text_changed:
        locked.save(update_fields=changed)
    elif changed:
        locked.save_version(by=by, fields=changed)
    article.refresh_from_db()
    return report
