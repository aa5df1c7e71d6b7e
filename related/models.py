"""Claims of different articles that state the same thing, or something close to it.

Two kinds of pair live here. A `ClaimLink` is a reviewer's judgement ("same as #N",
"related to #N"): it is written through `related.services`, recorded in both claims'
history and shown until someone removes it. A `ClaimMatch` is the matcher's guess, kept so
the queue can filter on it without matching every row of a page: it is rebuilt whenever a
claim's words change and never shown as more than a suggestion.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class LinkKind(models.TextChoices):
    SAME = "same", "Same claim"
    RELATED = "related", "Related"


class ClaimLink(models.Model):
    # A link has no direction: it is stored once, lower id first, and read from both ends.
    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    other = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=LinkKind.choices)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-linked_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=LinkKind.values), name="claim_link_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(claim__lt=models.F("other")), name="claim_link_ordered"
            ),
            models.UniqueConstraint(fields=["claim", "other"], name="claim_link_once"),
        ]

    def __str__(self) -> str:
        return f"#{self.claim_id} {self.get_kind_display().lower()} #{self.other_id}"


class ClaimMatch(models.Model):
    """One claim's match among other articles' claims, as the matcher last scored it.

    Kept in both directions (a row for each claim of the pair), so "this claim's matches"
    is one index range whichever claim was written last.
    """

    claim = models.ForeignKey(
        "claims.Claim", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    other = models.ForeignKey("claims.Claim", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    # The matcher's verdict: the same claim, or only related (numbers, negation, speaker
    # or too few shared words stand between them).
    same = models.BooleanField("called the same")
    reasons = models.JSONField(default=list)
    # Whether `other` has been reviewed (is not unverified), kept in step with its status
    # (related/tasks.py), so the queue's "has a reviewed match" is one partial-index probe
    # rather than a join with the claims table for every row.
    other_reviewed = models.BooleanField(default=False)
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-score", "other"]
        verbose_name_plural = "claim matches"
        constraints = [
            models.UniqueConstraint(fields=["claim", "other"], name="claim_match_once"),
            models.CheckConstraint(
                condition=~models.Q(claim=models.F("other")), name="claim_match_not_itself"
            ),
        ]
        indexes = [
            models.Index(fields=["claim", "-score"], name="claim_match_claim_idx"),
            models.Index(
                fields=["claim"],
                condition=models.Q(same=True, other_reviewed=True),
                name="claim_match_reviewed_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.claim_id} ~ #{self.other_id} ({self.score:.2f})"
