from django.apps import AppConfig


class RelatedConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "related"
    verbose_name = "Related claims"

    def ready(self) -> None:
        from claims.signals import claims_restatused, claims_worded

        claims_worded.connect(claims_words_changed, dispatch_uid="related.claims_worded")
        claims_restatused.connect(claims_status_changed, dispatch_uid="related.restatused")


def claims_words_changed(sender, *, claim_ids: list[int], **kwargs) -> None:
    # Matching waits for the job queue: a claim's write never waits for its matches.
    from related.tasks import claims_match

    claims_match.enqueue(claim_ids=list(claim_ids))


def claims_status_changed(sender, *, claim_ids: list[int], **kwargs) -> None:
    # One indexed UPDATE per thousand claims, at once: the queue's filter reads it next.
    from related.tasks import claim_matches_follow_status

    claim_matches_follow_status(claim_ids=claim_ids)
