"""The admin of claims, sources and history: staff's bulk-edit tool. Every write goes
through `claims.services`. Importing this package registers its ModelAdmins."""

from claims.admin.claim import ClaimAdmin
from claims.admin.history import ClaimEventAdmin
from claims.admin.sources import SourceAdmin

__all__ = ["ClaimAdmin", "ClaimEventAdmin", "SourceAdmin"]
