"""Links between claims of different articles (the `related` app): the history records
them (kinds "linked" and "unlinked"), and Reviewers and Editors may make and remove them
(permission `claims.link_claim`)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# A copy of who is granted the permission as this migration was written
# (newsdesk.auth.ROLE_PERMISSIONS); a later change to the roles gets a migration of its own.
GROUPS = ("Editors", "Reviewers")
KINDS = [
    ("created", "Created"),
    ("status_changed", "Status changed"),
    ("assigned", "Assigned"),
    ("source_added", "Source added"),
    ("source_removed", "Source removed"),
    ("edited", "Edited"),
    ("linked", "Linked"),
    ("unlinked", "Unlinked"),
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("claims")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    perm = Permission.objects.get(content_type__app_label="claims", codename="link_claim")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.add(perm)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="claims", codename="link_claim").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0009_queue_keyset_indexes"),
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
                    ("link_claim", "Can link claims as the same or related"),
                ],
            },
        ),
        migrations.RemoveConstraint(model_name="claimevent", name="event_kind_valid"),
        migrations.AlterField(
            model_name="claimevent",
            name="kind",
            field=models.CharField(choices=KINDS, max_length=16),
        ),
        migrations.AddConstraint(
            model_name="claimevent",
            constraint=models.CheckConstraint(
                condition=models.Q(kind__in=[value for value, _ in KINDS]),
                name="event_kind_valid",
            ),
        ),
        migrations.RunPython(grant, revoke),
    ]
