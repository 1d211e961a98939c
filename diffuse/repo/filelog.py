"""The history of one file, read by git processes run directly, without GitPython.

`git log --follow` lists the commits that changed the file; `git cat-file --batch`, started
beside it, reads the versions as the log names them. Paths are passed as themselves
(`--literal-pathspecs`), output is read NUL-separated, and a failing git is reported in
its own words.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import IO

from diffuse.errors import DiffuseError
from diffuse.repo import EMPTY_BLOB, Change, Commit, batch_contents, log_records
from diffuse.repo.runner import Stream, last_line, run

_TOP_LEVEL = ["rev-parse", "--show-toplevel"]


def _top(folder: Path, code: int, out: bytes, err: bytes, hint: str) -> Path:
    if code != 0:
        if not any((place / ".git").exists() for place in (folder, *folder.parents)):
            raise DiffuseError(
                f"{folder} is not inside a git repository; run 'git init' there {hint}"
            )
        raise DiffuseError(f"git rev-parse failed: {last_line(err)}")
    return Path(os.fsdecode(out.rstrip(b"\n"))).resolve()


_LOG_FORMAT = "--format=%H%x00%an%x00%ae%x00%aI%x00%B"
# What git may write before it waits for this process to read: all of the log of a few
# thousand commits, a hundred versions of a large file.
_AHEAD = 1 << 20


class FileHistory:
    """Every commit that changed one file, and its versions, read by git processes run
    directly. `git log` and `git rev-parse` (for `top_level`) start at once, so the
    caller's other work (reading a cache) overlaps with them; `versions` reads the log."""

    def __init__(self, folder: Path, path: str) -> None:
        """`path` is relative to `folder`, where git runs."""
        args = ["log", "--follow", "--topo-order", "--raw", "--no-abbrev", "-z", "--no-color"]
        self.folder = folder
        self.path = path
        self.log = Stream(folder, [*args, _LOG_FORMAT, "--", path], ahead=_AHEAD)
        try:
            self._top = Stream(folder, _TOP_LEVEL)
        except DiffuseError:
            self.log.close()
            raise

    def top_level(self, hint: str) -> Path:
        """The top level of the work tree holding the folder, from the `git rev-parse`
        started beside the log."""
        out = self._top.out.read()
        return _top(self.folder, self._top.wait(), out, self._top.errors(), hint)

    def start(self, commits: list[Commit], wanted: Callable[[Change], bool]) -> None:
        """Start reading: `commits` gets every commit that changed the file, newest first
        and following renames, complete once `versions` is exhausted, and `git cat-file
        --batch` is asked for both sides of each change that `wanted` accepts, by a thread
        that passes each blob id to it as the log names it."""
        self._feeder = _Feeder(self.folder, self.log, commits, wanted)
        self._feeder.start()

    def versions(self) -> Iterator[tuple[str, bytes]]:
        """The blob id and content of each version `start` asked for, as git reads them,
        while the caller works on the contents already read."""
        feeder = self._feeder
        try:
            cat = feeder.cat_file()
            if cat is not None:
                yield from batch_contents(cat.out)
            feeder.join()
            if feeder.failure is not None:
                self.log.close()  # nothing reads its output any more
                # A pipe that broke under the thread: cat-file ended, and says why.
                if isinstance(feeder.failure, OSError) and cat is not None:
                    _finish_cat(cat)
                raise feeder.failure
            _finish(self.folder, self.log, cat)
        finally:
            if feeder.cat is not None:
                feeder.cat.close()
            self.close()

    def close(self) -> None:
        self.log.close()
        self._top.close()


class _Feeder(threading.Thread):
    """Reads `git log`, keeps its commits, and asks `git cat-file` (started at the first
    blob wanted) for each new blob."""

    def __init__(
        self,
        folder: Path,
        log: Stream,
        commits: list[Commit],
        wanted: Callable[[Change], bool],
    ) -> None:
        super().__init__(daemon=True)
        self.folder, self.log, self.commits, self.wanted = folder, log, commits, wanted
        self.cat: Stream | None = None
        self.failure: BaseException | None = None
        self._ready = threading.Event()

    def cat_file(self) -> Stream | None:
        """The cat-file process, once started; None when no blob was wanted."""
        self._ready.wait()
        return self.cat

    def run(self) -> None:
        try:
            self._feed()
        except BaseException as exc:  # noqa: BLE001 - raised again by the reading thread
            self.failure = exc
        finally:
            if self.cat is not None:
                self.cat.end_input()
            self._ready.set()

    def _feed(self) -> None:
        asked = {EMPTY_BLOB}
        for group in _grouped(log_records(_tokens(self.log.out))):
            wanted = []
            self.commits += group
            # Only the file's own change matters: --follow shows no other.
            for change in (c.changes[0] for c in group if c.changes):
                if self.wanted(change):
                    # Newer first: each version is then read right after the one next to it,
                    # which it usually differs from in one place (reports.snapshot.Versions).
                    for sha in (change.new, change.old):
                        if sha not in asked:
                            asked.add(sha)
                            wanted.append(sha)
            if wanted:
                self._ask(wanted)

    def _ask(self, shas: list[str]) -> None:
        if self.cat is None:
            self.cat = Stream(
                self.folder, ["cat-file", "--batch", "--buffer"], feed=True, ahead=_AHEAD
            )
            self._ready.set()
        self.cat.send("".join(f"{sha}\n" for sha in shas).encode())


def _grouped(commits: Iterator[Commit]) -> Iterator[list[Commit]]:
    """Commits in small groups, so blob ids reach cat-file early but not one write each."""
    group: list[Commit] = []
    for commit in commits:
        group.append(commit)
        if len(group) == 32:
            yield group
            group = []
    if group:
        yield group


def _tokens(stream: IO[bytes]) -> Iterator[str]:
    """`stream`'s bytes split at NUL, a block at a time, the last piece included."""
    rest = b""
    # What the pipe holds, not a full block: git writes a commit at a time.
    read = stream.read1 if isinstance(stream, io.BufferedIOBase) else stream.read
    while chunk := read(1 << 16):
        # NUL is never part of a longer UTF-8 character, so text up to the last one decodes
        # on its own.
        done, cut, rest = (rest + chunk).rpartition(b"\0")
        if cut:
            yield from done.decode(errors="surrogateescape").split("\0")
    yield rest.decode(errors="surrogateescape")


def _finish(folder: Path, log: Stream, cat: Stream | None) -> None:
    if log.wait() != 0:
        # Only now find out why, so the usual case costs no more git processes.
        if run(folder, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]).code == 1:
            return  # no commits yet: nothing has a history
        raise DiffuseError(f"git log failed: {last_line(log.errors())}")
    if cat is not None:
        _finish_cat(cat)


def _finish_cat(cat: Stream) -> None:
    if cat.wait() != 0:
        raise DiffuseError(f"git cat-file failed: {last_line(cat.errors())}")


def added_on(folder: Path, path: Path, texts: list[str]) -> dict[str, date]:
    """For each text now in `path`, the author date of the last commit that changed how
    often it occurs there: the day it was added. Texts git does not know (not committed, or
    no repository) are left out."""
    found: dict[str, date] = {}
    for text in dict.fromkeys(texts):
        done = run(folder, ["log", "-1", "--format=%as", f"-S{text}", "--", str(path)])
        day = done.out.decode(errors="replace").strip()
        if done.code == 0 and day:
            found[text] = date.fromisoformat(day)
    return found
