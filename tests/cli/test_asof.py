"""`--as-of D` is the tracker as it stood on D, in every command that shows state: built from
the dated records, and from git for what carries no date. show and status agree."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from conftest import REPO_ROOT, Run

PROJECT = Path("projects") / "hh-spread.yaml"
DEMO_DAYS = ["2010-09-01", "2011-07-01", "2026-03-01", "2026-08-20", "2026-11-22"]


def status_rows(run: Run, root: Path, day: str) -> dict[str, dict[str, object]]:
    result = run("status", "--all", "--group", "site", "--format", "json", "--as-of", day, cwd=root)
    assert result.exit_code == 0, result.stderr
    return {row["project"]: row for row in json.loads(result.stdout)["projects"]}


@pytest.mark.parametrize("day", DEMO_DAYS)
def test_show_and_status_agree_on_every_demo_project(run: Run, day: str) -> None:
    rows = status_rows(run, REPO_ROOT, day)
    projects = sorted(p.stem for p in (REPO_ROOT / "projects").glob("*.yaml"))
    for project in projects:
        shown = run("show", project, "--format", "json", "--as-of", day, cwd=REPO_ROOT)
        assert shown.exit_code == 0, shown.stderr
        data = json.loads(shown.stdout)
        if project not in rows:
            # Not yet approved that day: not in the grid, and show gives it no health.
            assert data["approved"] > day and data["health"] is None
            continue
        row = rows[project]
        assert (data["phase"], data["health"]) == (row["phase"], row["health"]), project
        assert data["reasons"] == row["reasons"]
        for site, cell in row["columns"].items():  # type: ignore[attr-defined]
            assert data["site_health"][site] == cell["health"], (project, site)
            state = data["sites"].get(site)
            if state is not None and cell["in_scope"]:
                assert state["status"] == cell["status"], (project, site)


def test_show_as_of_shows_the_phase_of_the_day_not_today_s(run: Run) -> None:
    shown = run("show", "cvc-standardization", "--as-of", "2010-09-01", "--no-pager", cwd=REPO_ROOT)
    assert shown.exit_code == 0
    lines = shown.lines
    assert "phase       execute" in lines
    # The duties done later are open on the day.
    assert not any("dm-close" in line and "done" in line for line in lines)
    assert status_rows(run, REPO_ROOT, "2010-09-01")["cvc-standardization"]["phase"] == "execute"


# --- a tracker with a git history --------------------------------------------------------


def commit(root: Path, message: str, day: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Ada Chair",
        "GIT_AUTHOR_EMAIL": "ada@example.org",
        "GIT_COMMITTER_NAME": "Ada Chair",
        "GIT_COMMITTER_EMAIL": "ada@example.org",
        "GIT_AUTHOR_DATE": f"{day}T12:00:00+00:00",
        "GIT_COMMITTER_DATE": f"{day}T12:00:00+00:00",
    }
    for args in (["add", "-A"], ["commit", "-q", "-m", message]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


@pytest.fixture
def history(tracker: Path) -> Path:
    """The test tracker committed on 2026-03-10, then changed on 2026-04-20: site nst off
    track (its row stamped that day), the culture risk closed, a new diffusion manager."""
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=tracker, check=True)
    commit(tracker, "Tracker as of March", "2026-03-10")
    path = tracker / PROJECT
    text = path.read_text()
    text = text.replace(
        "    health: at-risk\n    barriers",
        "    health: off-track\n    updated: 2026-04-20\n    barriers",
    )
    text = text.replace(
        "mitigation: peer champions}", "mitigation: peer champions, status: closed}"
    )
    text = text.replace("diffusion-manager: cy", "diffusion-manager: ada")
    path.write_text(text)
    commit(tracker, "April changes", "2026-04-20")
    return tracker


def test_status_keeps_the_health_recorded_on_the_day(history: Path, run: Run) -> None:
    before = status_rows(run, history, "2026-04-01")["hh-spread"]["columns"]
    assert before["nst"] == {
        "status": "implementing",
        "health": "at-risk",
        "live": 0,
        "in_scope": 1,
    }  # type: ignore[index]
    after = status_rows(run, history, "2026-04-25")["hh-spread"]["columns"]
    assert after["nst"]["health"] == "off-track"  # type: ignore[index]
    shown = json.loads(
        run("show", "hh-spread", "--format", "json", "--as-of", "2026-04-01", cwd=history).stdout
    )
    assert shown["sites"]["nst"]["health"] == "at-risk"
    assert shown["roles"]["diffusion-manager"] == ["cy"]


def test_without_git_a_row_changed_later_has_no_recorded_health(tracker: Path, run: Run) -> None:
    path = tracker / PROJECT
    path.write_text(
        path.read_text().replace(
            "    health: at-risk\n", "    health: off-track\n    updated: 2026-04-20\n"
        )
    )
    cells = status_rows(run, tracker, "2026-04-01")["hh-spread"]["columns"]
    assert cells["nst"]["health"] == "on-track"  # type: ignore[index]


def test_risks_as_of_come_from_the_commit_of_the_day(history: Path, run: Run) -> None:
    now = run("risks", "--format", "json", cwd=history)
    then = run("risks", "--format", "json", "--as-of", "2026-04-01", cwd=history)
    assert now.exit_code == then.exit_code == 0
    assert "culture" not in now.stdout
    assert "culture" in then.stdout


def test_scorecard_and_export_read_the_day(history: Path, run: Run, tmp_path: Path) -> None:
    card = json.loads(
        run("scorecard", "--format", "json", "--as-of", "2026-04-01", cwd=history).stdout
    )
    later = json.loads(
        run("scorecard", "--format", "json", "--as-of", "2026-04-25", cwd=history).stdout
    )
    assert card != later
    db = tmp_path / "t.db"
    assert run("export", "sqlite", str(db), "--as-of", "2026-04-01", cwd=history).exit_code == 0
    with sqlite3.connect(db) as con:
        statuses = dict(
            con.execute("SELECT category, status FROM risks WHERE project = 'hh-spread'")
        )
    assert statuses["culture"] == "open"


def add_values(root: Path) -> None:
    path = root / PROJECT
    path.write_text(
        path.read_text().replace(
            "sites:\n",
            "metrics:\n  - id: c\n    name: Compliance\n    level: process\n    kind: proportion\n"
            "    direction: higher\n    values:\n"
            + "".join(
                f"      - {{date: 2026-0{m}-01, site: nor, numerator: {40 + m}, denominator: 50}}\n"
                for m in range(2, 10)
            )
            + "    notes:\n      - {date: 2026-08-15, text: new gel}\n"
            "sites:\n",
            1,
        )
    )


def test_metrics_as_of_charts_only_the_values_known_by_then(tracker: Path, run: Run) -> None:
    add_values(tracker)
    full = run("metrics", "show", "hh-spread", "c", "--format", "csv", cwd=tracker)
    then = run(
        "metrics", "show", "hh-spread", "c", "--format", "csv", "--as-of", "2026-05-15", cwd=tracker
    )
    assert full.exit_code == 0 and then.exit_code == 0, then.stderr
    assert "2026-09-01" in full.stdout
    assert "2026-05-01" in then.stdout
    assert not any(f"2026-0{m}-01" in then.stdout for m in (6, 7, 8, 9))


def test_export_and_report_leave_out_what_is_dated_later(
    tracker: Path, run: Run, tmp_path: Path
) -> None:
    add_values(tracker)
    db = tmp_path / "t.db"
    assert run("export", "sqlite", str(db), "--as-of", "2026-05-15", cwd=tracker).exit_code == 0
    with sqlite3.connect(db) as con:
        days = [d for (d,) in con.execute("SELECT date FROM metric_values")]
        points = [d for (d,) in con.execute("SELECT date FROM spc_points")]
    assert days and max(days) == "2026-05-01"
    assert points and max(points) == "2026-05-01"
    site = tmp_path / "site"
    assert run("report", "--out", str(site), "--as-of", "2026-05-15", cwd=tracker).exit_code == 0
    pages = "".join(p.read_text() for p in site.rglob("*.html"))
    assert "2026-05-01" in pages
    assert "2026-06-01" not in pages and "2026-09-01" not in pages and "new gel" not in pages


def test_every_project_of_the_commit_of_the_day_is_read(tracker: Path, run: Run) -> None:
    # Two projects, read one after the other as status makes its rows: both are read as
    # committed on the day, not only the first.
    text = (tracker / PROJECT).read_text()
    (tracker / "projects" / "zz-spread.yaml").write_text(
        text.replace("id: hh-spread", "id: zz-spread")
    )
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=tracker, check=True)
    commit(tracker, "Two projects", "2026-03-10")
    for name in ("hh-spread", "zz-spread"):
        path = tracker / "projects" / f"{name}.yaml"
        path.write_text(
            path.read_text().replace(
                "    health: at-risk\n", "    health: off-track\n    updated: 2026-04-20\n"
            )
        )
    commit(tracker, "April", "2026-04-20")
    rows = status_rows(run, tracker, "2026-04-01")
    assert [rows[p]["columns"]["nst"]["health"] for p in ("hh-spread", "zz-spread")] == [  # type: ignore[index]
        "at-risk",
        "at-risk",
    ]


def test_review_and_trend_as_of(history: Path, run: Run) -> None:
    # nst was first stamped on 2026-04-20: on 1 April it had gone unheard since the approval.
    then = run("review", "--format", "json", "--as-of", "2026-04-01", cwd=history)
    later = run("review", "--format", "json", "--as-of", "2026-04-25", cwd=history)
    assert '"nst"' in then.stdout and '"nst"' not in later.stdout
    trend = run("trend", "hh-spread", "--format", "json", "--as-of", "2026-04-01", cwd=history)
    assert trend.exit_code == 0, trend.stderr
    weeks = json.loads(trend.stdout)["weeks"]
    assert weeks[-1]["date"] <= "2026-04-01" and weeks[-1]["live"] == 1
