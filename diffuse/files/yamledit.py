"""Surgical edits of hand-kept YAML files.

Staff edit these files by hand, so an edit must change only the bytes it needs: comments,
key order, quoting, line ends and a leading BOM all stay as they were. Edits are splices of
the original text at positions taken from PyYAML's node marks, and every result is re-parsed
and compared with the intended data, read as diffuse reads every file (`nodes`), before it
is returned.
"""

from __future__ import annotations

import datetime
import functools
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeAlias

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from diffuse.files.nodes import compose, convert_checked, expanded_size
from diffuse.limits import CEILINGS

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Scalar: TypeAlias = str | int | float | bool | datetime.date | None
Path: TypeAlias = tuple[str | int, ...]

# Writes the value below a new key: receives the key's line (`key:`) and its column.
_Leaf: TypeAlias = Callable[[str, int], list[str]]

_BOM = "\ufeff"
_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_INDICATORS = frozenset(",[]{}")
# Characters YAML does not allow raw in a scalar, or that it would read as line breaks; and
# the invisible marks that reorder bidirectional text (U+061C, U+200E-F, U+202A-E,
# U+2066-9), written as escapes so a line of the file reads as what it holds.
_NON_PRINTABLE = re.compile(
    "[^\x20-\x7e\xa0-\u061b\u061d-\u200d\u2010-\u2027\u202f-\u2065\u206a-\ud7ff"
    "\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
# Numbers under YAML 1.2 or 1.1 (`1e3`, `0x1f`, `.5`): loaded as strings by one, not the other.
_NUMBER_LIKE = re.compile(
    r"[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?"
    r"|0x[0-9a-fA-F_]+|0o[0-7_]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_BLOCK_HEADER_COMMENT = re.compile(r"[|>][-+0-9]*([ \t]+#[^\r\n]*)$")


class EditError(Exception):
    """The edit cannot be made safely; `message` says why, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class _Doc:
    bom: str
    body: str
    root: Node | None
    newline: str
    step: int  # indentation of a nested mapping relative to its key
    seq_offset: int  # column of a list's `-` relative to its key
    shared: frozenset[int]  # ids of nodes that appear more than once (anchor and aliases)


@dataclass(frozen=True)
class _NewValue:
    """A value to write below a new key: as block lines, or as flow text (`[...]`, `1`)."""

    block: _Leaf
    flow: str


@dataclass(frozen=True)
class _Spot:
    node: Node | None  # deepest node of the path that exists
    key: Node | None  # its key, when it is a mapping value
    found: Path  # path of `node`
    rest: Path  # part of the path that does not exist yet
    in_flow: bool  # inside a flow collection, where `,[]{}` need quoting


# ---------------------------------------------------------------------------------------------
# Public API


def set_value(text: str, path: Path, value: Scalar) -> str:
    """Return `text` with the scalar at `path` set to `value`, creating missing mappings."""
    if not path:
        raise EditError("cannot set the whole document; give a key path")
    value = _plain(value)
    doc = _parse(text)
    spot = _descend(doc, path)
    if spot.rest:
        rendered = render_scalar(value)
        leaf = _NewValue(lambda head, _col: [f"{head} {rendered}"], _render(value, flow=True))
        body = _create(doc, spot, leaf)
    elif _same(_lookup(_data(doc), path), as_read(value)):
        return text
    else:
        body = _splice(doc.body, [_scalar_splice(doc, spot, path, value)])
    result = doc.bom + body
    _verify(doc, result, path, lambda _old: as_read(value))
    return result


def set_values(text: str, changes: dict[Path, Scalar]) -> str:
    """`set_value` for several paths, from one parse: values already written are replaced
    together, missing keys are then added in order, and the result is checked once."""
    doc = _parse(text)
    wanted = {path: _plain(value) for path, value in changes.items()}
    splices, missing, data = [], [], _data(doc)
    for path, value in wanted.items():
        if not path:
            raise EditError("cannot set the whole document; give a key path")
        spot = _descend(doc, path)
        if spot.rest:
            missing.append((path, value))
        elif not _same(_lookup(data, path), as_read(value)):
            splices.append(_scalar_splice(doc, spot, path, value))
    result = doc.bom + _splice(doc.body, splices)
    for path, value in missing:
        result = set_value(result, path, value)
    if result != text:
        expected = _data(doc)
        for path, value in wanted.items():
            expected = _changed(expected, path, _becomes(value))
        _check(expected, result, next(iter(wanted)))
    return result


def append_item(text: str, path: Path, item: dict[str, Scalar]) -> str:
    """Return `text` with `item` appended, in block style, to the list at `path`."""
    item = {key: _plain(value) for key, value in item.items()}
    doc = _parse(text)
    spot = _descend(doc, path)
    if spot.rest:
        body = _create(doc, spot, _NewValue(_list_leaf(doc, item), f"[{_flow_item(item)}]"))
    else:
        body = _append_existing(doc, spot, path, item)
    result = doc.bom + body
    read = {key: as_read(value) for key, value in item.items()}
    _verify(doc, result, path, lambda old: [*(old or []), read])
    return result


def set_list(text: str, path: Path, values: list[Scalar]) -> str:
    """Return `text` with the list of single values at `path` holding exactly `values`:
    a single value, `[]` or a flow list is rewritten in flow style, a block list of
    one-line values keeps its `- ` lines, a block list with comments or longer values loses
    the items that go and gains the new ones at its end, a missing key is created."""
    values = [_plain(v) for v in values]
    doc = _parse(text)
    spot = _descend(doc, path)
    flow = "[" + ", ".join(_render(v, flow=True) for v in values) + "]"
    node = spot.node
    if spot.rest:
        body = _create(doc, spot, _NewValue(lambda head, _col: [f"{head} {flow}"], flow))
    elif _same(_lookup(_data(doc), path), [as_read(v) for v in values]):
        return text
    elif isinstance(node, SequenceNode) and not node.flow_style and node.value:
        if not _plain_block_list(doc.body, node):
            return _edit_block_list(text, path, _lookup(_data(doc), path), values)
        body = _replace_block_list(doc, spot, path, values)
    elif isinstance(node, SequenceNode) or (
        isinstance(node, ScalarNode) and node.style not in ("|", ">")
    ):
        body = _replace_span(doc.body, node, flow)
    else:
        raise EditError(f"{_where(path)} {_describe(node, spot.key)}; expected a list")
    result = doc.bom + body
    _verify(doc, result, path, lambda _old: [as_read(v) for v in values])
    return result


def remove_item(text: str, path: Path) -> str:
    """Return `text` without the list item at `path`: its lines in a block list (with the
    comment lines indented under it), its text and one comma in a flow list; the last item
    leaves `[]`."""
    if not path or not isinstance(path[-1], int):
        raise EditError("give the path of a list item to remove")
    doc = _parse(text)
    spot = _descend(doc, path[:-1])
    seq, body = spot.node, doc.body
    if not isinstance(seq, SequenceNode) or spot.rest:
        raise EditError(f"{_where(path[:-1])} {_describe(seq, spot.key)}; expected a list")
    index = path[-1] % len(seq.value) if seq.value else path[-1]
    item = _sequence_item(seq, path)
    if len(seq.value) == 1:
        if seq.flow_style:
            result = _replace_span(body, seq, "[]")
        elif spot.key is None:
            raise EditError(f"{_where(path[:-1])} is not under a key; cannot empty it")
        else:
            colon = body.index(":", spot.key.end_mark.index) + 1
            end = _block_end(body, seq, seq.start_mark.column)
            # `key: []` keeps a comment written after the key; the item lines go.
            result = body[:colon] + " []" + body[colon : _line_end(body, colon)] + body[end:]
    elif seq.flow_style:
        if index + 1 < len(seq.value):
            start, end = item.start_mark.index, seq.value[index + 1].start_mark.index
        else:
            start, end = _tight_end(body, seq.value[index - 1]), _tight_end(body, item)
        result = body[:start] + body[end:]
    else:
        line_start = item.start_mark.index - item.start_mark.column
        if body[line_start : item.start_mark.index].strip() != "-":
            raise EditError(
                f"{_where(path)} at line {item.start_mark.line + 1} does not start on its "
                "own '- ' line; cannot remove it safely"
            )
        end = _block_end(body, item, seq.start_mark.column)
        following = _next_line(body, end)
        result = body[:line_start] + (body[following:] if following is not None else "")
    result = doc.bom + result
    _verify(doc, result, path[:-1], lambda old: [v for i, v in enumerate(old) if i != index])
    return result


def rename_key(text: str, path: Path, name: str) -> str:
    """Return `text` with the mapping key at `path` renamed to `name`, its value, position
    and comments unchanged."""
    doc = _parse(text)
    spot = _descend(doc, path)
    key = spot.key
    if spot.rest or key is None or not isinstance(key, ScalarNode):
        raise EditError(f"{_where(path)} is not a key that can be renamed")
    parent = _lookup(_data(doc), path[:-1])
    if name in parent:
        raise EditError(f"{_where((*path[:-1], name))} exists already")
    body = doc.body
    new = _render(name, flow=spot.in_flow)
    result = doc.bom + body[: key.start_mark.index] + new + body[_tight_end(body, key) :]
    old = path[-1]
    _check(
        _changed(
            _data(doc),
            path[:-1],
            lambda mapping: {(name if k == old else k): v for k, v in mapping.items()},
        ),
        result,
        path,
    )
    return result


def render_scalar(value: Scalar) -> str:
    """YAML text that loads back as exactly `value`."""
    return _render(value, flow=False)


def as_read(value: Scalar) -> str | None:
    """`value` as diffuse reads it back once written: plain scalars stay text (`nodes`)."""
    value = _plain(value)
    if value is None or isinstance(value, str):
        return value
    return render_scalar(value)


# ---------------------------------------------------------------------------------------------
# Rendering


def _plain(value: Scalar) -> Scalar:
    """The built-in value behind an enum member or other subclass, as loading will give it."""
    if isinstance(value, bool):
        return value
    for kind in (str, int, float):
        if isinstance(value, kind) and type(value) is not kind:
            return kind(value)
    return value


def _render(value: Scalar, flow: bool) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return _render_float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return value if _plain_ok(value, flow) else _double_quoted(value)
    raise TypeError(f"cannot write a {type(value).__name__} as a YAML scalar")


def _render_float(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    if "." not in text:
        # YAML 1.1 floats need a dot: `1e+16` would load as a string.
        mantissa, _, exponent = text.partition("e")
        text = f"{mantissa}.0" + (f"e{exponent}" if exponent else "")
    return text


@functools.lru_cache(maxsize=256)
def _plain_ok(text: str, flow: bool) -> bool:
    if not text or text != text.strip(" ") or text[0] in _INDICATORS:
        return False
    if ": " in text or " #" in text or text.endswith(":") or _NON_PRINTABLE.search(text):
        return False
    if (flow and not _FLOW_INDICATORS.isdisjoint(text)) or _NUMBER_LIKE.fullmatch(text):
        return False
    # Implicit resolution decides the rest: `yes`, `0123`, `2020-01-01`, `~`, `null` ...
    # diffuse reads them all as text, but editors and other YAML tools read these files too:
    # what any of them would take for something else is quoted.
    try:
        return bool(yaml.load(f"{text}: {text}\n", Loader=_Loader) == {text: text})
    except yaml.YAMLError:
        return False


def _double_quoted(text: str) -> str:
    quoted = json.dumps(text, ensure_ascii=False)
    return _NON_PRINTABLE.sub(_escape_char, quoted)


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


# ---------------------------------------------------------------------------------------------
# Parsing and navigation


def _parse(text: str) -> _Doc:
    # libyaml does not count a BOM in its marks while the Python scanner does: parse without it.
    bom = _BOM if text.startswith(_BOM) else ""
    body = text[len(bom) :]
    try:
        # Checked like any file read: no text may exhaust the parser's stack or memory.
        nodes = compose(body, CEILINGS)
    except yaml.YAMLError as exc:
        raise EditError(f"cannot parse the YAML: {exc}") from exc
    if len(nodes) > 1:
        raise EditError("cannot edit a file that holds more than one YAML document")
    root = nodes[0] if nodes else None
    limit = CEILINGS.max_values
    if root is not None and "*" in body and expanded_size(root, limit) > limit:
        raise EditError("the file expands to too many values through its aliases")
    step, seq_offset = _indent_style(root)
    first_break = body.find("\n")
    newline = "\r\n" if first_break > 0 and body[first_break - 1] == "\r" else "\n"
    shared = _shared_nodes(root) if "*" in body else frozenset()
    return _Doc(bom, body, root, newline, step, seq_offset, shared)


def _shared_nodes(root: Node | None) -> frozenset[int]:
    """Nodes reached more than once: an anchored node and every alias of it are one node,
    so an edit made there would change every place that uses it."""
    seen: set[int] = set()
    shared: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            shared.add(id(node))
            continue
        seen.add(id(node))
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            stack.extend(part for pair in node.value for part in pair)
    return frozenset(shared)


def _indent_style(root: Node | None) -> tuple[int, int]:
    """Indentation the file already uses for nested mappings and for lists under a key."""
    step: int | None = None
    seq_offset: int | None = None
    for key, value in _block_pairs(root):
        if value.start_mark.line <= key.start_mark.line:
            continue
        offset = value.start_mark.column - key.start_mark.column
        if step is None and isinstance(value, MappingNode) and offset > 0:
            step = offset
        if seq_offset is None and isinstance(value, SequenceNode) and offset >= 0:
            seq_offset = offset
    step = step or 2
    return step, step if seq_offset is None else seq_offset


def _block_pairs(root: Node | None) -> list[tuple[Node, Node]]:
    """Key/value pairs of all block mappings, in document order."""
    pairs: list[tuple[Node, Node]] = []
    seen: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen or not isinstance(node, (MappingNode, SequenceNode)):
            continue
        seen.add(id(node))
        if isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))
            continue
        if not node.flow_style:
            pairs.extend(node.value)
        stack.extend(value for _key, value in reversed(node.value))
    return pairs


def _descend(doc: _Doc, path: Path) -> _Spot:
    node, key, in_flow = doc.root, None, False
    for depth, part in enumerate(path):
        if node is None or (_is_null(node) and isinstance(part, str)):
            return _Spot(node, key, path[:depth], path[depth:], in_flow)
        if isinstance(node, MappingNode) and isinstance(part, str):
            pair = _find_key(node, part)
            if pair is None:
                return _Spot(node, key, path[:depth], path[depth:], in_flow)
            key, child = pair
        elif isinstance(node, SequenceNode) and isinstance(part, int):
            child, key = _sequence_item(node, path[: depth + 1]), None
        else:
            raise EditError(f"{_where(path[:depth])} {_describe(node, key)}; cannot go into it")
        if id(child) in doc.shared:
            _refuse_shared(path[: depth + 1], _written_at(node, key, part), child)
        in_flow = in_flow or bool(getattr(node, "flow_style", False))
        node = child
    return _Spot(node, key, path, (), in_flow)


def _written_at(parent: Node, key: Node | None, part: str | int) -> int:
    """Where the child named `part` is written: after its key, or after the list item
    before it. A shared node that starts earlier is written there as an alias."""
    if key is not None:
        return int(key.start_mark.index)
    assert isinstance(part, int) and isinstance(parent, SequenceNode)
    index = part % len(parent.value)
    before = parent.value[index - 1].end_mark.index if index else parent.start_mark.index
    return int(before)


def _refuse_shared(path: Path, written: int, node: Node) -> None:
    if node.start_mark.index < written:
        what = f"is an alias (*) of the value written at line {node.start_mark.line + 1}"
    else:
        what = (
            f"at line {node.start_mark.line + 1} is anchored (&) and used again elsewhere "
            "through an alias (*)"
        )
    raise EditError(
        f"{_where(path)} {what}, so an edit here would change every place "
        "that shares it; write each copy out in full, then run the command again"
    )


def _find_key(mapping: MappingNode, name: str) -> tuple[Node, Node] | None:
    # The last duplicate wins, as it does when the file is loaded.
    found = None
    for key, value in mapping.value:
        if isinstance(key, ScalarNode) and key.tag == _STR_TAG and key.value == name:
            found = (key, value)
    return found


def _sequence_item(seq: SequenceNode, path: Path) -> Node:
    index = path[-1]
    assert isinstance(index, int)
    if not -len(seq.value) <= index < len(seq.value):
        where = _where(path[:-1])
        raise EditError(f"{where} has {len(seq.value)} items; there is no item {index}")
    item: Node = seq.value[index]
    return item


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == _NULL_TAG


def _is_empty_text(node: Node) -> bool:
    return bool(node.start_mark.index == node.end_mark.index)


def _is_empty_flow(node: Node, kind: type[Node]) -> bool:
    return isinstance(node, kind) and not node.value


def _describe(node: Node | None, key: Node | None = None) -> str:
    if node is None:
        return "is missing"
    kind = "a single value"
    if isinstance(node, MappingNode):
        kind = "a mapping"
    elif isinstance(node, SequenceNode):
        kind = "a list"
    # A block collection starts at its first entry; the key's line is the one to look at.
    return f"is {kind} (line {(key or node).start_mark.line + 1})"


def _where(path: Path) -> str:
    text = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)
    return f"'{text.lstrip('.')}'" if text else "the document"


# ---------------------------------------------------------------------------------------------
# Text positions


def _tight_end(body: str, node: Node) -> int:
    """End of the node's own text: block scalars' marks also cover the blank lines after."""
    start, end = node.start_mark.index, node.end_mark.index
    return start + len(body[start:end].rstrip())


def _last_end(body: str, node: Node) -> int:
    """End of the last text that belongs to `node`, nested block content included."""
    if isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        if isinstance(node, MappingNode):
            # The key guards against a value that is an alias of an earlier node.
            return max(_last_end(body, last[0]), _last_end(body, last[1]))
        return _last_end(body, last)
    return _tight_end(body, node)


def _line_end(body: str, pos: int) -> int:
    """Index of the line break that ends the line holding `pos` (or the end of the text)."""
    brk = body.find("\n", pos)
    if brk < 0:
        return len(body)
    return brk - 1 if brk > pos and body[brk - 1] == "\r" else brk


def _next_line(body: str, line_end: int) -> int | None:
    if line_end >= len(body):
        return None
    return line_end + (2 if body.startswith("\r\n", line_end) else 1)


def _block_end(body: str, node: Node, column: int) -> int:
    """Where to add a line after `node`'s block: after its last line and after the comment
    lines indented deeper than `column`, which annotate its last entry. Blank lines and
    comments at `column` or less belong to what follows."""
    end = _line_end(body, _last_end(body, node))
    while (start := _next_line(body, end)) is not None:
        line = body[start : _line_end(body, start)]
        content = line.lstrip(" ")
        if not content.startswith("#") or len(line) - len(content) <= column:
            break
        end = _line_end(body, start)
    return end


def _insert_lines(doc: _Doc, body: str, line_end: int, lines: list[str]) -> str:
    added = "".join(doc.newline + line for line in lines)
    return body[:line_end] + added + body[line_end:]


# ---------------------------------------------------------------------------------------------
# Edits


def _becomes(value: Scalar) -> Callable[[Any], Any]:
    read = as_read(value)
    return lambda _old: read


def _splice(body: str, splices: list[tuple[int, int, str]]) -> str:
    """`body` with each (start, end, text) put in place; the ranges do not overlap."""
    for start, end, new in sorted(splices, reverse=True):
        body = body[:start] + new + body[end:]
    return body


def _scalar_splice(doc: _Doc, spot: _Spot, path: Path, value: Scalar) -> tuple[int, int, str]:
    node, body = spot.node, doc.body
    if not isinstance(node, ScalarNode):
        raise EditError(
            f"{_where(path)} {_describe(node, spot.key)}; only a single value can be set"
        )
    start, end = node.start_mark.index, _tight_end(body, node)
    new = _render(value, spot.in_flow)
    if start == end:  # empty value right after `key:` or `-`
        new = " " + new
    if node.style in ("|", ">"):
        header = body[start : _line_end(body, start)]
        comment = _BLOCK_HEADER_COMMENT.match(header)
        new += comment.group(1) if comment else ""
    return start, end, new


def _create(doc: _Doc, spot: _Spot, new: _NewValue) -> str:
    """Add the missing keys `spot.rest`, the last one holding `new`."""
    node, key = spot.node, spot.key
    leaf = new.block
    in_flow_mapping = isinstance(node, MappingNode) and node.flow_style and node.value
    if node is not None and (spot.in_flow or in_flow_mapping):
        return _create_in_flow(doc, spot, new)
    if node is None or (not spot.found and _is_null(node) and _is_empty_text(node)):
        return _append_at_end(doc, _entry_lines(doc, spot.rest, 0, leaf))
    if _is_null(node) or _is_empty_flow(node, MappingNode):
        if key is None:
            raise EditError(f"{_where(spot.found)} is empty and is not under a key")
        lines = _entry_lines(doc, spot.rest, key.start_mark.column + doc.step, leaf)
        return _fill_placeholder(doc, node, lines)
    if isinstance(node, MappingNode) and not node.flow_style:
        column = node.value[0][0].start_mark.column
        lines = _entry_lines(doc, spot.rest, column, leaf)
        return _insert_lines(doc, doc.body, _block_end(doc.body, node, column), lines)
    raise EditError(f"{_where(spot.found)} {_describe(node, key)}; cannot add keys to it")


def _create_in_flow(doc: _Doc, spot: _Spot, new: _NewValue) -> str:
    """Add the missing keys inside a flow collection, written in flow style: `, key: value`."""
    node, body = spot.node, doc.body
    assert node is not None
    text = new.flow
    for name in reversed(spot.rest[1:]):
        text = f"{{{_flow_key(name)}: {text}}}"
    pair = f"{_flow_key(spot.rest[0])}: {text}"
    if isinstance(node, MappingNode) and node.value:
        at = _tight_end(body, node.value[-1][1])
        return body[:at] + ", " + pair + body[at:]
    if _is_null(node) or _is_empty_flow(node, MappingNode):
        return _replace_span(body, node, f"{{{pair}}}")
    raise EditError(f"{_where(spot.found)} {_describe(node, spot.key)}; cannot add keys to it")


def _flow_key(name: str | int) -> str:
    if not isinstance(name, str):
        raise EditError(f"list item [{name}] does not exist; only mapping keys can be created")
    return _render(name, flow=True)


def _flow_item(item: dict[str, Scalar]) -> str:
    pairs = ", ".join(f"{_render(k, True)}: {_render(v, True)}" for k, v in item.items())
    return f"{{{pairs}}}"


def _replace_span(body: str, node: Node, text: str) -> str:
    """Put `text` where `node` is written (after `key:` when the node has no text)."""
    start, end = node.start_mark.index, _tight_end(body, node)
    if start == end and not body[:start].endswith((" ", "[", "{")):
        text = " " + text
    return body[:start] + text + body[end:]


def _entry_lines(doc: _Doc, keys: Path, column: int, leaf: _Leaf) -> list[str]:
    """Lines for nested mappings `keys[0]: keys[1]: ...` starting at `column`."""
    name = keys[0]
    if not isinstance(name, str):
        raise EditError(f"list item [{name}] does not exist; only mapping keys can be created")
    head = " " * column + _render(name, flow=False) + ":"
    if len(keys) == 1:
        return leaf(head, column)
    return [head, *_entry_lines(doc, keys[1:], column + doc.step, leaf)]


def _append_at_end(doc: _Doc, lines: list[str]) -> str:
    body = doc.body
    if body and not body.endswith("\n"):
        body += doc.newline
    return body + "".join(line + doc.newline for line in lines)


def _fill_placeholder(doc: _Doc, node: Node, lines: list[str]) -> str:
    """Replace an empty value (`key:`, `~`, `null`, `[]`, `{}`) with block content."""
    body, start, end = doc.body, node.start_mark.index, node.end_mark.index
    if end > start:
        # Drop the written placeholder and the spaces before it; a trailing comment stays.
        start = len(body[:start].rstrip(" \t"))
        body = body[:start] + body[end:]
    return _insert_lines(doc, body, _line_end(body, start), lines)


def _list_leaf(doc: _Doc, item: dict[str, Scalar]) -> _Leaf:
    def leaf(head: str, column: int) -> list[str]:
        dash = column + doc.seq_offset
        return [head, *_item_lines(item, dash, dash + 2)]

    return leaf


def _item_lines(item: dict[str, Scalar], dash: int, column: int) -> list[str]:
    """A list item holding the mapping `item`: `- k: v` then the other keys at `column`."""
    if not item:
        return [" " * dash + "- {}"]
    first = (" " * dash + "-").ljust(column)
    return [
        (first if index == 0 else " " * column) + f"{_render(k, False)}: {_render(v, False)}"
        for index, (k, v) in enumerate(item.items())
    ]


def _append_existing(doc: _Doc, spot: _Spot, path: Path, item: dict[str, Scalar]) -> str:
    node, key = spot.node, spot.key
    if node is not None and spot.in_flow and (_is_null(node) or _is_empty_flow(node, SequenceNode)):
        return _replace_span(doc.body, node, f"[{_flow_item(item)}]")
    if isinstance(node, SequenceNode) and node.flow_style and node.value:
        at = _tight_end(doc.body, node.value[-1])
        return doc.body[:at] + ", " + _flow_item(item) + doc.body[at:]
    if node is not None and (_is_null(node) or _is_empty_flow(node, SequenceNode)):
        if key is None:
            raise EditError(f"{_where(path)} is empty and is not under a key")
        dash = key.start_mark.column + doc.seq_offset
        return _fill_placeholder(doc, node, _item_lines(item, dash, dash + 2))
    if isinstance(node, SequenceNode) and not node.flow_style:
        return _append_to_block_list(doc, node, item)
    raise EditError(f"{_where(path)} {_describe(node, key)}; expected a list")


def _append_to_block_list(doc: _Doc, seq: SequenceNode, item: dict[str, Scalar]) -> str:
    dash = seq.start_mark.column
    lines = _item_lines(item, dash, _item_column(doc.body, seq))
    return _insert_lines(doc, doc.body, _block_end(doc.body, seq, dash), lines)


def _plain_block_list(body: str, seq: SequenceNode) -> bool:
    """Whether the block list is one `- value` line per item, with no comment."""
    start = seq.start_mark.index - seq.start_mark.column
    old_lines = body[start : _tight_end(body, seq.value[-1])].splitlines()
    plain = all(isinstance(item, ScalarNode) and item.style not in ("|", ">") for item in seq.value)
    return plain and len(old_lines) == len(seq.value) and not any("#" in li for li in old_lines)


def _edit_block_list(text: str, path: Path, old: list[Any], values: list[Scalar]) -> str:
    """A block list with comments or values over several lines brought to `values` by
    removing the items that go (with the comments indented under them) and appending the
    new ones as `- value` lines: every other line, comments included, stays."""
    wanted = [as_read(v) for v in values]
    kept, removed = 0, []
    for index, item in enumerate(old):
        if kept < len(wanted) and _same(item, wanted[kept]):
            kept += 1
        else:
            removed.append(index)
    for index in reversed(removed):
        text = remove_item(text, (*path, index))
    added = values[kept:]
    if not added:
        return text
    doc = _parse(text)
    seq = _descend(doc, path).node
    if not isinstance(seq, SequenceNode) or seq.flow_style:
        return set_list(text, path, values)  # emptied to `[]`: written in flow style
    dash = seq.start_mark.column
    lines = [" " * dash + "- " + _render(v, flow=False) for v in added]
    result = doc.bom + _insert_lines(doc, doc.body, _block_end(doc.body, seq, dash), lines)
    _verify(doc, result, path, lambda old_items: [*old_items, *(as_read(v) for v in added)])
    return result


def _replace_block_list(doc: _Doc, spot: _Spot, path: Path, values: list[Scalar]) -> str:
    seq, body, key = spot.node, doc.body, spot.key
    assert isinstance(seq, SequenceNode)
    dash = seq.start_mark.column
    start = seq.start_mark.index - dash
    end = _tight_end(body, seq.value[-1])
    if values:
        prefix = " " * dash + "- "
        new = doc.newline.join(prefix + _render(v, flow=False) for v in values)
        return body[:start] + new + body[end:]
    if key is None:
        raise EditError(f"{_where(path)} is not under a key; cannot empty it")
    colon = body.index(":", key.end_mark.index) + 1
    line_end = _line_end(body, colon)
    # `key: []` keeps a comment written after the key; the item lines go.
    return body[:colon] + " []" + body[colon:line_end] + body[end:]


def _item_column(body: str, seq: SequenceNode) -> int:
    """Column where existing items start their content (`-   k: v` keeps its spacing)."""
    dash = seq.start_mark.column
    for item in seq.value:
        mark = item.start_mark
        prefix = body[mark.index - mark.column : mark.index]
        if prefix.strip() == "-" and mark.column >= dash + 2:
            return int(mark.column)
    return dash + 2


# ---------------------------------------------------------------------------------------------
# Verification


def _data(doc: _Doc) -> Any:
    """The document as the loader reads it (`nodes`): the one way diffuse reads YAML."""
    if doc.root is None:
        return None
    # `_parse` has bounded the expanded size already.
    return convert_checked(None, doc.root, CEILINGS, aliases=False).data


def _lookup(data: Any, path: Path) -> Any:
    for part in path:
        data = data[part]
    return data


def _changed(data: Any, path: Path, change: Callable[[Any], Any]) -> Any:
    """`data` with the value at `path` replaced by `change(old)`, missing mappings created."""
    if not path:
        return change(data)
    head, rest = path[0], path[1:]
    if data is None:
        data = {}
    old = data.get(head) if isinstance(data, dict) else data[head]
    data[head] = _changed(old, rest, change)
    return data


def _same(left: Any, right: Any) -> bool:
    """Equality that also tells `1` from `True` and `1.0`, and a date from a datetime."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(_same(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(map(_same, left, right))
    if isinstance(left, float) and math.isnan(left):
        return math.isnan(right)
    return bool(left == right)


def _verify(before: _Doc, after: str, path: Path, change: Callable[[Any], Any]) -> None:
    _check(_changed(_data(before), path, change), after, path)


def _check(expected: Any, after: str, path: Path) -> None:
    try:
        # The edit's next step, and validation, read the result again; it is parsed once.
        actual = _data(_parse(after))
    except EditError as exc:
        raise EditError(
            f"internal: edit verification failed at {_where(path)}: the result does not parse "
            f"({exc.message}); the file was not changed"
        ) from exc
    if not _same(actual, expected):
        raise EditError(
            f"internal: edit verification failed at {_where(path)}: the result would not hold "
            "the intended data; the file was not changed"
        )
