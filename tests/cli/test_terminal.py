"""The terminal as people have it: 80 columns, colour settings, pagers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO_ROOT, Run

DEMO = ("--as-of", "2026-11-22", "--root", str(REPO_ROOT))
PROJECTS = [
    "bcma-rollout",
    "blood-utilization-rollout",
    "delirium-rollout",
    "opioid-prescribing-rollout",
    "readmissions-rollout",
    "unit-handoffs-rollout",
]


def test_status_fits_80_columns_with_a_line_per_project(run: Run) -> None:
    result = run("status", *DEMO, env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert max(len(line) for line in result.lines) <= 80
    rows = [line.split() for line in result.lines if line.split()[:1] and line[0] != " "]
    by_name = {row[0]: row for row in rows if row[0] in PROJECTS}
    assert sorted(by_name) == PROJECTS
    assert by_name["bcma-rollout"][1:] == ["execute", "13/24", "306/181", "✗", "off-track"]
    at = next(i for i, line in enumerate(result.lines) if line.startswith("bcma-rollout "))
    cells = " ".join(result.lines[at + 1 : at + 3])
    for region in ("Metro 5/5✓", "North 1/4✗", "Lakeshore 3/4!", "River Valley 2/4!"):
        assert region in cells
    assert "forecast 2027-03-15" in cells


def test_status_kind_grouping_fits_80_columns_too(run: Run) -> None:
    result = run("status", *DEMO, "--group", "kind", env={"COLUMNS": "80"})
    assert max(len(line) for line in result.lines) <= 80
    assert sum(line.startswith(tuple(PROJECTS)) for line in result.lines) == len(PROJECTS)
    assert "cells: kind, live/in-scope sites and worst health" in result.lines


def test_status_shows_the_wide_grid_when_it_fits(run: Run) -> None:
    result = run("status", *DEMO, env={"COLUMNS": "400"})
    head = next(line for line in result.lines if line.lstrip().startswith("Project"))
    assert head.split()[:6] == ["Project", "Phase", "Live", "Days", "Forecast", "Health"]
    assert "lmc" in head.split()


def test_markdown_does_not_depend_on_the_width(run: Run) -> None:
    narrow = run("status", *DEMO, "--format", "markdown", env={"COLUMNS": "80"})
    wide = run("status", *DEMO, "--format", "markdown", env={"COLUMNS": "300"})
    assert narrow.stdout == wide.stdout
    assert "| lmc |" in narrow.stdout


def _coloured(text: str) -> bool:
    return bool(re.search(r"\x1b\[[0-9;]*m", text))


@pytest.mark.parametrize(
    "args",
    [("status", "--as-of", "2026-05-01"), ("show", "hh-spread", "--as-of", "2026-05-01")],
    ids=lambda args: args[0],
)
def test_colour_settings(tracker: Path, run: Run, args: tuple[str, ...]) -> None:

    def colour(**env: str) -> bool:
        return _coloured(run(*args, cwd=tracker, env=env).stdout)

    assert not colour()
    assert colour(FORCE_COLOR="1")
    assert colour(CLICOLOR_FORCE="1")
    assert not colour(CLICOLOR_FORCE="0")
    # NO_COLOR counts only when it holds something (no-color.org).
    assert colour(FORCE_COLOR="1", NO_COLOR="")
    assert not _colours_only(run(*args, cwd=tracker, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}))


def _colours_only(result: object) -> bool:
    text = getattr(result, "stdout", "")
    codes = {c for p in re.findall(r"\x1b\[([0-9;]*)m", text) for c in p.split(";")}
    return any(c.isdigit() and (30 <= int(c) <= 49 or 90 <= int(c) <= 107) for c in codes)


@pytest.mark.parametrize("columns", ["80", "95", "105"])
def test_ids_that_differ_only_at_the_end_are_never_cut_alike(
    tracker: Path, run: Run, columns: str
) -> None:
    # Generated trackers name projects alike: a cut that keeps the head would make the two
    # rows read as one project.
    source = (tracker / "projects" / "hh-spread.yaml").read_text()
    ids = [f"hand-hygiene-spread-northern-wave-{n}" for n in (1, 2)]
    for new in ids:
        text = source.replace("id: hh-spread\n", f"id: {new}\n", 1)
        (tracker / "projects" / f"{new}.yaml").write_text(text)
    args = ("status", "--as-of", "2026-05-01", "--group", "site")
    lines = run(*args, cwd=tracker, env={"COLUMNS": columns}).lines
    labels = [line.split()[0] for line in lines if line.split()[:1] and "hand-" in line]
    assert len(labels) == 2 and labels[0] != labels[1]
    assert [label[-7:] for label in labels] == ["-wave-1", "-wave-2"]


def test_a_cut_id_keeps_what_tells_it_apart() -> None:
    from diffuse.render.plain import short_ids

    ids = ["proj-0001-cardiac-rollout-a", "proj-0001-cardiac-rollout-b", "bcma"]
    labels, width = short_ids(ids, 14)
    assert width == 14 and labels["bcma"] == "bcma"
    assert labels[ids[0]] == "proj-00…lout-a" and labels[ids[1]] == "proj-00…lout-b"
    # Ids alike at both ends and longer than the column: the column grows until they differ.
    alike = ["a" * 20 + "x" + "b" * 20, "a" * 20 + "y" + "b" * 20]
    labels, width = short_ids(alike, 14)
    assert width == 22 and len(set(labels.values())) == 2
