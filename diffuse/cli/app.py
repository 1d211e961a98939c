"""The `diffuse` application: the Typer app, its one error handler, shared options.

Exit codes: 0 ok, 1 a problem in the user's files or a refused action, 2 usage, 3 a bug.
Core modules are imported inside each command so `diffuse --help` stays fast.
"""

from __future__ import annotations

import enum
import os
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from diffuse.cli.bare import (
    failure,
    problems_warning,
    progress_bar,
    tracker_root,
)

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

        previous = progress.install(progress_bar)
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
        except Exception as exc:  # noqa: BLE001 - the last line of defence for a bug
            raise typer.Exit(failure(exc)) from None
        finally:
            progress.install(previous)


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
    """A warning and exit 1 when `problems` holds an error (`bare.problems_warning`)."""
    if problems_warning(problems):
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
