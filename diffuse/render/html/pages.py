"""What each page of the HTML report shows, as template values (no Jinja2 here)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, NamedTuple, overload

from markupsafe import Markup, escape

from diffuse.errors import DiffuseError
from diffuse.escape import clean
from diffuse.frameworks.dissemination import EVIDENCE, plan_warnings
from diffuse.models import Organisation, Project, Site
from diffuse.models.project import Adaptation
from diffuse.render.colour import HEALTH_SYMBOL, STATUS_SYMBOL, health_label
from diffuse.render.html.charts import Figure, chart_events, curve_figure, metric_figure
from diffuse.render.html.overtime import barrier_age, capacity_values, over_time_values
from diffuse.reports import practices, risks
from diffuse.reports.capacity import Capacity, barrier
from diffuse.reports.checklist import checklist
from diffuse.reports.measures import ChartOptions, SeriesChart, project_charts
from diffuse.reports.portfolio import REPORTED_AVERAGE_MONTHS, Portfolio, PortfolioOverTime
from diffuse.reports.reviews import practice_review
from diffuse.reports.scorecard import SiteTotals
from diffuse.reports.status.grid import Cell, Row
from diffuse.reports.trend import adoption_trend
from diffuse.rules.load import Loaded
from diffuse.rules.scope import in_scope, oversight, site_state
from diffuse.vocab import Adkar, Health, MetricLevel, PracticeStatus, SiteStatus

NAV = [
    ("index.html", "Status Tracker"),
    ("portfolio.html", "Portfolio"),
    ("risks.html", "Risks"),
    ("practices.html", "Practices"),
    ("sites.html", "Sites and reviews"),
]
DUTY_SYMBOLS = {"done": "✓", "n/a": "–", "open": "○", "overdue": "✗"}


@dataclass(frozen=True)
class Page:
    file: str
    template: str
    title: str
    values: dict[str, Any]


class Names:
    """People and sites by name, their id on hover: `who("raj-patel")` is
    `<span title="raj-patel">Raj Patel</span>`, escaped; an unknown id is shown as itself."""

    def __init__(self, org: Organisation) -> None:
        self.names = {p.id: p.name for p in org.people} | {s.id: s.name for s in org.sites}

    def name(self, ident: str | None) -> str:
        return self.names.get(ident or "", ident or "-")

    def __call__(self, ident: str | None) -> Markup:
        if not ident:
            return Markup("-")
        name = self.names.get(ident)
        if name is None:
            return escape(clean(ident))
        return Markup('<span class="who" title="{}">{}</span>').format(clean(ident), clean(name))


def site_file(site_id: str) -> str:
    return f"site-{site_id}.html"


def _words(cell: Cell) -> str:
    if cell.in_scope == 0:
        return "not applicable"
    return f"{cell.status.value}, {cell.health.value}"


def _grid_row(row: Row, sites: list[Site]) -> dict[str, Any]:
    cells = [
        {
            "site": site.id,
            "name": site.name,
            "href": f"project-{row.project}.html#site-{site.id}",
            "region": site.region or "(none)",
            "symbol": STATUS_SYMBOL[cell.status][0]
            + (HEALTH_SYMBOL[cell.health][0] if cell.in_scope else ""),
            "css": cell.health.value if cell.in_scope else "na",
            "words": _words(cell),
        }
        for site, cell in zip(sites, row.cells, strict=True)
    ]
    return {
        **vars(row),
        "cells": cells,
        "href": f"project-{row.project}.html",
        "health_label": health_label(row.health),
        "forecast_label": _forecast_label(row),
    }


def _forecast_label(row: Row) -> str:
    """The forecast day, and how it stands against the target, in words."""
    if row.forecast is None:
        return "n/a"
    if row.forecast.done:
        return "done"
    late = row.forecast.days_after(row.target)
    if late is None:
        return row.forecast.label
    return f"{row.forecast.label} ({abs(late)} days {'late' if late > 0 else 'early'})"


class _GridRows(Sequence[dict[str, Any]]):
    """The tracker's rows as its page shows them, each made when the page comes to it: a
    tracker of thousands of projects has hundreds of thousands of cells."""

    def __init__(self, rows: list[Row], sites: list[Site]) -> None:
        self.rows, self.sites = rows, sites

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [_grid_row(r, self.sites) for r in self.rows[index]]
        return _grid_row(self.rows[index], self.sites)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (_grid_row(r, self.sites) for r in self.rows)


def index_page(portfolio: Portfolio, org: Organisation) -> Page:
    rows = portfolio.active
    regions: dict[str, list[Site]] = {}
    for site in org.sites:
        regions.setdefault(site.region or "(none)", []).append(site)
    filters = [
        ("practice", "Practice", sorted({r.practice for r in rows})),
        ("phase", "Phase", sorted({r.phase for r in rows})),
        ("health", "Health", [h.value for h in Health]),
        ("region", "Region", list(regions)),
    ]
    values = {
        "rows": _GridRows(rows, org.sites),
        "regions": list(regions.items()),
        "filters": filters,
        "status_legend": [(sym, s.value) for s, (sym, _) in STATUS_SYMBOL.items()],
        "health_legend": [(sym, h.value) for h, (sym, _) in HEALTH_SYMBOL.items()],
    }
    return Page("index.html", "index.html.j2", "Status Tracker", values)


def portfolio_page(portfolio: Portfolio, over: PortfolioOverTime) -> Page:
    counts = [
        (HEALTH_SYMBOL[h][0], h.value.replace("-", " "), h.value, portfolio.by_health[h.value])
        for h in Health
    ]
    values = {
        "p": portfolio,
        "health_counts": counts,
        "target_months": portfolio.grid.target_months,
        "reported_months": REPORTED_AVERAGE_MONTHS,
        "reviews": portfolio.reviews,
        **over_time_values(over),
    }
    return Page("portfolio.html", "portfolio.html.j2", "Portfolio summary", values)


def project_page(loaded: Loaded, project: Project, row: Row, as_of: date) -> Page:
    org, workflow = loaded.org, loaded.catalog.workflow
    lines = risks.project_risks(project)
    names = Names(org)
    sites = [
        {
            "id": site.id,
            "name": site.name,
            "href": site_file(site.id),
            "state": (state := site_state(project, site.id)),
            "status_label": f"{STATUS_SYMBOL[state.status][0]} {state.status.value}",
            "health": state.health,
            "health_label": "–"
            if state.status is SiteStatus.NOT_APPLICABLE
            else health_label(state.health),
        }
        for site in org.sites
    ]
    try:
        trend = adoption_trend(loaded.catalog, project, as_of)
    except DiffuseError:  # no approval date: no weeks to count from
        trend = None
    curve = curve_figure("curve", project.id, trend)
    drawn = project_charts(project, None, ChartOptions())
    min_points = org.settings.min_points_for_limits
    figures = [
        metric_figure(
            f"chart-{n}", d, chart_events(project, d, names.names), min_points, names.names
        )
        for n, d in enumerate(drawn, 1)
    ]
    values = {
        "project": project,
        "row": row,
        "health_label": health_label(row.health),
        "timeline": _timeline(project, workflow.phases),
        "roles": checklist(project, workflow),
        "duty_symbols": DUTY_SYMBOLS,
        "risks": lines,
        "heat": risks.heat_map(lines),
        "sites": sites,
        "curve": curve,
        "charts": figures,
        "key_charts": key_charts(drawn, figures),
        "dissemination": dissemination(project),
        "dissemination_warnings": plan_warnings([d.approach for d in project.dissemination]),
    }
    title = f"{project.id}: {project.title}"
    return Page(f"project-{project.id}.html", "project.html.j2", title, values)


def key_charts(drawn: list[SeriesChart], figures: list[Figure], most: int = 4) -> list[Figure]:
    """The charts a board pack shows: per metric its all-sites series, else its longest
    one; outcome metrics first, then those with the most points."""
    best: dict[str, tuple[SeriesChart, Figure]] = {}
    for chart, figure in zip(drawn, figures, strict=True):
        if chart.result is None:
            continue
        held = best.get(chart.metric.id)
        if held is None or (
            held[0].series.site is not None
            and (
                chart.series.site is None
                or len(chart.series.measures) > len(held[0].series.measures)
            )
        ):
            best[chart.metric.id] = (chart, figure)
    order = sorted(
        best.values(),
        key=lambda cf: (cf[0].metric.level is not MetricLevel.OUTCOME, -len(cf[0].series.measures)),
    )
    return [figure for _, figure in order[:most]]


def dissemination(project: Project) -> list[dict[str, Any]]:
    """The dissemination plan, each approach beside the evidence behind it."""
    return [
        {
            "line": line,
            "strength": EVIDENCE[line.approach].strength,
            "finding": EVIDENCE[line.approach].finding,
            "changes": EVIDENCE[line.approach].changes_practice,
        }
        for line in project.dissemination
    ]


def _timeline(project: Project, phases: list[str]) -> list[dict[str, Any]]:
    entered: dict[str, date] = {}
    for step in project.history:
        entered[step.to] = step.date
    return [
        {
            "phase": phase,
            "current": phase == project.phase,
            "entered": entered.get(phase),
            "approvals": [a for a in project.approvals if a.gate == phase],
        }
        for phase in phases
    ]


def practices_page(loaded: Loaded) -> Page:
    values = {
        "entries": practices.entries(loaded.catalog),
        "statuses": [s.value for s in PracticeStatus],
    }
    return Page("practices.html", "practices.html.j2", "Practices", values)


def risks_page(lines: list[risks.RiskLine]) -> Page:
    """The open risks of the active projects (`risks.open_risks`)."""
    values = {"risks": lines, "groups": risks.by_category(lines)}
    return Page("risks.html", "risks.html.j2", "Portfolio risks", values)


def sites_page(loaded: Loaded, as_of: date, capacity: Capacity, totals: list[SiteTotals]) -> Page:
    org = loaded.org
    scores = [
        {
            "site": s.site,
            "name": s.name,
            "region": (org.site(s.site) or Site(id=s.site, name=s.name)).region,
            "live": s.live,
            "in_scope": s.in_scope,
            "share": f"{s.share_live:.0%}" if s.share_live is not None else "-",
            "median": f"{s.median_days:.0f}" if s.median_days is not None else "-",
            "compliance": f"{s.compliance_met}/{s.compliance_measured}"
            if s.compliance_measured
            else "-",
            "risks": s.open_risks,
        }
        for s in totals
    ]
    calendar = sorted(
        (
            item
            for p in loaded.catalog.practices.values()
            if (item := practice_review(p, org, as_of)) is not None
        ),
        key=lambda r: (r.due, r.practice),
    )
    values = {"scores": scores, "calendar": calendar, **capacity_values(capacity)}
    return Page("sites.html", "sites.html.j2", "Site scorecards and review calendar", values)


class _Head(NamedTuple):
    """What a site page shows of a project: a site page of a big tracker lists thousands."""

    id: str
    title: str
    phase: str


class _Entry(NamedTuple):
    """What a site page shows of a project's row at the site: the project, the row's own
    fields (by the same names), its labels and its barriers. One flat tuple: a site page
    of a big tracker lists thousands."""

    project: _Head
    health: Health
    go_live_planned: date | None
    go_live_actual: date | None
    leader: str | None
    adkar: Adkar | None
    adaptations: tuple[Adaptation, ...]
    reason: str | None
    status_label: str
    health_label: str
    barriers: tuple[dict[str, Any], ...]

    @property
    def state(self) -> _Entry:
        """The row's fields, as the page reads them (`state.health`)."""
        return self


