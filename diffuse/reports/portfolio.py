"""The portfolio as leadership reads it: projects by health and phase, sites live against
the target, time from approval to every site live, what is late and what is due.

Also each project's adoption curve: the count of sites live after each go-live day.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date

from diffuse.models import Project
from diffuse.reports.grid import Filters, Grid, Row
from diffuse.reports.reviews import AHEAD_DAYS, PracticeReview, practice_review
from diffuse.reports.tracker import LIVE, build_grid, site_state
from diffuse.rules.catalog import Catalog
from diffuse.vocab import Health, SiteStatus

REPORTED_AVERAGE_MONTHS = 18  # the model's reported average until a practice is entrenched
DAYS_PER_MONTH = 30.4375


@dataclass(frozen=True)
class Curve:
    """Sites live over time: (day, live at the end of that day), from the approval."""

    points: tuple[tuple[date, int], ...]
    in_scope: int
    approved: date | None
    target: date | None
    forecast: date | None
    as_of: date


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
        project = catalog.projects[row.project]
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


def _go_live_days(project: Project, site_ids: list[str], as_of: date) -> list[date]:
    states = [site_state(project, s) for s in site_ids]
    return [
        s.go_live_actual
        for s in states
        if s.status in LIVE and s.go_live_actual and s.go_live_actual <= as_of
    ]


def adoption_curve(project: Project, row: Row, site_ids: list[str], as_of: date) -> Curve:
    days = sorted(_go_live_days(project, site_ids, as_of))
    states = [site_state(project, s) for s in site_ids]
    undated = sum(
        s.status in LIVE and not (s.go_live_actual and s.go_live_actual <= as_of) for s in states
    )
    points: list[tuple[date, int]] = []
    if project.approved:
        points.append((project.approved, undated))
    for index, day in enumerate(days, 1):
        if points and points[-1][0] == day:
            points[-1] = (day, undated + index)
        else:
            points.append((day, undated + index))
    in_scope = sum(s.status is not SiteStatus.NOT_APPLICABLE for s in states)
    outlook = row.forecast.day if row.forecast and not row.forecast.done else None
    return Curve(tuple(points), in_scope, project.approved, row.target, outlook, as_of)
