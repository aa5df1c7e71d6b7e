from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from articles.models import Article
from claims.models import Claim, ClaimStatus, Source, Stance
from newsdesk.auth import EDITORS, REVIEWERS
from related.models import ClaimLink, LinkKind

SENTENCES = [
    "Five convoys came under attack on the northern route, officials said.",
    "Three contractors were allegedly injured near the bridge on Sunday.",
    "A group calling itself the Northern Shield claimed responsibility.",
    "About 40 trucks were turned back since Friday, a general said.",
]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@newsdesk.example")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


def reviewer_factory(**kwargs):
    return UserFactory(roles=[REVIEWERS], **kwargs)


def editor_factory(**kwargs):
    return UserFactory(roles=[EDITORS], **kwargs)


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Convoys attacked, report {n}")
    outlet = "Newsdesk Wire"
    byline = "Staff reporter"
    body = "\n\n".join(SENTENCES)
    created_by = None


class ClaimFactory(factory.django.DjangoModelFactory):
    """A claim anchored to one of the article's sentences (the `sentence`-th)."""

    class Meta:
        model = Claim
        exclude = ["sentence"]

    article = factory.SubFactory(ArticleFactory)
    sentence = 0
    start = factory.LazyAttribute(lambda c: c.article.body.index(SENTENCES[c.sentence]))
    end = factory.LazyAttribute(lambda c: c.start + len(SENTENCES[c.sentence]))
    text = factory.LazyAttribute(lambda c: c.article.body[c.start : c.end])
    prefix = factory.LazyAttribute(lambda c: c.article.body[max(0, c.start - 32) : c.start])
    suffix = factory.LazyAttribute(lambda c: c.article.body[c.end : c.end + 32])
    attributed_to = "Officials"
    status = ClaimStatus.UNVERIFIED


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    claim = factory.SubFactory(ClaimFactory)
    # A domain of its own per source: sources on one domain count as one publisher.
    url = factory.Sequence(lambda n: f"https://news{n}.example/story/{n}")
    title = "A report"
    publisher = factory.Sequence(lambda n: f"Publisher {n}")
    stance = Stance.SUPPORTS
    added_by = factory.SubFactory(UserFactory)


class ClaimLinkFactory(factory.django.DjangoModelFactory):
    """A reviewer's link between claims of two articles, stored lower id first whichever
    order they are given in."""

    class Meta:
        model = ClaimLink

    claim = factory.SubFactory(ClaimFactory)
    other = factory.SubFactory(ClaimFactory)
    kind = LinkKind.SAME
    linked_by = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs["claim"].pk > kwargs["other"].pk:
            kwargs["claim"], kwargs["other"] = kwargs["other"], kwargs["claim"]
        return super()._create(model_class, *args, **kwargs)


def claim_with_text(text: str, *, title: str = "Convoys attacked", **extra) -> Claim:
    """A claim whose quote is `text`, in an article of its own that holds it."""
    article = ArticleFactory(
        title=title,
        body=f"Intro paragraph.\n\n{text}\n\nOutro paragraph.",
        outlet=extra.pop("outlet", "Newsdesk Wire"),
    )
    start = article.body.index(text)
    return ClaimFactory(article=article, start=start, end=start + len(text), text=text, **extra)
