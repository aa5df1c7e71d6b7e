from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils import timezone

from articles.quotes import ANCHOR_CONTEXT
from newsdesk.fields import WebURLField


class ClaimStatus(models.TextChoices):
    UNVERIFIED = "unverified", "Unverified"
    SOURCED = "sourced", "Sourced"
    DISPUTED = "disputed", "Disputed"
    CONFIRMED = "confirmed", "Confirmed"


class ClaimOrigin(models.TextChoices):
    MANUAL = "manual", "Manual"
    SUGGESTED = "suggested", "Suggested"


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    CONTRADICTS = "contradicts", "Contradicts"
    CONTEXT = "context", "Context"


class EventKind(models.TextChoices):
    CREATED = "created", "Created"
    STATUS_CHANGED = "status_changed", "Status changed"
    ASSIGNED = "assigned", "Assigned"
    SOURCE_ADDED = "source_added", "Source added"
    SOURCE_REMOVED = "source_removed", "Source removed"
    EDITED = "edited", "Edited"
    # A reviewer's link to a claim of another article (related.ClaimLink), and its removal:
    # written on both claims of the pair.
    LINKED = "linked", "Linked"
    UNLINKED = "unlinked", "Unlinked"


class Via(models.TextChoices):
    WEB = "web", "Web"
    ADMIN = "admin", "Admin"
    COMMAND = "command", "Command"


def _in_choices(field: str, choices: type[models.TextChoices]) -> models.Q:
    return models.Q(**{f"{field}__in": choices.values})


class Claim(models.Model):
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.PROTECT,
        related_name="claims",
        # The (article, start) index below serves every lookup by article.
        db_index=False,
    )
    text = models.TextField("quote", help_text="The exact quote from the article body.")
    start = models.PositiveIntegerField(help_text="Offset of the first character in the body.")
    end = models.PositiveIntegerField(help_text="Offset just past the last character.")
    prefix = models.CharField(max_length=ANCHOR_CONTEXT, blank=True)
    suffix = models.CharField(max_length=ANCHOR_CONTEXT, blank=True)
    attributed_to = models.CharField(
        max_length=300, blank=True, help_text="Who makes the claim in the article."
    )
    status = models.CharField(
        max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.UNVERIFIED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_claims",
        db_index=False,
    )
    rationale = models.TextField(blank=True, help_text="The reviewer's verdict, shown in reports.")
    # Set when an edit of the article removed the quote: the claim keeps its old words and
    # offsets (which no longer point into the body) until someone re-anchors or disputes it.
    orphaned = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    status_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    origin = models.CharField(
        max_length=16, choices=ClaimOrigin.choices, default=ClaimOrigin.MANUAL
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
        ordering = ["-status_changed_at", "-id"]
        permissions = [
            ("change_claim_status", "Can move a claim through the review workflow"),
            ("assign_claim", "Can assign claims to reviewers"),
            ("export_claims", "Can export verified-claims reports"),
            ("link_claim", "Can link claims as the same or related"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_in_choices("status", ClaimStatus), name="claim_status_valid"
            ),
            models.CheckConstraint(
                condition=_in_choices("origin", ClaimOrigin), name="claim_origin_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(start__gte=0, end__gt=models.F("start")),
                name="claim_span_ordered",
            ),
            # The quote is exactly the span it claims to be: anchoring relies on it.
            models.CheckConstraint(
                condition=Exact(Length("text"), models.F("end") - models.F("start")),
                name="claim_quote_matches_span",
            ),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="claim_version_pos"),
        ]
        indexes = [
            # Reviewer queue: filter by status and assignee, newest change first, id breaks ties.
            models.Index(
                fields=["status", "assignee", "-status_changed_at", "-id"],
                name="claim_queue_idx",
            ),
            models.Index(fields=["assignee", "-status_changed_at", "-id"], name="claim_mine_idx"),
            # The queue by status alone, and within one article: the keyset's row comparison
            # starts the scan at the cursor only on an index that ends in its two columns.
            models.Index(fields=["status", "-status_changed_at", "-id"], name="claim_status_idx"),
            models.Index(
                fields=["article", "-status_changed_at", "-id"], name="claim_article_queue_idx"
            ),
            models.Index(fields=["-status_changed_at", "-id"], name="claim_recent_idx"),
            models.Index(fields=["article", "start", "id"], name="claim_article_idx"),
        ]

    def __str__(self) -> str:
        quote = self.text if len(self.text) <= 80 else self.text[:79] + "…"
        return f"#{self.pk} “{quote}”"


