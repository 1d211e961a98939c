"""Many changes to one YAML list in a single surgical edit.

`yamledit` re-parses and verifies the whole file for every change, which is right for one
change and slow for hundreds. Here the file is parsed once, every change is spliced in at
the parser's positions, and the result is verified once against the intended data.
"""

from __future__ import annotations

import json
from typing import Any

from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from diffuse.files.nodes import compose, read
from diffuse.files.yamledit import (
    EditError,
    Scalar,
    append_item,
    as_read,
    render_scalar,
    set_value,
)
from diffuse.limits import CEILINGS


def apply_values(
    text: str,
    path: tuple[str | int, ...],
    changes: list[tuple[int, dict[str, Scalar]]],
    added: list[dict[str, Scalar]],
) -> str:
    """`text` with the listed items of the list at `path` changed and `added` appended."""
    before = _load(text)
    result = _append(_replace(text, path, changes), path, added)
    expected = parent = before
    for step in path[:-1]:
        parent = parent[step]
    if parent.get(path[-1]) is None:
        parent[path[-1]] = []
    items = parent[path[-1]]
    for at, fields in changes:
        items[at].update(_as_read(fields))
    items.extend(_as_read(item) for item in added)
    if repr(_load(result)) != repr(expected):
        raise EditError("internal: the values would not be written as intended")
    return result


def _load(text: str) -> Any:
    """`text` read as diffuse reads every file (`nodes.read`): plain scalars stay text."""
    converted = read(text.removeprefix("\ufeff"), None, CEILINGS).converted
    if converted is None:
        raise EditError("cannot edit a file that does not hold exactly one YAML document")
    return converted.data


def _as_read(item: dict[str, Scalar]) -> dict[str, str | None]:
    return {key: as_read(value) for key, value in item.items()}


def _replace(
    text: str, path: tuple[str | int, ...], changes: list[tuple[int, dict[str, Scalar]]]
) -> str:
    if not changes:
        return text
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    items = _node(compose(body, CEILINGS)[0], path)
    if "*" in body:
        # Anchors and aliases: yamledit refuses an edit of a node used in two places.
        items = None
    spans, by_hand = [], []
    for at, fields in changes:
        item = items.value[at] if items is not None else None
        for key, value in fields.items():
            node = _value(item, key) if isinstance(item, MappingNode) else None
            if isinstance(node, ScalarNode) and node.style in (None, "", "'", '"'):
                spans.append((node.start_mark.index, node.end_mark.index, _scalar(value)))
            else:
                by_hand.append(((*path, at, key), value))
    for start, end, new in sorted(spans, reverse=True):
        body = body[:start] + new + body[end:]
    text = bom + body
    for where, value in by_hand:
        text = set_value(text, where, value)
    return text


def _node(root: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        root = root.value[step] if isinstance(step, int) else _value(root, step)
    return root


def _value(mapping: Any, key: str) -> Any:
    return next((v for k, v in mapping.value if k.value == key), None)


def _scalar(value: Scalar) -> str:
    # Quoted text reads the same inside a flow mapping ({a: "x, y"}) as in a block one.
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else render_scalar(value)


def _append(text: str, path: tuple[str | int, ...], added: list[dict[str, Scalar]]) -> str:
    """The first two items through `yamledit.append_item` (which also creates or fills an
    empty list), then every other item laid out like the second, right after it."""
    if not added:
        return text
    if _in_flow(text, path):
        # Flow style (`{id: m, values: [...]}`) is written on one line: item by item.
        for item in added:
            text = append_item(text, path, item)
        return text
    first = append_item(text, path, added[0])
    if len(added) == 1:
        return first
    second = append_item(first, path, added[1])
    start, block = _inserted(first, second)
    dash_line = next(line for line in reversed(block.splitlines()) if line.lstrip()[:1] == "-")
    dash = dash_line.index("-")
    column = len(dash_line) - len(dash_line[dash + 1 :].lstrip())
    rest = [line for item in added[2:] for line in _item_lines(item, dash, column)]
    newline = "\r\n" if "\r\n" in block else "\n"
    if block.endswith("\n"):
        spliced = "".join(line + newline for line in rest)
    else:
        spliced = "".join(newline + line for line in rest)
    end = start + len(block)
    return second[:end] + spliced + second[end:]


def _in_flow(text: str, path: tuple[str | int, ...]) -> bool:
    """Whether the list at `path` is written in flow style, or inside a flow collection."""
    node = compose(text.removeprefix("\ufeff"), CEILINGS)[0]
    for step in path:
        if isinstance(node, (MappingNode, SequenceNode)) and node.flow_style:
            return True
        if isinstance(step, int) and isinstance(node, SequenceNode):
            node = node.value[step]
        elif isinstance(step, str) and isinstance(node, MappingNode):
            node = _value(node, step)
        else:
            return False
    return isinstance(node, SequenceNode) and node.flow_style and bool(node.value)


def _inserted(before: str, after: str) -> tuple[int, str]:
    """Where `after` holds text that `before` lacks, and that text: whole lines where
    possible, else (at the end of a file without a final newline) right after `before`."""
    size = len(after) - len(before)
    prefix = 0
    while prefix < len(before) and before[prefix] == after[prefix]:
        prefix += 1
    start = after.rfind("\n", 0, prefix) + 1
    while start > 0 and after[start + size :] != before[start:]:
        start = after.rfind("\n", 0, start - 1) + 1
    if after[start + size :] != before[start:] or after[:start] != before[:start]:
        start = prefix
        if after[start + size :] != before[start:]:
            raise EditError("internal: the appended lines could not be found")
    return start, after[start : start + size]


def _item_lines(item: dict[str, Scalar], dash: int, column: int) -> list[str]:
    return [
        ((" " * dash + "-").ljust(column) if i == 0 else " " * column)
        + f"{render_scalar(key)}: {render_scalar(value)}"
        for i, (key, value) in enumerate(item.items())
    ]
