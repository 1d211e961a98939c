"""Every `--format json` carries schema_version and matches the schema
`diffuse schema --output` writes for it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import FIXTURE, REPO_ROOT, Run, git

from diffuse.reports.outputs import OUTPUTS, output_schema
from diffuse.vocab import output_schema_version

COMMANDS: dict[str, tuple[str, ...]] = {
    "validate": ("validate",),
    "check": ("check", "--base", "main"),
    "status": ("status", "--as-of", "2026-05-01"),
    "show": ("show", "hh-spread", "--as-of", "2026-05-01"),
    "history": ("history", "hh-spread"),
    "metrics": ("metrics", "hh-spread"),
    "review": ("review", "--as-of", "2026-05-01"),
    "remind": ("remind", "--as-of", "2026-05-01"),
    "trend": ("trend", "hh-spread", "--as-of", "2026-05-01"),
    "scorecard": ("scorecard", "--as-of", "2026-05-01"),
    "portfolio": ("portfolio", "--as-of", "2026-05-01"),
    "sites": ("sites", "--as-of", "2026-05-01"),
    "search": ("search", "hand"),
    "risks": ("risks", "--as-of", "2026-05-01"),
}
# Outputs that show the tracker's state on a day say which day.
DATED = {
    "status",
    "show",
    "history",
    "metrics",
    "review",
    "trend",
    "scorecard",
    "portfolio",
    "sites",
    "risks",
}
# Where `id` stays: a grid column's id (a site or a group of sites) and a changed file's
# item in check, which may be a practice, a project or the organisation.
ID_ALLOWED = {"status.columns[]", "check.changes[]"}
# Keys that name one thing, and what each must hold wherever it appears.
SHARED_KEYS = ("project", "practice", "site")


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
    assert data["schema_version"] == output_schema_version(command)
    jsonschema.Draft202012Validator(
        output_schema(command), format_checker=jsonschema.FormatChecker()
    ).validate(data)
    _check_shared_keys(command, data)


def _objects(value: Any, where: str) -> list[tuple[str, dict[str, Any]]]:
    """Every object inside `value`, with a path such as `status.projects[]`."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(value, dict):
        found.append((where, value))
        for key, inner in value.items():
            found += _objects(inner, f"{where}.{key}")
    elif isinstance(value, list):
        for inner in value:
            found += _objects(inner, f"{where}[]")
    return found


def _check_shared_keys(command: str, data: dict[str, Any]) -> None:
    if command in DATED:
        assert "as_of" in data, f"{command} shows state but says no as_of"
    ids = _tracker_ids()
    for where, record in _objects(data, command):
        if "id" in record and where not in ID_ALLOWED and where.count(".") <= 2:
            raise AssertionError(f"{where} names an item `id`, not project/practice/site")
        for key in SHARED_KEYS:
            value = record.get(key)
            if isinstance(value, str) and where.count(".") <= 2:
                assert value in ids[key], f"{where}.{key} = {value!r} is not a {key} id"
            elif key in record and value is not None and not isinstance(value, str):
                raise AssertionError(f"{where}.{key} is {value!r}: an id is a string")


def _tracker_ids() -> dict[str, set[str]]:
    folder = FIXTURE
    org = yaml.safe_load((folder / "organisation.yaml").read_text())
    return {
        "project": {p.stem for p in (folder / "projects").glob("*.yaml")},
        "practice": {p.stem for p in (folder / "practices").glob("*.yaml")},
        "site": {s["id"] for s in org["sites"]} | {"all"},  # scorecard's row of every site
    }


def test_the_json_outputs_use_one_word_for_one_thing(run: Run, git_tracker: Path) -> None:
    show = json.loads(run("show", "hh-spread", "--format", "json", cwd=git_tracker).stdout)
    assert (show["project"], show["kind"]) == ("hh-spread", "project") and "id" not in show
    validate = json.loads(run("validate", "--format", "json", cwd=git_tracker).stdout)
    assert validate["passed"] is True and "valid" not in validate
    card = json.loads(
        run("scorecard", "--as-of", "2026-05-01", "--format", "json", cwd=git_tracker).stdout
    )
    line = card["sites"][0]["projects"][0]
    assert isinstance(line["is_live"], bool) and "live" not in line
    assert isinstance(card["sites"][0]["live"], int)
    found = json.loads(run("search", "hand", "--format", "json", cwd=git_tracker).stdout)
    assert [hit["practice"] for hit in found["practices"]] == ["hand-hygiene"]


def test_risks_json_without_a_date_is_as_of_today(run: Run, tracker: Path) -> None:
    found = json.loads(run("risks", "--format", "json", cwd=tracker).stdout)
    assert found["as_of"] == date.today().isoformat()


def test_schema_output_writes_one_file_per_command(tracker: Path, run: Run) -> None:
    result = run("schema", "--output", "--out", str(tracker / "out"), cwd=tracker)
    assert result.exit_code == 0
    names = sorted(p.name for p in (tracker / "out").iterdir())
    assert names == sorted(f"{c}.output.schema.json" for c in OUTPUTS)
    status = json.loads((tracker / "out" / "status.output.schema.json").read_text())
    assert status["properties"]["schema_version"] == {"const": 2}
    search = json.loads((tracker / "out" / "search.output.schema.json").read_text())
    assert search["properties"]["schema_version"] == {"const": 2}


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
        ("remind", "--as-of", "2026-11-22"),
        ("trend", "bcma-rollout", "--as-of", "2026-11-22"),
        ("scorecard", "--as-of", "2026-11-22"),
        ("portfolio", "--as-of", "2026-11-22"),
        ("sites", "--as-of", "2026-11-22"),
        ("sites", "pfh", "--as-of", "2026-11-22"),
        ("search", "central line"),
        ("risks", "--as-of", "2026-11-22"),
        ("history", "bcma-rollout"),
        ("validate",),
    ],
    ids=lambda args: "-".join(args[:2]),
)
def test_the_demo_matches_the_schemas(args: tuple[str, ...], run: Run) -> None:
    result = run(*args, "--format", "json", "--root", str(REPO_ROOT))
    jsonschema.Draft202012Validator(
        output_schema(args[0]), format_checker=jsonschema.FormatChecker()
    ).validate(json.loads(result.stdout))
