"""The report's figures from the small test tracker: portfolio, adoption curve, checklist."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import REPO_ROOT

from diffuse.reports.checklist import checklist
from diffuse.reports.portfolio import portfolio, portfolio_over_time
from diffuse.rules.load import load_tracker

AS_OF = date(2026, 11, 22)


def test_the_portfolio_counts_what_leadership_reads(tracker: Path) -> None:
    summary = portfolio(load_tracker(tracker).catalog, AS_OF)
    assert summary.by_health == {"on-track": 0, "at-risk": 0, "off-track": 1}
    assert summary.by_phase == {"plan": 1}
    assert (summary.live, summary.in_scope, summary.live_by_target) == (1, 3, 1)
    assert [r.project for r in summary.past_target] == ["hh-spread"]
    assert summary.median_months is None
    assert [r.practice for r in summary.reviews] == []


def test_an_open_duty_of_a_phase_already_left_is_overdue(tracker: Path) -> None:
    path = tracker / "projects" / "hh-spread.yaml"
    path.write_text(path.read_text().replace("  sr-aim: {status: done, date: 2026-01-20}\n", ""))
    loaded = load_tracker(tracker)
    roles = checklist(loaded.catalog.projects["hh-spread"], loaded.catalog.workflow)
    readiness = next(r for r in roles if r.id == "sponsor-readiness")
    states = {d.id: d.state for d in readiness.duties}
    assert states["sr-aim"] == "overdue"
    assert states["sr-budget"] == "n/a"
    assert states["sr-proven"] == "done"
    assert readiness.count("done") == 5


def test_portfolio_over_time_forecasts_an_open_project(tracker: Path) -> None:
    over = portfolio_over_time(load_tracker(tracker).catalog, AS_OF)
    assert (over.target_months, over.reported_average_months) == (6, 18)
    [project] = over.projects
    assert (project.project, project.approved, project.target) == (
        "hh-spread",
        date(2026, 2, 1),
        date(2026, 8, 1),
    )
    # One go-live day gives no pace: no forecast yet.
    assert (project.full, project.actual, project.months, project.live, project.in_scope) == (
        None,
        False,
        None,
        1,
        3,
    )
    assert over.median_actual_months is None
    assert len(over.months) == 24
    assert over.months[0].month == date(2024, 12, 1)
    assert over.months[-1].month == date(2026, 11, 1)
    by_month = {m.month: (m.live, m.in_scope) for m in over.months}
    assert by_month[date(2026, 1, 1)] == (0, 0)
    assert by_month[date(2026, 2, 1)] == (0, 3)
    assert by_month[date(2026, 3, 1)] == (1, 3)
    started = {q.quarter: q.started for q in over.quarters}
    assert started["2026-Q1"] == ("hh-spread",)
    assert [q.quarter for q in over.quarters][-1] == "2026-Q4"
    assert all(not q.closed for q in over.quarters)


def test_portfolio_over_time_takes_a_closed_projects_actual_time(tracker: Path) -> None:
    (tracker / "projects" / "done.yaml").write_text(
        "id: done\npractice: hand-hygiene\ntitle: Done\nphase: close\napproved: 2025-09-01\n"
        "sites:\n"
        "  nor: {status: live, go_live_actual: 2025-12-15}\n"
        "  nst: {status: live, go_live_actual: 2026-01-20}\n"
        "  sou: {status: live, go_live_actual: 2026-04-30}\n"
        "  sea: {status: not-applicable, reason: no wards}\n"
        "history:\n"
        "  - {from: initiate, to: plan, date: 2025-09-01, by: cy}\n"
        "  - {from: plan, to: execute, date: 2025-10-01, by: cy}\n"
        "  - {from: execute, to: close, date: 2026-05-12, by: cy}\n",
        encoding="utf-8",
    )
    over = portfolio_over_time(load_tracker(tracker).catalog, AS_OF, months=12)
    done = next(p for p in over.projects if p.project == "done")
    # 2025-09-01 to 2026-04-30: 241 days, 7.9 months against a 6-month target.
    assert (done.full, done.actual, done.months, done.months_over_target) == (
        date(2026, 4, 30),
        True,
        7.9,
        1.9,
    )
    assert over.median_actual_months == 7.9
    assert len(over.months) == 12
    closed = {q.quarter: q.closed for q in over.quarters}
    assert closed == {
        "2025-Q4": (),
        "2026-Q1": (),
        "2026-Q2": ("done",),
        "2026-Q3": (),
        "2026-Q4": (),
    }
    by_month = {m.month: (m.live, m.in_scope) for m in over.months}
    assert by_month[date(2026, 4, 1)] == (4, 6)
    # Looked at before its close, the same project is still open and forecast.
    earlier = portfolio_over_time(load_tracker(tracker).catalog, date(2026, 3, 1))
    before = next(p for p in earlier.projects if p.project == "done")
    assert before.actual is False and before.phase == "execute"


def test_the_report_lists_closed_and_sustained_projects_apart() -> None:
    # The demo as of 2026-11-22: the CVC project is sustained, every other one is active.
    demo = REPO_ROOT
    summary = portfolio(load_tracker(demo).catalog, AS_OF)
    active = {row.project for row in summary.active}
    assert [row.project for row in summary.inactive] == ["cvc-standardization"]
    assert active and not active & {row.project for row in summary.inactive}
    assert len(summary.active) + len(summary.inactive) == len(summary.grid.rows)
