"""Each tracker file read and hashed once in a run.

A command that keeps its result in the result cache first reads and hashes every file to
make the result's key (`cache.results.look`). When the result is not there, the tracker is
read: the bytes the look kept, and their SHA-256, are handed on here instead of the file
being opened and hashed again. The reading then sees the very bytes the key was made
from, so a file saved between the two is never read half new: the result is of the files
the key names.

Only regular files (not links) read whole are kept, and no more bytes in all than
`BUDGET`: on a tracker of thousands of files the rest are read as before, one at a time,
rather than held at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

BUDGET = 32 * 1024 * 1024


class Handover:
    """Files' bytes and their SHA-256 by path, each taken at most once."""

    def __init__(self, budget: int | None = None) -> None:
        self._kept: dict[str, tuple[bytes, str]] = {}
        self._left = BUDGET if budget is None else budget

    def keep(self, path: str, raw: bytes, digest: str) -> None:
        if len(raw) <= self._left:
            self._kept[path] = (raw, digest)
            self._left -= len(raw)

    def take(self, path: str) -> bytes | None:
        kept = self._kept.pop(path, None)
        if kept is None:
            return None
        _taken[id(kept[0])] = kept
        return kept[0]


_current: Handover | None = None
# Bytes handed on and not yet hashed, by identity: their digest is known already.
_taken: dict[int, tuple[bytes, str]] = {}


@contextmanager
def handed(over: Handover) -> Iterator[None]:
    """While reading the tracker, files are taken from `over` when it holds them."""
    global _current
    before, _current = _current, over
    try:
        yield
    finally:
        _current = before
        _taken.clear()


def take(path: object) -> bytes | None:
    """The bytes of `path` the look kept, or None: then the file is read."""
    return None if _current is None else _current.take(str(path))


def sha256(raw: bytes) -> str:
    """The hex SHA-256 of `raw`, not worked out again for bytes handed on."""
    kept = _taken.pop(id(raw), None)
    if kept is not None and kept[0] is raw:
        return kept[1]
    return hashlib.sha256(raw).hexdigest()
