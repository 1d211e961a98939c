"""Each project file's validated result, kept in the user's cache folder and keyed by its
bytes.

A big tracker is mostly project files that did not change since the last run. Reading one
means parsing its YAML, converting it and checking it value by value; the result for the
same bytes, the same file name, the same limits and the same diffuse is the same, so it is
kept as JSON and read back instead: the file's own problems (line, column, code, message),
and its model's values, which pydantic's compiled validator turns back into the model far
faster than the YAML was read. The text is decoded again from the bytes just read, so a
problem found later is still placed at path:line:col. Rules across files always run again.

Each entry is written to a temporary file and renamed into place, so two processes never
see half an entry; one that cannot be read or does not look right is a miss, and the file
is read as if there were no cache. The folder is kept under a bounded size, oldest first.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from diffuse.errors import Level, Location, Problem
from diffuse.files.cachedir import cache_dir, code_fingerprint
from diffuse.files.loading import Document
from diffuse.limits import Limits
from diffuse.models import Project

FORMAT = b"diffuse-files-1"
MAX_ENTRIES = 40_000
MAX_BYTES = 1 << 30
SUFFIX = ".json"

Stored = tuple[int, int, str, str, str, str]


class FileCache:
    def __init__(self, folder: Path, limits: Limits) -> None:
        self.folder = folder
        salt = hashlib.sha256(FORMAT)
        salt.update(code_fingerprint().encode())
        salt.update(repr(limits).encode())
        self.salt = salt.digest()
        self.written = 0

    @classmethod
    def open(cls, limits: Limits) -> FileCache | None:
        """The cache, or None when caching is off or the folder cannot be made."""
        base = cache_dir()
        if base is None:
            return None
        folder = base / "files"
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError:
            return None
        return cls(folder, limits)

    def key(self, kind: str, path: Path, raw: bytes) -> str:
        digest = hashlib.sha256(self.salt)
        digest.update(f"{kind}/{path.name}\0".encode())
        digest.update(raw)
        return digest.hexdigest()

    def get(self, key: str, path: Path, raw: bytes) -> tuple[Document, Project | None] | None:
        """The document and project stored under `key`, rebuilt for `path`; None on a miss."""
        try:
            stored = json.loads((self.folder / f"{key}{SUFFIX}").read_bytes())
            problems = [_problem(path, p) for p in stored["problems"]]
            item = None if stored["item"] is None else Project.model_validate(stored["item"])
            practice = stored["practice"]
        except (OSError, ValueError, TypeError, KeyError, ValidationError):
            return None
        # A broken project keeps only what the cross-file rules read: the practice it names.
        data = None if practice is None else {"practice": practice}
        doc = Document(path, data=data, problems=problems)
        if stored["text"]:
            # The bytes decoded before, as read_document decodes them.
            doc.text, doc.released = raw.decode("utf-8-sig"), True
        return doc, item

    def put(self, key: str, doc: Document, item: Project | None) -> None:
        if any(p.location.path != doc.path for p in doc.problems):
            return
        practice = str(doc.data.get("practice")) if isinstance(doc.data, dict) else None
        value = {
            "problems": [_stored(p) for p in doc.problems],
            "item": None if item is None else item.model_dump(mode="json", by_alias=True),
            "practice": None if item is not None else practice,
            "text": bool(doc.text),
        }
        try:
            payload = json.dumps(value, ensure_ascii=False).encode()
            handle, temp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                out.write(payload)
            os.replace(temp, self.folder / f"{key}{SUFFIX}")
            self.written += 1
        except (OSError, ValueError):
            return

    def close(self) -> None:
        if self.written:
            prune(self.folder)


def prune(folder: Path, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
    """Remove the oldest entries once there are too many or they take too much room,
    down to three quarters of either bound."""
    try:
        entries = []
        with os.scandir(folder) as found:
            for entry in found:
                info = entry.stat(follow_symlinks=False)
                entries.append((info.st_mtime_ns, info.st_size, entry.path))
    except OSError:
        return
    total = sum(size for _, size, _ in entries)
    if len(entries) <= max_entries and total <= max_bytes:
        return
    entries.sort()
    count = len(entries)
    for _, size, name in entries:
        if count <= max_entries * 3 // 4 and total <= max_bytes * 3 // 4:
            break
        Path(name).unlink(missing_ok=True)
        count, total = count - 1, total - size


def _stored(problem: Problem) -> Stored:
    loc = problem.location
    return (loc.line, loc.col, problem.code, problem.message, problem.level.value, problem.fix)


def _problem(path: Path, stored: list[Any]) -> Problem:
    line, col, code, message, level, fix = stored
    return Problem(Location(path, line, col), code, message, Level(level), fix)
