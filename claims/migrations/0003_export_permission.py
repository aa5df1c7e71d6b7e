"""Everyone in the newsroom may export verified-claims reports."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("Editors", "Reviewers")


def grant(apps, schema_editor):
    app_config = apps.get_app_config("claims")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    perm = Permission.objects.get(content_type__app_label="claims", codename="export_claims")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.add(perm)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="claims", codename="export_claims").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0002_roles"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="claim",
            options={
                "ordering": ["-status_changed_at", "-id"],
                "permissions": [
                    ("change_claim_status", "Can move a claim through the review workflow"),
                    ("assign_claim", "Can assign claims to reviewers"),
                    ("export_claims", "Can export verified-claims reports"),
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
