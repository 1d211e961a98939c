"""Every `--format json` carries schema_version and matches the schema
`diffuse schema --output` writes for it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import REPO_ROOT, Run, git

from diffuse.reports.outputs import OUTPUTS, output_schema
from diffuse.vocab import OUTPUT_SCHEMA_VERSION

COMMANDS: dict[str, tuple[str, ...]] = {
    "validate": ("validate",),
    "check": ("check", "--base", "main"),
    "status": ("status", "--as-of", "2026-05-01"),
    "show": ("show", "hh-spread", "--as-of", "2026-05-01"),
    "history": ("history", "hh-spread"),
    "metrics": ("metrics", "hh-spread"),
    "review": ("review", "--as-of", "2026-05-01"),
    "trend": ("trend", "hh-spread", "--as-of", "2026-05-01"),
    "scorecard": ("scorecard", "--as-of", "2026-05-01"),
    "portfolio": ("portfolio", "--as-of", "2026-05-01"),
    "sites": ("sites", "--as-of", "2026-05-01"),
}


def test_every_output_has_a_schema() -> None:
    assert sorted(COMMANDS) == sorted(OUTPUTS)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_json_output_matches_its_schema(
    command: str, git_tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(git_tracker)
    git(git_tracker, "checkout", "-q", "-b", "change")
    result = run(*COMMANDS[command], "--format", "json", cwd=git_tracker)
    data = json.loads(result.stdout)
    assert data["schema_version"] == OUTPUT_SCHEMA_VERSION
    jsonschema.Draft202012Validator(
        output_schema(command), format_checker=jsonschema.FormatChecker()
    ).validate(data)


def test_schema_output_writes_one_file_per_command(tracker: Path, run: Run) -> None:
    result = run("schema", "--output", "--out", str(tracker / "out"), cwd=tracker)
    assert result.exit_code == 0
    names = sorted(p.name for p in (tracker / "out").iterdir())
    assert names == sorted(f"{c}.output.schema.json" for c in OUTPUTS)
    status = json.loads((tracker / "out" / "status.output.schema.json").read_text())
    assert status["properties"]["schema_version"] == {"const": OUTPUT_SCHEMA_VERSION}


def test_schema_output_to_standard_output(tracker: Path, run: Run) -> None:
    found = json.loads(run("schema", "--output", "--out", "-", cwd=tracker).stdout)
    assert "check.output.schema.json" in found


@pytest.mark.parametrize(
    "args",
    [
        ("status", "--as-of", "2026-11-22"),
        ("show", "bcma-rollout", "--as-of", "2026-11-22"),
        ("show", "barcode-medication-administration", "--as-of", "2026-11-22"),
        ("metrics", "bcma-rollout"),
        ("review", "--as-of", "2026-11-22"),
        ("trend", "bcma-rollout", "--as-of", "2026-11-22"),
        ("scorecard", "--as-of", "2026-11-22"),
        ("portfolio", "--as-of", "2026-11-22"),
        ("sites", "--as-of", "2026-11-22"),
        ("sites", "pfh", "--as-of", "2026-11-22"),
    ],
    ids=lambda args: "-".join(args[:2]),
)
def test_the_demo_matches_the_schemas(args: tuple[str, ...], run: Run) -> None:
    result = run(*args, "--format", "json", "--root", str(REPO_ROOT))
    jsonschema.Draft202012Validator(
        output_schema(args[0]), format_checker=jsonschema.FormatChecker()
    ).validate(json.loads(result.stdout))
