"""The `diffuse` command line: parse options, call one core function, render, exit.

Exit codes: 0 ok, 1 a problem in the user's files or a refused action, 2 usage, 3 a bug.
Start-up is kept short: `diffuse --help` lists the commands from the table below without
importing them, and running a command imports only the module that defines it (core
modules are then imported inside the command itself).

The rooms: `app` (the Typer app and the options commands share), `bare` (the one error
handler, and the bodies of `validate` and `status`, which need no Typer), `quick` (the
program reading those two commands' arguments itself, where Typer would read them the
same way), `completion` (shell completion and the id arguments it completes), `early`
(what the program does for its command before Typer loads), and one module per
family of commands: `commands` (init, new, validate, status, show, advance), `edit`,
`practice`, `organisation`, `intake`, `measure`, `remind`, `board`, `pr`, `report`.

To add a command:

1. Write it in the module of its family (`@app.command()`, or on a group such as
   `new_app`): it parses options, calls one core function from a layer below, renders and
   exits. Its help starts with a one-line summary and shows an `Example: diffuse ...`.
2. Add it to `COMMANDS` below: its name, that module and the summary line (a test keeps
   the summary equal to the help's first line).
3. If it offers `--format json`: describe the output in `OUTPUTS` in
   `diffuse/reports/outputs.py` and give the arguments to run it in `COMMANDS` in
   `tests/cli/test_json_contract.py` (tests fail until both are there).
4. If it prints text for people: give the arguments to run it in `DEMO` or `FIXTURE` in
   `tests/cli/test_width.py`.
5. Run `python tests/readme_help.py` to write its help into the command reference,
   `docs/reference.md`.

Everything else reads the command list from the app: the command reference, the test that
every help has an example and the test that every help fits the terminal.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Annotated, Any

from diffuse.cli.early import READ_ONLY, end, prepare, started

if (command := started()) is not None:
    prepare(command)

import typer

from diffuse.cli.app import _Group
from diffuse.cli.app import app as registry
from diffuse.cli.bare import ISSUES_URL

# name: (module in diffuse.cli, the summary `diffuse --help` shows); a test keeps the
# summaries equal to the first line of each command's own help.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("commands", "Create a tracker folder."),
    "new": ("commands", "Create a practice or project file from a template."),
    "validate": ("commands", "Check every file and report all problems."),
    "status": ("commands", "Show the Status Tracker grid."),
    "show": ("commands", "Print one practice or project in full."),
    "advance": ("commands", "Move a project to its next phase if the gate is met."),
    "site": ("edit", "Update one site's row of a project."),
    "duty": ("edit", "Record a checklist duty as done, not applicable or open again, or add one."),
    "role": ("edit", "Assign people to a project role (or --remove them)."),
    "risk": ("edit", "Assess or update one of a project's risks."),
    "project": ("edit", "Set a project's approval date, target or title."),
    "practice": ("practice", "Fill in a practice, move its status one step, or record its review."),
    "disseminate": (
        "edit",
        "Add to a project's dissemination plan, or update or finish a line of it.",
    ),
    "intake": (
        "intake",
        "Make the edit an issue form asks for: a practice, a site update, an adaptation.",
    ),
    "org": (
        "organisation",
        "Add, change and remove sites, people and approving bodies in the organisation file.",
    ),
    "metrics": ("measure", "Chart a project's metrics, or import metric values from a CSV file."),
    "review": (
        "measure",
        "List practice reviews due or overdue, and site rows nobody has updated.",
    ),
    "remind": (
        "remind",
        "List what each person has to do: reviews, site rows, duties, barriers, approvals.",
    ),
    "scorecard": ("measure", "Compare sites across projects, so sites can benchmark each other."),
    "trend": ("measure", "Show the adoption curve: sites live week by week since approval."),
    "portfolio": (
        "board",
        "Show the portfolio over time: time to every site live, sites live by month.",
    ),
    "sites": (
        "board",
        "Show each site's projects in flight and go-lives per month.",
    ),
    "check": ("pr", "Validate everything and check every change of state since a base ref."),
    "approve": ("pr", "Record an approval as the current git user and commit just that file."),
    "codeowners": ("pr", "Write a CODEOWNERS file naming each file's approvers."),
    "history": ("pr", "Show the life of a practice or project from git, newest first."),
    "schema": ("pr", "Write JSON Schema files for editors: organisation, practice and project."),
    "report": (
        "report",
        "Write the tracker as a static HTML site for leadership, or a PDF board pack.",
    ),
    "search": ("report", "Find practices whose text holds every word of QUERY."),
    "risks": ("report", "List every open risk of the active projects, highest score first."),
    "export": ("report", "Write the tracker to a file other tools read."),
    "completion": ("completion", "Print the shell completion script for bash, zsh or fish."),
}


class _LazyGroup(_Group):
    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        importlib.import_module(f"diffuse.cli.{COMMANDS[cmd_name][0]}")
        command = _one_command(cmd_name)
        if command is None:
            command = typer.main.get_command(registry).get_command(ctx, cmd_name)  # type: ignore[attr-defined]
        return command

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, summary) for name, (_, summary) in COMMANDS.items()])


def _one_command(name: str) -> Any:
    """The command `name` alone, made as Typer makes it inside the whole app: a command
    runs without building the Click commands of every other command in its module."""
    for info in reversed(registry.registered_commands):  # the last of a name wins, as in Typer
        callback = info.callback
        if (
            callback is not None
            and (info.name or typer.main.get_command_name(callback.__name__)) == name
        ):
            return typer.main.get_command_from_info(
                info,
                pretty_exceptions_short=registry.pretty_exceptions_short,
                rich_markup_mode=registry.rich_markup_mode,
            )
    return None  # a group of commands (`new`): made with the whole app


app = typer.Typer(
    cls=_LazyGroup,
    help="Track the managed diffusion of approved best practices to every site.\n\n"
    "\b\n"
    "Example: diffuse status --as-of 2026-11-22",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from diffuse import __version__

        typer.echo(f"diffuse {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Track the managed diffusion of approved best practices to every site."""


def main() -> None:
    if "_DIFFUSE_COMPLETE" in os.environ:
        # A tab press in a shell set up by `diffuse completion`: answer with Typer's classes.
        from typer._completion_classes import completion_init

        completion_init()
    try:
        app(prog_name="diffuse")
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(1)


def run() -> None:
    """The `diffuse` program, as its console script and `python -m diffuse` start it."""
    fast = command in READ_ONLY  # as `early.prepare` saw it when this module loaded
    try:
        main()
    except SystemExit as exc:
        if fast and (exc.code is None or isinstance(exc.code, int)):
            end(exc.code or 0)
        raise
    if fast:
        end(0)


__all__ = ["COMMANDS", "ISSUES_URL", "app", "main", "run"]
