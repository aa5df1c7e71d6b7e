from __future__ import annotations

import importlib

import pytest
from django.contrib.auth.models import Group

from claims.roles import EDITORS, REVIEWERS, ROLE_PERMISSIONS


def perms_of(group: Group) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


@pytest.mark.django_db
def test_migration_creates_both_roles_with_their_permissions():
    for name in (EDITORS, REVIEWERS):
        assert perms_of(Group.objects.get(name=name)) == set(ROLE_PERMISSIONS[name])


def test_roles_module_and_migrations_agree():
    first = importlib.import_module("claims.migrations.0002_roles").ROLE_PERMISSIONS
    exports = importlib.import_module("claims.migrations.0003_export_permission").GROUPS
    granted = {
        name: [*perms, *(["claims.export_claims"] if name in exports else [])]
        for name, perms in first.items()
    }
    assert granted == ROLE_PERMISSIONS


@pytest.mark.django_db
def test_editors_and_reviewers_split_the_work(editor, reviewer):
    assert editor.has_perm("claims.assign_claim")
    assert not editor.has_perm("claims.change_claim_status")
    assert reviewer.has_perm("claims.change_claim_status")
    assert reviewer.has_perm("claims.add_source")
    assert not reviewer.has_perm("claims.add_claim")
    assert not reviewer.has_perm("claims.change_claimevent")
