"""Every row a form could write, as plain values: equal snapshots before and after a
request prove it changed nothing."""

from __future__ import annotations

from pprint import pformat

from django.apps import apps

# The newsroom's data, its people and roles, and the admin's own log. Sessions and login
# attempts are left out: signing in writes them, and they are not what a form edits.
APPS = ("articles", "claims", "auth", "admin")


def database_snapshot() -> dict[str, list[dict[str, object]]]:
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in APPS
    }


def changes(before: dict, after: dict) -> dict[str, tuple[list, list]]:
    """For each table that differs: the rows only before, and the rows only after."""
    found = {}
    for label in before.keys() | after.keys():
        old, new = before.get(label, []), after.get(label, [])
        if old != new:
            found[label] = ([r for r in old if r not in new], [r for r in new if r not in old])
    return found


def assert_unchanged(before: dict) -> None:
    found = changes(before, database_snapshot())
    assert not found, "rows before and after:\n" + pformat(found, width=100)
