"""What other apps may follow in the claims' life without the claims importing them.

`claims_worded` is sent, after the transaction commits, with the ids of claims that were
created or whose quote or attribution changed; `claims_restatused` with the ids of claims
whose status changed. The related-claims matcher keeps its stored matches in step with
both (related/apps.py connects the receivers).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

claims_worded = Signal()
claims_restatused = Signal()


def words_changed(claim_ids: Iterable[int]) -> None:
    """Announce, once the current transaction commits, that these claims' words changed.
    A rolled-back write announces nothing."""
    ids = sorted(set(claim_ids))
    if ids:
        transaction.on_commit(lambda: claims_worded.send(sender="claims", claim_ids=ids))


def status_changed(claim_ids: Iterable[int]) -> None:
    """Announce, once the current transaction commits, that these claims' status changed."""
    ids = sorted(set(claim_ids))
    if ids:
        transaction.on_commit(lambda: claims_restatused.send(sender="claims", claim_ids=ids))
