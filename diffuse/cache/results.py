"""A cache of computed reports, keyed by the exact bytes of every tracker file.

Reading a tracker means importing pydantic, parsing YAML and validating every file, which
dominates the run time of read-only commands. A report computed from the same files, the
same options and the same version of diffuse is the same report, so it is kept as JSON in
the user's cache folder and reused. Any change to any tracker file, to diffuse's own code or
to the options gives a different key. A report is kept only when the reading that made it
saw the very bytes its key was made from (`unchanged`), and read back only from a regular
file written for its key (`cache.folder.unseal`). Set DIFFUSE_NO_CACHE=1 to bypass it.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diffuse import progress
from diffuse.cache.folder import cache_dir, code_fingerprint, unseal, write_sealed
from diffuse.layout import ORGANISATION_FILE, PRACTICES_DIR, PROJECTS_DIR, tracker_entries
from diffuse.reading import handover

MAX_ENTRIES = 64
MAX_READ = 16 * 1024 * 1024
# A link is not followed, and a FIFO or device swapped in after `lstat` never blocks.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


@dataclass(frozen=True)
class Files:
    """One look at every tracker file: a digest of them all, the digest of each regular
    file's bytes by its path, and where the tracker and its folders are."""

    digest: str
    read: dict[str, str]
    places: bytes
    # The bytes read, handed on to the reading of the tracker that may follow.
    kept: handover.Handover = field(default_factory=handover.Handover, compare=False)


def enabled() -> bool:
    """Whether results are kept at all: not with DIFFUSE_NO_CACHE=1, whose runs need no key."""
    return cache_dir() is not None


def key(root: Path, *options: object, files: str | None = None) -> str:
    """The entry for `options` on the tracker at `root`; `files`, its `files_digest` when
    the caller already has it, saves reading every file again."""
    import json

    digest = hashlib.blake2b(digest_size=20)
    digest.update(code_fingerprint().encode())
    digest.update(json.dumps([str(o) for o in options]).encode())
    digest.update((files or files_digest(root)).encode())
    return digest.hexdigest()


def options_key(*options: object) -> str:
    """An entry for `options` alone, whatever the files hold (its value says which)."""
    import json

    digest = hashlib.blake2b(digest_size=20)
    digest.update(code_fingerprint().encode())
    digest.update(json.dumps([str(o) for o in options]).encode())
    return digest.hexdigest()


def files_digest(root: Path) -> str:
    return look(root).digest


def look(root: Path) -> Files:
    """Every tracker file's name and content, and where the tracker and its folders are: a
    folder swapped for a link elsewhere holds the same names and bytes but reads as
    something else."""
    digest, read, kept = hashlib.sha256(), {}, handover.Handover()
    places = _places(root)
    digest.update(places)
    # Each name as the tracker holds it, without `relative_to`: quicker, thousands of times.
    named = [(ORGANISATION_FILE, root / ORGANISATION_FILE)] + [
        (f"{folder}/{path.name}", path)
        for folder in (PRACTICES_DIR, PROJECTS_DIR)
        for path in tracker_entries(root, folder)
    ]
    with progress.task("checking files", len(named)) as step:
        for name, path in named:
            content, whole = _content(path)
            if whole:
                read[str(path)] = hashlib.sha256(content).hexdigest()
                kept.keep(str(path), content, read[str(path)])
            seen = read[str(path)].encode() if whole else b"|" + content
            digest.update(os.fsencode(name) + b"\0" + seen + b"\0")
            step.advance()
    return Files(digest.hexdigest(), read, places, kept)


def unchanged(root: Path, files: Files, read: Mapping[str, str]) -> bool:
    """Whether a reading of the tracker that found `read` (the digest of the bytes of each
    file it read, by path; "" for one it refused by its name alone, whatever it holds) saw
    what `files` saw. A report is kept only then: a file saved between the look that makes
    its key and the reading that makes the report would otherwise leave a report of the new
    bytes under the key of the old ones."""
    if read.keys() != files.read.keys() or _places(root) != files.places:
        return False
    return all(seen in ("", files.read[path]) for path, seen in read.items())


def _places(root: Path) -> bytes:
    return b"".join(_place(p) + b"\0" for p in (root, root / PRACTICES_DIR, root / PROJECTS_DIR))


def _place(path: Path) -> bytes:
    try:
        info, real = os.lstat(path), str(path.resolve())
        target = os.readlink(path) if stat.S_ISLNK(info.st_mode) else ""
        kind = os.stat(path).st_mode if target else info.st_mode
    except (OSError, RuntimeError) as exc:
        return f"{path.name} unreachable {getattr(exc, 'errno', '')}".encode()
    return f"{path.name}|{real}|{target}|{info.st_mode}|{kind}".encode()


def _content(path: Path) -> tuple[bytes, bool]:
    # Only regular files inside the tracker are read, and only up to a size no tracker file
    # may reach: a FIFO or device named like a YAML file would block, a link may point
    # anywhere. Anything else is keyed by what stat says about it; loading reports it.
    try:
        info = os.lstat(path)
        if stat.S_ISREG(info.st_mode) and info.st_size <= MAX_READ:
            fd = os.open(path, _OPEN_FLAGS)
            try:
                return _read(fd)
            finally:
                os.close(fd)
        info = path.stat()
        target = os.readlink(path) if path.is_symlink() else ""
        kind = f"{target}|{stat.S_IFMT(info.st_mode)}|{info.st_size}|{info.st_mtime_ns}"
        return kind.encode(), False
    except OSError as exc:
        return f"unreadable {exc.errno}".encode(), False


def _read(fd: int) -> tuple[bytes, bool]:
    """The file's bytes, and whether they are all of it."""
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):  # swapped for something else since `lstat`
        kind = f"|{stat.S_IFMT(info.st_mode)}|{info.st_size}|{info.st_mtime_ns}"
        return kind.encode(), False
    chunks: list[bytes] = []
    size = 0
    # Never past the bound, even from a file that grows while it is read: past it, what
    # loading reports depends on the first bytes and the size alone.
    while size <= MAX_READ and (chunk := os.read(fd, MAX_READ + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
    if size > MAX_READ:
        chunks.append(f"|{max(size, info.st_size)}".encode())
    return b"".join(chunks), size <= MAX_READ


def get(entry: str) -> Any | None:
    import json

    folder = cache_dir()
    if folder is None:
        return None
    body = unseal(folder / f"{entry}.json", entry)
    try:
        return None if body is None else json.loads(body)
    except ValueError:
        return None


def put(entry: str, value: Any) -> None:
    """Store `value`; a cache that cannot be written is simply not used."""
    import json

    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        # One string: json.dump writes piece by piece, many times slower on a big grid.
        if write_sealed(folder / f"{entry}.json", entry, json.dumps(value).encode()):
            _prune(folder)
    except OSError:
        return


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
    for stale in entries[:-MAX_ENTRIES]:
        stale.unlink(missing_ok=True)
