"""Each project file's validated result, kept in the user's cache folder and keyed by its
bytes.

A big tracker is mostly project files that did not change since the last run. Reading one
means parsing its YAML, converting it and checking it value by value; the result for the
same bytes, the same file name, the same limits and the same diffuse is the same, so it is
kept as JSON and read back instead: the file's own problems (line, column, code, message),
its cross-file problems with a digest of the organisation file and practices they were
found with (reused only while that digest holds), the day its dates were checked against
and its earliest and latest date (reused on another day only while no date is out of the
window on either day, `cache.days`), and its model's values, which pydantic's
compiled validator turns back into the model only when a command uses it. The text is
decoded again from the bytes just read, so a problem found later is still placed at
path:line:col.

Each entry is written to a temporary file and renamed into place, so two processes never
see half an entry; one that cannot be read, is not a regular file written for its key
(`cache.folder.unseal`) or does not look right is a miss, and the file is read as if there were
no cache. The folder is kept under a bounded size, oldest first.

The headers a read of a tracker used are also kept together in one file for that tracker,
read in one go next time instead of one file per project; each header is keyed by the
same bytes as its entry, so a header from an older pack is still true of those bytes (its
cross-file problems are reused only while their digest holds). A pack that cannot be read
is no pack; it is written again, whole and atomically, after a run that changed anything.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diffuse.cache.days import Span, read_span, stored_span
from diffuse.cache.folder import cache_dir, code_fingerprint, unseal, write_sealed
from diffuse.cache.spans import date_span
from diffuse.errors import Level, Location, Problem
from diffuse.files.loading import Document
from diffuse.limits import Limits
from diffuse.models import Project

FORMAT = b"diffuse-files-6"
PACK = "pack-{}.index"
MAX_ENTRIES = 40_000
MAX_BYTES = 1 << 30
SUFFIX = ".json"
# Looking at every entry's size takes as long as reading a few hundred files: it is done
# after a run that wrote this many, and after one in this many of those that wrote fewer
# (picked by the last key written: no clock, no chance), so the bounds hold give or take
# a few runs' entries.
PRUNE_EVERY = 64

Stored = tuple[int, int, str, str, str, str]


@dataclass
class Hit:
    """What the cache knows of one project file, without building its model."""

    key: str
    doc: Document
    item_id: str | None  # None: the file has problems that leave no model
    practice: str | None
    phase: str
    phases: list[str]  # every phase the project names (its phase and its history's)
    context: str
    refs: list[Problem]
    day: str  # the day `refs` checked dates against
    dates: Span | None  # the file's earliest and latest date
    # Read and checked in this run, not found in the cache: its entry is still to be written
    # (`FileCache.put_read`), with `body`, the model's values as JSON (b"" without a cache).
    fresh: bool = False
    body: bytes = b""


class FileCache:
    """Entries are a JSON header line (problems, id, the cross-file problems and the state
    of the other files they were found with) and the model's values as JSON."""

    def __init__(self, folder: Path, limits: Limits, root: Path | None = None) -> None:
        self.folder = folder
        salt = hashlib.sha256(FORMAT)
        salt.update(code_fingerprint().encode())
        salt.update(repr(limits).encode())
        self.salt = salt.digest()
        self.written, self.last = 0, ""
        place = hashlib.sha256(self.salt + str(root).encode()).hexdigest()[:32]
        self.pack = None if root is None else folder / PACK.format(place)
        self.heads: dict[str, Any] | None = None  # the pack, read on first use
        self.used: dict[str, Any] = {}  # the headers this run read or wrote
        self.changed = False

    @classmethod
    def open(cls, limits: Limits, root: Path | None = None) -> FileCache | None:
        """The cache, or None when caching is off or the folder cannot be made; `root`,
        the tracker read, names its pack of headers."""
        base = cache_dir()
        if base is None:
            return None
        folder = base / "files"
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError:
            return None
        return cls(folder, limits, root)

    def key(self, kind: str, path: Path, content: str) -> str:
        """The entry of a file by its name and `content`, the SHA-256 of its bytes."""
        digest = hashlib.sha256(self.salt)
        digest.update(f"{kind}/{path.name}\0{content}".encode("utf-8", "surrogateescape"))
        return digest.hexdigest()

    def context(self, parts: list[str]) -> str:
        digest = hashlib.sha256(self.salt)
        for part in parts:
            digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
        return digest.hexdigest()

    def get(self, key: str, path: Path, raw: bytes) -> Hit | None:
        """What is stored under `key`, rebuilt for `path`; None on a miss."""
        try:
            stored = self._head(key)
            problems = [_problem(path, p) for p in stored["problems"]]
            refs = [_problem(path, p) for p in stored["refs"]]
            item_id, practice, context = stored["id"], stored["practice"], stored["context"]
            phase, phases = str(stored["phase"]), [str(p) for p in stored["phases"]]
            day, dates = str(stored["day"]), read_span(stored["dates"])
            # The bytes decoded before, as read_document decodes them.
            text = raw.decode("utf-8-sig") if stored["text"] else ""
        except (OSError, ValueError, TypeError, KeyError):
            self.used.pop(key, None)
            return None
        # A broken project keeps only what the cross-file rules read: the practice it names.
        data = {"practice": practice} if item_id is None and practice is not None else None
        doc = Document(path, data=data, problems=problems, text=text, released=bool(text))
        if item_id is not None:
            doc.release(data=True)  # a valid file's model comes from the entry: text packed
        return Hit(key, doc, item_id, practice, phase, phases, context, refs, day, dates)

    def has(self, key: str) -> bool:
        """Whether an entry may be stored under `key` (`get` still reads and checks it)."""
        if self.heads is None:
            self.heads = _read_pack(self.pack)
        return key in self.heads or (self.folder / f"{key}{SUFFIX}").is_file()

    def model(self, key: str) -> Project | None:
        """The model stored under `key`, or None when the entry is gone or damaged."""
        try:
            _, _, body = self._entry(key).partition(b"\n")
            return Project.model_validate_json(body)
        except (OSError, ValueError):
            return None

    def put(
        self,
        key: str,
        doc: Document,
        item: Project | None,
        context: str = "",
        refs: list[Problem] | None = None,
        day: str = "",
    ) -> None:
        if any(p.location.path != doc.path for p in doc.problems):
            return
        practice = str(doc.data.get("practice")) if isinstance(doc.data, dict) else None
        head = {
            "problems": [_stored(p) for p in doc.problems],
            "id": None if item is None else item.id,
            "practice": practice if item is None else item.practice,
            "phase": "" if item is None else item.phase,
            "phases": [] if item is None else sorted(_named(item)),
            "text": bool(doc.text),
            "context": context,
            "refs": [_stored(p) for p in refs or []],
            "day": day,
            "dates": None if item is None else stored_span(date_span(item)),
        }
        body = b"null" if item is None else item.model_dump_json(by_alias=True).encode()
        self._write(key, head, body)

    def put_read(self, hit: Hit, checked: bool) -> None:
        """Write the entry of a project read and checked in this run, from what the read
        found (`Hit.fresh`); its cross-file problems only when they are the project's
        (`checked`: not those of a file whose id another file holds)."""
        doc = hit.doc
        if not hit.body or any(p.location.path != doc.path for p in doc.problems):
            return
        head = {
            "problems": [_stored(p) for p in doc.problems],
            "id": hit.item_id,
            "practice": hit.practice,
            "phase": hit.phase,
            "phases": hit.phases,
            "text": bool(doc.text),
            "context": hit.context if checked else "",
            "refs": [_stored(p) for p in hit.refs] if checked else [],
            "day": hit.day,
            "dates": stored_span(hit.dates),
        }
        self._write(hit.key, head, hit.body)

    def set_refs(self, key: str, context: str, refs: list[Problem], day: str) -> None:
        """Store the cross-file problems found with the other files in state `context`,
        dates checked against `day`."""
        import json

        try:
            head, _, body = self._entry(key).partition(b"\n")
            stored = json.loads(head)
        except (OSError, ValueError):
            return
        stored["context"], stored["refs"] = context, [_stored(p) for p in refs]
        stored["day"] = day
        self._write(key, stored, body)

    def _head(self, key: str) -> Any:
        import json

        if self.heads is None:
            self.heads = _read_pack(self.pack)
        stored = self.heads.get(key)
        if stored is None:
            head, _, _ = self._entry(key).partition(b"\n")
            stored = json.loads(head)
            self.changed = True
        self.used[key] = stored
        return stored

    def _entry(self, key: str) -> bytes:
        body = unseal(self.folder / f"{key}{SUFFIX}", key)
        if body is None:
            raise ValueError("no entry, or not one written for this key")
        return body

    def _write(self, key: str, head: dict[str, Any], body: bytes) -> None:
        import json

        try:
            payload = json.dumps(head, ensure_ascii=False).encode() + b"\n" + body
        except ValueError:
            return
        if write_sealed(self.folder / f"{key}{SUFFIX}", key, payload):
            self.written, self.last = self.written + 1, key
            self.used[key], self.changed = head, True

    def close(self) -> None:
        if self.changed and self.pack is not None:
            _write_pack(self.pack, self.used)
        picked = self.written > 0 and int(self.last, 16) % PRUNE_EVERY == 0
        if self.written >= PRUNE_EVERY or picked:
            prune(self.folder)


