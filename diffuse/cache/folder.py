"""Where diffuse keeps what it can compute again: the user's cache folder.

`~/.cache/diffuse` (or `$XDG_CACHE_HOME/diffuse`, or `DIFFUSE_CACHE_DIR`); none at all with
`DIFFUSE_NO_CACHE=1`. Whatever is kept there is keyed by diffuse's own code too, so a new
version never reads what an old one wrote.

Every entry is read only if it is a regular file within a size bound, and only if it was
written for the key it is read under (`seal`, `unseal`): a link, a pipe, a device, a damaged
entry or one moved under another key is a miss, and the value is computed again.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
import sys
import tempfile
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


def cache_dir() -> Path | None:
    if os.environ.get("DIFFUSE_NO_CACHE"):
        return None
    explicit = os.environ.get("DIFFUSE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "diffuse"


@functools.cache
def code_fingerprint() -> str:
    # Editable installs change code without changing the version, so the modules' own
    # sizes and modification times are part of the key.
    parts = [sys.version]
    for module in sorted(PACKAGE.rglob("*.py")):
        info = module.stat()
        parts.append(f"{module.relative_to(PACKAGE)}:{info.st_size}:{info.st_mtime_ns}")
    return "|".join(parts)


# No entry diffuse writes comes near this; one that is larger is damaged or not its own.
MAX_ENTRY_BYTES = 64 * 1024 * 1024
# A link is not followed, and a FIFO or device put in an entry's place never blocks.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
)


def seal(key: str, body: bytes) -> bytes:
    """An entry for `key`: a first line naming the key and the SHA-256 of `body`, then
    `body`. Keys are themselves digests of what the entry describes, so `unseal` with the
    key looked up serves only what was written for it."""
    return f"{_tag(key)} {hashlib.sha256(body).hexdigest()}\n".encode() + body


def unseal(path: Path, key: str, max_bytes: int = MAX_ENTRY_BYTES) -> bytes | None:
    """The body stored in `path` for `key`; None unless `path` is a regular file (no link,
    pipe or device) of at most `max_bytes` that was written by `seal` for `key` and is
    whole. An entry copied, moved or linked under another key is a miss, never served."""
    raw = read_regular(path, max_bytes)
    if raw is None:
        return None
    head, newline, body = raw.partition(b"\n")
    tag, _, digest = head.decode("ascii", "replace").partition(" ")
    if not newline or tag != _tag(key) or digest != hashlib.sha256(body).hexdigest():
        return None
    return body


def read_regular(path: Path, max_bytes: int = MAX_ENTRY_BYTES) -> bytes | None:
    """The bytes of `path` if it is a regular file of at most `max_bytes`, else None."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return None
        chunks, size = [], 0
        # Never past the bound, even from a file that grows while it is read.
        while size <= max_bytes and (chunk := os.read(fd, max_bytes + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks) if size <= max_bytes else None
    except OSError:
        return None
    finally:
        os.close(fd)


def write_sealed(path: Path, key: str, body: bytes) -> bool:
    """Store `body` for `key` at `path`, whole or not at all (a temporary file renamed into
    place); False when it cannot be written or is too large to be read back."""
    payload = seal(key, body)
    if len(payload) > MAX_ENTRY_BYTES:
        return False
    try:
        handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(payload)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True


def _tag(key: str) -> str:
    # Keys are hex digests or text with any character: one line of ASCII either way.
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()
