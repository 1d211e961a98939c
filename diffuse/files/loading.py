"""Files -> YAML nodes -> data -> models, with every problem placed at path:line:col.

The fast path composes with libyaml and validates; the node tree it already holds is only
walked for positions when pydantic reports an error.
"""

from __future__ import annotations

import codecs
import difflib
import functools
import os
import re
import stat
import types
import typing
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from diffuse.errors import Location, Problem
from diffuse.files.nodes import LimitError, compose, read, shown, where
from diffuse.limits import CEILINGS, DEFAULT_LIMITS, Limits
from diffuse.reading import handover

_CONFLICT = re.compile(rb"^(<{7}|={7}|>{7})(\s|$)", re.MULTILINE)
_WIDE_BOMS = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}
# Opening a FIFO or a device for reading could block or never end: see what it is first.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)

M = TypeVar("M", bound=BaseModel)


class _Text:
    """A document's text, kept compressed once `Document.release` packs it: a big tracker
    would otherwise hold every file's text (400 MB for 10,000 projects) for the few that
    are read again. Read back whole on each use, which is rare once a model holds the data
    (placing a problem, building the model again, an edit).

    The first `LOOSE` characters a process packs are kept as they are: a small tracker
    is then never compressed, which would cost it more time than the memory is worth."""

    LOOSE = 1_000_000
    loose = 0  # characters left as they are so far, in this process

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_{name}"

    def __get__(self, doc: object, owner: type | None = None) -> str:
        if doc is None:
            return ""  # the field's default
        value: str | bytes = doc.__dict__.get(self.slot, "")
        return value if isinstance(value, str) else zlib.decompress(value).decode("utf-8")

    def __set__(self, doc: object, value: str) -> None:
        doc.__dict__[self.slot] = value

    def pack(self, doc: object) -> None:
        value = doc.__dict__.get(self.slot, "")
        if not isinstance(value, str) or not value:
            return
        if _Text.loose + len(value) <= _Text.LOOSE:
            _Text.loose += len(value)
            return
        doc.__dict__[self.slot] = zlib.compress(value.encode("utf-8"), 1)


@dataclass
class Document:
    """One file as read: its path, node tree, data, problems and text."""

    path: Path
    node: yaml.Node | None = None
    data: Any = None
    problems: list[Problem] = field(default_factory=list)
    text: _Text = _Text()
    # Top-level keys whose values failed the schema: `salvage` leaves them out.
    invalid_keys: set[str] = field(default_factory=set)
    released: bool = field(default=False, repr=False)
    _keys: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = field(
        default_factory=dict, repr=False
    )

    def release(self, data: bool = False) -> None:
        """Drop the node tree once the data is read (and the data too, with `data`, once
        a model holds it, and keep the text compressed): a big tracker would otherwise
        keep every file's tree. `locate` composes it again, for the few files with
        problems."""
        if self.node is not None and self.text:
            self.node, self.released = None, True
            self._keys.clear()
        if data:
            self.data = None
            _TEXT.pack(self)

    def tree(self) -> yaml.Node | None:
        """The file's node tree, composed again when it was let go of or never held."""
        if self.node is None and self.released:
            self.node, self.released = compose(self.text, CEILINGS)[0], False
        return self.node

    def locate(self, loc: tuple[str | int, ...], key: bool = False) -> Location:
        node = self.tree()
        if node is None:
            return Location(self.path)
        return where(self.path, node_at(node, loc, key, self._keys))


_TEXT: _Text = Document.__dict__["text"]


def read_document(path: Path, limits: Limits = DEFAULT_LIMITS) -> Document:
    doc, raw = read_bytes(path, limits)
    if raw is not None:
        parse_bytes(doc, raw, limits)
    return doc


