"""A cache of computed reports, keyed by the exact bytes of every tracker file.

Reading a tracker means importing pydantic, parsing YAML and validating every file, which
dominates the run time of read-only commands. A report computed from the same files, the
same options and the same version of diffuse is the same report, so it is kept as JSON in
the user's cache folder and reused. Any change to any tracker file, to diffuse's own code or
to the options gives a different key. Set DIFFUSE_NO_CACHE=1 to bypass it.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import json
import os
import stat
import tempfile
import types
import typing
from datetime import date
from pathlib import Path
from typing import Any

from diffuse import progress
from diffuse.files.cachedir import cache_dir, code_fingerprint
from diffuse.layout import tracker_paths

MAX_ENTRIES = 64
MAX_READ = 16 * 1024 * 1024


def key(root: Path, *options: object, files: str | None = None) -> str:
    """The entry for `options` on the tracker at `root`; `files`, its `files_digest` when
    the caller already has it, saves reading every file again."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(code_fingerprint().encode())
    digest.update(json.dumps([str(o) for o in options]).encode())
    digest.update((files or files_digest(root)).encode())
    return digest.hexdigest()


def files_digest(root: Path) -> str:
    """A digest of every tracker file's name and content."""
    digest = hashlib.blake2b(digest_size=20)
    paths = tracker_paths(root)
    with progress.task("checking files", len(paths)) as step:
        for path in paths:
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(_content(path) + b"\0")
            step.advance()
    return digest.hexdigest()


def _content(path: Path) -> bytes:
    # Only regular files inside the tracker are read, and only up to a size no tracker file
    # may reach: a FIFO or device named like a YAML file would block, a link may point
    # anywhere. Anything else is keyed by what stat says about it; loading reports it.
    try:
        info = path.stat()
        if path.is_symlink() or not stat.S_ISREG(info.st_mode) or info.st_size > MAX_READ:
            target = os.readlink(path) if path.is_symlink() else ""
            return (
                f"{target}|{stat.S_IFMT(info.st_mode)}|{info.st_size}|{info.st_mtime_ns}".encode()
            )
        return path.read_bytes()
    except OSError as exc:
        return f"unreadable {exc.errno}".encode()


def get(entry: str) -> Any | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return json.loads((folder / f"{entry}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def put(entry: str, value: Any) -> None:
    """Store `value`; a cache that cannot be written is simply not used."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            # One string: json.dump writes piece by piece, many times slower on a big grid.
            out.write(json.dumps(value))
        os.replace(temp, folder / f"{entry}.json")
        _prune(folder)
    except OSError:
        return


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
    for stale in entries[:-MAX_ENTRIES]:
        stale.unlink(missing_ok=True)


def encode(value: Any) -> Any:
    """Dataclasses, enums, dates, lists and dicts as JSON values."""
    kind = type(value)
    encoder = _ENCODERS.get(kind)
    if encoder is None:
        encoder = _ENCODERS[kind] = _encoder(kind)
    return encoder(value)


# Worked out once per type: a big grid has hundreds of thousands of cells.
_ENCODERS: dict[type, typing.Callable[[Any], Any]] = {}


def _encoder(kind: type) -> typing.Callable[[Any], Any]:
    if dataclasses.is_dataclass(kind):
        names = [f.name for f in dataclasses.fields(kind)]
        return lambda value: {n: encode(getattr(value, n)) for n in names}
    if issubclass(kind, enum.Enum):
        return lambda value: value.value
    if issubclass(kind, date):
        return lambda value: value.isoformat()
    if issubclass(kind, Path):
        return str
    if issubclass(kind, (list, tuple)):
        return lambda value: [encode(v) for v in value]
    if issubclass(kind, dict):
        return lambda value: {k: encode(v) for k, v in value.items()}
    return lambda value: value


def decode(kind: Any, data: Any) -> Any:
    """The inverse of `encode`, guided by the type annotation `kind`."""
    return _decoder(kind)(data)


Decoder = typing.Callable[[Any], Any]


@functools.cache
def _decoder(kind: Any) -> Decoder:
    """A function decoding values of type `kind`, worked out once per type: looking the
    type hints up again for each of a big grid's rows and cells cost seconds."""
    inner = _inner(kind)
    return lambda data: None if data is None else inner(data)


def _inner(kind: Any) -> Decoder:
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        return _decoder(next(a for a in args if a is not type(None)))
    if origin in (list, tuple):
        item = _decoder(args[0] if args else Any)
        if origin is list:
            return lambda data: [item(v) for v in data]
        return lambda data: tuple(item(v) for v in data)
    if origin is dict:
        value = _decoder(args[1])
        return lambda data: {k: value(v) for k, v in data.items()}
    if isinstance(kind, type) and issubclass(kind, tuple) and hasattr(kind, "_fields"):
        hints = typing.get_type_hints(kind)
        parts = [_decoder(hints[name]) for name in kind._fields]
        return lambda data: kind(*(f(v) for f, v in zip(parts, data, strict=True)))
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(kind) if f.init]
        return lambda data: kind(**{n: f(data[n]) for n, f in fields if n in data})
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind
    if kind is date:
        return date.fromisoformat
    if kind is Path:
        return Path
    return lambda data: data
