"""The package's shape: imports run one way, down the layers, with no circle, and each
outside library has one owner."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "diffuse"

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
