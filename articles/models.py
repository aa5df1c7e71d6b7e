from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper

from articles.text import normalize_body
from newsdesk.fields import WebURLField


class Article(models.Model):
    title = models.CharField(max_length=300)
    outlet = models.CharField(max_length=200, blank=True)
    url = WebURLField("URL", max_length=2000, blank=True)
    byline = models.CharField(max_length=300, blank=True)
    published_on = models.DateField("published", null=True, blank=True)
    language = models.CharField(max_length=16, default="en", help_text="BCP 47 tag, e.g. en, fr.")
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

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="article_recent_idx"),
            # The queue and the admin match outlets case-insensitively (UPPER(outlet) = …).
            models.Index(Upper("outlet"), name="article_outlet_upper_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # Normalising here, not only in forms, keeps admin, commands and fixtures honest.
        self.body = normalize_body(self.body)
        super().save(*args, **kwargs)
