from __future__ import annotations

import importlib

import pytest
from django.contrib.auth.models import Group

from newsdesk.auth import (
    ADD_CLAIM,
    ADD_SOURCE,
    ASSIGN,
    EDITORS,
    EXPORT,
    LINK_CLAIM,
    REVIEW,
    REVIEWERS,
    ROLE_PERMISSIONS,
)


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
    links = importlib.import_module("claims.migrations.0010_claim_links").GROUPS
    granted = {
        name: [
            *perms,
            *([EXPORT] if name in exports else []),
            *([LINK_CLAIM] if name in links else []),
        ]
        for name, perms in first.items()
    }
    assert granted == ROLE_PERMISSIONS


@pytest.mark.django_db
def test_editors_and_reviewers_split_the_work(editor, reviewer):
    assert editor.has_perm(ASSIGN)
    assert not editor.has_perm(REVIEW)
    assert reviewer.has_perm(REVIEW)
    assert reviewer.has_perm(ADD_SOURCE)
    assert not reviewer.has_perm(ADD_CLAIM)
    assert not reviewer.has_perm("claims.change_claimevent")
