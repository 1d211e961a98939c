"""A warm run on another day reuses what was kept, and never what the day changed: a date
that crosses the edge of the `date-range` window between two days is reported on the
second, from the report kept whole and from the file cache alike."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import Run

from diffuse.cache import perfile

PROJECT = Path("projects") / "hh-spread.yaml"
DAY, NEXT = "2026-06-01", "2026-06-02"
# Exactly 30 years (the default past_years) before DAY: inside the window on DAY only.
EDGE = "1996-06-01"


def _forget_reports() -> None:
    """Drop the reports kept whole, so the next run reads the tracker through the file
    cache."""
    for entry in Path(os.environ["DIFFUSE_CACHE_DIR"]).glob("*.json"):
        entry.unlink()


def _plan(tracker: Path, day: str) -> None:
    path = tracker / PROJECT
    text = path.read_text()
    assert "    health: at-risk\n" in text
    path.write_text(
        text.replace("    health: at-risk\n", f"    health: at-risk\n    go_live_planned: {day}\n")
    )


def _second_project(tracker: Path) -> Path:
    other = tracker / "projects" / "other.yaml"
    other.write_text((tracker / PROJECT).read_text().replace("id: hh-spread", "id: other"))
    return other


def _unreachable(*args: object, **kwargs: object) -> None:
    raise AssertionError("the tracker was read again")


def test_validate_on_the_next_day_is_served_from_the_kept_report(
    tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run("validate", "--as-of", DAY, cwd=tracker)
    assert first.exit_code == 0
    import diffuse.rules.load

    monkeypatch.setattr(diffuse.rules.load, "load_catalog", _unreachable)
    second = run("validate", "--as-of", NEXT, cwd=tracker)
    assert (second.exit_code, second.stdout) == (0, first.stdout)
    # A year later every date is still in the window: the same report.
    later = run("validate", "--as-of", "2027-06-01", cwd=tracker)
    assert (later.exit_code, later.stdout) == (0, first.stdout)


def test_an_unchanged_project_keeps_its_problems_on_the_next_day(
    tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = _second_project(tracker)
    assert run("validate", "--as-of", DAY, cwd=tracker).exit_code == 0
    other.write_text(other.read_text() + "# edited\n")  # the kept report no longer holds

    def unreachable(self: object, key: str) -> None:
        raise AssertionError("an unchanged project was checked again")

    with monkeypatch.context() as patched:
        patched.setattr(perfile.FileCache, "model", unreachable)
        after = run("validate", "--as-of", NEXT, cwd=tracker)
    fresh = run("validate", "--as-of", NEXT, cwd=tracker, env={"DIFFUSE_NO_CACHE": "1"})
    assert (after.exit_code, after.stdout) == (0, fresh.stdout)


@pytest.mark.parametrize("through", ["report", "file cache"])
def test_a_date_leaving_the_window_overnight_is_reported(
    tracker: Path, run: Run, through: str
) -> None:
    _plan(tracker, EDGE)
    assert run("validate", "--as-of", DAY, cwd=tracker).exit_code == 0
    if through == "file cache":
        _forget_reports()
    second = run("validate", "--as-of", NEXT, cwd=tracker)
    assert second.exit_code == 1
    assert f"sites.nst.go_live_planned {EDGE} is more than 30 years before {NEXT}" in (
        second.stdout
    )
    if through == "file cache":
        _forget_reports()
    # And back: the problem of the day before is not served for the day it does not hold.
    assert run("validate", "--as-of", DAY, cwd=tracker).exit_code == 0


@pytest.mark.parametrize("through", ["report", "file cache"])
def test_a_date_entering_the_window_overnight_is_no_longer_reported(
    tracker: Path, run: Run, through: str
) -> None:
    # Ten years (the default future_years) after NEXT: outside the window on DAY only.
    _plan(tracker, "2036-06-02")
    first = run("validate", "--as-of", DAY, cwd=tracker)
    assert first.exit_code == 1
    assert f"is more than 10 years after {DAY}" in first.stdout
    if through == "file cache":
        _forget_reports()
    assert run("validate", "--as-of", NEXT, cwd=tracker).exit_code == 0


def test_a_problem_found_on_one_day_is_not_reused_with_another_day_s_name(
    tracker: Path, run: Run
) -> None:
    # Out of the window on both days: each day's message names its own day.
    _plan(tracker, "1950-01-01")
    for day in (DAY, NEXT, DAY):
        result = run("validate", "--as-of", day, cwd=tracker)
        assert result.exit_code == 1
        assert f"1950-01-01 is more than 30 years before {day}" in result.stdout
