"""The pages made from the code, kept in step by tests (tests/test_readme.py): the command
reference, docs/reference.md, is the `--help` of each command; the field tables of
docs/file-format.md come from the JSON Schema `diffuse schema` writes.

Run `python tests/readme_help.py` to write them again after changing a command or a model.
The commands are read from the command line itself (`commands()`), so a new command or
subcommand gets its section without being listed here.
"""

from __future__ import annotations

import json
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

REFERENCE = Path(__file__).parent.parent / "docs" / "reference.md"
FILE_FORMAT = Path(__file__).parent.parent / "docs" / "file-format.md"
NOTES = Path(__file__).parent.parent / "docs" / "fields.yaml"
FIELDS = re.compile(r"<!-- fields -->\n.*?<!-- /fields -->\n", re.S)
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


def _schemas() -> dict[str, Any]:
    from diffuse.cli import app

    result = CliRunner().invoke(app, ["schema", "--out", "-"], prog_name="diffuse")
    assert result.exit_code == 0, result.output
    schemas: dict[str, Any] = json.loads(result.stdout)
    return schemas


def _is_number_as_text(option: dict[str, Any]) -> bool:
    # The schema lets a number be written as text ('12') and true/false as yes/no; the
    # tables name the kind once.
    return option.get("type") == "string" and "pattern" in option and "format" not in option


def _kind(spec: dict[str, Any], defs: dict[str, Any], file: str) -> str:
    if "$ref" in spec:
        name = spec["$ref"].rsplit("/", 1)[-1]
        target = defs[name]
        if "enum" in target:
            return "one of " + ", ".join(f"`{v}`" for v in target["enum"])
        return f"[{name}](#{file}-{name.lower()})"
    if "anyOf" in spec:
        options = [o for o in spec["anyOf"] if o.get("type") != "null"]
        if len(options) > 1:
            options = [o for o in options if not _is_number_as_text(o)] or options
        kinds = list(dict.fromkeys(_kind(o, defs, file) for o in options))
        return " or ".join(kinds)
    kind = spec.get("type")
    if spec.get("format") == "date":
        return "date"
    if kind == "array":
        return "list of " + _kind(spec.get("items", {}), defs, file)
    if kind == "object":
        values = next(iter(spec.get("patternProperties", {}).values()), None)
        if values is None:
            values = spec.get("additionalProperties")
        return "mapping of id to " + _kind(values, defs, file) if values else "mapping"
    if kind == "integer" or kind == "number":
        word = "whole number" if kind == "integer" else "number"
        low, high = (_number(spec.get(end)) for end in ("minimum", "maximum"))
        if low and high:
            return f"{word}, {low} to {high}"
        if low:
            return f"{word}, at least {low}"
        return word
    if kind == "boolean":
        return "true or false"
    if isinstance(kind, list) or kind == "string":
        return "id" if "pattern" in spec else "text"
    return "any"


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def notes() -> dict[str, str]:
    """What each field means where the model says nothing: FILE.field or FILE.Mapping.field."""
    import yaml

    loaded: dict[str, str] = yaml.safe_load(NOTES.read_text())
    return loaded


def field_keys() -> set[str]:
    """Every field of the three files, named as docs/fields.yaml names them."""
    keys = set()
    for schema_name, schema in _schemas().items():
        file = schema_name.split(".")[0]
        keys |= {f"{file}.{name}" for name in schema.get("properties", {})}
        for model_name, model in schema.get("$defs", {}).items():
            keys |= {f"{file}.{model_name}.{name}" for name in model.get("properties", {})}
    return keys


def _table(
    title: str, anchor: str, model: dict[str, Any], defs: dict[str, Any], prefix: str
) -> str:
    file = prefix.split(".")[0]
    said = notes()
    required = set(model.get("required", []))
    rows = ["| field | kind | required or default | meaning |", "|---|---|---|---|"]
    for name, spec in model.get("properties", {}).items():
        if name in required:
            need = "required"
        elif "default" in spec and spec["default"] not in (None, [], {}):
            need = f"`{json.dumps(spec['default'])}`"
        else:
            need = ""
        meaning = str(spec.get("description") or said.get(f"{prefix}.{name}", ""))
        meaning = meaning.replace("|", "\\|").replace("\n", " ")
        rows.append(f"| `{name}` | {_kind(spec, defs, file)} | {need} | {meaning} |")
    return f"### {title} {{#{anchor}}}\n\n" + "\n".join(rows) + "\n"


def fields() -> str:
    """The field tables: each file kind, then each mapping it holds, from its JSON Schema."""
    parts = ["<!-- fields -->"]
    for schema_name, schema in _schemas().items():
        file = schema_name.split(".")[0]
        defs = schema.get("$defs", {})
        parts.append(_table(f"`{file}` file", f"{file}-file", schema, defs, file))
        for name, model in defs.items():
            if "properties" in model:
                title, anchor = f"{file}: {name}", f"{file}-{name.lower()}"
                parts.append(_table(title, anchor, model, defs, f"{file}.{name}"))
    parts.append("<!-- /fields -->\n")
    return "\n".join(parts)


def file_format(text: str) -> str:
    return FIELDS.sub(lambda _: fields(), text)


# Every command and subcommand, for the tests that run each one (tests/test_width.py).
COMMANDS = commands()


if __name__ == "__main__":
    REFERENCE.write_text(rendered())
    FILE_FORMAT.write_text(file_format(FILE_FORMAT.read_text()))
    sys.stdout.write(f"wrote {REFERENCE} and the field tables of {FILE_FORMAT}\n")
