"""The reviewer's pages, one module per part of the work: the desk (`desk`), the claim
review page (`review`) and reports (`reports`).

Views read through `claims.selectors` and write through `claims.services`; the rules
themselves live in `claims.workflow`.
"""

from claims.views.desk import assign, dashboard, queue
from claims.views.reports import export, report
from claims.views.review import add_source, claim_detail, decide, edit_claim, remove_source

__all__ = [
    "add_source",
    "assign",
    "claim_detail",
    "dashboard",
    "decide",
    "edit_claim",
    "export",
    "queue",
    "remove_source",
    "report",
]
