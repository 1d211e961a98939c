"""YAML text -> node tree -> plain data, safely and without implicit-type surprises.

Plain scalars stay text (only an empty value, `~` or `null` is null): the pydantic models
decide what a value is, so `no` in a text field stays "no", `0123` stays "0123" and a date
is a date only where the schema asks for one. Only the standard tags are accepted, duplicate
keys are reported, and alias expansion is bounded so a small file cannot blow up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from diffuse.errors import Location, Problem

try:
    _Loader: type[Any] = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
_MAP, _SEQ = _STD + "map", _STD + "seq"

MAX_NODES = 100_000
MAX_DEPTH = 64


@dataclass
class Converted:
    data: Any
    problems: list[Problem] = field(default_factory=list)


def compose(text: str) -> list[yaml.Node]:
    """Every document in `text`; raises yaml.YAMLError with a mark on bad syntax."""
    return list(yaml.compose_all(text, Loader=_Loader))


def where(path: Any, node: yaml.Node) -> Location:
    mark = node.start_mark
    return Location(path, mark.line + 1, mark.column + 1)


def expanded_size(root: yaml.Node, limit: int = MAX_NODES) -> int:
    """Node count with every alias expanded, computed once per distinct node."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        kids = _children(node)
        if children_done or not kids:
            sizes[id(node)] = min(limit + 1, 1 + sum(sizes.get(id(k), 0) for k in kids))
            continue
        stack.append((node, True))
        stack.extend((k, False) for k in kids if id(k) not in sizes)
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def to_data(path: Any, root: yaml.Node) -> Converted:
    out = Converted(None)
    out.data = _convert(path, root, out.problems, 0)
    return out


def _convert(path: Any, node: yaml.Node, problems: list[Problem], depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise _TooDeep(node)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(path, node, problems)
    if isinstance(node, yaml.SequenceNode):
        _check_tag(path, node, _SEQ, problems)
        return [_convert(path, item, problems, depth + 1) for item in node.value]
    _check_tag(path, node, _MAP, problems)
    return _mapping(path, node, problems, depth)


def _mapping(path: Any, node: yaml.Node, problems: list[Problem], depth: int) -> dict[str, Any]:
    result: dict[str, Any] = {}
    first_seen: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(where(path, key_node), "bad-key", "a key must be plain text"))
            continue
        key = str(key_node.value)
        if key in first_seen:
            line = first_seen[key].start_mark.line + 1
            problems.append(
                Problem(
                    where(path, key_node),
                    "duplicate-key",
                    f"duplicate key '{key}' (first given on line {line})",
                )
            )
            continue
        first_seen[key] = key_node
        result[key] = _convert(path, value_node, problems, depth + 1)
    return result


def _scalar(path: Any, node: yaml.ScalarNode, problems: list[Problem]) -> Any:
    if node.tag not in _SCALAR_TAGS:
        _refuse_tag(path, node, problems)
        return None
    # libyaml reports a plain scalar's style as '' where the pure-Python parser says None.
    if not node.style and node.value in _NULLS:
        return None
    return node.value


def _check_tag(path: Any, node: yaml.Node, expected: str, problems: list[Problem]) -> None:
    if node.tag != expected:
        _refuse_tag(path, node, problems)


def _refuse_tag(path: Any, node: yaml.Node, problems: list[Problem]) -> None:
    problems.append(
        Problem(
            where(path, node),
            "unsafe-tag",
            f"the YAML tag '{node.tag}' is not allowed: only plain values, "
            "lists and mappings are read",
        )
    )


class _TooDeep(Exception):
    def __init__(self, node: yaml.Node) -> None:
        super().__init__("too deep")
        self.node = node


def convert_checked(path: Any, root: yaml.Node) -> Converted:
    """`to_data` with the size and depth limits turned into problems."""
    size = expanded_size(root)
    if size > MAX_NODES:
        return Converted(
            None,
            [
                Problem(
                    where(path, root),
                    "too-large",
                    f"the document expands to more than {MAX_NODES:,} "
                    "values (anchors and aliases included); refused",
                )
            ],
        )
    try:
        return to_data(path, root)
    except _TooDeep as deep:
        return Converted(
            None,
            [
                Problem(
                    where(path, deep.node),
                    "too-deep",
                    f"values are nested more than {MAX_DEPTH} levels deep",
                )
            ],
        )
