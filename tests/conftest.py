from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission

from newsdesk.auth import EDITORS, REVIEWERS, ROLE_PERMISSIONS
from tests.commands import TEXT
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    SourceFactory,
    UserFactory,
    editor_factory,
    reviewer_factory,
)


@pytest.fixture
def reviewer(db):
    return reviewer_factory(username="rui")


@pytest.fixture
def reviewer2(db):
    return reviewer_factory(username="rania")


@pytest.fixture
def editor(db):
    return editor_factory(username="elena")


@pytest.fixture
def staff(db):
    """A desk chief: uses the admin, holds both newsroom roles."""
    return UserFactory(username="sam", is_staff=True, roles=[EDITORS, REVIEWERS])


@pytest.fixture
def superuser(db):
    return UserFactory(username="ada", is_staff=True, is_superuser=True)


@pytest.fixture
def nobody(db):
    """Signed in, but holds no newsroom role."""
    return UserFactory(username="nina")


@pytest.fixture
def article(db):
    return ArticleFactory()


@pytest.fixture
def claim(article):
    return ClaimFactory(article=article)


@pytest.fixture
def claim_factory(db):
    return ClaimFactory


@pytest.fixture
def source_factory(db):
    return SourceFactory


@pytest.fixture
def story(tmp_path) -> Path:
    """The wire story (tests.commands.TEXT) as a .txt file, for the commands to read. The
    round-trip tests define a `story` of their own, which stands in for this one there."""
    path = tmp_path / "story.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


@pytest.fixture
def groups(db):
    return {g.name: g for g in Group.objects.all()}


@pytest.fixture
def roles_for_transactional_tests(transactional_db):
    """Transactional tests flush the database after each test, taking with it the groups
    the roles migration created; put them back."""
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
