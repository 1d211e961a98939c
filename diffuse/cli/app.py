"""The `diffuse` application: the Typer app, its one error handler, shared options.

Exit codes: 0 ok, 1 a problem in the user's files or a refused action, 2 usage, 3 a bug.
Core modules are imported inside each command so `diffuse --help` stays fast.
"""

from __future__ import annotations

import enum
import errno
import os
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

ISSUES_URL = "https://github.com/diffuse-tracker/diffuse/issues"
_SURROGATE = re.compile("[\ud800-\udfff]")

if TYPE_CHECKING:
    from diffuse.edits.record import EditOptions


class _Group(TyperGroup):
    """One error handler for every command: user problems exit 1, bugs exit 3 in one line."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        for arg in args:
            # Bytes that are not UTF-8 reach Python as lone surrogates, which no file,
            # YAML scalar or terminal can hold: refused here, once for every command.
            if not arg.isascii() and _SURROGATE.search(arg):
                shown = arg.encode("utf-8", "surrogateescape").decode("ascii", "backslashreplace")
                raise typer.BadParameter(
                    f"'{shown}' is not UTF-8 text; set the terminal or script to UTF-8"
                )
        return list(super().parse_args(ctx, args))

    def invoke(self, ctx: Any) -> Any:
        from diffuse import progress
        from diffuse.errors import DiffuseError

        previous = progress.install(_progress_bar)
        try:
            return super().invoke(ctx)
        except typer.TyperException as exc:
            # A usage error repeats what was typed: its control and reordering characters
            # are shown as escapes, as text from the files is.
            if isinstance(getattr(exc, "message", None), str):
                from diffuse.escape import clean

                exc.message = clean(exc.message)
            raise
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except DiffuseError as exc:
            _fail(exc)
        except OSError as exc:
            if exc.filename is None and exc.errno in _FULL:
                # The output or the cache could not be written: the disk is full or failing.
                _fail(DiffuseError(f"cannot write: {exc.strerror or exc}"))
            if exc.filename is None:
                _bug(exc)
            # The system refused a path the user chose (a folder that cannot be made, a
            # file in the way, no permission, a full disk): theirs to fix, not a bug.
            _fail(DiffuseError(f"{exc.filename}: {exc.strerror or exc}"))
        except Exception as exc:  # noqa: BLE001 - the last line of defence for a bug
            _bug(exc)
        finally:
            progress.install(previous)


# Errors of the machine, not of diffuse: a full disk or quota, a file too big, a failing device.
_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


def _bug(exc: Exception) -> NoReturn:
    typer.echo(
        f"diffuse: internal error ({type(exc).__name__}: {exc}); this is a bug, "
        f"please report it at {ISSUES_URL} with the command you ran",
        err=True,
    )
    raise typer.Exit(3) from None


def _progress_bar(what: str, total: int) -> Any:
    # Rich is loaded only when long work starts, not by every command.
    from diffuse.render.progressbar import stderr_bar

    return stderr_bar(what, total)


def _fail(exc: Any) -> NoReturn:
    from dataclasses import replace

    from diffuse.escape import clean
    from diffuse.layout import relative
    from diffuse.render.findings.problems import problems_text

    if exc.problems:
        shown = [
            replace(p, location=replace(p.location, path=relative(p.location.path)))
            for p in exc.problems
        ]
        typer.echo(problems_text(shown), err=True)
    typer.echo(f"diffuse: {clean(exc.message)}", err=True)
    raise typer.Exit(1)


# Commands register on this app; `diffuse.cli` builds only the module a command needs.
app = typer.Typer(
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _registry() -> None:
    """Every command of diffuse."""


new_app = typer.Typer(
    cls=_Group,
    help="Create a practice or project file from a template.\n\n"
    "\b\n"
    "Example: diffuse new project early-mobility-rollout --practice early-mobility",
    rich_markup_mode=None,
    no_args_is_help=True,
)
app.add_typer(new_app, name="new")


class DetailFormat(enum.StrEnum):
    """`--format` of commands that print text for people or JSON for tools."""

    TEXT = "text"
    JSON = "json"


class TableFormat(enum.StrEnum):
    """`--format` of commands whose output is also a table for spreadsheets."""

    TEXT = "text"
    JSON = "json"
    CSV = "csv"


DetailOpt = Annotated[DetailFormat, typer.Option("--format", help="Output format.")]
TableOpt = Annotated[TableFormat, typer.Option("--format", help="Output format.")]
RootOpt = Annotated[
    Path | None,
    typer.Option(
        "--root",
        metavar="DIR",
        help="Tracker folder (default: the nearest folder holding organisation.yaml).",
        envvar="DIFFUSE_ROOT",
        show_default=False,
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Report as of this date, YYYY-MM-DD (default: today).",
        show_default=False,
    ),
]
DateOpt = Annotated[
    str | None,
    typer.Option(
        "--date",
        metavar="DATE",
        help="Date to record, YYYY-MM-DD (default: today).",
        show_default=False,
    ),
]


CommitOpt = Annotated[bool, typer.Option("--commit", help="Commit the changed file with git.")]


def parse_day(value: str | None, option: str) -> date:
    if value is None:
        return date.today()
    from diffuse.limits import DAY_RANGE, FIRST_DAY, LAST_DAY

    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"expected YYYY-MM-DD, got {value!r}", param_hint=option) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise typer.BadParameter(f"expected a date {DAY_RANGE}, got {value!r}", param_hint=option)
    return day


def edit_options(dry_run: bool, commit: bool, by: str | None, on: str | None) -> EditOptions:
    """What every editing command's --dry-run, --commit, --by and --date ask for."""
    from diffuse.edits.record import EditOptions

    return EditOptions(parse_day(on, "--date"), by, dry_run, commit)


