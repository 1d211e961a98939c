"""The Status Tracker: one row per active project, one column per site (or group of sites).

Pure computation from a catalog and an as-of date; rendering lives in `render`.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from diffuse import progress
from diffuse.models import Health, Organisation, Project, Site
from diffuse.reports.asof import project_on
from diffuse.reports.forecast import forecast
from diffuse.reports.grid import Cell, Column, Filters, Grid, Row
from diffuse.rules.catalog import Catalog
from diffuse.rules.scope import oversight, scoped_sites, site_state
from diffuse.vocab import LIVE, SITE_PROGRESS, SiteStatus

if TYPE_CHECKING:
    from diffuse.reports.measures import Flag

SEVERITY = [Health.ON_TRACK, Health.AT_RISK, Health.OFF_TRACK]
OFF_TRACK_SHARE = 0.25
LATE_SHARE = 0.75


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def build_grid(
    catalog: Catalog, as_of: date, filters: Filters | None = None, group_by: str | None = None
) -> Grid:
    return build_grids(catalog, as_of, filters, (group_by,))[0]


def build_grids(
    catalog: Catalog,
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
    known = {} if known is None else known
    with progress.task("working out rows", len(catalog.projects)) as step:
        for project_id in sorted(catalog.projects):
            step.advance()
            if project_id not in known:
                known[project_id] = _rows(catalog, org, grids, project_id, (as_of, filters))
            for grid, row in zip(grids, known[project_id] or [], strict=False):
                grid.rows.append(row)
    return grids


def empty_grids(
    org: Organisation, as_of: date, filters: Filters, groupings: Sequence[str | None]
) -> list[Grid]:
    sites = [s for s in org.sites if not filters.sites or s.id in filters.sites]
    return [Grid(as_of, org.settings.target_months, _columns(sites, g), [], g) for g in groupings]


# Project id -> its row in each grid, or None when the project is not shown.
Rows = dict[str, "list[Row] | None"]


def _rows(
    catalog: Catalog,
    org: Organisation,
    grids: list[Grid],
    project_id: str,
    request: tuple[date, Filters],
) -> list[Row] | None:
    as_of, filters = request
    # The project as its dated records show it on the report date; one not yet approved
    # then is left out.
    project = project_on(catalog.projects[project_id], as_of)
    if project is None or not _selected(catalog, project, filters):
        return None
    row, scope, flagged = _row(catalog, org, project, as_of)
    if filters.health and row.health not in filters.health:
        return None
    return [
        replace(
            row,
            cells=[_cell(project, c.site_ids, scope, flagged) for c in grid.columns],
            reasons=list(row.reasons),
        )
        for grid in grids
    ]


def _selected(catalog: Catalog, project: Project, filters: Filters) -> bool:
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


def _cell(
    project: Project, site_ids: tuple[str, ...], scope: frozenset[str], flagged: frozenset[str]
) -> Cell:
    """The column's in-scope sites: the least advanced status and the worst health."""
    ids = [s for s in site_ids if s in scope]
    if not ids:
        return Cell(0, 0, SiteStatus.NOT_APPLICABLE, Health.ON_TRACK)
    states = [site_state(project, s) for s in ids]
    least = min((s.status for s in states), key=SITE_PROGRESS.index)
    worst = max((_site_health(project, s, flagged) for s in ids), key=SEVERITY.index)
    return Cell(len(ids), sum(s.status in LIVE for s in states), least, worst)


def _row(
    catalog: Catalog, org: Organisation, project: Project, as_of: date
) -> tuple[Row, frozenset[str], frozenset[str]]:
    """The project's row without its cells, its in-scope sites and the sites its measures
    flag (what each grouping's cells are made from)."""
    practice = catalog.practices.get(project.practice)
    scoped = scoped_sites(project, (s.id for s in org.sites), oversight(org, practice))
    scope = frozenset(scoped)
    flags = [f for f in _measure_flags(project, as_of) if f.site is None or f.site in scope]
    flagged = frozenset(f.site for f in flags if f.site is not None)
    whole = _cell(project, tuple(scoped), scope, flagged)
    months = project.target_months or org.settings.target_months
    target = add_months(project.approved, months) if project.approved else None
    days = (as_of - project.approved).days if project.approved else None
    health, reasons = _health(project, scoped, whole, target, days, as_of, flagged)
    if flags and health is Health.ON_TRACK:
        health = Health.AT_RISK
    reasons += [f.text for f in flags]
    title = practice.title if practice else project.title
    row = Row(
        project.id,
        title,
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
    )
    return row, scope, flagged


def _measure_flags(project: Project, as_of: date) -> list[Flag]:
    # Only a project with values pays for reading them (and for importing the charts).
    if not any(m.values for m in project.metrics):
        return []
    from diffuse.reports.measures import measure_flags

    return measure_flags(project, as_of)


def _site_health(project: Project, site_id: str, flagged: frozenset[str]) -> Health:
    """The recorded health, made at least at-risk when the site's measures say so."""
    state = site_state(project, site_id)
    if site_id in flagged and state.health is Health.ON_TRACK:
        return Health.AT_RISK
    return state.health


def _health(
    project: Project,
    scoped_ids: list[str],
    whole: Cell,
    target: date | None,
    days: int | None,
    as_of: date,
    flagged: frozenset[str] = frozenset(),
) -> tuple[Health, list[str]]:
    """Overall health: the rules leadership reads, stated as reasons."""
    scoped = [_site_health(project, s, flagged) for s in scoped_ids]
    off = sum(h is Health.OFF_TRACK for h in scoped)
    risky = sum(h is Health.AT_RISK for h in scoped)
    all_live = whole.live == whole.in_scope
    off_reasons, risk_reasons = [], []
    if target and as_of > target and not all_live:
        off_reasons.append(
            f"past the {target.isoformat()} target with "
            f"{whole.in_scope - whole.live} site(s) not live"
        )
    if scoped and off / len(scoped) >= OFF_TRACK_SHARE:
        off_reasons.append(f"{off} of {len(scoped)} sites off track")
    if off_reasons:
        return Health.OFF_TRACK, off_reasons
    if off or risky:
        risk_reasons.append(f"{off + risky} site(s) at risk or off track")
    if target and days is not None and not all_live:
        span = (target - project.approved).days if project.approved else 0
        if span and days / span >= LATE_SHARE:
            risk_reasons.append(f"{days} of {span} days used, {whole.live}/{whole.in_scope} live")
    return (Health.AT_RISK, risk_reasons) if risk_reasons else (Health.ON_TRACK, [])