class Source(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="sources")
    url = WebURLField("URL", max_length=2000)
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who published it; when blank, the URL's domain stands for the publisher.",
    )
    excerpt = models.TextField(blank=True, help_text="The passage that bears on the claim.")
    stance = models.CharField(max_length=16, choices=Stance.choices)
    accessed_on = models.DateField("accessed", default=timezone.localdate)
    archived_url = WebURLField("archived URL", max_length=2000, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Set on a copy of another claim's source (related claims): who copied it here, while
    # `added_by` stays who found it. The four-eyes rule counts both as the source's people.
    copied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=_in_choices("stance", Stance), name="source_stance_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publisher_name}: {self.title or self.url}"

    @property
    def publisher_name(self) -> str:
        return self.publisher.strip() or url_domain(self.url)


def publisher_name_key(name: str) -> str:
    """A typed publisher name, compared without case, spaces or punctuation."""
    return "".join(c for c in name.casefold() if c.isalnum())


def url_domain(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


# Second-level labels under which a country's registrable domains sit (bbc.co.uk).
_SECOND_LEVEL = {"co", "com", "org", "net", "gov", "ac", "edu", "govt", "nic"}


def registrable_domain(url: str) -> str:
    """The part of a host a publisher registers: uk.reuters.com -> reuters.com.

    A heuristic rather than the full public-suffix list, which is enough to tell
    newsrooms apart.
    """
    labels = url_domain(url).split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


class ClaimEventQuerySet(models.QuerySet):
    """History rows are written once and never changed or removed."""

    def update(self, **kwargs):
        raise TypeError("Claim history is append-only.")

    def delete(self):
        raise TypeError("Claim history is append-only.")


class ClaimEvent(models.Model):
    # The composite indexes in Meta lead with these keys, so the FKs need none of their own.
    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        help_text="Empty when the system acted on its own.",
    )
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    from_status = models.CharField(max_length=16, choices=ClaimStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=ClaimStatus.choices, blank=True)
    note = models.TextField(blank=True)
    # One uuid ties together every row written by one bulk action.
    batch = models.UUIDField(null=True, blank=True)
    via = models.CharField(max_length=16, choices=Via.choices)
    # What changed, for kinds that need more than from/to status (edits, sources, assignees).
    data = models.JSONField(default=dict, blank=True)

    objects = ClaimEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=_in_choices("kind", EventKind), name="event_kind_valid"
            ),
            models.CheckConstraint(condition=_in_choices("via", Via), name="event_via_valid"),
            models.CheckConstraint(
                condition=models.Q(from_status="") | _in_choices("from_status", ClaimStatus),
                name="event_from_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(to_status="") | _in_choices("to_status", ClaimStatus),
                name="event_to_status_valid",
            ),
            # A status change always says where it went.
            models.CheckConstraint(
                condition=~models.Q(kind=EventKind.STATUS_CHANGED) | ~models.Q(to_status=""),
                name="event_status_change_has_target",
            ),
        ]
        indexes = [
            models.Index(fields=["claim", "-at", "-id"], name="event_claim_idx"),
            models.Index(fields=["-at", "-id"], name="event_recent_idx"),
            models.Index(fields=["batch"], name="event_batch_idx"),
            models.Index(fields=["actor", "-at"], name="event_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on claim {self.claim_id} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise TypeError("Claim history is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Claim history is append-only.")
