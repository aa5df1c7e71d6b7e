"""The two newsroom roles. Their groups and permissions are created by a migration
(claims/migrations/0002_roles.py, then 0003 for exports); the migrations keep their own
copies of what they grant."""

EDITORS = "Editors"
REVIEWERS = "Reviewers"

ROLE_PERMISSIONS: dict[str, list[str]] = {
    EDITORS: [
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "claims.add_claim",
        "claims.change_claim",
        "claims.view_claim",
        "claims.assign_claim",
        "claims.view_source",
        "claims.view_claimevent",
        "claims.export_claims",
    ],
    REVIEWERS: [
        "articles.view_article",
        "claims.view_claim",
        "claims.change_claim_status",
        "claims.add_source",
        "claims.delete_source",
        "claims.view_source",
        "claims.view_claimevent",
        "claims.export_claims",
    ],
}
