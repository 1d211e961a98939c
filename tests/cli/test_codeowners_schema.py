"""CODEOWNERS, JSON Schema for editors, and the files other repositories and CI use."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from conftest import REPO_ROOT, Run, git


def test_codeowners_maps_each_file_to_its_approving_body(git_tracker: Path, run: Run) -> None:
    organisation = git_tracker / "organisation.yaml"
    organisation.write_text(
        organisation.read_text()
        + "  - id: nursing\n    name: Nursing Council\n    kind: specialty-council\n"
        "    members: [cy]\n"
    )
    practice = git_tracker / "practices" / "hand-hygiene.yaml"
    practice.write_text(
        practice.read_text().replace("approving_body: cpc", "approving_body: nursing")
    )
    practice.write_text(
        practice.read_text().replace("{body: cpc, by: ada", "{body: nursing, by: cy")
    )
    result = run("codeowners", cwd=git_tracker)
    assert result.exit_code == 0, result.stderr
    written = git_tracker / ".github" / "CODEOWNERS"
    assert result.stdout == f"wrote {written}\n"
    committee = "ada@example.org ben@example.org"
    assert written.read_text().splitlines()[2:] == [
        f"/.github/ {committee}",
        f"/practices/ {committee}",
        f"/projects/ {committee}",
        f"/organisation.yaml {committee}",
        "/practices/hand-hygiene.yaml cy@example.org",
        "/projects/hh-spread.yaml cy@example.org",
    ]
    assert run("codeowners", "--out", "-", cwd=git_tracker).stdout == written.read_text()


def test_codeowners_of_a_tracker_in_a_subfolder_uses_repository_paths(
    tracker: Path, run: Run
) -> None:
    git(tracker.parent, "init", "-q")
    result = run("codeowners", "--out", "-", cwd=tracker)
    assert "/tracker/practices/hand-hygiene.yaml ada@example.org ben@example.org" in result.lines


def test_schema_writes_one_file_per_kind_that_describes_the_models(tracker: Path, run: Run) -> None:
    result = run("schema", cwd=tracker)
    assert result.exit_code == 0
    names = sorted(p.name for p in (tracker / "schemas").iterdir())
    assert names == ["organisation.schema.json", "practice.schema.json", "project.schema.json"]
    practice = json.loads((tracker / "schemas" / "practice.schema.json").read_text())
    assert practice["additionalProperties"] is False
    assert {"id", "title", "status", "approving_body"} <= set(practice["required"])
    assert practice["properties"]["id"]["pattern"] == "^[a-z0-9][a-z0-9-]{0,63}$"
    # A list of ids may be written as one id, as the loader accepts.
    vetted = practice["properties"]["vetted_by"]["anyOf"]
    assert [v["type"] for v in vetted] == [["string", "number", "boolean"], "array"]
    project = json.loads((tracker / "schemas" / "project.schema.json").read_text())
    assert "from" in project["$defs"]["Transition"]["properties"]


def test_new_files_carry_the_editor_schema_line(tmp_path: Path, run: Run) -> None:
    root = tmp_path / "health"
    assert run("init", str(root)).exit_code == 0
    assert (root / "schemas" / "practice.schema.json").is_file()
    assert run("new", "practice", "falls", cwd=root).exit_code == 0
    assert run("new", "project", "falls-2027", "--practice", "falls", cwd=root).exit_code == 0
    header = "# yaml-language-server: $schema="
    first = {
        name: path.read_text().splitlines()[0]
        for name, path in {
            "organisation": root / "organisation.yaml",
            "practice": root / "practices" / "falls.yaml",
            "project": root / "projects" / "falls-2027.yaml",
        }.items()
    }
    assert first == {
        "organisation": f"{header}schemas/organisation.schema.json",
        "practice": f"{header}../schemas/practice.schema.json",
        "project": f"{header}../schemas/project.schema.json",
    }
    assert run("validate", cwd=root).exit_code == 0


def test_pre_commit_hooks_and_the_workflow_run_diffuse() -> None:
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())
    validate = next(h for h in hooks if h["id"] == "diffuse-validate")
    assert validate["entry"] == "diffuse validate" and validate["pass_filenames"] is False
    workflow = yaml.safe_load((REPO_ROOT / ".github" / "workflows" / "diffuse.yml").read_text())
    steps = workflow["jobs"]["check"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    assert any(step.get("uses") == "./" for step in steps)
    action = yaml.safe_load((REPO_ROOT / "action.yml").read_text())
    run = "\n".join(step.get("run", "") for step in action["runs"]["steps"])
    assert 'args=(check --root "$ROOT" --format "$FORMAT")' in run and "--base" in run


def test_schema_out_dash_writes_standard_output(tracker: Path, run: Run) -> None:
    result = run("schema", "--out", "-", cwd=tracker)
    assert result.exit_code == 0
    found = json.loads(result.stdout)
    assert sorted(found) == [
        "organisation.schema.json",
        "practice.schema.json",
        "project.schema.json",
    ]
    assert not (tracker / "-").exists() and not (Path.cwd() / "-").exists()


def test_schema_out_a_file_is_a_clear_error(tracker: Path, run: Run) -> None:
    (tracker / "taken").write_text("x")
    result = run("schema", "--out", str(tracker / "taken"), cwd=tracker)
    assert result.exit_code == 1
    assert "is a file; give a folder, or - for standard output" in result.stderr


def test_new_writes_the_schemas_its_header_names(tracker: Path, run: Run) -> None:
    assert not (tracker / "schemas").exists()
    result = run("new", "practice", "falls", cwd=tracker)
    assert result.exit_code == 0
    header = (tracker / "practices" / "falls.yaml").read_text().splitlines()[0]
    named = header.split("$schema=")[1]
    assert (tracker / "practices" / named).resolve().is_file()
    assert result.lines[-1].endswith("schemas/project.schema.json")
