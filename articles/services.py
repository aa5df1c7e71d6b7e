"""Every write to articles: import, edit of details and text. An edit of the text takes
the article's claims with it (`claims.services.claims_follow_edit`), in one transaction."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from articles.models import Article
from articles.selectors import (
    DUPLICATES_SHOWN,
    Duplicate,
    article_duplicate_count,
    article_duplicates,
    duplicate_keys,
)
from claims.models import Claim, Via
from claims.services import ReanchorReport, claims_follow_edit
from newsdesk.auth import ADD_ARTICLE, CHANGE_ARTICLE, require_perm
from newsdesk.errors import who_when
from newsdesk.fields import fingerprint
from newsdesk.text import normalize_text


@dataclass(frozen=True)
class ImportResult:
    article: Article
    claims: list[Claim] = field(default_factory=list)


_LINE_BREAKS = re.compile(r"[ \t]*\n\s*")


def _one_line(value: str) -> str:
    """Text for a one-line box: a browser strips the line breaks from what such a box
    holds, gluing "Bridge\nclosed" into "Bridgeclosed" on the next untouched save."""
    return _LINE_BREAKS.sub(" ", normalize_text(value))


def _detail(name: str, value):
    """A detail as it is stored, however a form sent it."""
    if name == "published_on":
        return value
    if name == "language":
        return normalize_text(value) or "en"
    return normalize_text(value) if name == "url" else _one_line(value)


def _metadata(
    *, title: str, outlet: str, url: str, byline: str, published_on: date | None, language: str
) -> dict[str, object]:
    given = {
        "title": title,
        "outlet": outlet,
        "url": url,
        "byline": byline,
        "published_on": published_on,
        "language": language,
    }
    return {name: _detail(name, value) for name, value in given.items()}


# What an edit form shows of an article, and how a message names each.
ARTICLE_FIELDS = ("title", "outlet", "url", "byline", "published_on", "language", "body")
FIELD_NAMES = {
    "title": "title",
    "outlet": "outlet",
    "url": "URL",
    "byline": "byline",
    "published_on": "publication date",
    "language": "language",
    "body": "text",
}


def _comparable(name: str, value) -> str:
    if name == "body":
        return normalize_text(value or "")
    if name == "published_on":
        return value.isoformat() if value else ""
    return _detail(name, value or "")


def article_fingerprints(values: Mapping[str, object]) -> dict[str, str]:
    """A fingerprint of each field an edit form shows, taken of the value as a save would
    store it: an edit form carries those of what it was loaded with, so that a save can
    tell who changed what (`article_conflict`) without the form carrying the text twice."""
    return {name: fingerprint(_comparable(name, values[name])) for name in ARTICLE_FIELDS}


def article_loaded(article: Article) -> dict[str, str]:
    """The fingerprints an edit form opened on `article` as stored now carries."""
    return article_fingerprints({name: getattr(article, name) for name in ARTICLE_FIELDS})


def listed(names) -> str:
    """'title', 'title and text', 'title, byline and text'."""
    words = [FIELD_NAMES.get(name, name) for name in names]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


@dataclass(frozen=True)
class EditConflict:
    """An edit that meets someone else's, field by field: what they changed since the form
    was loaded, what this person changed, and where both changed it differently."""

    theirs: tuple[str, ...]
    mine: tuple[str, ...]
    both: tuple[str, ...]


def article_conflict(
    *, saved: Article, typed: Mapping[str, object], loaded: Mapping[str, str]
) -> EditConflict:
    """Three ways: the form as loaded (`loaded`, its fingerprints), as sent (`typed`) and the
    article as saved now. Changed by nobody but this person, a field is theirs to save;
    changed by someone else only, the saved value stands; changed by both, they choose."""
    now, yours = article_loaded(saved), article_fingerprints(typed)
    theirs = tuple(name for name in ARTICLE_FIELDS if now[name] != loaded[name])
    mine = tuple(name for name in ARTICLE_FIELDS if yours[name] != loaded[name])
    both = tuple(name for name in theirs if name in mine and yours[name] != now[name])
    return EditConflict(theirs=theirs, mine=mine, both=both)


class DuplicateArticle(ValidationError):
    """The article is in Newsdesk already: same address or same text. `duplicates` are the
    ones named (newest first), `more` how many others there are."""

    def __init__(self, duplicates: list[Duplicate], more: int = 0) -> None:
        self.duplicates = duplicates
        self.more = more
        others = f" and {more} more" if more else ""
        # "“Title” (Outlet, imported by elena on …); … and 3 more", for any refusal's wording.
        self.named = "; ".join(d.describe() for d in duplicates) + others
        super().__init__(
            f"This article is in Newsdesk already: {self.named}. Nothing was imported.",
            code="duplicate",
        )


def article_duplicate_refusal(*, url: str, body: str) -> DuplicateArticle | None:
    """The refusal an import of this address and text meets, if any: shared by the import
    and by forms that warn before saving. Both are compared as an import stores them."""
    url, body = _detail("url", url), normalize_text(body)
    found = article_duplicates(url=url, body=body)
    if not found:
        return None
    shown = found[:DUPLICATES_SHOWN]
    # Counted only when the list was cut short: a count would be one more query for nothing.
    more = 0
    if len(found) > len(shown):
        more = article_duplicate_count(url=url, body=body) - len(shown)
    return DuplicateArticle(shown, more)


def _hold_story_keys(article: Article) -> None:
    """Keep another import of the same story waiting until this one commits.

    Two imports of one story at once would each look for the other, find nothing, and both
    insert. On PostgreSQL each import takes a transaction-level advisory lock on each key
    the check compares (the text's digest, and the address's when there is one) before it
    looks, held until it commits: the second waits, then finds the first. Taken in order,
    so two imports sharing one key each cannot deadlock. SQLite needs none: its writers
    take the database's write lock at BEGIN (IMMEDIATE, see settings) and queue there.
    """
    if connection.vendor != "postgresql":
        return
    keys = sorted({key for key in duplicate_keys(url=article.url, body=article.body) if key})
    with connection.cursor() as cursor:
        for key in keys:
            # The first 64 bits of the SHA-256, as the signed bigint the lock is keyed by.
            lock_id = int.from_bytes(bytes.fromhex(key[:16]), "big", signed=True)
            cursor.execute("SELECT pg_advisory_xact_lock(%s::bigint)", [lock_id])


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
    allow_duplicate: bool = False,
) -> ImportResult:
    """Create an article. (`suggestions.services.article_import_with_suggestions` also makes
    claims of its suggestions.)

    An article with the same address or the same text is refused with DuplicateArticle,
    unless `allow_duplicate` says the person saw it and wants another. All or nothing: if
    any part fails, nothing is left behind.
    """
    require_perm(by, ADD_ARTICLE, to="import articles")
    article = Article(
        body=normalize_text(body),
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
    # Taken even when a duplicate is allowed, so that an import of the same story checking
    # at the same moment sees this one.
    _hold_story_keys(article)
    refusal = (
        None if allow_duplicate else article_duplicate_refusal(url=article.url, body=article.body)
    )
    if refusal is not None:
        raise refusal
    article.save()
    return ImportResult(article)


def article_saved_by(article: Article) -> str:
    """'elena saved this article at 1 Dec 2026 13:45:02': who saved the version stored now."""
    return who_when(article.last_saved_by, article.updated_at, "saved this article")


class StaleArticle(ValidationError):
    """The article was saved by someone else after this person opened it. With what the
    form was loaded with, `conflict` says who changed which field."""

    def __init__(self, article: Article, conflict: EditConflict | None = None) -> None:
        self.article = article
        self.conflict = conflict
        said = f"{article_saved_by(article)} (version {article.version}), after you opened it"
        if conflict is None:
            said += (
                ". Nothing was saved: compare what you typed with the article as it is now, "
                "then save again to replace it."
            )
        else:
            if conflict.theirs:
                said += f", changing the {listed(conflict.theirs)}"
            said += ". Nothing was saved."
            if conflict.both:
                said += f" You both changed the {listed(conflict.both)}."
        super().__init__(said, code="stale")


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
    loaded: Mapping[str, str] | None = None,
    via: Via = Via.WEB,
) -> ReanchorReport:
    """Change an article's details and text; its claims follow the text.

    `expected_version` is the version the person started from: if anyone saved the article
    since, StaleArticle is raised and nothing is written. `loaded`, the fingerprints of
    what the form was loaded with (`article_loaded`), lets the refusal say who changed
    which field; and a form whose fingerprints are not those of the version it names (the
    values of an older page sent with a newer version number) is refused the same way,
    rather than laying the older values over the newer ones.
    """
    require_perm(by, CHANGE_ARTICLE, to="edit articles")
    details = {
        "title": title,
        "outlet": outlet,
        "url": url,
        "byline": byline,
        "published_on": published_on,
        "language": language,
    }
    locked = Article.objects.select_related("updated_by", "created_by").locked(article.pk)
    if locked.version != expected_version or (
        loaded is not None and dict(loaded) != article_loaded(locked)
    ):
        typed = {**details, "body": body}
        conflict = (
            None if loaded is None else article_conflict(saved=locked, typed=typed, loaded=loaded)
        )
        raise StaleArticle(locked, conflict)
    values = _metadata(**details)
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


@transaction.atomic
def article_body_update(
    *, article: Article, body: str, by: AbstractBaseUser, via: Via = Via.WEB
) -> ReanchorReport:
    """Change an article's text and follow every claim into it (`claims_follow_edit`)."""
    require_perm(by, CHANGE_ARTICLE, to="edit articles")
    locked = Article.objects.locked(article.pk)
    old_body, new_body = locked.body, normalize_text(body)
    if new_body == old_body:
        return ReanchorReport(text_changed=False)
    if not new_body.strip():
        raise ValidationError({"body": "An article needs some text."})
    locked.body = new_body
    locked.save_version(by=by, fields=["body"])
    return claims_follow_edit(article=locked, old_body=old_body, by=by, via=via)
