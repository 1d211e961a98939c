"""A cache of computed reports, keyed by the exact bytes of every tracker file.

Reading a tracker means importing pydantic, parsing YAML and validating every file, which
dominates the run time of read-only commands. A report computed from the same files, the
same options and the same version of diffuse is the same report, so it is kept as JSON in
the user's cache folder and reused. Any change to any tracker file, to diffuse's own code or
to the options gives a different key. Set DIFFUSE_NO_CACHE=1 to bypass it.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
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


def options_key(*options: object) -> str:
    """An entry for `options` alone, whatever the files hold (its value says which)."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(code_fingerprint().encode())
    digest.update(json.dumps([str(o) for o in options]).encode())
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
