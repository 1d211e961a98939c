"""A repeated `status` is served from the cache, and any change to a file is seen at once."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from conftest import Run

from diffuse.cache.folder import seal
from diffuse.reports.status.grid import Cell, Column, Forecast, Grid, Row
from diffuse.reports.status.jsonform import grid_data, grid_from_data
from diffuse.reports.status.pack import pack_grids, unpack_grids
from diffuse.vocab import Health, SiteStatus


def test_second_status_is_served_without_reading_the_tracker(
    tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run("status", "--as-of", "2026-05-01", "--format", "json", cwd=tracker)
    import diffuse.rules.load

    def unreachable(*args: object) -> None:
        raise AssertionError("the tracker was read again")

    monkeypatch.setattr(diffuse.rules.load, "load_tracker", unreachable)
    second = run("status", "--as-of", "2026-05-01", "--format", "json", cwd=tracker)
    assert second.exit_code == 0 and second.stdout == first.stdout


def test_an_edit_of_any_file_is_seen_at_once(tracker: Path, run: Run) -> None:
    project = tracker / "projects" / "hh-spread.yaml"
    before = run("status", "--as-of", "2026-05-01", "--format", "csv", cwd=tracker).stdout
    stat = project.stat()
    # Same size and modification time: only the content tells the change.
    text = project.read_text()
    edited = text.replace("health: off-track   # staffing", "health: on-track    # staffing")
    assert len(edited) == len(text) and edited != text
    project.write_text(edited)
    os.utime(project, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after = run("status", "--as-of", "2026-05-01", "--format", "csv", cwd=tracker).stdout
    assert ",sou,planning,off-track," in before
    assert ",sou,planning,on-track," in after


def test_status_sees_a_deleted_or_renamed_project(tracker: Path, run: Run) -> None:
    args = ("status", "--as-of", "2026-05-01", "--format", "csv")
    path = tracker / "projects" / "hh-spread.yaml"
    other = path.with_name("other.yaml")
    other.write_text(path.read_text().replace("id: hh-spread", "id: other"))
    assert "\nother," in run(*args, cwd=tracker).stdout
    renamed = other.with_name("moved.yaml")
    other.rename(renamed)
    moved = run(*args, cwd=tracker)
    fresh = run(*args, cwd=tracker, env={"DIFFUSE_NO_CACHE": "1"})
    assert (moved.exit_code, moved.stdout, moved.stderr) == (1, fresh.stdout, fresh.stderr)
    assert "\nother," not in moved.stdout and "problem(s)" in moved.stderr
    renamed.unlink()
    gone = run(*args, cwd=tracker)
    assert gone.exit_code == 0 and "\nother," not in gone.stdout and "\nhh-spread," in gone.stdout


def test_problems_are_still_reported_from_the_cache(tracker: Path, run: Run) -> None:
    (tracker / "projects" / "broken.yaml").write_text("id: broken\nphase: [\n")
    for _ in range(2):
        result = run("status", "--as-of", "2026-05-01", cwd=tracker)
        assert result.exit_code == 1
        assert "1 problem(s) in 1 file(s) are not shown above" in result.stderr


def test_no_cache_setting_and_an_unwritable_folder_are_honoured(
    tracker: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIFFUSE_NO_CACHE", "1")
    cache = Path(os.environ["DIFFUSE_CACHE_DIR"])
    assert run("status", "--as-of", "2026-05-01", cwd=tracker).exit_code == 0
    assert not any(cache.iterdir())
    monkeypatch.delenv("DIFFUSE_NO_CACHE")
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    monkeypatch.setenv("DIFFUSE_CACHE_DIR", str(blocked))
    assert run("status", "--as-of", "2026-05-01", cwd=tracker).exit_code == 0


def _grid() -> Grid:
    outlook = Forecast(date(2026, 9, 3), False, 1, 2, "least-squares line")
    cells = [Cell(2, 1, SiteStatus.PLANNING, Health.AT_RISK)]
    row = Row(
        "p",
        "T",
        "pr",
        "plan",
        cells,
        2,
        1,
        date(2026, 2, 1),
        89,
        date(2026, 8, 1),
        Health.AT_RISK,
        ["why"],
        outlook,
    )
    return Grid(date(2026, 5, 1), 6, [Column("north", "north", ("nor", "hil"))], [row], "region")


def test_grid_round_trips_through_the_json_status_prints() -> None:
    grid = _grid()
    data = json.loads(json.dumps(grid_data(grid)))
    assert data["projects"][0]["forecast"]["date"] == "2026-09-03"
    assert data["projects"][0]["reasons"] == ["why"]
    assert grid_from_data(data) == grid


def test_grid_round_trips_through_the_packed_cache_form() -> None:
    grid = _grid()
    packed = json.loads(json.dumps(pack_grids([grid, grid])))
    assert len(packed["cells"]) == 1  # the same cell is kept once
    assert unpack_grids(packed) == [grid, grid]


def test_a_damaged_status_entry_is_worked_out_again(tracker: Path, run: Run) -> None:
    first = run("status", "--as-of", "2026-05-01", cwd=tracker)
    damaged = 0
    for entry in Path(os.environ["DIFFUSE_CACHE_DIR"]).glob("*.json"):
        text = entry.read_text(encoding="utf-8").partition("\n")[2]
        damaged += '"cells": [[' in text
        entry.write_bytes(seal(entry.stem, text.replace('"cells": [[', '"cells": [[7, ').encode()))
    assert damaged
    again = run("status", "--as-of", "2026-05-01", cwd=tracker)
    assert (again.exit_code, again.stdout) == (first.exit_code, first.stdout)
