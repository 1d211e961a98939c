"""The Status Tracker: one row per active project, one column per site (or group of sites).

Pure computation from a catalog and an as-of date; rendering lives in `render`.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from diffuse import progress
from diffuse.models import Organisation, Project, Site
from diffuse.reports.asof import project_at
from diffuse.reports.status.cells import Layout, SiteCells
from diffuse.reports.status.forecast import forecast
from diffuse.reports.status.grid import Column, Filters, Grid, Row
from diffuse.reports.status.health import measure_flags, row_health
from diffuse.rules.scope import oversight
from diffuse.rules.tracker.model import Tracker


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def build_grid(
    catalog: Tracker, as_of: date, filters: Filters | None = None, group_by: str | None = None
) -> Grid:
    return build_grids(catalog, as_of, filters, (group_by,))[0]


def build_grids(
    catalog: Tracker,
    as_of: date,
    filters: Filters | None,
    groupings: Sequence[str | None],
    known: Rows | None = None,
) -> list[Grid]:
    """One grid per grouping of the sites into columns. Each project's row (its measures,
    health and forecast) is worked out once; only the cells differ between the grids.

    `known` gives the rows (one per grid, or None: not shown) of projects worked out before
    from the same files; the rows of every project are put in it."""
    org = catalog.organisation
    if org is None:
        raise ValueError("the catalog has no valid organisation file")
    filters = filters or Filters()
    grids = empty_grids(org, as_of, filters, groupings)
    request = Request.of(org, as_of, filters, grids)
    known = {} if known is None else known
    with progress.task("working out rows", len(catalog.projects)) as step:
        for project_id in sorted(catalog.projects):
            step.advance()
            if project_id not in known:
                project = catalog.projects[project_id]
                known[project_id] = project_rows(catalog, org, project, request)
            for grid, row in zip(grids, known[project_id] or [], strict=False):
                grid.rows.append(row)
    return grids


class Growing:
    """A grid filled one project at a time, in id order: each project's row as
    `build_grid` works it out, the project given as the catalog would give it."""

    def __init__(self, catalog: Tracker, as_of: date, filters: Filters) -> None:
        org = catalog.organisation
        if org is None:
            raise ValueError("the catalog has no valid organisation file")
        self.catalog, self.org = catalog, org
        self.grid = empty_grids(org, as_of, filters, (None,))[0]
        self.request = Request.of(org, as_of, filters, [self.grid])

    def add(self, project: Project) -> Row | None:
        """The project's row, added to the grid; None when the grid does not show it."""
        rows = project_rows(self.catalog, self.org, project, self.request)
        if rows is None:
            return None
        self.grid.rows.append(rows[0])
        return rows[0]


def empty_grids(
    org: Organisation, as_of: date, filters: Filters, groupings: Sequence[str | None]
) -> list[Grid]:
    sites = [s for s in org.sites if not filters.sites or s.id in filters.sites]
    return [Grid(as_of, org.settings.target_months, _columns(sites, g), [], g) for g in groupings]


# Project id -> its row in each grid, or None when the project is not shown.
Rows = dict[str, "list[Row] | None"]


@dataclass(frozen=True)
class Request:
    """What every row of one request is worked out for."""

    as_of: date
    filters: Filters
    site_ids: list[str]  # the organisation's, in order
    layouts: list[Layout]  # one per grid

    @classmethod
    def of(cls, org: Organisation, as_of: date, filters: Filters, grids: list[Grid]) -> Request:
        """For the rows of `grids`, made by `empty_grids`."""
        layouts = [Layout.of(g.columns) for g in grids]
        return cls(as_of, filters, [s.id for s in org.sites], layouts)

    @functools.cached_property
    def everywhere(self) -> frozenset[str]:
        return frozenset(self.site_ids)


def project_rows(
    catalog: Tracker, org: Organisation, model: Project, request: Request
) -> list[Row] | None:
    """The project's row in each grid of `request`, or None when it is not shown."""
    # The project as its dated records show it on the report date; one not yet approved
    # then is left out.
    project = project_at(catalog, model, request.as_of)
    if project is None or not _selected(catalog, project, request.filters):
        return None
    row, sites = _row(catalog, org, project, request)
    if request.filters.health and row.health not in request.filters.health:
        return None
    return [
        replace(row, cells=sites.cells(layout), reasons=[*row.reasons])
        for layout in request.layouts
    ]


def _selected(catalog: Tracker, project: Project, filters: Filters) -> bool:
    if not filters.include_inactive and not catalog.workflow.is_active(project.phase):
        return False
    if filters.practices and project.practice not in filters.practices:
        return False
    return not filters.phases or project.phase in filters.phases


def _columns(sites: list[Site], group_by: str | None) -> list[Column]:
    if group_by is None:
        return [Column(s.id, s.id, (s.id,)) for s in sites]
    groups: dict[str, list[str]] = {}
    for site in sites:
        key = str(getattr(site, group_by, "") or "(none)")
        groups.setdefault(key, []).append(site.id)
    return [Column(key, key, tuple(ids)) for key, ids in groups.items()]


def _row(
    catalog: Tracker, org: Organisation, project: Project, request: Request
) -> tuple[Row, SiteCells]:
    """The project's row without its cells, and its sites' cells (what each grouping's
    cells are made from)."""
    as_of, everywhere = request.as_of, request.everywhere
    practice = catalog.practices.get(project.practice)
    sites = SiteCells(project, oversight(org, practice))
    scoped = [s for s in request.site_ids if s not in sites.out]
    flags = [
        f
        for f in measure_flags(project, as_of)
        if f.site is None or (f.site in everywhere and f.site not in sites.out)
    ]
    sites.flag(f.site for f in flags if f.site is not None)
    whole = sites.over(everywhere)
    months = project.target_months or org.settings.target_months
    target = add_months(project.approved, months) if project.approved else None
    days = (as_of - project.approved).days if project.approved else None
    counts = sites.health_counts(everywhere)
    health, reasons = row_health(project, counts, whole, target, days, as_of, flags)
    row = Row(
        project.id,
        project.title,
        project.practice,
        project.phase,
        [],
        whole.in_scope,
        whole.live,
        project.approved,
        days,
        target,
        health,
        reasons,
        forecast(project, scoped, as_of),
        practice.title if practice else None,
    )
    return row, sites
