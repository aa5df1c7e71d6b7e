"""Make the history append-only in the database itself on PostgreSQL: UPDATE and DELETE
on claims_claimevent raise, whoever sends them (the ORM, the shell, psql). SQLite keeps
the ORM-level guard only."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION newsdesk_history_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'claim history is append-only: %% refused on claims_claimevent', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS claims_claimevent_append_only ON claims_claimevent;
CREATE TRIGGER claims_claimevent_append_only
    BEFORE UPDATE OR DELETE ON claims_claimevent
    FOR EACH ROW EXECUTE FUNCTION newsdesk_history_is_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS claims_claimevent_append_only ON claims_claimevent;
DROP FUNCTION IF EXISTS newsdesk_history_is_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_trigram_search")]

    operations = [migrations.RunPython(create, drop)]
