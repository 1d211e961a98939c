"""`--as-of` shows the tracker as its dated records show it then; `diffuse trend` draws the
adoption curve week by week."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from conftest import REPO_ROOT, Run
from lifecycle import write_project

# write_project: approved and in plan 2026-02-01, execute 2026-02-20; nor live 2026-03-01,
# nst live 2026-04-06, sou implementing, sea not applicable.


def _row(run: Run, tracker: Path, day: str, *args: str) -> list[str]:
    result = run("status", "--as-of", day, *args, cwd=tracker)
    assert result.exit_code == 0, result.stderr
    return next(line.split() for line in result.lines if line.strip().startswith("hh-spread"))


def test_a_project_not_yet_approved_is_not_in_the_grid(tracker: Path, run: Run) -> None:
    write_project(tracker, "execute")
    assert run("status", "--as-of", "2026-01-31", cwd=tracker).lines == ["No projects match."]
    assert _row(run, tracker, "2026-02-01")[:4] == ["hh-spread", "plan", "0/3", "0/181"]


def test_phase_and_live_sites_come_from_the_dated_records(tracker: Path, run: Run) -> None:
    write_project(tracker, "execute")
    # Before its go-live a site now live was implementing; the phase follows the history.
    assert _row(run, tracker, "2026-02-10") == [
        "hh-spread", "plan", "0/3", "9/181", "n/a", "!", "at-risk", "◑✓", "◑✓", "◑!", "–"
    ]  # fmt: skip
    assert _row(run, tracker, "2026-03-15")[:4] == ["hh-spread", "execute", "1/3", "42/181"]
    assert _row(run, tracker, "2026-04-06")[:4] == ["hh-spread", "execute", "2/3", "64/181"]
    shown = run("status", "--format", "json", "--as-of", "2026-02-10", cwd=tracker)
    data = json.loads(shown.stdout)
    assert data["projects"][0]["phase"] == "plan"


def test_a_row_updated_after_the_date_shows_no_later_health(tracker: Path, run: Run) -> None:
    sites = {
        "nor": "{status: planning, health: off-track, updated: 2026-05-01}",
        "nst": "{status: sustained, go_live_actual: 2026-03-01, updated: 2026-06-01}",
    }
    write_project(tracker, "execute", sites)
    assert _row(run, tracker, "2026-04-01")[-4:] == ["◔✓", "●✓", "·✓", "·✓"]
    assert _row(run, tracker, "2026-06-01")[-4:] == ["◔✗", "★✓", "·✓", "·✓"]


def test_the_demo_as_of_march_shows_bcma_in_plan_and_no_unapproved_project(run: Run) -> None:
    # Wide enough for the region grid (narrower, each project takes a line of its own).
    result = run(
        "status",
        "--as-of",
        "2026-03-01",
        "--group",
        "region",
        cwd=REPO_ROOT,
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.stderr
    rows = [line.split()[:4] for line in result.lines if line.startswith(" ") and "/" in line]
    assert rows == [["bcma-rollout", "plan", "0/24", "40/181"]]


# -- trend --------------------------------------------------------------------------------------


def test_trend_counts_sites_live_week_by_week(tracker: Path, run: Run) -> None:
    write_project(tracker, "execute")
    result = run("trend", "hh-spread", "--as-of", "2026-04-20", cwd=tracker)
    assert result.exit_code == 0, result.stderr
    assert result.lines[:7] == [
        "hh-spread: sites live week by week since approval on 2026-02-01",
        "as of 2026-04-20: 2 of 3 in-scope site(s) live",
        "target: every site live by 2026-08-01 (6 months)",
        "forecast: 2026-05-31, 62 day(s) before the target",
        "  (least-squares line through 2 go-live days: 0.66 sites a month)",
        "",
        "week  ending      live  target line",
    ]
    assert result.lines[7] == "   0  2026-02-01     0            0  ···"
    assert result.lines[11] == "   4  2026-03-01     1            0  █··"
    assert result.lines[18] == "  11  2026-04-19     2            1  ██·"
    assert result.lines[-2] == (
        "live: in-scope sites live at the end of that day  █ live  · not yet  ┆ target line"
    )


def test_trend_marks_the_target_date_and_the_target_line(tracker: Path, run: Run) -> None:
    write_project(tracker, "execute")
    lines = run("trend", "hh-spread", "--as-of", "2026-08-10", cwd=tracker).lines
    assert "      ── target date 2026-08-01 ──" in lines
    assert "  22  2026-07-05     2            2  ██·" in lines
    assert "  26  2026-08-02     2            3  ██┆" in lines
    assert lines[3] == "forecast: 2027-02-23, 206 day(s) after the target"


def test_trend_json_and_csv_carry_every_week(tracker: Path, run: Run) -> None:
    write_project(tracker, "execute")
    data = json.loads(
        run("trend", "hh-spread", "--format", "json", "--as-of", "2026-04-20", cwd=tracker).stdout
    )
    assert (data["in_scope"], data["live"], data["target_date"]) == (3, 2, "2026-08-01")
    assert data["forecast"]["date"] == "2026-05-31" and data["forecast"]["days_after_target"] == -62
    assert data["weeks"][4] == {"week": 4, "date": "2026-03-01", "live": 1, "target_line": 0.46}
    assert len(data["weeks"]) == 12
    text = run("trend", "hh-spread", "--format", "csv", "--as-of", "2026-04-20", cwd=tracker)
    rows = list(csv.reader(io.StringIO(text.stdout)))
    assert rows[0] == ["week", "date", "live", "in_scope", "target_line"]
    assert rows[11] == ["10", "2026-04-12", "2", "3", "1.16"]


def test_trend_before_approval_is_a_clear_error(tracker: Path, run: Run) -> None:
    result = run("trend", "hh-spread", "--as-of", "2026-01-01", cwd=tracker)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "diffuse: 'hh-spread' was approved on 2026-02-01, after 2026-01-01; there is no trend yet"
    )
    assert run("trend", "nope", cwd=tracker).stderr.strip() == (
        "diffuse: no project 'nope'; known: hh-spread"
    )
