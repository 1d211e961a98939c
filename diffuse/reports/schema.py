"""`diffuse schema`: JSON Schema for each file kind, from the same models `validate` uses.

Editors with the YAML language server validate as you type when a file starts with
`# yaml-language-server: $schema=...`; `diffuse new` and `diffuse init` write that line.
The schema is looser than `validate` in one way: it cannot check one file against another.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from diffuse.layout import ID_PATTERN
from diffuse.models import Organisation, Practice, Project
from diffuse.models.common import _check_id, _one_or_many

KINDS: dict[str, type[BaseModel]] = {
    "organisation": Organisation,
    "practice": Practice,
    "project": Project,
}
SCHEMA_DIR = "schemas"


def schema_name(kind: str) -> str:
    return f"{kind}.schema.json"


# What `validate` reads as a number or a yes/no when it is written as text ('12', yes):
# every plain YAML value is text to diffuse, and the model decides what it is.
_WHOLE = r"^\s*[-+]?[0-9][0-9_]*(\.0*)?\s*$"
_NUMBER = r"^\s*[-+]?([0-9][0-9_]*(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$"
_YES_NO = (
    r"^([01yYnNtTfF]|[oO][nN]|[oO][fF][fF]|[yY][eE][sS]|[nN][oO]|[tT][rR][uU][eE]"
    r"|[fF][aA][lL][sS][eE])$"
)


class _Schema(GenerateJsonSchema):
    """Says in the schema what the validators accept: ids match their pattern, a list of
    ids may be written as a single id, and scalars are read as `validate` reads them. An
    editor reads `title: 2026` as a number and `cadence_months: '12'` as text; diffuse
    accepts both, so the schema does too (a number given as text is checked against its
    bounds by `validate` only)."""

    def str_schema(self, schema: core_schema.StringSchema) -> JsonSchemaValue:
        inner = super().str_schema(schema)
        return {**inner, "type": ["string", "number", "boolean"]}

    def int_schema(self, schema: core_schema.IntSchema) -> JsonSchemaValue:
        return {"anyOf": [super().int_schema(schema), {"type": "string", "pattern": _WHOLE}]}

    def float_schema(self, schema: core_schema.FloatSchema) -> JsonSchemaValue:
        return {"anyOf": [super().float_schema(schema), {"type": "string", "pattern": _NUMBER}]}

    def bool_schema(self, schema: core_schema.BoolSchema) -> JsonSchemaValue:
        return {"anyOf": [super().bool_schema(schema), {"type": "string", "pattern": _YES_NO}]}

    def function_before_schema(
        self, schema: core_schema.BeforeValidatorFunctionSchema
    ) -> JsonSchemaValue:
        inner = super().function_before_schema(schema)
        if schema["function"].get("function") is _one_or_many:
            items = inner.get("items", {"type": "string"})
            return {"anyOf": [items, inner]}
        return inner

    def function_after_schema(
        self, schema: core_schema.AfterValidatorFunctionSchema
    ) -> JsonSchemaValue:
        inner = super().function_after_schema(schema)
        if schema["function"].get("function") is _check_id:
            return {**inner, "pattern": f"^{ID_PATTERN.pattern}$"}
        return inner


def json_schema(kind: str) -> dict[str, Any]:
    model = KINDS[kind]
    schema = model.model_json_schema(by_alias=True, schema_generator=_Schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_name(kind),
        **schema,
        "title": f"diffuse {kind} file",
    }


def all_schemas() -> dict[str, dict[str, Any]]:
    """Every file kind's schema, keyed by the file name it is saved as."""
    return {schema_name(kind): json_schema(kind) for kind in KINDS}


def write_schemas(directory: Path) -> list[Path]:
    return write_json_files(directory, all_schemas())


def write_json_files(directory: Path, files: dict[str, dict[str, Any]]) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in files.items():
        path = directory / name
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


def header(kind: str, depth: int) -> str:
    """The editor line for a file `depth` folders below the tracker root."""
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_DIR}/{schema_name(kind)}\n"
