"""The package's shape: imports run one way, down the layers, with no circle, and each
outside library has one owner."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "diffuse"

# Bottom to top: a module may import its own layer and those below it, never one above.
LAYERS: list[tuple[str, ...]] = [
    (
        "diffuse",
        "diffuse.errors",
        "diffuse.vocab",
        "diffuse.layout",
        "diffuse.limits",
        "diffuse.progress",
        "diffuse.gcpause",
    ),
    ("diffuse.models",),
    ("diffuse.frameworks",),
    ("diffuse.reading",),
    ("diffuse.files", "diffuse.repo", "diffuse.cache"),
    ("diffuse.rules",),
    ("diffuse.reports",),
    ("diffuse.export",),
    ("diffuse.pr",),
    ("diffuse.edits",),
    ("diffuse.render",),
    ("diffuse.cli", "diffuse.__main__"),
]
OWNERS = {
    "yaml": "diffuse.files",
    "rich": "diffuse.render",
    "typer": "diffuse.cli",
    "click": "diffuse.cli",
    "git": "diffuse.repo",
    "jinja2": "diffuse.render",
}


def _name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(test or ast.Pass())


def _imports(path: Path) -> list[str]:
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if _type_checking(node):
            return
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}: relative import"
            found.append(node.module)
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text()))
    return found


def _graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    modules = {_name(p): p for p in PACKAGE.rglob("*.py")}
    inside: dict[str, set[str]] = defaultdict(set)
    outside: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        inside[name]
        for target in _imports(path):
            if target in modules and target != name and not name.startswith(target + "."):
                inside[name].add(target)
            elif not target.startswith("diffuse"):
                outside[target.split(".")[0]].add(name)
    return inside, outside


def _layer(module: str) -> int:
    best = -1, -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                best = max(best, (len(prefix), index))
    assert best[1] >= 0, f"{module} is in no layer; add it to LAYERS"
    return best[1]


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_no_import_circle() -> None:
    assert _cycle(_graph()[0]) == []


def test_the_cycle_finder_finds_one() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_module_imports_a_layer_above_its_own() -> None:
    inside, _ = _graph()
    upward = [
        f"{module} -> {target}"
        for module, targets in inside.items()
        for target in targets
        if _layer(target) > _layer(module)
    ]
    assert upward == []


@pytest.mark.parametrize("library", sorted(OWNERS))
def test_each_outside_library_has_one_owner(library: str) -> None:
    _, outside = _graph()
    owner = OWNERS[library]
    strays = sorted(m for m in outside.get(library, ()) if not m.startswith(owner))
    assert strays == []


def test_every_subpackage_says_what_it_owns() -> None:
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text()))
        assert doc and doc.strip(), f"{init} has no docstring"


# -- the rooms: where a newcomer looks for each thing ----------------------------------------

STATUS = PACKAGE / "reports" / "status"
CACHE = PACKAGE / "cache"
# Every module of the status grid, and every cache, in its room.
STATUS_ROOMS = {"grid", "build", "cells", "health", "forecast", "jsonform", "pack", "source"}
STATUS_ROOMS |= {"streamed", "report"}
CACHE_ROOMS = {"folder", "perfile", "results", "history", "days", "spans"}
# Words in a module's name that say it is about the grid, or a cache.
GRID_WORDS = ("grid", "cell", "forecast", "health")
# Packages whose docstring names each of their modules, so the docstring is the map.
MAPPED = (
    "cache",
    "cli",
    "edits",
    "export",
    "files",
    "frameworks",
    "models",
    "pr",
    "reading",
    "render",
    "render/findings",
    "repo",
    "reports",
    "reports/status",
    "rules",
    "rules/tracker",
)


def _modules() -> list[Path]:
    return sorted(p.relative_to(PACKAGE) for p in PACKAGE.rglob("*.py"))


def test_the_status_grid_is_one_room() -> None:
    assert {p.stem for p in STATUS.glob("*.py")} >= STATUS_ROOMS
    strays = [
        str(p)
        for p in _modules()
        if any(word in p.stem for word in GRID_WORDS) and p.parent != STATUS.relative_to(PACKAGE)
    ]
    assert strays == []


def test_health_is_decided_in_one_module() -> None:
    # The grid's health rules: the shares that make a project off track or at risk, and
    # the measures that flag a site, are defined in `reports/status/health.py` alone.
    rules = ("OFF_TRACK_SHARE", "LATE_SHARE", "measure_flags", "site_health", "row_health")
    found = {
        name: str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        for name in rules
        if getattr(node, "name", None) == name
        or (isinstance(node, ast.Assign) and name in [ast.unparse(t) for t in node.targets])
    }
    assert found == dict.fromkeys(rules, "reports/status/health.py")


def test_every_cache_is_in_the_cache_room() -> None:
    assert {p.stem for p in CACHE.glob("*.py")} >= CACHE_ROOMS
    inside, _ = _graph()
    # Only the caches write to the cache folder.
    writers = sorted(m for m, targets in inside.items() if "diffuse.cache.folder" in targets)
    assert [m for m in writers if not m.startswith("diffuse.cache.")] == []
    strays = [str(p) for p in _modules() if "cache" in p.stem and p.parent != Path("cache")]
    assert strays == []


def test_render_init_defines_nothing() -> None:
    tree = ast.parse((PACKAGE / "render" / "__init__.py").read_text())
    body = [n for n in tree.body if not isinstance(n, ast.ImportFrom) or n.module != "__future__"]
    assert len(body) == 1 and ast.get_docstring(tree), "render/__init__.py: a docstring only"


def test_one_word_for_practice_search() -> None:
    # "catalogue" was practice search, the frameworks and the tracker in memory at once:
    # only practice search may still use the word, and only in its own module.
    says = [
        str(p)
        for p in _modules()
        if "catalogue" in (PACKAGE / p).read_text().lower() and p != Path("reports/practices.py")
    ]
    assert says == []


@pytest.mark.parametrize("package", MAPPED)
def test_a_package_docstring_names_its_rooms(package: str) -> None:
    folder = PACKAGE / package
    doc = ast.get_docstring(ast.parse((folder / "__init__.py").read_text())) or ""
    rooms = [p.stem for p in folder.glob("*.py") if p.stem != "__init__"]
    rooms += [p.name for p in folder.iterdir() if (p / "__init__.py").is_file()]
    unnamed = sorted(room for room in rooms if f"`{room}" not in doc)
    assert unnamed == [], f"{package}/__init__.py does not name {unnamed}"
