"""The command reference, docs/reference.md, is the `--help` of each command, kept in step by
a test (tests/test_readme.py).

Run `python tests/readme_help.py` to write the page again after changing a command. The
commands are read from the command line itself (`commands()`), so a new command or
subcommand gets its section without being listed here.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

REFERENCE = Path(__file__).parent.parent / "docs" / "reference.md"
HEADER = """\
# Commands

Every command's `--help`, as the command prints it. A test fails when this page and the
commands differ; `python tests/readme_help.py` writes the page again.
"""


def commands() -> list[list[str]]:
    """Every command and subcommand, in the order `--help` lists them; [] is `diffuse`."""
    import typer

    from diffuse.cli import app

    found: list[list[str]] = []

    def walk(command: Any, path: list[str], ctx: Any) -> None:
        found.append(path)
        for name in command.list_commands(ctx) if hasattr(command, "list_commands") else []:
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                walk(
                    sub,
                    [*path, name],
                    sub.make_context(name, [], parent=ctx, resilient_parsing=True),
                )

    root = typer.main.get_command(app)
    walk(root, [], root.make_context("diffuse", [], resilient_parsing=True))
    return found


@cache
def help_text(command: tuple[str, ...]) -> str:
    from diffuse.cli import app

    result = CliRunner().invoke(
        app, [*command, "--help"], terminal_width=88, env={"COLUMNS": "88"}, prog_name="diffuse"
    )
    assert result.exit_code == 0, (command, result.output)
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    return "\n".join(lines).strip() + "\n"


def section(command: list[str]) -> str:
    name = " ".join(["diffuse", *command])
    return f"## `{name}`\n\n```text\n{help_text(tuple(command))}```\n"


def rendered() -> str:
    return "\n".join([HEADER, *(section(command) for command in commands())])


if __name__ == "__main__":
    REFERENCE.write_text(rendered())
    sys.stdout.write(f"wrote the command reference to {REFERENCE}\n")
