"""The portfolio as leadership reads it: projects by health and phase, sites live against
the target, time from approval to every site live, what is late and what is due.

Every figure is read from each project as its dated records show it on the report date.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date

from diffuse.models import Project
from diffuse.reports.asof import project_at
from diffuse.reports.grid import Filters, Grid, Row
from diffuse.reports.reviews import AHEAD_DAYS, PracticeReview, practice_review
from diffuse.reports.tracker import build_grid
from diffuse.rules.catalog import Catalog
from diffuse.rules.scope import site_state
from diffuse.vocab import LIVE, Health

REPORTED_AVERAGE_MONTHS = 18  # the model's reported average until a practice is entrenched
DAYS_PER_MONTH = 30.4375


@dataclass
class Portfolio:
    grid: Grid  # every project, active or not, one column per site
    active: list[Row]
    by_health: dict[str, int]
    by_phase: dict[str, int]
    live: int
    in_scope: int
    live_by_target: int  # of `live`: went live on or before their project's target
    done_days: list[int]  # approval to every site live, per finished project
    past_target: list[Row]
    reviews: list[PracticeReview]

    @property
    def median_months(self) -> float | None:
        if not self.done_days:
            return None
        return round(statistics.median(self.done_days) / DAYS_PER_MONTH, 1)


def portfolio(catalog: Catalog, as_of: date) -> Portfolio:
    org = catalog.organisation
    if org is None:
        raise ValueError("the catalog has no valid organisation file")
    grid = build_grid(catalog, as_of, Filters(include_inactive=True))
    workflow = catalog.workflow
    active = [r for r in grid.rows if workflow.is_active(r.phase)]
    by_health = Counter(r.health.value for r in active)
    by_phase = Counter(r.phase for r in active)
    live_by_target, done_days = 0, []
    for row in grid.rows:
        project = dated(catalog, row.project, as_of)
        days = _go_live_days(project, [s.id for s in org.sites], as_of)
        if workflow.is_active(row.phase):
            live_by_target += sum(1 for d in days if row.target and d <= row.target)
        if row.forecast and row.forecast.done and days and project.approved:
            done_days.append((max(days) - project.approved).days)
    reviews = [
        item
        for p in sorted(catalog.practices.values(), key=lambda p: p.id)
        if (item := practice_review(p, org, as_of)) and item.days_left <= AHEAD_DAYS
    ]
    return Portfolio(
        grid,
        active,
        {h.value: by_health.get(h.value, 0) for h in Health},
        {p: by_phase[p] for p in workflow.phases if by_phase.get(p)},
        sum(r.live for r in active),
        sum(r.in_scope for r in active),
        live_by_target,
        sorted(done_days),
        [r for r in active if r.target and as_of > r.target and r.live < r.in_scope],
        reviews,
    )


def dated(catalog: Catalog, project_id: str, as_of: date) -> Project:
    """A project of the grid as of its date (the grid shows only those approved by then)."""
    project = project_at(catalog, catalog.projects[project_id], as_of)
    assert project is not None, f"{project_id} is not in the grid of {as_of}"
    return project


def _go_live_days(project: Project, site_ids: list[str], as_of: date) -> list[date]:
    states = [site_state(project, s) for s in site_ids]
    return [
        s.go_live_actual
        for s in states
        if s.status in LIVE and s.go_live_actual and s.go_live_actual <= as_of
    ]
