"""DismissedSuggestion moves to the suggestions app (suggestions/0001 takes over its table,
which nothing here touches), and the "imported" origin goes: no code path sets it, but
`seed_bulk` wrote it, so such rows become "manual" before the constraint narrows."""

from django.db import migrations, models


def imported_to_manual(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    Claim.objects.filter(origin="imported").update(origin="manual")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0007_dismissed_suggestion"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="DismissedSuggestion")],
        ),
        # Going back keeps them "manual": which claims were "imported" is not recorded.
        migrations.RunPython(imported_to_manual, migrations.RunPython.noop, elidable=True),
        migrations.RemoveConstraint(model_name="claim", name="claim_origin_valid"),
        migrations.AlterField(
            model_name="claim",
            name="origin",
            field=models.CharField(
                choices=[("manual", "Manual"), ("suggested", "Suggested")],
                default="manual",
                max_length=16,
            ),
        ),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.CheckConstraint(
                condition=models.Q(("origin__in", ["manual", "suggested"])),
                name="claim_origin_valid",
            ),
        ),
    ]
