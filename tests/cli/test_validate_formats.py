"""`diffuse validate` speaks CI: the formats of `check`, and every problem in one run."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from conftest import Run


@pytest.fixture(autouse=True)
def _in_tracker(tracker: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Problems name files from the current folder, as a user in the tracker sees them.
    monkeypatch.chdir(tracker)


def _break_practice(tracker: Path) -> None:
    practice = tracker / "practices" / "hand-hygiene.yaml"
    text = re.sub(r"(?m)^status: \w+$", "status: aproved", practice.read_text())
    practice.write_text(
        text.replace("approving_body: cpc", "approving_body: nobody").replace(
            "owner: ada", "owner: ghost"
        )
    )


STATUS = "practices/hand-hygiene.yaml:4:9: error[invalid-choice] status: expected"
BODY = (
    "practices/hand-hygiene.yaml:5:17: error[unknown-reference] approving_body: "
    "no approving body 'nobody' (known: cpc)"
)
OWNER = (
    "practices/hand-hygiene.yaml:6:8: error[unknown-reference] owner: no person 'ghost' "
    "(known: ada, ben, cy)"
)


def test_a_schema_error_does_not_hide_the_references_of_fields_that_parsed(
    tracker: Path, run: Run
) -> None:
    _break_practice(tracker)
    result = run("validate")
    assert result.exit_code == 1
    lines = result.lines
    assert lines[0].startswith(STATUS)
    assert lines[1:3] == [BODY, OWNER]
    assert lines[-1] == "3 problem(s) in 1 of 3 file(s)"


def test_a_project_with_a_schema_error_still_has_its_people_checked(
    tracker: Path, run: Run
) -> None:
    project = tracker / "projects" / "hh-spread.yaml"
    text = project.read_text()
    project.write_text(text.replace("phase: plan", "phase: [plan]").replace("by: cy", "by: zed", 1))
    lines = run("validate").lines
    assert any("error[wrong-type] phase:" in line for line in lines)
    assert any("error[unknown-reference]" in line and "no person 'zed'" in line for line in lines)


def test_json_format(tracker: Path, run: Run) -> None:
    _break_practice(tracker)
    result = run("validate", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["schema_version"] == 2 and data["passed"] is False and data["files"] == 3
    assert [p["rule"] for p in data["problems"]] == [
        "invalid-choice",
        "unknown-reference",
        "unknown-reference",
    ]
    assert set(data["problems"][0]) == {"file", "line", "col", "rule", "level", "message", "fix"}


def test_github_format_is_chosen_in_github_actions(tracker: Path, run: Run) -> None:
    _break_practice(tracker)
    result = run("validate", env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    assert result.lines[1].startswith(
        "::error file=practices/hand-hygiene.yaml,line=5,col=17,title=diffuse unknown-reference::"
    )
    assert result.lines[-1] == "3 problem(s) in 1 of 3 file(s)"


def test_junit_format(tracker: Path, run: Run) -> None:
    _break_practice(tracker)
    result = run("validate", "--format", "junit")
    suite = ET.fromstring(result.stdout).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("3", "1")
    failed = [c.get("name") for c in suite.iter("testcase") if c.find("failure") is not None]
    assert failed == ["practices/hand-hygiene.yaml"]


def test_the_summary_goes_to_standard_output_as_in_check(tracker: Path, run: Run) -> None:
    clean = run("validate")
    assert clean.exit_code == 0 and clean.lines == ["ok: 3 file(s) valid"]
    _break_practice(tracker)
    broken = run("validate")
    assert broken.lines[-1] == "3 problem(s) in 1 of 3 file(s)" and broken.stderr == ""