class SitePages:
    """A page per site: every project that has it in scope, then those that left it out.

    Projects are added one at a time, as the report comes to them, and only what the pages
    show of each is kept, so the pages of a tracker of thousands of projects are made
    without holding its projects."""

    def __init__(self, loaded: Loaded, as_of: date) -> None:
        self.loaded, self.as_of = loaded, as_of
        self.taking: list[list[_Entry]] = [[] for _ in loaded.org.sites]
        self.left_out: list[list[_Entry]] = [[] for _ in loaded.org.sites]
        self.labels: dict[tuple[SiteStatus, Health], tuple[str, str]] = {}

    def add(self, project: Project) -> None:
        org, as_of = self.loaded.org, self.as_of
        members = oversight(org, self.loaded.catalog.practices.get(project.practice))
        head = _Head(project.id, project.title, project.phase)
        for n, site in enumerate(org.sites):
            state = site_state(project, site.id)
            entry = _Entry(
                head,
                state.health,
                state.go_live_planned,
                state.go_live_actual,
                state.leader,
                state.adkar,
                tuple(state.adaptations),
                state.reason,
                *self._labels(state.status, state.health),
                tuple(
                    {"text": b.text, "age": barrier_age(b.since, b.source, b.days_open)}
                    for b in (barrier(project, site.id, state, t, as_of) for t in state.barriers)
                ),
            )
            (self.taking if in_scope(state, members) else self.left_out)[n].append(entry)

    def _labels(self, status: SiteStatus, health: Health) -> tuple[str, str]:
        """A row's status and health in words, each made once: a tracker of thousands of
        projects has hundreds of thousands of rows and a few kinds of label."""
        found = self.labels.get((status, health))
        if found is None:
            found = self.labels[status, health] = (
                f"{STATUS_SYMBOL[status][0]} {status.value}",
                "–" if status is SiteStatus.NOT_APPLICABLE else health_label(health),
            )
        return found

    def pages(self, capacity: Capacity) -> Iterator[Page]:
        org, names = self.loaded.org, Names(self.loaded.org)
        loads = {load.site: load for load in capacity.sites}
        for n, site in enumerate(org.sites):
            load = loads.get(site.id)
            values = {
                "site": site,
                "taking": self.taking[n],
                "left_out": self.left_out[n],
                "names": names,
                **capacity_values(replace(capacity, sites=[load] if load else [])),
            }
            title = f"{site.name} ({site.id})"
            yield Page(site_file(site.id), "site.html.j2", title, values)
