"""Every git process diffuse starts: its command line, its environment, its errors, and its
output, whole or as it comes.

git runs from an argument list, never a shell, with `--literal-pathspecs` (a path is
itself: '*' or ':' in a name is just a name), its messages in English whatever the locale,
and the few settings of the user's config that would change what diffuse reads held to
their defaults (`READ_CONFIG`); everything else in the user's config (identity, signing,
safe directories) applies as it does to their own git commands. A git that cannot be
started is `NO_GIT`; one that fails raises `GitFailed`, a `DiffuseError` whose message is
git's own last line.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from diffuse.errors import DiffuseError

NO_GIT = (
    "git could not be run: 'git version' must work (install git, put it on PATH or "
    "set GIT_PYTHON_GIT_EXECUTABLE to its full path, and fix any error it prints)"
)

# Settings that would put other text where diffuse parses git's output: a signature check
# printed before each commit, colour codes, messages in another encoding.
READ_CONFIG = (
    "log.showSignature=false",
    "color.ui=false",
    "i18n.logOutputEncoding=UTF-8",
)


def git_executable() -> str:
    """git, or the one named by GIT_PYTHON_GIT_EXECUTABLE (the variable earlier versions of
    diffuse read through GitPython, kept so set-ups that use it go on working)."""
    return os.environ.get("GIT_PYTHON_GIT_EXECUTABLE") or "git"


def _command(args: Sequence[str]) -> list[str]:
    config = [part for setting in READ_CONFIG for part in ("-c", setting)]
    return [git_executable(), *config, "--literal-pathspecs", *args]


def _environment() -> dict[str, str]:
    return {**os.environ, "LANGUAGE": "C", "LC_ALL": "C"}


def last_line(stderr: bytes) -> str:
    """git's last line of complaint."""
    lines = stderr.decode(errors="replace").strip().splitlines()
    return lines[-1].strip() if lines else "no message"


class GitFailed(DiffuseError):
    """git ran and exited with an error; the message is `git NAME failed: ` and its last
    line, which is the user's to act on."""

    def __init__(self, args: Sequence[str], code: int, stderr: bytes) -> None:
        self.code = code
        self.stderr = stderr
        self.detail = last_line(stderr)
        super().__init__(f"git {args[0] if args else ''} failed: {self.detail}")


@dataclass(frozen=True)
class Done:
    """A finished git process."""

    args: tuple[str, ...]
    code: int
    out: bytes
    err: bytes

    @property
    def ok(self) -> bool:
        return self.code == 0

    def checked(self) -> bytes:
        """The output, or `GitFailed` when git failed."""
        if self.code != 0:
            raise GitFailed(self.args, self.code, self.err)
        return self.out


def run(folder: Path, args: Sequence[str], stdin: bytes | None = None) -> Done:
    """git `args` run in `folder` to its end."""
    try:
        done = subprocess.run(
            _command(args),
            cwd=folder,
            env=_environment(),
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
        )
    except OSError:
        raise DiffuseError(NO_GIT) from None
    return Done(tuple(args), done.returncode, done.stdout, done.stderr)


def output(folder: Path, args: Sequence[str], stdin: bytes | None = None) -> bytes:
    """What git `args` writes, or `GitFailed`."""
    return run(folder, args, stdin).checked()


def _widen(pipe: IO[bytes], size: int) -> None:
    try:
        import fcntl

        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, size)
    except (ImportError, AttributeError, OSError):
        pass  # not Linux, or over the system's limit: the pipe keeps its size


class Stream:
    """A running git process whose output is read as it comes (`out`); with `feed`, its
    input is written as the caller goes (`send`, then `end_input`)."""

    def __init__(
        self, folder: Path, args: Sequence[str], feed: bool = False, ahead: int = 0
    ) -> None:
        """With `ahead`, the output pipe holds that many bytes (where the system lets it),
        so git runs that far ahead of the reader rather than waiting at every 64 KiB."""
        self.args = tuple(args)
        try:
            self.process = subprocess.Popen(
                _command(args),
                cwd=folder,
                env=_environment(),
                stdin=subprocess.PIPE if feed else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                bufsize=ahead or -1,
            )
        except OSError:
            raise DiffuseError(NO_GIT) from None
        assert self.process.stdout is not None and self.process.stderr is not None
        self.out: IO[bytes] = self.process.stdout
        if ahead:
            _widen(self.out, ahead)
        # stderr is read all along: git may write to it at any time, and a full pipe
        # would block it while its output is not yet read.
        self._said: list[bytes] = []
        self._drain = threading.Thread(target=self._read_errors, daemon=True)
        self._drain.start()

    def _read_errors(self) -> None:
        assert self.process.stderr is not None
        self._said.append(self.process.stderr.read())

    def send(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def end_input(self) -> None:
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
        except OSError:
            pass  # the process ended early; its exit status tells why

    def wait(self) -> int:
        return self.process.wait()

    def errors(self) -> bytes:
        self._drain.join()
        return b"".join(self._said)

    def finish(self) -> None:
        """Wait for git to end; `GitFailed` when it failed."""
        code = self.wait()
        if code != 0:
            raise GitFailed(self.args, code, self.errors())

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.out.close()
