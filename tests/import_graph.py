"""The project's import graph, read from the source with `ast`, never by importing it.

Every `import` and `from … import …` counts wherever it stands: at module level, inside a
function, under `if TYPE_CHECKING:` or in a `try:`. A dependency is a dependency, and an
import tucked into a function to dodge a cycle is the cycle still. Only imports of the
project's own packages are kept; migrations are left out (they are generated, and frozen
at the shape the code had when they were written).

An edge goes to the most specific module an import names: `from claims import views` is
an edge to `claims.views`, `from claims.services import claim_create` one to
`claims.services`. The parent packages that Python runs on the way (`claims/__init__.py`)
are not edges: a package's `__init__` that re-exports its submodules would otherwise form
a cycle with each of them.
"""

from __future__ import annotations

import ast
from collections import deque
from dataclasses import dataclass
from pathlib import Path

NOT_PACKAGES = frozenset({"tests", "bench", "docs", ".venv"})


@dataclass(frozen=True)
class Site:
    """Where an import stands, and the names it takes when they are not submodules."""

    path: str
    line: int
    names: tuple[str, ...] = ()

    def __str__(self) -> str:
        taken = f" ({', '.join(self.names)})" if self.names else ""
        return f"{self.path}:{self.line}{taken}"


# module -> imported module -> every place the import is written
Graph = dict[str, dict[str, list[Site]]]


def project_packages(root: Path) -> list[str]:
    """The top-level packages beside manage.py, so a new app is walked without being listed."""
    assert (root / "manage.py").is_file(), f"{root} holds no manage.py"
    return sorted(
        path.name
        for path in root.iterdir()
        if path.is_dir()
        and path.name not in NOT_PACKAGES
        and path.name.isidentifier()
        and (path / "__init__.py").is_file()
    )


def module_files(root: Path, packages: list[str]) -> dict[str, Path]:
    """Dotted module name -> its file, for every module of the packages but migrations."""
    modules = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if "migrations" in parts or not all(part.isidentifier() for part in parts):
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def import_graph(root: Path, packages: list[str] | None = None) -> Graph:
    """Every import between the project's modules, with where each is written."""
    packages = project_packages(root) if packages is None else packages
    modules = module_files(root, packages)
    graph: Graph = {module: {} for module in modules}
    for module, path in modules.items():
        tree = ast.parse(path.read_bytes(), filename=str(path))
        where = path.relative_to(root).as_posix()
        for node in ast.walk(tree):
            for target, names in _imported(node, module, path.name == "__init__.py", modules):
                if target != module:
                    graph[module].setdefault(target, []).append(
                        Site(where, node.lineno, tuple(names))
                    )
    return graph


def _imported(
    node: ast.AST, module: str, is_package: bool, modules: dict[str, Path]
) -> list[tuple[str, list[str]]]:
    """The project modules one import statement names, each with the names taken from it."""
    if isinstance(node, ast.Import):
        found = (_known(alias.name, modules) for alias in node.names)
        return [(target, []) for target in found if target]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = _absolute(node, module, is_package)
    if base is None:
        return []
    targets: dict[str, list[str]] = {}
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        if submodule in modules:
            targets.setdefault(submodule, [])
        elif target := _known(base, modules):
            targets.setdefault(target, []).append(alias.name)
    return list(targets.items())


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str | None:
    """The absolute name a `from` import starts at (`from ..x import y` in a.b.c is a.x)."""
    if node.level == 0:
        return node.module
    package = module.split(".") if is_package else module.split(".")[:-1]
    if node.level - 1 >= len(package):
        return None  # beyond the top-level package: not ours to resolve
    parts = package[: len(package) - (node.level - 1)]
    return ".".join([*parts, node.module] if node.module else parts)


def _known(name: str, modules: dict[str, Path]) -> str | None:
    """The longest prefix of `name` that is a project module; None for anything outside."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def strongly_connected(graph: Graph) -> list[list[str]]:
    """Tarjan's strongly connected components with more than one module: each is a cycle,
    or several cycles sharing modules. Sorted, so a report reads the same run after run."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph.get(module, {}):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(components)


def shortest_path(graph: Graph, start: str, goal: set[str], within: set[str] | None = None):
    """The fewest imports leading from `start` to a module in `goal` (through `within` only,
    when given), as a list of modules; None when there is no such path. Used to show one
    concrete cycle of a component, and how a module comes to load another."""
    came_from: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        module = queue.popleft()
        for target in sorted(graph.get(module, {})):
            if within is not None and target not in within:
                continue
            if target in goal:
                path = [target, module]
                while (step := came_from[path[-1]]) is not None:
                    path.append(step)
                return path[::-1]
            if target not in came_from:
                came_from[target] = module
                queue.append(target)
    return None
