"""A project whose phase or history names a phase the workflow lacks is reported once and
set aside: no command counts along a workflow it is not on."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Run

COMMANDS = [
    ("show", "hh-spread", "--no-pager"),
    ("advance", "hh-spread", "--by", "cy", "--dry-run"),
    ("trend", "hh-spread", "--as-of", "2026-05-01"),
    ("metrics", "hh-spread"),
]


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("phase: plan", "phase: nobody", "projects/hh-spread.yaml:5:8"),
        ("{from: initiate, to: plan,", "{from: initiate, to: nowhere,", "history.0.to"),
    ],
)
def test_an_unknown_phase_is_a_problem_not_a_crash(
    tracker: Path, run: Run, old: str, new: str, where: str
) -> None:
    project = tracker / "projects" / "hh-spread.yaml"
    project.write_text(project.read_text().replace(old, new, 1))
    checked = run("validate", cwd=tracker)
    assert checked.exit_code == 1
    assert "error[unknown-reference]" in checked.stdout and where in checked.stdout
    for argv in COMMANDS:
        result = run(*argv, cwd=tracker)
        assert result.exit_code == 1, (argv, result.stderr)
        assert "has problems; fix them first" in result.stderr
    grid = run("status", "--as-of", "2026-05-01", "--format", "csv", cwd=tracker)
    assert grid.exit_code == 1
    assert "hh-spread" not in grid.stdout
