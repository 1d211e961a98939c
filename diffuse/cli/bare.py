"""What the read-only commands do once their options are read, without Typer.

`validate` and `status` run from here whether Typer read their options (`commands`) or
the program read them itself (`quick`), so both ways print the same and exit alike. Also
here, for every command: the one error handler (`failure`), the progress bar it installs,
and the tracker folder a command works in (`tracker_root`).
"""

from __future__ import annotations

import enum
import errno
import sys
from datetime import date
from pathlib import Path
from typing import Any, TextIO

ISSUES_URL = "https://github.com/diffuse-tracker/diffuse/issues"
TEXT_LIMIT = 50  # rows `status` shows as text unless --limit says otherwise

# Errors of the machine, not of diffuse: a full disk or quota, a file too big, a failing device.
_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})
_ANSI = r"\033\[[;?0-9]*[a-zA-Z]"  # a terminal's style code, as Click strips it


class Format(enum.StrEnum):
    TEXT = "text"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


class SortBy(enum.StrEnum):
    NAME = "name"
    HEALTH = "health"
    LIVE = "live"
    DAYS = "days"


class GroupBy(enum.StrEnum):
    AUTO = "auto"
    SITE = "site"
    REGION = "region"
    KIND = "kind"


class ValidateFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    JUNIT = "junit"


def echo(message: str = "", err: bool = False, nl: bool = True) -> None:
    """Write as `typer.echo` writes text: style codes left out where the stream is not a
    terminal, and flushed."""
    stream: TextIO | None = sys.stderr if err else sys.stdout
    if stream is None:
        return
    text = message + "\n" if nl else message
    if "\033" in text and not _isatty(stream):
        import re

        text = re.sub(_ANSI, "", text)
    if text:
        stream.write(text)
    stream.flush()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except Exception:  # noqa: BLE001 - as Click: a stream that cannot tell is no terminal
        return False


def failure(exc: Exception) -> int:
    """Report what stopped a command, and the exit code: 1 for a problem in the user's
    files, a path the system refused or a full disk; 3, in one line, for a bug."""
    from diffuse.errors import DiffuseError

    if isinstance(exc, DiffuseError):
        return _fail(exc)
    if isinstance(exc, OSError):
        if exc.filename is None and exc.errno in _FULL:
            # The output or the cache could not be written: the disk is full or failing.
            return _fail(DiffuseError(f"cannot write: {exc.strerror or exc}"))
        if exc.filename is not None:
            # The system refused a path the user chose (a folder that cannot be made, a
            # file in the way, no permission, a full disk): theirs to fix, not a bug.
            return _fail(DiffuseError(f"{exc.filename}: {exc.strerror or exc}"))
    echo(
        f"diffuse: internal error ({type(exc).__name__}: {exc}); this is a bug, "
        f"please report it at {ISSUES_URL} with the command you ran",
        err=True,
    )
    return 3


def _fail(exc: Any) -> int:
    from dataclasses import replace

    from diffuse.escape import clean
    from diffuse.layout import relative
    from diffuse.render.findings.problems import problems_text

    if exc.problems:
        shown = [
            replace(p, location=replace(p.location, path=relative(p.location.path)))
            for p in exc.problems
        ]
        echo(problems_text(shown), err=True)
    echo(f"diffuse: {clean(exc.message)}", err=True)
    return 1


def progress_bar(what: str, total: int) -> Any:
    # Rich is loaded only when long work starts, not by every command.
    from diffuse.render.progressbar import stderr_bar

    return stderr_bar(what, total)


def tracker_root(root: Path | None) -> Path:
    from diffuse.errors import DiffuseError
    from diffuse.layout import find_root

    if root is not None and not root.is_dir():
        # Else a mistyped --root (or DIFFUSE_ROOT) would quietly find the tracker around
        # the working folder instead.
        raise DiffuseError(f"--root: {root} is not a folder")
    return find_root(root or Path.cwd())


def problems_warning(problems: list[Any]) -> int:
    """1, after a warning on stderr, when `problems` holds an error; else 0.

    The report still shows every valid file, but an invalid one must not go unnoticed.
    Warnings (a file that is valid but may not say what its author meant) are for
    `diffuse validate` to show; they fail nothing here."""
    problems = [p for p in problems if str(getattr(p, "level", "error")) == "error"]
    if not problems:
        return 0
    files = len({p.location.path for p in problems})
    echo(
        f"diffuse: warning: {len(problems)} problem(s) in {files} file(s) are not "
        "shown above; run 'diffuse validate'",
        err=True,
    )
    return 1


def validate(paths: list[Path], output: str | None, day: date, root: Path | None) -> int:
    from diffuse.render.findings.check import choose_format
    from diffuse.render.findings.validate import validation_output
    from diffuse.reports.problems import validation_report

    report = validation_report(tracker_root(root or _first_dir(paths)), paths, day)
    echo(validation_output(report.problems, report.paths, choose_format(output)), nl=False)
    return 1 if report.errors else 0


def _first_dir(paths: list[Path]) -> Path | None:
    if not paths:
        return None
    first = paths[0]
    return first if first.is_dir() else first.parent


def status(
    picked: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]],
    all_projects: bool,
    group: str,
    sort: str,
    limit: int | None,
    output: str,
    day: date,
    root: Path | None,
) -> int:
    """`picked`: the practices, phases, sites and healths asked for."""
    from diffuse.render.formats import groupings
    from diffuse.render.tableout import print_grids
    from diffuse.reports.status.grid import Filters, cut, cut_note
    from diffuse.reports.status.source import status_grids

    filters = Filters(*picked, all_projects)
    wanted = groupings(group, output)
    grids, problems = status_grids(tracker_root(root), day, filters, wanted)
    rows = limit if limit is not None else TEXT_LIMIT if output == Format.TEXT else 0
    cuts = [cut(grid, sort, rows) for grid in grids]
    print_grids([grid for grid, _ in cuts], output)
    note = cut_note(len(cuts[0][0].rows), cuts[0][1]) if cuts else None
    if note:
        echo(note, err=output in (Format.JSON, Format.CSV))
    return problems_warning(problems)


def guarded(command: Any) -> int:
    """`command()`'s exit code, with the progress bar installed and any failure reported
    as every command reports it (`failure`)."""
    from diffuse import progress

    previous = progress.install(progress_bar)
    try:
        return int(command())
    except Exception as exc:  # noqa: BLE001 - the last line of defence for a bug
        return failure(exc)
    finally:
        progress.install(previous)


__all__ = ["ISSUES_URL", "echo", "failure", "guarded", "problems_warning", "tracker_root"]
