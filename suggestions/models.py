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


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


OPEN_RUN = models.Q(status__in=[RunStatus.QUEUED, RunStatus.RUNNING])


class SuggestionRun(models.Model):
    """Scoring a long article's sentences as a background job (suggestions.tasks), and, if
    asked, accepting every suggestion afterwards, with its progress for the article page.

    The scores are kept here as well as in the cache: the worker is another process, and
    without a shared cache (CACHE_URL) what it caches would never reach the web's."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="suggestion_runs"
    )
    # The text scored, by its digest and the scorer's version (suggestions.selectors keys
    # its cache by both): an edit of the text or a new scorer needs a run of its own.
    digest = models.CharField(max_length=64)
    scorer_version = models.PositiveSmallIntegerField()
    # Who asked last: claims accepted by the job are made as them.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    accept = models.BooleanField(default=False)
    threshold = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    sentences_done = models.PositiveIntegerField(default=0)
    sentences_total = models.PositiveIntegerField(default=0)
    claims_accepted = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    # zlib-compressed JSON, suggestions.selectors' own format; empty until done.
    scores = models.BinaryField(blank=True, default=b"", editable=False)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    # Moved on with every progress report: a run that has not moved for long is stuck.
    updated_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # One job at a time per text: a second request joins the first.
            models.UniqueConstraint(
                fields=["article", "digest", "scorer_version"],
                condition=OPEN_RUN,
                name="suggestion_run_one_open",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=RunStatus.values), name="suggestion_run_status"
            ),
            models.CheckConstraint(
                condition=models.Q(accept=False) | models.Q(threshold__isnull=False),
                name="suggestion_run_accept_has_threshold",
            ),
            models.CheckConstraint(
                condition=models.Q(sentences_done__lte=models.F("sentences_total")),
                name="suggestion_run_done_within_total",
            ),
        ]
        indexes = [
            # The latest run of a text, for its article's page or for any copy of the text.
            models.Index(fields=["digest", "scorer_version", "-id"], name="suggestion_run_text"),
        ]

    def __str__(self) -> str:
        return f"Suggestions of article {self.article_id}: {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if self.status == RunStatus.DONE:
            return 100
        if not self.sentences_total:
            return 0
        return min(99, self.sentences_done * 100 // self.sentences_total)

    @property
    def is_open(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)
