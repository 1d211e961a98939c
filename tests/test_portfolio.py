"""The report's figures from the small test tracker: portfolio, adoption curve, checklist."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from diffuse.reports.checklist import checklist
from diffuse.reports.portfolio import portfolio
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
