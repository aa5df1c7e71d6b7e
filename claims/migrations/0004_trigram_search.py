"""Trigram indexes for substring search on PostgreSQL (queue "text contains", admin search).

Django's `icontains` on PostgreSQL compares UPPER(column) LIKE UPPER('%term%'); a GIN index
on UPPER(column) with gin_trgm_ops answers that without reading every row. SQLite has no
such index and keeps scanning, which is fine at its sizes, so there this does nothing.
"""

from django.db import migrations

INDEXES = {
    "claim_text_trgm": "claims_claim (UPPER(text) gin_trgm_ops)",
    "claim_attributed_trgm": "claims_claim (UPPER(attributed_to) gin_trgm_ops)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, target in INDEXES.items():
        table, expression = target.split(" ", 1)
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} USING gin {expression}"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    # CONCURRENTLY builds the indexes without blocking writes to a live claims table, and
    # cannot run inside a transaction.
    atomic = False

    dependencies = [("claims", "0003_export_permission")]

    operations = [migrations.RunPython(create, drop)]
