"""Reading and atomically rewriting the files staff also edit by hand.

A write never leaves a half-written file: the new text goes to a temporary file in the same
directory, which then replaces the target in one rename. A lock next to the target keeps two
diffuse processes from interleaving their read-modify-write cycles, and a fingerprint taken
at read time catches edits made in between by anyone else.

The lock is an operating-system lock (`flock`) on `<name>.lock`, which the kernel releases
when its process ends however it ends, so a writer killed mid-write can never block the next
one. The file itself is only where the lock lives: whoever holds the lock removes it on
release, and a taker checks it locked the file still at that path. A temporary file left by a
killed writer is removed by the next writer of the same file, which holds the lock and so
knows no one else is writing one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TypeAlias

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

# (st_mtime_ns, st_size, sha256 hex digest of the bytes)
Fingerprint: TypeAlias = tuple[int, int, str]

_POLL_SECONDS = 0.05

# Locks this process holds, per thread, so that a command holding the lock across its whole
# read-modify-write cycle can still call write_text_atomic.
_held: set[tuple[str, int]] = set()


class FileChangedError(Exception):
    """The file on disk changed since it was read; nothing was written."""


class LockTimeout(Exception):
    """Another process (or a stale lock file) held the lock for too long."""


def read_text(path: Path) -> tuple[str, Fingerprint]:
    """The file's text exactly as stored (BOM and CRLF kept) and its fingerprint."""
    with open(path, "rb") as handle:
        info = os.fstat(handle.fileno())
        data = handle.read()
    return data.decode("utf-8"), _fingerprint(info, data)


def write_text_atomic(path: Path, text: str, expected: Fingerprint | None) -> None:
    """Replace `path` with `text` (UTF-8, line ends untouched) in one step.

    With `expected`, the write happens only if the file is still as it was when read.
    """
    with lock(path):
        if expected is not None and _current_fingerprint(path) != expected:
            raise FileChangedError(
                f"{path} was changed by someone else since diffuse read it; "
                "nothing was written, run the command again"
            )
        _replace(Path(os.path.realpath(path)), text.encode("utf-8"))


@contextlib.contextmanager
def lock(path: Path, timeout: float = 10.0) -> Iterator[None]:
    """Hold the lock on `<name>.lock` next to `path`; re-entrant within one thread."""
    lock_path = path.with_name(path.name + ".lock")
    key = (os.path.abspath(lock_path), threading.get_ident())
    if key in _held:
        yield
        return
    fd = _acquire(lock_path, timeout)
    _held.add(key)
    try:
        yield
    finally:
        _held.discard(key)
        # Removed while still locked, so nobody can take a lock on a file about to vanish
        # without noticing (see _acquire); closing releases the lock.
        with contextlib.suppress(OSError):
            os.unlink(lock_path)
        os.close(fd)


def _fingerprint(info: os.stat_result, data: bytes) -> Fingerprint:
    return (info.st_mtime_ns, info.st_size, hashlib.sha256(data).hexdigest())


def _current_fingerprint(path: Path) -> Fingerprint | None:
    try:
        return read_text(path)[1]
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        # Not text any more: certainly not what was read before.
        return None


def _replace(target: Path, data: bytes) -> None:
    mode = _mode_for(target)
    _remove_leftovers(target)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    _sync_directory(target.parent)


def _remove_leftovers(target: Path) -> None:
    """Temporary files of `target` that a killed writer left; called with the lock held."""
    pattern = re.compile(re.escape(f".{target.name}.") + r"[a-z0-9_]{8}\.tmp")
    with contextlib.suppress(OSError):
        for entry in os.scandir(target.parent):
            if pattern.fullmatch(entry.name):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _mode_for(target: Path) -> int:
    """Permission bits of the existing file, or what a plain new file would get."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        # mkstemp creates 0600 files; a new file should follow the umask like any other.
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _sync_directory(directory: Path) -> None:
    # Makes the rename itself durable; some file systems refuse, which is not worth failing on.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _acquire(lock_path: Path, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while True:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        if _try_lock(fd) and _still_at(fd, lock_path):
            _write_pid(fd)
            return fd
        # Not taken, or taken on a file its holder removed meanwhile: try afresh.
        os.close(fd)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise LockTimeout(_timeout_message(lock_path, timeout))
        time.sleep(min(_POLL_SECONDS, remaining))


def _try_lock(fd: int) -> bool:
    try:
        if sys.platform == "win32":
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _still_at(fd: int, lock_path: Path) -> bool:
    try:
        named = os.stat(lock_path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (mine.st_dev, mine.st_ino)


def _write_pid(fd: int) -> None:
    # Only to name the holder in a timeout message; the lock itself is the flock.
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, f"{os.getpid()}\n".encode("ascii"))


def _timeout_message(lock_path: Path, timeout: float) -> str:
    try:
        holder = lock_path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        holder = ""
    by = f" by process {holder}" if holder.isdigit() else ""
    return (
        f"{lock_path} has been held{by} for more than {timeout:g} s while another diffuse "
        "writes this file; try again when it has finished"
    )
