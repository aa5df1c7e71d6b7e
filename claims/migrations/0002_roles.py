"""Create the Editors and Reviewers groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# A copy of the roles' permissions (newsdesk.auth.ROLE_PERMISSIONS) as they stood when this
# migration was written; a later change to the roles gets a migration of its own.
ROLE_PERMISSIONS = {
    "Editors": [
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "claims.add_claim",
        "claims.change_claim",
        "claims.view_claim",
        "claims.assign_claim",
        "claims.view_source",
        "claims.view_claimevent",
    ],
    "Reviewers": [
        "articles.view_article",
        "claims.view_claim",
        "claims.change_claim_status",
        "claims.add_source",
        "claims.delete_source",
        "claims.view_source",
        "claims.view_claimevent",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations ran; groups need them now.
    for label in ("articles", "claims"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("claims", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
