"""Every write to claims, their sources and their history.

Each function checks who acts and what the rules allow, writes, and records the history
row (`claims.events`) in the same transaction, so a claim never changes without a trace.
One module per concern; callers import from here.
"""

from claims.services.assignment import ClaimTaken, claim_assign, claims_bulk_assign
from claims.services.claims import (
    NewClaim,
    claim_create,
    claim_edit,
    claim_update,
    claims_create_many,
)
from claims.services.common import (
    CLAIM_SHOWN,
    NOTE_MAX_LENGTH,
    ArticleChanged,
    BulkResult,
    RationaleChanged,
    StaleClaim,
    claim_loaded,
)
from claims.services.reanchoring import ReanchorReport, claims_follow_edit
from claims.services.sources import (
    SourceGone,
    SourcesCopied,
    SourcesRefused,
    cited_already,
    repeated_link,
    source_add,
    source_remove,
    sources_add_copies,
    sources_bulk_remove,
)
from claims.services.transitions import claim_transition, claims_bulk_transition

__all__ = [
    "CLAIM_SHOWN",
    "NOTE_MAX_LENGTH",
    "ArticleChanged",
    "BulkResult",
    "ClaimTaken",
    "NewClaim",
    "RationaleChanged",
    "ReanchorReport",
    "SourceGone",
    "SourcesCopied",
    "SourcesRefused",
    "StaleClaim",
    "cited_already",
    "claim_assign",
    "claim_create",
    "claim_edit",
    "claim_loaded",
    "claim_transition",
    "claim_update",
    "claims_bulk_assign",
    "claims_bulk_transition",
    "claims_create_many",
    "claims_follow_edit",
    "repeated_link",
    "source_add",
    "source_remove",
    "sources_add_copies",
    "sources_bulk_remove",
]
