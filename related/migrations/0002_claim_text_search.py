"""Full-text search over the claims' words, for finding candidate matches fast.

PostgreSQL: a stored generated column `search_terms` (the text's English tsvector: stems,
stop words dropped) and a GIN index on it. The column is the database's own, not the
model's: PostgreSQL computes it on every insert and update, Django never writes it, and
ranking reads it instead of parsing each candidate's text again (ts_rank over 2,000 rows
took 60 ms recomputed, under 10 stored). fastupdate is off: a pending list of recent rows
would be scanned by every search until VACUUM merged it (65 ms a search instead of 5 after
a bulk import, measured). ANALYZE keeps the commonest stems' frequencies in pg_stats, which
the matcher reads as document frequencies.

SQLite: an FTS5 table over the same column, kept in step with the claims table by triggers
(FTS5 ranks by BM25 and counts documents per term itself). The triggers live on
claims_claim: a later migration that rebuilds that table on SQLite drops them, which
tests/related/test_retrieval.py would catch.
"""

from django.db import migrations

PG_COLUMN = "search_terms"
PG_INDEX = "related_claim_terms"

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS related_claim_fts USING fts5("
    "text, content='claims_claim', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    # Documents per term, for the matcher's word weights.
    "CREATE VIRTUAL TABLE IF NOT EXISTS related_claim_vocab "
    "USING fts5vocab(related_claim_fts, 'row')",
    "CREATE TRIGGER IF NOT EXISTS related_claim_fts_insert AFTER INSERT ON claims_claim BEGIN "
    "INSERT INTO related_claim_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS related_claim_fts_delete AFTER DELETE ON claims_claim BEGIN "
    "INSERT INTO related_claim_fts(related_claim_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS related_claim_fts_update AFTER UPDATE OF text ON claims_claim "
    "BEGIN INSERT INTO related_claim_fts(related_claim_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); "
    "INSERT INTO related_claim_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO related_claim_fts(related_claim_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS related_claim_fts_insert",
    "DROP TRIGGER IF EXISTS related_claim_fts_delete",
    "DROP TRIGGER IF EXISTS related_claim_fts_update",
    "DROP TABLE IF EXISTS related_claim_vocab",
    "DROP TABLE IF EXISTS related_claim_fts",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE claims_claim ADD COLUMN IF NOT EXISTS {PG_COLUMN} tsvector "
            "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {PG_INDEX} ON claims_claim "
            f"USING gin ({PG_COLUMN}) WITH (fastupdate = off)"
        )
        schema_editor.execute("ANALYZE claims_claim")
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {PG_INDEX}")
        schema_editor.execute(f"ALTER TABLE claims_claim DROP COLUMN IF EXISTS {PG_COLUMN}")
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    # CONCURRENTLY builds the index without blocking writes to a live claims table, and
    # cannot run inside a transaction.
    atomic = False

    dependencies = [("related", "0001_initial"), ("claims", "0009_queue_keyset_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
