"""Indexes for the queue's keyset pages filtered by status alone and by article.

The row comparison `(status_changed_at, id) < (t, pk)` starts an index scan at the cursor
only on an index whose columns end in (status_changed_at, id) after those the filter
fixes; without these, a status or article filter sorted every matching claim per page.
On PostgreSQL they are built CONCURRENTLY, so a live claims table keeps taking writes.
"""

from django.db import migrations, models

INDEXES = [
    models.Index(fields=["status", "-status_changed_at", "-id"], name="claim_status_idx"),
    models.Index(fields=["article", "-status_changed_at", "-id"], name="claim_article_queue_idx"),
]


def create(apps, schema_editor):
    model = apps.get_model("claims", "Claim")
    concurrently = schema_editor.connection.vendor == "postgresql"
    for index in INDEXES:
        if concurrently:
            schema_editor.add_index(model, index, concurrently=True)
        else:
            schema_editor.add_index(model, index)


def drop(apps, schema_editor):
    model = apps.get_model("claims", "Claim")
    concurrently = schema_editor.connection.vendor == "postgresql"
    for index in INDEXES:
        if concurrently:
            schema_editor.remove_index(model, index, concurrently=True)
        else:
            schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    # CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [("claims", "0008_move_dismissed_suggestion_drop_imported")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(create, drop)],
            state_operations=[
                migrations.AddIndex(model_name="claim", index=index) for index in INDEXES
            ],
        )
    ]