def tracker_root(root: Path | None) -> Path:
    from diffuse.errors import DiffuseError
    from diffuse.layout import find_root

    if root is not None and not root.is_dir():
        # Else a mistyped --root (or DIFFUSE_ROOT) would quietly find the tracker around
        # the working folder instead.
        raise DiffuseError(f"--root: {root} is not a folder")
    return find_root(root or Path.cwd())


NoPagerOpt = Annotated[
    bool, typer.Option("--no-pager", help="Print straight to the terminal, without a pager.")
]


def pager_command(no_pager: bool, interactive: bool, env: Mapping[str, str]) -> str | None:
    """The pager to pipe output through, chosen as git chooses: none when output is not a
    terminal or --no-pager is given; else $DIFFUSE_PAGER, $PAGER, or `less -FRX` (which
    quits at once when the text fits the screen). An empty value or `cat` means none."""
    if no_pager or not interactive:
        return None
    command = env.get("DIFFUSE_PAGER", env.get("PAGER", "less -FRX")).strip()
    return None if command in ("", "cat") else command


def page(text: str, command: str) -> None:
    import shlex  # only when a pager runs
    import subprocess

    # As git does: less without its own settings quits when the text fits (F), shows
    # colour (R) and leaves the text on the screen (X). The command is split as a shell
    # would split it, but no shell runs it.
    env = {**os.environ, "LESS": os.environ.get("LESS", "FRX")}
    try:
        subprocess.run(shlex.split(command), input=text, text=True, env=env, check=False)
    except (OSError, ValueError):
        typer.echo(text, nl=False)


def warn_problems(problems: list[Any]) -> None:
    # The report still shows every valid file, but an invalid one must not go unnoticed.
    # Warnings (a file that is valid but may not say what its author meant) are for
    # `diffuse validate` to show; they fail nothing here.
    problems = [p for p in problems if str(getattr(p, "level", "error")) == "error"]
    if problems:
        files = len({p.location.path for p in problems})
        typer.echo(
            f"diffuse: warning: {len(problems)} problem(s) in {files} file(s) are not "
            "shown above; run 'diffuse validate'",
            err=True,
        )
        raise typer.Exit(1)


__all__ = [
    "app",
    "new_app",
    "page",
    "pager_command",
    "parse_day",
    "tracker_root",
    "warn_problems",
]
