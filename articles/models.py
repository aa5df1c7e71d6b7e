from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Upper

from articles.links import body_key, digest, url_key
from newsdesk.fields import WebURLField
from newsdesk.text import normalize_text

# A BCP 47 tag as newsrooms write them: a 2 or 3 letter language, then subtags of letters
# and digits after hyphens (pt-BR, zh-Hant-TW, de-CH-1996). \Z, not $: $ lets "en\n" through.
language_tag = RegexValidator(
    r"\A[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*\Z",
    "Give a language tag such as en, fr or pt-BR: two or three letters, then optional "
    "parts of letters and digits after hyphens, and nothing else.",
    code="language_tag",
)


class ArticleQuerySet(models.QuerySet):
    def locked(self, pk: int) -> Article:
        """The article as stored now, its row locked until the transaction ends: every
        write that depends on the text or the version (an edit, a claim anchored into it,
        two Editors accepting the same suggestion) holds it, so they queue, not interleave."""
        return self.select_for_update(of=("self",)).get(pk=pk)


class Article(models.Model):
    title = models.CharField(max_length=300)
    outlet = models.CharField(max_length=200, blank=True)
    url = WebURLField("URL", max_length=2000, blank=True)
    byline = models.CharField(max_length=300, blank=True)
    published_on = models.DateField("published", null=True, blank=True)
    language = models.CharField(
        max_length=16,
        default="en",
        validators=[language_tag],
        help_text="BCP 47 tag, e.g. en, fr, pt-BR.",
    )
    body = models.TextField(
        help_text="The canonical text every claim anchors into (stored as Unicode NFC with \\n "
        "line ends)."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Every write (details or text) goes up by one: an edit made from an older version is
    # refused rather than laid over someone else's. Who made the latest one, for that refusal.
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Keys for finding an article already imported, set on every save and indexed, so the
    # check at each import costs the same however many articles there are.
    body_digest = models.CharField(max_length=64, default="", editable=False, db_index=True)
    url_digest = models.CharField(max_length=64, default="", editable=False, db_index=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="article_recent_idx"),
            # The queue and the admin match outlets case-insensitively (UPPER(outlet) = …).
            models.Index(Upper("outlet"), name="article_outlet_upper_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(version__gte=1), name="article_version_pos"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Normalising here, not only in forms, keeps admin, commands and fixtures honest.
        self.body = normalize_text(self.body)
        self.body_digest = digest(body_key(self.body))
        self.url_digest = digest(url_key(self.url))
        fields = kwargs.get("update_fields")
        if fields is not None:
            keys = {"body": "body_digest", "url": "url_digest"}
            kwargs["update_fields"] = [*fields, *(keys[f] for f in fields if f in keys)]
        super().save(*args, **kwargs)

    def save_version(self, *, by, fields: list[str]) -> None:
        """Write `fields` as the next version, saved by `by`. The services call it holding
        the row lock, so two saves cannot both read the same version."""
        self.version += 1
        self.updated_by = by
        self.save(update_fields=[*fields, "version", "updated_by", "updated_at"])

    @property
    def last_saved_by(self):
        """Who saved the version stored now, if known: an article never edited was last
        saved by whoever created it; edits from before versions were kept name nobody."""
        if self.updated_by_id:
            return self.updated_by
        return self.created_by if self.version == 1 else None
