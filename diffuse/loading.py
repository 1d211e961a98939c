"""Files -> YAML nodes -> data -> models, with every problem placed at path:line:col.

The fast path composes with libyaml and validates; the node tree it already holds is only
walked for positions when pydantic reports an error.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from diffuse.errors import Location, Problem
from diffuse.yamlnodes import compose, convert_checked, where

MAX_FILE_BYTES = 1_000_000
_CONFLICT = re.compile(rb"^(<{7}|={7}|>{7})(\s|$)", re.MULTILINE)

M = TypeVar("M", bound=BaseModel)


@dataclass
class Document:
    path: Path
    node: yaml.Node | None = None
    data: Any = None
    problems: list[Problem] = field(default_factory=list)

    def locate(self, loc: tuple[str | int, ...], key: bool = False) -> Location:
        if self.node is None:
            return Location(self.path)
        return where(self.path, node_at(self.node, loc, key))


def read_document(path: Path, max_bytes: int = MAX_FILE_BYTES) -> Document:
    doc = Document(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        doc.problems.append(Problem(Location(path), "unreadable", exc.strerror or str(exc)))
        return doc
    text = _decode(doc, raw, max_bytes)
    if text is not None:
        _parse(doc, text)
    return doc


def _decode(doc: Document, raw: bytes, max_bytes: int) -> str | None:
    def fail(code: str, message: str, line: int = 0, col: int = 0) -> None:
        doc.problems.append(Problem(Location(doc.path, line, col), code, message))

    if len(raw) > max_bytes:
        fail("too-large", f"file is {len(raw):,} bytes; the limit is {max_bytes:,}")
    elif b"\x00" in raw:
        fail("binary-file", "this is a binary file, not YAML text")
    elif conflict := _CONFLICT.search(raw):
        line = raw.count(b"\n", 0, conflict.start()) + 1
        fail(
            "merge-conflict", "unresolved git merge-conflict marker; resolve the conflict", line, 1
        )
    else:
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            fail(
                "not-utf8",
                f"byte 0x{raw[exc.start]:02x} is not UTF-8 text; save as UTF-8",
                line,
                col,
            )
    return None


def _parse(doc: Document, text: str) -> None:
    try:
        nodes = compose(text)
    except yaml.MarkedYAMLError as exc:
        doc.problems.append(_syntax_problem(doc.path, exc))
        return
    except (yaml.YAMLError, RecursionError) as exc:
        doc.problems.append(Problem(Location(doc.path), "yaml-syntax", str(exc).splitlines()[0]))
        return
    if not nodes:
        doc.problems.append(Problem(Location(doc.path), "empty-file", "file is empty"))
        return
    if len(nodes) > 1:
        doc.problems.append(
            Problem(
                where(doc.path, nodes[1]),
                "multiple-documents",
                "one document per file: remove the extra '---' section",
            )
        )
        return
    doc.node = nodes[0]
    converted = convert_checked(doc.path, doc.node)
    doc.data = converted.data
    doc.problems.extend(converted.problems)


def _syntax_problem(path: Path, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    message = " ".join(filter(None, [exc.context, exc.problem]))
    if "'\\t'" in message:
        message = "a tab character is not allowed for indentation in YAML; use spaces"
    return Problem(Location(path, line, col), "yaml-syntax", message or "invalid YAML")


def validate(doc: Document, model: type[M]) -> M | None:
    """The model for `doc`, or None with every schema problem appended to doc.problems."""
    if doc.data is None and doc.node is not None and not doc.problems:
        doc.problems.append(Problem(doc.locate(()), "empty-file", "file holds no values"))
    if not isinstance(doc.data, dict):
        if doc.data is not None:
            doc.problems.append(
                Problem(
                    doc.locate(()),
                    "not-a-mapping",
                    "expected a mapping of 'field: value' lines at the top",
                )
            )
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        doc.problems.extend(schema_problem(doc, model, err) for err in exc.errors())
        return None


def node_at(root: yaml.Node, loc: tuple[str | int, ...], key: bool = False) -> yaml.Node:
    """The deepest node along `loc`; with `key`, the key node of the last step."""
    node = root
    for step in loc:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if str(k.value) == str(step)), None)
            if pair is None:
                return node
            if key and step == loc[-1]:
                key_node: yaml.Node = pair[0]
                return key_node
            node = pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if not 0 <= step < len(node.value):
                return node
            node = node.value[step]
        else:
            return node
    return node


_CODES = {
    "missing": "missing-field",
    "extra_forbidden": "unknown-field",
    "enum": "invalid-choice",
    "literal_error": "invalid-choice",
    "invalid_date": "invalid-date",
    "invalid_id": "invalid-id",
    "greater_than_equal": "out-of-range",
    "less_than_equal": "out-of-range",
    "greater_than": "out-of-range",
    "less_than": "out-of-range",
    "too_short": "too-few",
    "too_long": "too-many",
}
_TYPES = {
    "string_type": "text",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "int_parsing": "a whole number",
    "float_parsing": "a number",
    "int_from_float": "a whole number",
    "bool_parsing": "true or false",
}


def schema_problem(doc: Document, model: type[BaseModel], err: Any) -> Problem:
    loc = tuple(step for step in err["loc"] if step != "[key]")
    kind = err["type"]
    field_path = ".".join(str(step) for step in loc) or "(top level)"
    given = err.get("input")
    if kind == "extra_forbidden":
        message = _unknown_field(model, loc)
    elif kind == "missing":
        message = f"required field '{loc[-1]}' is missing"
        loc = loc[:-1]
    elif kind in _TYPES:
        message = f"expected {_TYPES[kind]}{_got(given)}"
    elif kind in ("value_error", "assertion_error"):
        message = str(err["msg"]).removeprefix("Value error, ")
    else:
        message = f"{_phrase(kind, err)}{_got(given)}"
    code = _CODES.get(kind, "wrong-type" if kind in _TYPES else "invalid-value")
    where_ = doc.locate(loc, key=kind in ("extra_forbidden", "missing"))
    if kind == "missing":
        where_ = doc.locate(loc)
    return Problem(where_, code, f"{field_path}: {message}")


_BOUNDS = {
    "greater_than_equal": ("at least", "ge"),
    "less_than_equal": ("at most", "le"),
    "greater_than": ("more than", "gt"),
    "less_than": ("less than", "lt"),
}


def _phrase(kind: str, err: Any) -> str:
    ctx = err.get("ctx") or {}
    if kind in _BOUNDS:
        words, name = _BOUNDS[kind]
        return f"expected a value {words} {ctx.get(name)}"
    if kind == "too_short":
        return f"expected at least {ctx.get('min_length')} item(s)"
    if kind == "too_long":
        return f"expected at most {ctx.get('max_length')} item(s)"
    return str(err["msg"]).replace("Input should be ", "expected ", 1)


def _got(value: Any) -> str:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return f" (got {value!r})"
    if isinstance(value, dict):
        return " (got a mapping)"
    if isinstance(value, list):
        return f" (got a list of {len(value)})"
    return ""


def _unknown_field(model: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    name = str(loc[-1])
    allowed = sorted(_allowed_keys(model, loc[:-1]))
    if not allowed:
        return f"unknown field '{name}'"
    close = difflib.get_close_matches(name, allowed, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown field '{name}'{hint} (expected one of: {', '.join(allowed)})"


def _allowed_keys(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    current: Any = model
    for step in loc:
        current = _step_into(current, step)
        if current is None:
            return []
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or n for n, f in current.model_fields.items()]
    return []


def _step_into(annotation: Any, step: str | int) -> Any:
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields = {f.alias or n: f for n, f in annotation.model_fields.items()}
        return fields[str(step)].annotation if str(step) in fields else None
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin is list and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = options[0] if len(options) == 1 else annotation
            if len(options) != 1:
                return annotation
        else:
            return annotation
