"""Every write that turns suggestions into claims or sets them aside: accept one, accept
all, dismiss, restore."""

from __future__ import annotations

import uuid
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from articles.models import Article
from articles.services import ImportResult, article_import
from claims.models import Claim, ClaimOrigin, Via
from claims.services import NewClaim, claim_create, claims_create_many
from newsdesk.auth import ADD_ARTICLE, ADD_CLAIM, require_perm
from suggestions.models import DismissedSuggestion
from suggestions.scorer import THRESHOLD, Suggestion
from suggestions.selectors import open_suggestions


def _suggestion_at(article: Article, *, start: int, end: int, digest: str) -> Suggestion:
    """The open suggestion the person saw at `start`:`end`, with the same words."""
    for suggestion in open_suggestions(article=article):
        # The digest is computed only for the one suggestion standing at that span.
        if (suggestion.start, suggestion.end) == (start, end) and suggestion.digest == digest:
            return suggestion
    raise ValidationError(
        "This suggestion is no longer open: the article changed, or someone accepted or "
        "dismissed it. Reload the page to see the current suggestions."
    )


def _accept(
    article: Article,
    suggestion: Suggestion,
    *,
    by: AbstractBaseUser,
    via: Via,
) -> Claim:
    return claim_create(
        article=article,
        start=suggestion.start,
        end=suggestion.end,
        by=by,
        attributed_to=suggestion.attributed_to[:300],
        origin=ClaimOrigin.SUGGESTED,
        via=via,
        why=_why(suggestion),
    )


def _why(suggestion: Suggestion) -> dict[str, object]:
    """What the history row of a claim made from a suggestion says of it."""
    return {"score": suggestion.score, "reasons": list(suggestion.reasons)}


@transaction.atomic
def suggestion_accept(
    *,
    article: Article,
    start: int,
    end: int,
    digest: str,
    by: AbstractBaseUser,
    via: Via = Via.WEB,
) -> Claim:
    """Make the suggested sentence at `start`:`end` a claim (origin "suggested").

    `digest` is that of the words the person saw there (`Suggestion.digest`): if the text
    has changed since, even to words of the same length, nothing is created.
    """
    require_perm(by, ADD_CLAIM, to="judge suggestions")
    # Locked: two Editors accepting at once must not make one sentence a claim twice.
    article = Article.objects.locked(article.pk)
    found = _suggestion_at(article, start=start, end=end, digest=digest)
    return _accept(article, found, by=by, via=via)


@transaction.atomic
def suggestions_accept_all(
    *,
    article: Article,
    by: AbstractBaseUser,
    threshold: float = THRESHOLD,
    via: Via = Via.WEB,
) -> list[Claim]:
    """Make every open suggestion scored at least `threshold` a claim."""
    require_perm(by, ADD_CLAIM, to="judge suggestions")
    article = Article.objects.locked(article.pk)
    # All at once: one by one, a 2 MB text's 25,000 suggestions took a minute to accept.
    return claims_create_many(
        article=article,
        spans=[
            NewClaim(
                start=suggestion.start,
                end=suggestion.end,
                attributed_to=suggestion.attributed_to[:300],
                why=_why(suggestion),
            )
            for suggestion in open_suggestions(article=article, floor=threshold)
        ],
        by=by,
        origin=ClaimOrigin.SUGGESTED,
        via=via,
        batch=uuid.uuid4(),
    )


@transaction.atomic
def suggestion_dismiss(
    *, article: Article, start: int, end: int, digest: str, by: AbstractBaseUser
) -> DismissedSuggestion:
    """Stop suggesting this sentence for this article."""
    require_perm(by, ADD_CLAIM, to="judge suggestions")
    article = Article.objects.locked(article.pk)
    suggestion = _suggestion_at(article, start=start, end=end, digest=digest)
    return DismissedSuggestion.objects.create(
        article=article, text=suggestion.text, dismissed_by=by
    )


@transaction.atomic
def suggestion_restore(*, dismissed: DismissedSuggestion, by: AbstractBaseUser) -> None:
    """Offer a dismissed sentence again."""
    require_perm(by, ADD_CLAIM, to="judge suggestions")
    DismissedSuggestion.objects.filter(pk=dismissed.pk).delete()


def article_import_with_suggestions(
    *,
    by: AbstractBaseUser,
    title: str,
    body: str,
    accept_suggestions: bool,
    outlet: str = "",
    url: str = "",
    byline: str = "",
    published_on: date | None = None,
    language: str = "en",
    allow_duplicate: bool = False,
    via: Via = Via.WEB,
) -> ImportResult:
    """Import an article (`article_import`) and, if asked, make a claim of every suggestion
    above the threshold: all or nothing, so a refused claim leaves no article behind."""
    article = {
        "title": title,
        "body": body,
        "outlet": outlet,
        "url": url,
        "byline": byline,
        "published_on": published_on,
        "language": language,
        "allow_duplicate": allow_duplicate,
    }
    if not accept_suggestions:
        return article_import(by=by, **article)
    # Both refusals before anything is written, in the order a person would meet them.
    require_perm(by, ADD_ARTICLE, to="import articles")
    require_perm(by, ADD_CLAIM, to="judge suggestions")
    with transaction.atomic():
        imported = article_import(by=by, **article).article
        return ImportResult(imported, suggestions_accept_all(article=imported, by=by, via=via))
