"""The forecast of the day every site is live: a least-squares line, checked by hand."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import Run

from diffuse.models import Project
from diffuse.reports.status.forecast import forecast, least_squares


def project(sites: dict[str, Any]) -> Project:
    data = {"id": "p", "practice": "x", "title": "P", "phase": "execute", "sites": sites}
    return Project.model_validate(data)


def live(day: str | None) -> dict[str, Any]:
    return {"status": "live", **({"go_live_actual": day} if day else {})}


SIX = ("a", "b", "c", "d", "e", "f")


def test_least_squares_by_hand() -> None:
    # Mean x = 15, mean y = 3.25; Sxy = 18.75 + 1.25 + 3.75 + 11.25 = 35; Sxx = 500.
    slope, intercept = least_squares([(0, 2), (10, 3), (20, 4), (30, 4)])
    assert slope == pytest.approx(0.07)
    assert intercept == pytest.approx(2.2)


def test_forecast_from_the_pace_of_go_lives_and_todays_count() -> None:
    # Go-lives: 2 on Jan 1, 1 on Jan 11, 1 on Jan 21; today Jan 31 with 4 of 6 live.
    # Points (0, 2), (10, 3), (20, 4), (30, 4): y = 2.2 + 0.07 x reaches 6 at
    # x = 3.8 / 0.07 = 54.29, so on day 55: 2026-01-01 + 55 days = 2026-02-25.
    sites = {
        "a": live("2026-01-01"),
        "b": live("2026-01-01"),
        "c": live("2026-01-11"),
        "d": live("2026-01-21"),
        "e": {"status": "implementing"},
    }
    outlook = forecast(project(sites), SIX, date(2026, 1, 31))
    assert (outlook.day, outlook.done, outlook.live, outlook.in_scope) == (
        date(2026, 2, 25),
        False,
        4,
        6,
    )
    assert outlook.days_after(date(2026, 2, 1)) == 24
    assert outlook.note == "least-squares line through 3 go-live days: 2.13 sites a month"


def test_a_go_live_today_adds_no_extra_point() -> None:
    # Points (0, 1), (10, 2): slope 0.1, intercept 1; 3 sites reached at x = 20.
    sites = {"a": live("2026-01-01"), "b": live("2026-01-11")}
    outlook = forecast(project(sites), ("a", "b", "c"), date(2026, 1, 11))
    assert outlook.day == date(2026, 1, 21)


def test_live_sites_without_a_date_count_from_the_start() -> None:
    # One undated live site: points (0, 2), (10, 3); 4 sites reached at x = 20.
    sites = {"a": live(None), "b": live("2026-01-01"), "c": live("2026-01-11")}
    outlook = forecast(project(sites), ("a", "b", "c", "d"), date(2026, 1, 11))
    assert outlook.day == date(2026, 1, 21)


def test_not_applicable_sites_are_out_of_scope_and_all_live_is_done() -> None:
    sites = {"a": live("2026-01-01"), "b": live("2026-03-05"), "c": {"status": "not-applicable"}}
    outlook = forecast(project(sites), ("a", "b", "c"), date(2026, 6, 1))
    assert (outlook.done, outlook.day, outlook.label) == (True, date(2026, 3, 5), "done")


def test_too_few_go_live_days_gives_no_forecast() -> None:
    sites = {"a": live("2026-01-01"), "b": live("2026-01-01")}
    outlook = forecast(project(sites), ("a", "b", "c"), date(2026, 3, 1))
    assert (outlook.day, outlook.label) == (None, "n/a")
    assert outlook.note == "fewer than two go-live dates to take a pace from"
    # A go-live after the as-of date has not happened yet.
    later = forecast(project({**sites, "b": live("2026-04-01")}), ("a", "b", "c"), date(2026, 3, 1))
    assert later.day is None


def _second_go_live(tracker: Path) -> None:
    path = tracker / "projects" / "hh-spread.yaml"
    text = path.read_text().replace(
        "    status: implementing\n", "    status: live\n    go_live_actual: 2026-04-01\n"
    )
    path.write_text(text)


def test_status_shows_the_forecast_beside_the_target(tracker: Path, run: Run) -> None:
    # nor live 2026-03-01, nst 2026-04-01, 3 in scope; as of 2026-05-01 the points are
    # (0, 1), (31, 2), (61, 2): mean x = 92/3, mean y = 5/3, Sxy = 92/3, Sxx = 5582/3,
    # slope = 46/2791, intercept = 9723/8373; 3 sites at x = 15396/138 = 111.57, so on
    # day 112: 2026-03-01 + 112 days = 2026-06-21, 41 days before the 2026-08-01 target.
    _second_go_live(tracker)
    text = run("status", "--as-of", "2026-05-01", "--group", "site", cwd=tracker)
    row = next(line.split() for line in text.lines if line.strip().startswith("hh-spread"))
    assert row[3:5] == ["89/181", "2026-06-21"]
    data = json.loads(
        run("status", "--as-of", "2026-05-01", "--format", "json", cwd=tracker).stdout
    )
    assert data["projects"][0]["forecast"] == {
        "date": "2026-06-21",
        "done": False,
        "days_after_target": -41,
        "note": "least-squares line through 2 go-live days: 0.50 sites a month",
    }
    shown = run("show", "hh-spread", "--as-of", "2026-05-01", cwd=tracker)
    assert any(
        line.startswith("forecast    all live by 2026-06-21, 41 days before the target")
        for line in shown.lines
    )


def test_forecast_is_na_with_one_go_live(tracker: Path, run: Run) -> None:
    shown = run("show", "hh-spread", "--as-of", "2026-05-01", cwd=tracker)
    assert "forecast    n/a (fewer than two go-live dates to take a pace from)" in shown.lines
