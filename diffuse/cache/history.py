"""What changed between two versions of a file, kept in the user's cache folder by their
blob ids.

A blob id names a file's content, so the events `history` found between two blobs never go
stale: the next run of `history` on the same file reads from git only the versions of the
commits it has not seen, and usually none. Each file of each work tree has one pack: a
first line with the digest of the rest, then JSON with every string once and each change's
events as indexes into them, sealed with the pack's key (`cache.folder.seal`). A pack is
written whole to a temporary file and renamed into place, so two processes never see half
of one; one that cannot be read, that is not a regular file, whose digest does not match or
that was written for other code, another file or another kind is no pack.
The folder keeps the most recently written packs only.
"""

from __future__ import annotations

import json
import os
import sys
import zlib
from pathlib import Path
from typing import Any, NamedTuple

from diffuse.cache.folder import cache_dir, unseal, write_sealed

FORMAT = "diffuse-history-2"
MAX_PACKS = 256
# The events depend on these modules only; their sizes and times key the packs (cheaper
# than the whole package's, which `history` would pay on every run).
_CODE = ("reports/history.py", "reports/snapshot.py", "files/plainscan.py", "files/nodes.py")
# (kind, text) of each event of one change, oldest first.
Events = list[tuple[str, str]]


class Pack(NamedTuple):
    path: Path
    key: str  # the code, work tree, file and kind it holds versions for


def pack_for(top: Path, path: str, kind: str) -> Pack | None:
    """The pack of `path` (a `kind` of file) in the work tree `top`; None when caching is
    off. Two keys that share a file name only share a pack that neither can read."""
    base = cache_dir()
    if base is None:
        return None
    key = "\0".join((FORMAT, _code(), str(top), path, kind))
    name = f"{zlib.crc32(key.encode()):08x}{zlib.adler32(key.encode()):08x}.json"
    return Pack(base / "history" / name, key)


def _code() -> str:
    package = Path(__file__).resolve().parents[1]
    parts = [sys.version]
    for name in _CODE:
        try:
            info = (package / name).stat()
        except OSError:
            continue
        parts.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    return "|".join(parts)


def load(pack: Pack | None) -> dict[str, Events]:
    """The events in `pack` by "old new" blob ids; none when it is missing, damaged or
    another's."""
    if pack is None:
        return {}
    body = unseal(pack.path, pack.key)
    if body is None:
        return {}
    try:
        stored = json.loads(body)
        return _decode(stored) if stored["key"] == pack.key else {}
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return {}


def save(pack: Pack, changes: dict[str, Events]) -> None:
    stored = {"key": pack.key, **_encode(changes)}
    body = json.dumps(stored, ensure_ascii=False, separators=(",", ":")).encode()
    try:
        pack.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return  # a cache that cannot be written is no cache
    if write_sealed(pack.path, pack.key, body):
        _prune(pack.path.parent)


def _encode(changes: dict[str, Events]) -> dict[str, Any]:
    strings: dict[str, int] = {}
    found = {
        pair: [strings.setdefault(part, len(strings)) for event in events for part in event]
        for pair, events in changes.items()
    }
    return {"strings": list(strings), "changes": found}


def _decode(stored: dict[str, Any]) -> dict[str, Events]:
    strings = stored["strings"]
    if not all(isinstance(s, str) for s in strings):
        return {}
    found = {}
    for pair, indexes in stored["changes"].items():
        # Python would read a negative index from the end rather than refuse it.
        if indexes and not 0 <= min(indexes) <= max(indexes) < len(strings):
            return {}
        parts = iter([strings[i] for i in indexes])
        found[str(pair)] = list(zip(parts, parts, strict=True))
    return found


def _prune(folder: Path) -> None:
    """Keep the MAX_PACKS packs written last."""
    try:
        with os.scandir(folder) as found:
            packs = sorted((e.stat().st_mtime_ns, e.path) for e in found)
    except OSError:
        return
    for _, name in packs[:-MAX_PACKS]:
        Path(name).unlink(missing_ok=True)
