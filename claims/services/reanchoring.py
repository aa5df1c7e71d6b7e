"""Following an article's claims into its edited text."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.anchoring import TextEdit
from articles.models import Article
from articles.quotes import anchor_at
from claims import events as events_of
from claims.models import Claim, ClaimEvent, ClaimStatus, Via
from claims.services.common import CHUNK, batched, reopen_for_new_words
from claims.signals import status_changed, words_changed

REANCHORED_FIELDS = ["text", "start", "end", "prefix", "suffix", "orphaned"]


@dataclass
class ReanchorReport:
    """What an edit of an article's text did to each of its claims."""

    text_changed: bool = False
    kept: list[Claim] = field(default_factory=list)
    moved: list[Claim] = field(default_factory=list)
    changed: list[Claim] = field(default_factory=list)
    orphaned: list[Claim] = field(default_factory=list)
    # Orphaned by an earlier edit and still not found: not news, but not forgotten either.
    still_orphaned: list[Claim] = field(default_factory=list)

    def describe(self) -> str:
        if not self.text_changed:
            return "The text did not change."
        parts = [
            f"{len(getattr(self, name))} {name}"
            for name in ("kept", "moved", "changed", "orphaned")
        ]
        said = "Claims: " + ", ".join(parts)
        if self.still_orphaned:
            said += f" ({len(self.still_orphaned)} still orphaned from an earlier edit)"
        return said + "."


@transaction.atomic
def claims_follow_edit(
    *, article: Article, old_body: str, by: AbstractBaseUser, via: Via
) -> ReanchorReport:
    """Follow every claim of `article` (whose new text is saved, in this transaction) from
    `old_body` into its new text.

    Claims whose words are still there move with them; a claim whose words changed takes
    the new ones and, if it had been reviewed, goes back to unverified; a claim whose
    words are gone is marked orphaned. Every claim that changed gets a history row that
    says what happened. Nothing is deleted. Called by `articles.services`, which owns
    the article's write and its permission check.
    """
    new_body = article.body
    report = ReanchorReport(text_changed=new_body != old_body)
    if not report.text_changed:
        return report
    edit = TextEdit(old_body, new_body)
    now = timezone.now()
    events: list[ClaimEvent] = []
    followed: list[Claim] = []
    # Claims whose quote now reads differently: the matcher looks at them again.
    worded: list[int] = []
    shifted: dict[int, list[int]] = {}
    claims = list(article.claims.select_for_update().order_by("pk"))
    for claim in claims:
        found = edit.follow(
            start=claim.start,
            end=claim.end,
            text=claim.text,
            prefix=claim.prefix,
            suffix=claim.suffix,
            orphaned=claim.orphaned,
        )
        values: dict[str, object] = {}
        if found.outcome == "orphaned" and claim.orphaned:
            report.still_orphaned.append(claim)
            continue
        getattr(report, found.outcome).append(claim)
        if found.outcome == "orphaned":
            values["orphaned"] = True
        else:
            anchor = anchor_at(new_body, found.start, found.end)
            same_context = (anchor["prefix"], anchor["suffix"]) == (claim.prefix, claim.suffix)
            if found.outcome == "kept" and not claim.orphaned and same_context:
                continue
            values.update(anchor, orphaned=False)
        events.append(
            events_of.reanchored(
                claim,
                by=by,
                via=via,
                at=now,
                outcome=found.outcome,
                start=values.get("start"),
                text=values.get("text", claim.text),
            )
        )
        if found.outcome == "changed":
            reopen_for_new_words(
                claim,
                values,
                events,
                words=[claim.text, values["text"]],
                via=via,
                now=now,
                note=f"{by.get_username()} edited the article and the quote changed, so the "
                "earlier verdict no longer applies; reopened for review.",
            )
        changed = {name for name, value in values.items() if getattr(claim, name) != value}
        shift = values.get("start", claim.start) - claim.start
        if changed <= {"start", "end"} and values.get("end", claim.end) - claim.end == shift:
            # Words and surroundings as they were, only further along: most claims after
            # an edit near the top. These move together, one UPDATE per shift.
            shifted.setdefault(shift, []).append(claim.pk)
            continue
        # The rows are locked, so the version can be set rather than incremented in SQL.
        if "text" in changed:
            worded.append(claim.pk)
        values.update(version=claim.version + 1, updated_at=now)
        for name, value in values.items():
            setattr(claim, name, value)
        followed.append(claim)
    for shift, ids in shifted.items():
        for chunk in batched(ids, CHUNK):
            Claim.objects.filter(pk__in=chunk).update(
                start=F("start") + shift,
                end=F("end") + shift,
                version=F("version") + 1,
                updated_at=now,
            )
    Claim.objects.bulk_update(
        followed,
        [*REANCHORED_FIELDS, "status", "status_changed_at", "rationale", "version", "updated_at"],
        batch_size=500,
    )
    ClaimEvent.objects.bulk_create(events, batch_size=1000)
    words_changed(worded)
    status_changed(c.pk for c in followed if c.status == ClaimStatus.UNVERIFIED)
    return report
