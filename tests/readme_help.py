"""The README's command reference is the `--help` of each command, kept in step by a test.

Run `python tests/readme_help.py` to rewrite the reference after changing a command.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from typer.testing import CliRunner

README = Path(__file__).parent.parent / "README.md"
COMMANDS = [
    [],
    ["init"],
    ["new", "practice"],
    ["new", "project"],
    ["validate"],
    ["status"],
    ["show"],
    ["advance"],
    ["site"],
    ["duty"],
    ["role"],
    ["risk"],
    ["project"],
    ["practice"],
    ["disseminate"],
    ["org"],
    ["org", "add-site"],
    ["org", "add-person"],
    ["org", "add-body"],
    ["org", "add-member"],
    ["metrics"],
    ["metrics", "show"],
    ["metrics", "import"],
    ["metrics", "add"],
    ["metrics", "note"],
    ["review"],
    ["scorecard"],
    ["trend"],
    ["portfolio"],
    ["sites"],
    ["check"],
    ["approve"],
    ["codeowners"],
    ["history"],
    ["schema"],
    ["report"],
    ["search"],
    ["risks"],
    ["export"],
    ["export", "sqlite"],
]
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
    return BLOCK.sub(lambda m: block(m.group("cmd").split()), readme)


if __name__ == "__main__":
    README.write_text(rendered(README.read_text()))
    sys.stdout.write(f"rewrote the command reference in {README}\n")
