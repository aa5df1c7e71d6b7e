import logging

from django.apps import AppConfig
from django.conf import settings

logger = logging.getLogger(__name__)


class RelatedConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "related"
    verbose_name = "Related claims"

    def ready(self) -> None:
        from claims.signals import claims_restatused, claims_worded

        claims_worded.connect(claims_words_changed, dispatch_uid="related.claims_worded")
        claims_restatused.connect(claims_status_changed, dispatch_uid="related.restatused")


# Under the immediate backend (the demo, the tests: no worker) a job runs inside the request
# that wrote the claims; matching costs 10-30 ms a claim, so a write of more claims than
# this at once (accepting every suggestion of a long article) is not matched there. Staff
# match them with the admin action "Find matches for the selected claims".
INLINE_MATCHED = 200


def claims_words_changed(sender, *, claim_ids: list[int], **kwargs) -> None:
    # Matching waits for the job queue: a claim's write never waits for its matches.
    from related.tasks import claims_match

    if len(claim_ids) > INLINE_MATCHED and settings.NEWSDESK_TASKS == "immediate":
        logger.warning(
            "%d claims written at once are not matched: no task worker runs "
            "(NEWSDESK_TASKS=immediate). Use the admin action to match them.",
            len(claim_ids),
        )
        return
    claims_match.enqueue(claim_ids=list(claim_ids))


def claims_status_changed(sender, *, claim_ids: list[int], **kwargs) -> None:
    # One indexed UPDATE per thousand claims, at once: the queue's filter reads it next.
    from related.tasks import claim_matches_follow_status

    claim_matches_follow_status(claim_ids=claim_ids)
