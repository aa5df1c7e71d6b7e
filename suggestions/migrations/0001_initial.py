"""DismissedSuggestion, moved here from claims (claims/0008 drops it from that app's state).

Its table already exists as claims_dismissedsuggestion, with its rows: the model is taken
over in the migration state alone, then the table is renamed to this app's name, which
keeps every row, index and constraint on SQLite and PostgreSQL alike. A new database runs
claims/0007 first, so it takes the same path."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def _move_content_type(apps, schema_editor, *, old: str, new: str) -> None:
    """Keep the model's content type (and the permissions and admin log entries that point
    at it) with the model, rather than leave it behind under the old app's label."""
    content_types = apps.get_model("contenttypes", "ContentType")
    if content_types.objects.filter(app_label=new, model="dismissedsuggestion").exists():
        return
    content_types.objects.filter(app_label=old, model="dismissedsuggestion").update(app_label=new)


def forwards(apps, schema_editor):
    _move_content_type(apps, schema_editor, old="claims", new="suggestions")


def backwards(apps, schema_editor):
    _move_content_type(apps, schema_editor, old="suggestions", new="claims")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0004_article_duplicate_keys"),
        ("claims", "0008_move_dismissed_suggestion_drop_imported"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DismissedSuggestion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("text", models.TextField()),
                        ("digest", models.CharField(editable=False, max_length=64)),
                        ("dismissed_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "article",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="dismissed_suggestions",
                                to="articles.article",
                            ),
                        ),
                        (
                            "dismissed_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "claims_dismissedsuggestion",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("article", "digest"), name="dismissed_suggestion_once"
                            )
                        ],
                    },
                ),
            ],
        ),
        # None: the app's default name, suggestions_dismissedsuggestion.
        migrations.AlterModelTable(name="dismissedsuggestion", table=None),
        migrations.RunPython(forwards, backwards),
    ]
