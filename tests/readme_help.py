"""The README's command reference is the `--help` of each command, kept in step by a test.

Run `python tests/readme_help.py` to rewrite the reference after changing a command.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

README = Path(__file__).parent.parent / "README.md"


def commands() -> list[list[str]]:
    """`diffuse` and every command and subcommand, in the order `--help` lists them: read
    from the command line's own table, so a new command is in the reference, the width
    test and the help test without being listed here."""
    import typer

    from diffuse.cli import app

    found: list[list[str]] = [[]]

    def walk(group: Any, path: list[str], ctx: Any) -> None:
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            found.append([*path, name])
            if hasattr(command, "list_commands"):  # a group: `new`, `org`, `metrics`, ...
                inner = command.make_context(name, ["--help"], parent=ctx, resilient_parsing=True)
                walk(command, [*path, name], inner)

    root = typer.main.get_command(app)
    walk(root, [], root.make_context("diffuse", ["--help"], resilient_parsing=True))
    return found


COMMANDS = commands()
BLOCK = re.compile(r"<!-- help: (?P<cmd>[a-z -]*) -->\n```text\n.*?```\n<!-- /help -->", re.S)


def help_text(command: list[str]) -> str:
    from diffuse.cli import app

    result = CliRunner().invoke(
        app, [*command, "--help"], terminal_width=88, env={"COLUMNS": "88"}, prog_name="diffuse"
    )
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    return "\n".join(lines).strip() + "\n"


def block(command: list[str]) -> str:
    name = " ".join(command)
    return f"<!-- help: {name} -->\n```text\n{help_text(command)}```\n<!-- /help -->"


def rendered(readme: str) -> str:
    """`readme` with its command reference (from the first help block to the end) made
    again: one block for each of `COMMANDS`, in their order."""
    start = BLOCK.search(readme)
    head = readme[: start.start()] if start else readme.rstrip("\n") + "\n\n"
    return head + "\n\n".join(block(command) for command in COMMANDS) + "\n"


if __name__ == "__main__":
    README.write_text(rendered(README.read_text()))
    sys.stdout.write(f"rewrote the command reference in {README}\n")
