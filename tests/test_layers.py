"""The layering of the project's packages, checked on their import graph (read, not imported).

Each module stands on a floor and imports only from its own floor or below:

    4 top     views, admin, urls, management commands, templatetags, middleware, api
    3         forms and filters
    2         suggestions.selectors and suggestions.services, which orchestrate over 1
    1 middle  each app's selectors, services, exports and pure helpers over its services
    0 bottom  models, workflow rules, event builders, text, anchoring, settings, auth, …
              and the suggestion engine (segmenter, scorer) with suggestions' models

and, whatever the floors say: no import cycle; no module imports another app's views or
admin (shared helpers live in `newsdesk/` or the app's own helper module); the bottom floor
of articles and claims never imports suggestions, and loading `claims.models` never loads
the engine. FLOORS places every module; a module it does not place fails the test, so
each new module is placed on purpose.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from functools import cache
from itertools import pairwise
from pathlib import Path

import pytest

from tests.import_graph import (
    Graph,
    import_graph,
    project_packages,
    shortest_path,
    strongly_connected,
)

ROOT = Path(__file__).resolve().parent.parent

BOTTOM, MIDDLE, ORCHESTRATION, FORMS, TOP = 0, 1, 2, 3, 4
FLOOR_NAMES = {
    BOTTOM: "0 bottom",
    MIDDLE: "1 middle",
    ORCHESTRATION: "2 orchestration",
    FORMS: "3 forms",
    TOP: "4 top",
}

# Module-name pattern -> floor. The first row that matches places a module, so the rows
# naming one module come before the rows for a kind of module in any app. In a pattern
# `*` is one part of a dotted name and `**` any number of parts, zero included:
# `*.views.**` is every app's views module, or its views package and all inside it.
FLOORS: tuple[tuple[str, int], ...] = (
    # The project's own entry points.
    ("newsdesk.urls", TOP),
    ("newsdesk.views.**", TOP),
    ("newsdesk.admin.**", TOP),
    # What every app's admin shares: a library for them, never registrations.
    ("newsdesk.admin_options", TOP),
    ("newsdesk.wsgi", TOP),
    ("newsdesk.asgi", TOP),
    # The suggestion engine is pure and sits at the bottom with suggestions' models;
    # suggestions' reads and writes sit above the articles and claims services they use.
    ("suggestions.scorer", BOTTOM),
    ("suggestions.segmenter", BOTTOM),
    ("suggestions.attribution.**", BOTTOM),  # the package and its modules
    ("suggestions.model", BOTTOM),
    ("suggestions.signals", BOTTOM),
    ("suggestions.models.**", BOTTOM),
    ("suggestions.selectors.**", ORCHESTRATION),
    ("suggestions.services.**", ORCHESTRATION),
    # The background job over those services, and the writes that ask for it.
    ("suggestions.tasks", ORCHESTRATION),
    ("suggestions.jobs", ORCHESTRATION),
    # Related claims: the judgement of two texts is pure and sits at the bottom; finding
    # candidates reads the claims; the job that stores matches sits with the other jobs.
    ("related.matching", BOTTOM),
    ("related.retrieval", MIDDLE),
    ("related.tasks", ORCHESTRATION),
    # Any app: what a request, the admin or a command enters through.
    ("*.views.**", TOP),
    ("*.admin.**", TOP),
    ("*.urls", TOP),
    # A page rendered by more than one app's views (the article page).
    ("*.pages", TOP),
    ("*.api.**", TOP),
    ("*.management.**", TOP),
    ("*.templatetags.**", TOP),
    ("*.middleware", TOP),
    ("*.context_processors", TOP),
    # An app's configuration wires signals to their receivers when Django starts.
    ("*.apps", TOP),
    # Any app: forms and filters, between the pages and the services.
    ("*.forms.**", FORMS),
    ("*.filters.**", FORMS),
    # Any app: reads, writes and what is built over them.
    ("*.selectors.**", MIDDLE),
    ("*.services.**", MIDDLE),
    ("*.exports.**", MIDDLE),
    # Any app: the rules, the data and the pure helpers everything stands on.
    ("*", BOTTOM),  # a package's __init__
    ("*.models.**", BOTTOM),
    ("*.workflow", BOTTOM),
    ("*.events", BOTTOM),
    ("*.signals", BOTTOM),
    ("*.text", BOTTOM),
    ("*.links", BOTTOM),
    ("*.extract", BOTTOM),
    ("*.anchoring", BOTTOM),
    ("*.quotes", BOTTOM),
    ("*.highlight", BOTTOM),
    ("*.errors", BOTTOM),
    ("*.auth", BOTTOM),
    ("*.fields", BOTTOM),
    ("*.widgets", BOTTOM),
    ("*.request_id", BOTTOM),
    # How long the database may take (long_statements), under the exports and middleware.
    ("newsdesk.db", BOTTOM),
    ("*.lockout", BOTTOM),
    ("*.settings.**", BOTTOM),
)

# Views and admin are entry points, never libraries: another app imports neither, except
# where the project's root URLconf routes to the apps' pages.
ENTRY_POINTS = ("*.views.**", "*.admin.**")
MAY_IMPORT_ENTRY_POINTS = (("newsdesk.urls", "*.views.**"),)

SUGGESTIONS = "suggestions.**"
# What loading a model must never load: the sentence splitter and the scorer's weights.
ENGINE = (
    "suggestions.scorer",
    "suggestions.segmenter",
    "suggestions.model",
    "suggestions.signals",
    "suggestions.attribution",
    "suggestions.attribution.words",
    "suggestions.attribution.names",
    "suggestions.attribution.sentences",
    "suggestions.attribution.phrases",
    "suggestions.attribution.speakers",
)

# The apps in the order they stand on one another. On the bottom floor (models, rules, pure
# helpers) an app imports only from itself and the apps before it, so the foundations
# never lean on what is built over them; above it, the floors and the cycle test decide.
APP_ORDER = ("newsdesk", "articles", "claims", "suggestions", "related")


def matches(pattern: str, module: str) -> bool:
    def match(patterns: list[str], parts: list[str]) -> bool:
        if not patterns:
            return not parts
        head, rest = patterns[0], patterns[1:]
        if head == "**":
            return any(match(rest, parts[i:]) for i in range(len(parts) + 1))
        return bool(parts) and fnmatchcase(parts[0], head) and match(rest, parts[1:])

    return match(pattern.split("."), module.split("."))


def floor_of(module: str) -> int | None:
    return next((floor for pattern, floor in FLOORS if matches(pattern, module)), None)


def app_of(module: str) -> str:
    return module.partition(".")[0]


def edges(graph: Graph):
    for module, targets in sorted(graph.items()):
        for target, sites in sorted(targets.items()):
            yield module, target, sites


def at(sites) -> str:
    return "; ".join(str(site) for site in sites)


def unplaced_modules(graph: Graph) -> list[str]:
    return [
        f"{module}: add it to the floor map (FLOORS in tests/test_layers.py)"
        for module in sorted(graph)
        if floor_of(module) is None
    ]


def import_cycles(graph: Graph) -> list[str]:
    """One entry per strongly connected component: one shortest cycle through it, to read,
    then every import inside it, since breaking any of the cycle's imports may not be
    enough when the component holds several cycles."""
    found = []
    for component in strongly_connected(graph):
        members = set(component)
        cycle = shortest_path(graph, component[0], {component[0]}, within=members)
        inside = [
            f"      {module} -> {target}  at {at(sites)}"
            for module, target, sites in edges(graph)
            if module in members and target in members
        ]
        found.append(
            f"cycle {' -> '.join(cycle)}\n"
            f"    among {len(component)} modules: {', '.join(component)}; imports inside it:\n"
            + "\n".join(inside)
        )
    return found


def upward_imports(graph: Graph) -> list[str]:
    found = []
    for module, target, sites in edges(graph):
        low, high = floor_of(module), floor_of(target)
        if low is not None and high is not None and high > low:
            found.append(
                f"{module} ({FLOOR_NAMES[low]}) imports {target} ({FLOOR_NAMES[high]})"
                f"  at {at(sites)}"
            )
    return found


def entry_point_imports(graph: Graph) -> list[str]:
    found = []
    for module, target, sites in edges(graph):
        if app_of(module) == app_of(target):
            continue
        if not any(matches(pattern, target) for pattern in ENTRY_POINTS):
            continue
        if any(
            matches(source, module) and matches(imported, target)
            for source, imported in MAY_IMPORT_ENTRY_POINTS
        ):
            continue
        found.append(f"{module} imports another app's {target}  at {at(sites)}")
    return found


def suggestions_below_the_engine(graph: Graph) -> list[str]:
    """The bottom of articles and claims imports nothing of suggestions, and claims.models
    does not even reach it through other modules: loading the models must not load the
    sentence splitter."""
    found = [
        f"{module} ({FLOOR_NAMES[BOTTOM]} of {app_of(module)}) imports {target}  at {at(sites)}"
        for module, target, sites in edges(graph)
        if app_of(module) in {"articles", "claims"}
        and floor_of(module) == BOTTOM
        and matches(SUGGESTIONS, target)
    ]
    if "claims.models" in graph:
        engine = {module for module in graph if matches(SUGGESTIONS, module)}
        path = shortest_path(graph, "claims.models", engine)
        if path is not None:
            steps = "\n".join(
                f"      {module} -> {target}  at {at(graph[module][target])}"
                for module, target in pairwise(path)
            )
            found.append(f"claims.models loads {path[-1]} through {' -> '.join(path)}\n{steps}")
    return found


def foundations_leaning_up(graph: Graph) -> list[str]:
    found = []
    for module, target, sites in edges(graph):
        if floor_of(module) != BOTTOM or app_of(module) not in APP_ORDER:
            continue
        if app_of(target) not in APP_ORDER:
            continue
        if APP_ORDER.index(app_of(target)) > APP_ORDER.index(app_of(module)):
            found.append(f"{module} ({FLOOR_NAMES[BOTTOM]}) imports {target}  at {at(sites)}")
    return found


def models_loading_the_engine(graph: Graph) -> list[str]:
    engine = {module for module in graph if module in ENGINE}
    found = []
    for models in sorted(m for m in graph if matches("*.models.**", m)):
        path = shortest_path(graph, models, engine)
        if path is not None:
            found.append(f"{models} loads {path[-1]} through {' -> '.join(path)}")
    return found


def fail_on(found: list[str], headline: str) -> None:
    """Fail with the rule, what to do about it, and each offence with where it is written:
    the list is the work left, so it is shown whole and without a traceback."""
    if found:
        pytest.fail(f"{headline}\n\n" + "\n".join(f"  - {line}" for line in found), pytrace=False)


# --- the project ------------------------------------------------------------------------


@cache
def project_graph() -> Graph:
    return import_graph(ROOT)


def test_the_walk_covers_every_app():
    packages = project_packages(ROOT)
    assert {"newsdesk", "articles", "claims", "suggestions"} <= set(packages)
    assert {"claims.models", "articles.models", "suggestions.scorer"} <= set(project_graph())
    assert not any(".migrations" in module for module in project_graph())


def test_every_module_stands_on_a_floor():
    fail_on(
        unplaced_modules(project_graph()),
        "Modules no row of FLOORS places. Add a row for each, on the floor of what it does "
        "(models, rules and pure helpers 0; services, selectors and exports 1; forms and "
        "filters 3; pages, admin and commands 4):",
    )


def test_no_import_cycles():
    fail_on(
        import_cycles(project_graph()),
        "Import cycles. Break each by moving what both sides need down into a module they "
        "can both import (models, rules, a pure helper), or by turning one import around; "
        "an import inside a function still counts:",
    )


def test_no_module_imports_from_a_floor_above_it():
    fail_on(
        upward_imports(project_graph()),
        "Upward imports. A module imports only from its own floor or below (FLOORS in "
        "tests/test_layers.py): move what it needs down to its floor, or the importer up; "
        "an import inside a function still counts:",
    )


def test_no_module_imports_another_apps_views_or_admin():
    fail_on(
        entry_point_imports(project_graph()),
        "Imports of another app's views or admin (newsdesk's own included). Views and "
        "admin are entry points, not libraries: move the shared helper into a module of "
        "its own (newsdesk/auth.py, newsdesk/errors.py, or a helper module beside the "
        "views or admin) and import it from there:",
    )


def test_articles_and_claims_stand_below_the_suggestion_engine():
    fail_on(
        suggestions_below_the_engine(project_graph()),
        "The bottom floor of articles and claims imports suggestions. The engine builds on "
        "articles and claims, never the other way round, and loading claims.models must "
        "not load the sentence splitter: move what both need into the bottom of articles "
        "(articles/text.py) and import it from there:",
    )


def test_the_foundations_import_only_the_apps_they_stand_on():
    fail_on(
        foundations_leaning_up(project_graph()),
        "A bottom-floor module imports an app built on top of its own (order: "
        f"{', '.join(APP_ORDER)}). Move what it needs down into its own app or newsdesk:",
    )


def test_no_models_module_loads_the_suggestion_engine():
    fail_on(
        models_loading_the_engine(project_graph()),
        "A models module loads the suggestion engine (directly or through other modules); "
        "loading the models must not load the sentence splitter or the scorer's weights:",
    )


# --- the walker and the rules, on a project made up for them ----------------------------


@pytest.mark.parametrize(
    ("module", "floor"),
    [
        ("claims", BOTTOM),
        ("claims.models", BOTTOM),
        ("claims.workflow", BOTTOM),
        ("newsdesk.settings.prod", BOTTOM),
        ("suggestions.scorer", BOTTOM),
        ("suggestions.models", BOTTOM),
        ("claims.services", MIDDLE),
        ("claims.services.transitions", MIDDLE),
        ("articles.selectors", MIDDLE),
        ("suggestions.services", ORCHESTRATION),
        ("suggestions.selectors", ORCHESTRATION),
        ("claims.forms", FORMS),
        ("suggestions.forms", FORMS),
        ("claims.views", TOP),
        ("claims.views.queue", TOP),
        ("claims.admin.actions", TOP),
        ("claims.management.commands.seed_demo", TOP),
        ("newsdesk.urls", TOP),
        ("newsdesk.wsgi", TOP),
        ("claims.helpers", None),
        ("suggestions.tuning", None),
    ],
)
def test_the_floor_map_places_modules_by_their_name(module, floor):
    assert floor_of(module) == floor


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture
def made_up(tmp_path):
    write(
        tmp_path,
        {
            "manage.py": "",
            "docs/__init__.py": "import shop.views\n",
            "static/app.js": "",
            "newsdesk/__init__.py": "",
            "newsdesk/urls.py": "from shop import views\n",
            "shop/__init__.py": "",
            "shop/models.py": "def total():\n    from shop.views import page\n    return page\n",
            "shop/services.py": "import json\n\nimport depot.services\n",
            "shop/views.py": "from .services import *\n",
            "shop/admin/__init__.py": "from ..models import total\n",
            "shop/helpers.py": "",
            "shop/migrations/__init__.py": "",
            "shop/migrations/0001_initial.py": "from shop import views\n",
            "depot/__init__.py": "",
            "depot/models.py": "from depot.text import clean\n",
            "depot/text.py": "def clean():\n    import depot.models\n",
            "depot/services.py": "from shop import services\n",
            "depot/views.py": "from shop.views import page\n",
            "claims/__init__.py": "",
            "claims/models.py": "from claims import workflow\n",
            "claims/workflow.py": "from suggestions.scorer import THRESHOLD\n",
            "suggestions/__init__.py": "",
            "suggestions/scorer.py": "THRESHOLD = 0.5\n",
        },
    )
    return tmp_path


def test_the_walker_finds_the_packages_beside_manage_py(made_up):
    assert project_packages(made_up) == ["claims", "depot", "newsdesk", "shop", "suggestions"]


def test_the_walker_resolves_each_import_to_the_module_it_names(made_up):
    graph = import_graph(made_up)

    assert "shop.migrations" not in graph
    assert {module: set(targets) for module, targets in graph.items() if targets} == {
        "claims.models": {"claims.workflow"},  # a submodule, not its package
        "claims.workflow": {"suggestions.scorer"},
        "depot.models": {"depot.text"},
        "depot.text": {"depot.models"},  # from inside a function
        "depot.services": {"shop.services"},
        "depot.views": {"shop.views"},
        "newsdesk.urls": {"shop.views"},
        "shop.admin": {"shop.models"},  # relative, from a package's __init__
        "shop.models": {"shop.views"},  # from inside a function
        "shop.services": {"depot.services"},  # and `json` is not ours
        "shop.views": {"shop.services"},  # relative
    }
    assert [str(site) for site in graph["shop.models"]["shop.views"]] == ["shop/models.py:2 (page)"]


def test_the_rules_find_what_breaks_them(made_up):
    graph = import_graph(made_up)

    assert unplaced_modules(graph) == [
        "shop.helpers: add it to the floor map (FLOORS in tests/test_layers.py)"
    ]
    assert strongly_connected(graph) == [
        ["depot.models", "depot.text"],
        ["depot.services", "shop.services"],
    ]
    assert [found.partition("\n")[0] for found in import_cycles(graph)] == [
        "cycle depot.models -> depot.text -> depot.models",
        "cycle depot.services -> shop.services -> depot.services",
    ]
    assert upward_imports(graph) == [
        "shop.models (0 bottom) imports shop.views (4 top)  at shop/models.py:2 (page)"
    ]
    assert entry_point_imports(graph) == [
        "depot.views imports another app's shop.views  at depot/views.py:1 (page)"
    ]
    assert suggestions_below_the_engine(graph) == [
        "claims.workflow (0 bottom of claims) imports suggestions.scorer"
        "  at claims/workflow.py:1 (THRESHOLD)",
        "claims.models loads suggestions.scorer through "
        "claims.models -> claims.workflow -> suggestions.scorer\n"
        "      claims.models -> claims.workflow  at claims/models.py:1\n"
        "      claims.workflow -> suggestions.scorer  at claims/workflow.py:1 (THRESHOLD)",
    ]
