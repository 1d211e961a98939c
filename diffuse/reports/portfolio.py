"""The portfolio as leadership reads it: projects by health and phase, sites live against
the target, time from approval to every site live, what is late and what is due.

Every figure is read from each project as its dated records show it on the report date.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from diffuse.models import Project
from diffuse.reports.asof import project_at
from diffuse.reports.reviews import AHEAD_DAYS, PracticeReview, practice_review
from diffuse.reports.status.build import add_months, build_grid
from diffuse.reports.status.grid import Filters, Grid, Row
from diffuse.rules.scope import oversight, scoped_sites, site_state
from diffuse.rules.tracker.model import Tracker
from diffuse.vocab import LIVE, Health

REPORTED_AVERAGE_MONTHS = 18  # the model's reported average until a practice is entrenched
DAYS_PER_MONTH = 30.4375
HISTORY_MONTHS = 24  # months of the series over time shown unless asked for more


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
    def inactive(self) -> list[Row]:
        """The closed and sustained projects, in grid order (a set lookup per row: a
        portfolio of 10,000 projects must not compare every row with every active one)."""
        active = {row.project for row in self.active}
        return [row for row in self.grid.rows if row.project not in active]

    @property
    def median_months(self) -> float | None:
        if not self.done_days:
            return None
        return round(statistics.median(self.done_days) / DAYS_PER_MONTH, 1)


def portfolio(catalog: Tracker, as_of: date) -> Portfolio:
    grid = build_grid(catalog, as_of, Filters(include_inactive=True))
    parts = Parts(catalog, as_of)
    for row in grid.rows:
        parts.add(row, dated(catalog, row.project, as_of))
    return parts.portfolio(grid)


class Parts:
    """What the portfolio and the portfolio over time keep of each project, added one at a
    time with its row of the grid (`build_grid`, inactive projects included) and the
    project as `dated` gives it: a few numbers and dates, never the project."""

    def __init__(self, catalog: Tracker, as_of: date) -> None:
        org = catalog.organisation
        if org is None:
            raise ValueError("the catalog has no valid organisation file")
        self.catalog, self.org, self.as_of = catalog, org, as_of
        self.site_ids = [s.id for s in org.sites]
        self.closing = _closing_phase(catalog)
        self.live_by_target = 0
        self.done_days: list[int] = []
        self.times: list[ProjectTime] = []
        self.lives: list[tuple[date | None, int, list[date | None]]] = []
        self.started: list[tuple[date, str]] = []
        self.closed: list[tuple[date, str]] = []

    def add(self, row: Row, project: Project) -> None:
        catalog, org, as_of = self.catalog, self.org, self.as_of
        days = _go_live_days(project, self.site_ids, as_of)
        if catalog.workflow.is_active(row.phase):
            self.live_by_target += sum(1 for d in days if row.target and d <= row.target)
        if row.forecast and row.forecast.done and days and project.approved:
            self.done_days.append((max(days) - project.approved).days)
        months_to = project.target_months or org.settings.target_months
        self.times.append(_time(row, months_to))
        members = oversight(org, catalog.practices.get(project.practice))
        scoped = scoped_sites(project, self.site_ids, members)
        self.lives.append((project.approved, len(scoped), _live_days(project, scoped)))
        if project.approved is not None:
            self.started.append((project.approved, project.id))
        day = _closed_on(project, catalog, self.closing)
        if day is not None:
            self.closed.append((day, project.id))

    def portfolio(self, grid: Grid) -> Portfolio:
        """The portfolio, from the grid whose rows were added."""
        org, as_of, workflow = self.org, self.as_of, self.catalog.workflow
        active = [r for r in grid.rows if workflow.is_active(r.phase)]
        by_health = Counter(r.health.value for r in active)
        by_phase = Counter(r.phase for r in active)
        reviews = [
            item
            for p in sorted(self.catalog.practices.values(), key=lambda p: p.id)
            if (item := practice_review(p, org, as_of)) and item.days_left <= AHEAD_DAYS
        ]
        return Portfolio(
            grid,
            active,
            {h.value: by_health.get(h.value, 0) for h in Health},
            {p: by_phase[p] for p in workflow.phases if by_phase.get(p)},
            sum(r.live for r in active),
            sum(r.in_scope for r in active),
            self.live_by_target,
            sorted(self.done_days),
            [r for r in active if r.target and as_of > r.target and r.live < r.in_scope],
            reviews,
        )

    def over_time(self, months: int = HISTORY_MONTHS) -> PortfolioOverTime:
        """The portfolio over the last `months` months."""
        as_of = self.as_of
        first = add_months(date(as_of.year, as_of.month, 1), 1 - months)
        return PortfolioOverTime(
            as_of,
            self.org.settings.target_months,
            REPORTED_AVERAGE_MONTHS,
            self.times,
            [_month(m, as_of, self.lives) for m in _months(first, as_of)],
            _quarters(first, as_of, self.started, self.closed),
        )


def dated(catalog: Tracker, project_id: str, as_of: date) -> Project:
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


# -- over time ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectTime:
    """One project's time from approval to every in-scope site live: the day it happened
    (`actual`) or the day the forecast says it will (`reports.status.forecast`)."""

    project: str
    title: str
    phase: str
    approved: date | None
    target_months: int
    target: date | None
    full: date | None  # every in-scope site live on this day (actual) or forecast; None: unknown
    actual: bool
    live: int
    in_scope: int
    note: str

    @property
    def months(self) -> float | None:
        """Months from approval to `full`."""
        if self.full is None or self.approved is None:
            return None
        return round((self.full - self.approved).days / DAYS_PER_MONTH, 1)

    @property
    def months_over_target(self) -> float | None:
        """Months past the target (negative: ahead of it)."""
        months = self.months
        return None if months is None else round(months - self.target_months, 1)


@dataclass(frozen=True)
class MonthLive:
    month: date  # its first day; counted at its last day (at the report date for its month)
    live: int  # site rows live across the portfolio
    in_scope: int  # in-scope site rows of the projects approved by then


@dataclass(frozen=True)
class QuarterCount:
    quarter: str  # 2026-Q3
    start: date
    started: tuple[str, ...]  # projects approved in the quarter
    closed: tuple[str, ...]  # projects that passed the gate needing every site live


@dataclass
class PortfolioOverTime:
    as_of: date
    target_months: int  # the organisation's
    reported_average_months: int
    projects: list[ProjectTime]
    months: list[MonthLive]
    quarters: list[QuarterCount]

    @property
    def median_actual_months(self) -> float | None:
        done = [p.months for p in self.projects if p.actual and p.months is not None]
        return round(statistics.median(done), 1) if done else None


def portfolio_over_time(
    catalog: Tracker, as_of: date, months: int = HISTORY_MONTHS
) -> PortfolioOverTime:
    """Every project approved by `as_of`, closed or not: its time to full diffusion against
    its target; site rows live at the end of each of the last `months` months; projects
    started and closed in each quarter those months touch."""
    grid = build_grid(catalog, as_of, Filters(include_inactive=True))
    parts = Parts(catalog, as_of)
    for row in grid.rows:
        parts.add(row, dated(catalog, row.project, as_of))
    return parts.over_time(months)


def _time(row: Row, target_months: int) -> ProjectTime:
    fc = row.forecast
    return ProjectTime(
        row.project,
        row.title,
        row.phase,
        row.approved,
        target_months,
        row.target,
        fc.day if fc else None,
        bool(fc and fc.done and fc.day),
        row.live,
        row.in_scope,
        fc.note if fc else "",
    )


def _live_days(project: Project, scoped: list[str]) -> list[date | None]:
    """The go-live day of each live in-scope site (None: live, day not recorded)."""
    states = [site_state(project, s) for s in scoped]
    return [s.go_live_actual for s in states if s.status in LIVE]


def _month(
    first: date, as_of: date, lives: list[tuple[date | None, int, list[date | None]]]
) -> MonthLive:
    end = min(add_months(first, 1) - timedelta(days=1), as_of)
    live = in_scope = 0
    for approved, scoped, days in lives:
        if approved is not None and approved > end:
            continue
        in_scope += scoped
        # A site live without a recorded day counts from the project's approval.
        live += sum(1 for d in days if d is None or d <= end)
    return MonthLive(first, live, in_scope)


def _months(first: date, as_of: date) -> list[date]:
    found, month = [], first
    while month <= as_of:
        found.append(month)
        month = add_months(month, 1)
    return found


def _quarters(
    first: date, as_of: date, started: list[tuple[date, str]], closed: list[tuple[date, str]]
) -> list[QuarterCount]:
    quarters = []
    start = date(first.year, (first.month - 1) // 3 * 3 + 1, 1)
    while start <= as_of:
        end = add_months(start, 3)
        quarters.append(
            QuarterCount(
                f"{start.year}-Q{(start.month - 1) // 3 + 1}",
                start,
                tuple(sorted(p for d, p in started if start <= d < end)),
                tuple(sorted(p for d, p in closed if start <= d < end)),
            )
        )
        start = end
    return quarters


def _closing_phase(catalog: Tracker) -> str | None:
    """The phase whose gate asks for every site live (Mayo: close); else the first phase
    that is not active."""
    workflow = catalog.workflow
    gated = [p for p in workflow.phases if (g := workflow.gates.get(p)) and g.sites is not None]
    if gated:
        return gated[0]
    return next((p for p in workflow.phases if not workflow.is_active(p)), None)


def _closed_on(project: Project, catalog: Tracker, closing: str | None) -> date | None:
    """The day the project first entered the closing phase or one after it."""
    if closing is None:
        return None
    index = catalog.workflow.phases.index(closing)
    phases = catalog.workflow.phases
    return next(
        (h.date for h in project.history if h.to in phases and phases.index(h.to) >= index),
        None,
    )
