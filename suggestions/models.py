from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from newsdesk.text import text_digest


class DismissedSuggestion(models.Model):
    """A sentence an Editor judged not worth checking: it is not suggested again.

    Kept by the sentence's words rather than its offsets, so a dismissal survives edits
    that move the sentence, and lapses when its words change.
    """

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="dismissed_suggestions"
    )
    text = models.TextField()
    # A sentence can be longer than a btree index entry allows; its digest is the key.
    digest = models.CharField(max_length=64, editable=False)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    dismissed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "digest"], name="dismissed_suggestion_once"),
        ]

    def __str__(self) -> str:
        return f"Dismissed on article {self.article_id}: {self.text[:60]}"

    def save(self, *args, **kwargs) -> None:
        self.digest = text_digest(self.text)
        super().save(*args, **kwargs)
