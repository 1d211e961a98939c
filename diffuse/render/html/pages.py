"""What each page of the HTML report shows, as template values (no Jinja2 here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from diffuse.errors import DiffuseError
from diffuse.models import Organisation, Project, Site
from diffuse.render import HEALTH_SYMBOL, STATUS_SYMBOL, health_label
from diffuse.render.html.charts import curve_figure, metric_figure
from diffuse.reports import catalogue, risks
from diffuse.reports.checklist import checklist
from diffuse.reports.grid import Cell, Row
from diffuse.reports.measures import ChartOptions, project_charts
from diffuse.reports.portfolio import REPORTED_AVERAGE_MONTHS, Portfolio
from diffuse.reports.reviews import practice_review
from diffuse.reports.scorecard import build_scorecard
from diffuse.reports.trend import adoption_trend
from diffuse.rules.load import Loaded
from diffuse.rules.scope import site_state
from diffuse.vocab import Health, PracticeStatus, SiteStatus

NAV = [
    ("index.html", "Status Tracker"),
    ("portfolio.html", "Portfolio"),
    ("risks.html", "Risks"),
    ("catalogue.html", "Practices"),
    ("sites.html", "Sites and reviews"),
]
DUTY_SYMBOLS = {"done": "✓", "n/a": "–", "open": "○", "overdue": "✗"}


@dataclass(frozen=True)
class Page:
    file: str
    template: str
    title: str
    values: dict[str, Any]


def _words(cell: Cell) -> str:
    if cell.in_scope == 0:
        return "not applicable"
    return f"{cell.status.value}, {cell.health.value}"


def _grid_row(row: Row, sites: list[Site]) -> dict[str, Any]:
    cells = [
        {
            "site": site.id,
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
    }


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
        "rows": [_grid_row(r, org.sites) for r in rows],
        "regions": list(regions.items()),
        "filters": filters,
        "status_legend": [(sym, s.value) for s, (sym, _) in STATUS_SYMBOL.items()],
        "health_legend": [(sym, h.value) for h, (sym, _) in HEALTH_SYMBOL.items()],
    }
    return Page("index.html", "index.html.j2", "Status Tracker", values)


def portfolio_page(portfolio: Portfolio) -> Page:
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
    }
    return Page("portfolio.html", "portfolio.html.j2", "Portfolio summary", values)


def project_page(loaded: Loaded, project: Project, row: Row, as_of: date) -> Page:
    org, workflow = loaded.org, loaded.catalog.workflow
    lines = risks.project_risks(project)
    sites = [
        {
            "id": site.id,
            "name": site.name,
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
        "charts": [metric_figure(f"chart-{n}", d) for n, d in enumerate(drawn, 1)],
    }
    title = f"{project.id}: {project.title}"
    return Page(f"project-{project.id}.html", "project.html.j2", title, values)


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


def catalogue_page(loaded: Loaded) -> Page:
    values = {
        "entries": catalogue.entries(loaded.catalog),
        "statuses": [s.value for s in PracticeStatus],
    }
    return Page("catalogue.html", "catalogue.html.j2", "Practice catalogue", values)


def risks_page(loaded: Loaded) -> Page:
    lines = risks.open_risks(loaded)
    values = {"risks": lines, "groups": risks.by_category(lines)}
    return Page("risks.html", "risks.html.j2", "Portfolio risks", values)


def sites_page(loaded: Loaded, as_of: date) -> Page:
    card = build_scorecard(loaded.catalog, as_of)
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
            "compliance": f"{s.compliance_met}/{len(s.compliance)}" if s.compliance else "-",
            "risks": s.open_risks,
        }
        for s in card.sites
    ]
    calendar = sorted(
        (
            item
            for p in loaded.catalog.practices.values()
            if (item := practice_review(p, org, as_of)) is not None
        ),
        key=lambda r: (r.due, r.practice),
    )
    values = {"scores": scores, "calendar": calendar}
    return Page("sites.html", "sites.html.j2", "Site scorecards and review calendar", values)