@dataclass
class CacheState:
    """The file cache during one read of a tracker: which projects came from it, and the
    cross-file problems still valid for them."""

    store: FileCache
    context: str = ""
    day: str = ""  # the day dates are checked against, ISO
    paths: dict[Path, str] = field(default_factory=dict)  # project file -> its entry
    keys: dict[str, str] = field(default_factory=dict)  # project id -> its entry
    found: dict[str, list[Problem]] = field(default_factory=dict)  # to keep with old entries
    pending: dict[str, tuple[Document, Project | None]] = field(default_factory=dict)

    def save(self, projects: Mapping[str, Any]) -> None:
        """Write the new entries and the cross-file problems found for the old ones."""
        by_key = {key: project_id for project_id, key in self.keys.items()}
        for key, (doc, item) in self.pending.items():
            refs = self.found.get(by_key.get(key, ""))
            context = self.context if refs is not None else ""
            self.store.put(key, doc, item, context, refs, self.day)
        for project_id, refs in self.found.items():
            key = self.keys.get(project_id, "")
            if key and key not in self.pending and project_id in projects:
                self.store.set_refs(key, self.context, refs, self.day)
        self.store.close()


def _named(project: Project) -> set[str]:
    return (
        {project.phase} | {t.to for t in project.history} | {t.from_phase for t in project.history}
    )


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


def _read_pack(pack: Path | None) -> dict[str, Any]:
    import json

    # Sealed with its own name, which is made from the tracker's place and this code.
    body = None if pack is None else unseal(pack, pack.name)
    try:
        heads = json.loads(body) if body is not None else {}
    except ValueError:
        return {}
    return heads if isinstance(heads, dict) else {}


def _write_pack(pack: Path, heads: dict[str, Any]) -> None:
    import json

    try:
        write_sealed(pack, pack.name, json.dumps(heads, ensure_ascii=False).encode())
    except ValueError:
        return


def _stored(problem: Problem) -> Stored:
    loc = problem.location
    return (loc.line, loc.col, problem.code, problem.message, problem.level.value, problem.fix)


def _problem(path: Path, stored: list[Any]) -> Problem:
    line, col, code, message, level, fix = stored
    return Problem(Location(path, line, col), code, message, Level(level), fix)