def read_bytes(path: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[Document, bytes | None]:
    """The file's bytes, or None with the reason in the document's problems. Bytes the
    run has read already (`reading.handover`) are taken, not read again."""
    doc = Document(path)
    handed = handover.take(path)
    if handed is not None:
        return doc, _within_limit(doc, handed, len(handed), limits.max_file_bytes)
    return doc, _read_bytes(doc, limits.max_file_bytes)


def parse_bytes(doc: Document, raw: bytes, limits: Limits = DEFAULT_LIMITS) -> None:
    text = _decode(doc, raw)
    if text is not None:
        doc.text = text
        _parse(doc, text, limits)


def document_from_text(path: Path, text: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """The document in `text` (already decoded, without a BOM), as read_document makes it."""
    doc = Document(path, text=text)
    _parse(doc, text, limits)
    return doc


def _read_bytes(doc: Document, max_bytes: int) -> bytes | None:
    try:
        fd = os.open(doc.path, _OPEN_FLAGS)
    except FileNotFoundError:
        if doc.path.is_symlink():
            target = shown(os.readlink(doc.path), 200)
            _fail(doc, "unreadable", f"a symbolic link to {target}, which does not exist")
        else:
            _fail(doc, "unreadable", "the file disappeared while it was being read")
        return None
    except OSError as exc:
        _fail(doc, "unreadable", f"cannot read this file: {exc.strerror or exc}")
        return None
    try:
        return _read_open(doc, fd, max_bytes)
    except OSError as exc:
        _fail(doc, "unreadable", f"cannot read this file: {exc.strerror or exc}")
        return None
    finally:
        os.close(fd)


def _read_open(doc: Document, fd: int, max_bytes: int) -> bytes | None:
    info = os.fstat(fd)
    if stat.S_ISDIR(info.st_mode):
        _fail(doc, "not-a-file", "this is a folder, not a YAML file; rename or move it")
        return None
    if not stat.S_ISREG(info.st_mode):
        _fail(doc, "not-a-file", "this is not a regular file (a device, pipe or socket)")
        return None
    chunks, size = [], 0
    # Never more than the limit allows, even from a file that grows while it is read.
    while size <= max_bytes and (chunk := os.read(fd, max_bytes + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
    return _within_limit(doc, b"".join(chunks), info.st_size, max_bytes)


def _within_limit(doc: Document, data: bytes, st_size: int, max_bytes: int) -> bytes | None:
    size = len(data)
    if max(size, st_size) > max_bytes:
        # Placed at the first byte past the limit, when the file still reaches that far.
        line, col = _place(data, max_bytes) if size > max_bytes else (0, 0)
        message = f"file is {max(size, st_size):,} bytes; the limit is {max_bytes:,}"
        _fail(doc, "too-large", message, line, col)
        return None
    return data


def _place(raw: bytes, offset: int) -> tuple[int, int]:
    """Line and column (both from 1, the column in bytes) of the byte at `offset`."""
    return raw.count(b"\n", 0, offset) + 1, offset - (raw.rfind(b"\n", 0, offset) + 1) + 1


def _fail(doc: Document, code: str, message: str, line: int = 0, col: int = 0) -> None:
    doc.problems.append(Problem(Location(doc.path, line, col), code, message))


def _decode(doc: Document, raw: bytes) -> str | None:
    wide = next((name for bom, name in _WIDE_BOMS.items() if raw.startswith(bom)), None)
    if wide:
        _fail(doc, "not-utf8", f"file is saved as {wide}; save it as UTF-8", 1, 1)
    elif (nul := raw.find(b"\x00")) >= 0:
        _fail(
            doc,
            "binary-file",
            "this is a binary file (a 0x00 byte), not YAML text",
            *_place(raw, nul),
        )
    elif conflict := _CONFLICT.search(raw):
        line = raw.count(b"\n", 0, conflict.start()) + 1
        message = "unresolved git merge-conflict marker; resolve the conflict"
        _fail(doc, "merge-conflict", message, line, 1)
    else:
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            message = f"byte 0x{raw[exc.start]:02x} is not UTF-8 text; save as UTF-8"
            _fail(doc, "not-utf8", message, *_place(raw, exc.start))
    return None


def _parse(doc: Document, text: str, limits: Limits) -> None:
    try:
        reading = read(text, doc.path, limits)
    except LimitError as exc:
        doc.problems.append(
            Problem(_mark_location(doc.path, exc.problem_mark), exc.code, exc.problem or "")
        )
        return
    except yaml.MarkedYAMLError as exc:
        doc.problems.append(_syntax_problem(doc.path, exc))
        return
    except yaml.reader.ReaderError as exc:
        doc.problems.append(_reader_problem(doc.path, text, exc))
        return
    except (yaml.YAMLError, RecursionError) as exc:
        first = (str(exc).splitlines() or ["invalid YAML"])[0]
        doc.problems.append(Problem(Location(doc.path), "yaml-syntax", first))
        return
    nodes = reading.documents
    if not nodes:
        if text.strip():
            at = Location(doc.path, 1, 1)
            doc.problems.append(Problem(at, "empty-file", "file holds only comments, no values"))
        else:
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
    # A spliced text's tree lacks the rows' contents: `tree` composes the file's own.
    doc.node, doc.released = (None, True) if reading.spliced else (nodes[0], False)
    if reading.converted is not None:
        doc.data = reading.converted.data
        doc.problems.extend(reading.converted.problems)


def _mark_location(path: Path, mark: Any) -> Location:
    return Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)


def _syntax_problem(path: Path, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    message = exc.problem or ""
    if exc.context:
        start = exc.context_mark
        since = (
            f" that started on line {start.line + 1}"
            if start and mark and start.line != mark.line
            else ""
        )
        message = f"{message} ({exc.context}{since})" if message else exc.context
    if "'\\t'" in message or "tab character" in message:
        message = "a tab character is not allowed for indentation in YAML; use spaces"
    return Problem(_mark_location(path, mark), "yaml-syntax", message or "invalid YAML")


def _reader_problem(path: Path, text: str, exc: yaml.reader.ReaderError) -> Problem:
    position = max(0, min(exc.position, len(text)))
    line = text.count("\n", 0, position) + 1
    col = position - (text.rfind("\n", 0, position) + 1) + 1
    char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or " ")
    return Problem(
        Location(path, line, col),
        "yaml-syntax",
        f"character U+{char:04X} is not allowed in YAML text ({exc.reason})",
    )


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
        item = model.model_validate(doc.data)
    except ValidationError as exc:
        errors = exc.errors()
        doc.problems.extend(schema_problem(doc, model, err) for err in errors)
        doc.invalid_keys.update(str(err["loc"][0]) for err in errors if err["loc"])
        return None
    return item


def salvage(doc: Document, model: type[M]) -> M | None:
    """The fields of a file that failed validation which are valid on their own, so the
    ids they name can still be checked in the same run. Fields that failed, and required
    ones that are missing, are None: the result is for reading references only."""
    if not isinstance(doc.data, dict):
        return None
    values: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key in doc.data and key not in doc.invalid_keys:
            try:
                values[name] = _field_adapter(model, name).validate_python(doc.data[key])
                continue
            except ValidationError:
                pass
        if info.is_required():
            values[name] = None
    return model.model_construct(**values)


@functools.cache
def _field_adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    kind: Any = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
    return TypeAdapter(kind)


def node_at(
    root: yaml.Node,
    loc: tuple[str | int, ...],
    key: bool = False,
    keys: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] | None = None,
) -> yaml.Node:
    """The deepest node along `loc`; with `key`, the key node of the last step.

    `keys` keeps each mapping's pairs by key between calls, so placing many problems in
    one file costs one pass over each mapping rather than one per problem.
    """
    node = root
    for step in loc:
        if isinstance(node, yaml.MappingNode):
            pair = _pair(node, str(step), keys)
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


def _pair(
    node: yaml.MappingNode, step: str, keys: dict[int, dict[str, Any]] | None
) -> tuple[yaml.Node, yaml.Node] | None:
    if keys is None:
        return next(((k, v) for k, v in node.value if str(k.value) == step), None)
    index = keys.get(id(node))
    if index is None:
        index = keys[id(node)] = {}
        for k, v in node.value:
            index.setdefault(str(k.value), (k, v))
    found: tuple[yaml.Node, yaml.Node] | None = index.get(step)
    return found


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
    "int_parsing_size": "out-of-range",
    "day_range": "out-of-range",
    "figure_range": "out-of-range",
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
    field_path = ".".join(shown(str(step), 40)[1:-1] for step in loc) or "(top level)"
    given = err.get("input")
    if kind == "extra_forbidden":
        message = _unknown_field(model, loc)
    elif kind == "missing":
        message = f"required field '{loc[-1]}' is missing"
        loc = loc[:-1]
    elif kind in _TYPES:
        message = f"expected {_TYPES[kind]}{_got(given)}"
    elif kind == "int_parsing_size":
        message = "expected a whole number small enough to read"
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
    if isinstance(value, str):
        return f" (got {shown(value)})"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f" (got {shown(str(value))})"
    if isinstance(value, dict):
        return " (got a mapping)"
    if isinstance(value, list):
        return f" (got a list of {len(value)})"
    return ""


def _unknown_field(model: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    name = str(loc[-1])
    allowed = sorted(_allowed_keys(model, loc[:-1]))
    if not allowed:
        return f"unknown field {shown(name)}"
    close = difflib.get_close_matches(name[:100], allowed, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown field {shown(name)}{hint} (expected one of: {', '.join(allowed)})"


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


def model_from_bytes(path: Path, raw: bytes, model: type[M]) -> M | None:
    """The model in `raw` (a file's bytes at some commit), or None if it is not valid."""
    try:
        text = raw.decode("utf-8-sig")
        reading = read(text, path)
    except (UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return None
    converted = reading.converted
    if converted is None or converted.problems:
        return None
    doc = Document(path, None if reading.spliced else reading.documents[0], text=text)
    doc.released = reading.spliced
    doc.data = converted.data
    return validate(doc, model)
