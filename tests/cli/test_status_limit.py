"""`diffuse status --sort` and `--limit`: big trackers read from the top."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from conftest import Run

AS_OF = ("--as-of", "2026-05-01", "--group", "site")


def _projects(tracker: Path) -> None:
    """Three more projects: all on track (a-calm), and two copies of the off-track one."""
    source = (tracker / "projects" / "hh-spread.yaml").read_text()
    calm = source.replace("health: at-risk", "health: on-track").replace(
        "health: off-track", "health: on-track"
    )
    for new_id, text in (("a-calm", calm), ("b-copy", source), ("c-copy", source)):
        out = text.replace("id: hh-spread", f"id: {new_id}")
        (tracker / "projects" / f"{new_id}.yaml").write_text(out)


def _ids(lines: list[str]) -> list[str]:
    known = ("a-calm", "b-copy", "c-copy", "hh-spread")
    return [line.split()[0] for line in lines if line.split() and line.split()[0] in known]


def test_limit_cuts_rows_after_sorting_and_says_so(tracker: Path, run: Run) -> None:
    _projects(tracker)
    result = run("status", *AS_OF, "--sort", "health", "--limit", "2", cwd=tracker)
    assert result.exit_code == 0, result.stderr
    assert _ids(result.lines) == ["b-copy", "c-copy"]
    assert result.lines[-1] == "showing 2 of 4 projects; --limit 0 shows all"


def test_sort_by_name_is_the_default_and_no_note_when_nothing_is_cut(
    tracker: Path, run: Run
) -> None:
    _projects(tracker)
    result = run("status", *AS_OF, cwd=tracker)
    assert _ids(result.lines) == ["a-calm", "b-copy", "c-copy", "hh-spread"]
    assert "showing" not in result.stdout + result.stderr
    live = run("status", *AS_OF, "--sort", "live", "--limit", "0", cwd=tracker)
    # a-calm has as few sites live as the others; ties are in id order.
    assert _ids(live.lines) == ["a-calm", "b-copy", "c-copy", "hh-spread"]


def test_json_and_csv_stay_parseable_with_the_note_on_stderr(tracker: Path, run: Run) -> None:
    _projects(tracker)
    result = run(
        "status", *AS_OF, "--sort", "health", "--limit", "1", "--format", "json", cwd=tracker
    )
    assert [p["project"] for p in json.loads(result.stdout)["projects"]] == ["b-copy"]
    assert result.stderr.strip() == "showing 1 of 4 projects; --limit 0 shows all"
    result = run("status", *AS_OF, "--limit", "1", "--format", "csv", cwd=tracker)
    assert {r["project"] for r in csv.DictReader(io.StringIO(result.stdout))} == {"a-calm"}
    assert "showing 1 of 4 projects" in result.stderr


def test_markdown_ends_with_the_note(tracker: Path, run: Run) -> None:
    _projects(tracker)
    result = run("status", *AS_OF, "--limit", "3", "--format", "markdown", cwd=tracker)
    assert result.exit_code == 0
    assert result.lines[-1] == "showing 3 of 4 projects; --limit 0 shows all"
    assert "| hh-spread |" not in result.stdout


def test_a_negative_limit_is_a_usage_error(tracker: Path, run: Run) -> None:
    assert run("status", "--limit", "-1", cwd=tracker).exit_code == 2
