"""The rows of each exported table, as plain dicts keyed by column name."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date
from typing import Any

from diffuse.models import Organisation, Project
from diffuse.reports.asof import Stood, project_at
from diffuse.reports.checklist import checklist
from diffuse.reports.measures import ChartOptions, SeriesChart, project_charts
from diffuse.reports.reviews import review_due
from diffuse.reports.risks import project_risks
from diffuse.reports.status.build import Growing
from diffuse.reports.status.grid import Filters, Row
from diffuse.reports.status.row import sql_record
from diffuse.rules.load import Loaded
from diffuse.rules.scope import site_state
from diffuse.rules.tracker.model import Tracker

Records = list[dict[str, Any]]


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


TABLES = (
    "meta",
    "practices",
    "sites",
    "approvals",
    "projects",
    "project_sites",
    "duties",
    "risks",
    "metric_values",
    "transitions",
    "site_updates",
    "spc_points",
    "spc_parts",
)


def tables(loaded: Loaded, as_of: date) -> Iterator[tuple[str, Records]]:
    """The rows of each table (named in `TABLES`), a batch at a time: the tracker's own
    first, then each project's, one project at a time, so a tracker of thousands of
    projects is never held whole. Within a table, rows come in the order they are numbered."""
    # The tracker as it stood on the day: no value, update or risk recorded later. Each
    # project is read and dated once, its row of the grid worked out, its rows inserted.
    stood = Stood(loaded, as_of)
    catalog, org = stood.loaded.catalog, loaded.org
    grid = Growing(catalog, as_of, Filters(include_inactive=True))
    yield (
        "meta",
        [
            {"key": "as_of", "value": as_of.isoformat()},
            {"key": "organisation", "value": org.name},
            {"key": "target_months", "value": str(org.settings.target_months)},
        ],
    )
    practices = sorted(catalog.practices.values(), key=lambda p: p.id)
    yield (
        "practices",
        [
            {
                "id": p.id,
                "title": p.title,
                "summary": p.summary,
                "status": p.status.value,
                "approving_body": p.approving_body,
                "owner": p.owner,
                "established": _day(p.established),
                "review_last": _day(p.review.last),
                "review_due": _day(review_due(p, org)),
                "supersedes": p.supersedes,
                "superseded_by": p.superseded_by,
            }
            for p in practices
        ],
    )
    yield (
        "sites",
        [
            {"id": s.id, "name": s.name, "region": s.region, "kind": s.kind, "position": n}
            for n, s in enumerate(org.sites)
        ],
    )
    yield (
        "approvals",
        [
            {"item_kind": "practice", "item": p.id, **_approval(a)}
            for p in practices
            for a in p.approvals
        ],
    )
    for project in stood:
        row = grid.add(project)
        assert row is not None  # every project of the day has a row
        shown = project_at(catalog, project, as_of)  # as `portfolio.dated` gives it
        assert shown is not None
        yield from _project_tables(catalog, org, row, shown)


def _project_tables(
    catalog: Tracker, org: Organisation, row: Row, project: Project
) -> Iterator[tuple[str, Records]]:
    active = catalog.workflow.is_active(project.phase)
    yield "projects", [sql_record(row, active)]
    yield (
        "project_sites",
        [
            _site(project, site.id, cell.status.value, cell.health.value)
            for site, cell in zip(org.sites, row.cells, strict=True)
        ],
    )
    yield (
        "duties",
        [
            {
                "project": project.id,
                "duty": d.id,
                "role": role.id,
                "due_phase": d.due,
                "text": d.text,
                "state": d.state,
                "date": _day(rec.date) if (rec := project.checklist.get(d.id)) else None,
                "by": rec.by if rec else None,
                "recorded_by": rec.recorded_by if rec else None,
                "reason": rec.reason if rec else None,
            }
            for role in checklist(project, catalog.workflow)
            for d in role.duties
        ],
    )
    yield (
        "risks",
        [
            {**vars(r), "standard_risk": r.group[0] if r.group[0] < 8 else None}
            for r in project_risks(project)
        ],
    )
    yield "metric_values", _values(project)
    yield (
        "approvals",
        [{"item_kind": "project", "item": project.id, **_approval(a)} for a in project.approvals],
    )
    yield (
        "transitions",
        [
            {
                "project": project.id,
                "from_phase": t.from_phase,
                "to_phase": t.to,
                "date": _day(t.date),
                "by": t.by,
                "reason": t.reason,
            }
            for t in project.history
        ],
    )
    yield (
        "site_updates",
        [
            {
                "project": project.id,
                "date": _day(u.date),
                "site": u.site,
                "by": u.by,
                "text": u.text,
            }
            for u in project.updates
        ],
    )
    points: Records = []
    parts: Records = []
    for drawn in project_charts(project, None, ChartOptions()):
        more_points, more_parts = _spc(project.id, drawn)
        points += more_points
        parts += more_parts
    yield "spc_points", points
    yield "spc_parts", parts


def _approval(a: Any) -> dict[str, Any]:
    return {
        "body": a.body,
        "by": a.by,
        "date": _day(a.date),
        "decision": a.decision.value,
        "gate": a.gate,
        "scope": a.scope,
        "reference": a.reference,
        "reason": a.reason,
    }


def _site(project: Project, site: str, status: str, health: str) -> dict[str, Any]:
    state = site_state(project, site)
    return {
        "project": project.id,
        "site": site,
        "status": status,
        "health": health,
        "recorded_health": state.health.value,
        "adkar": state.adkar.value if state.adkar else None,
        "go_live_planned": _day(state.go_live_planned),
        "go_live_actual": _day(state.go_live_actual),
        "leader": state.leader,
        "updated": _day(state.updated),
        "note": state.note,
        "barriers": "\n".join(state.barriers),
        "pause_until": _day(state.pause.until) if state.pause else None,
    }


def _values(project: Project) -> Records:
    return [
        {
            "project": project.id,
            "metric": m.id,
            "name": m.name,
            "level": m.level.value,
            "kind": m.kind.value,
            "unit": m.unit,
            "direction": m.direction.value,
            "baseline": m.baseline,
            "target": m.target,
            "site": v.site,
            "date": _day(v.date),
            "value": v.value,
            "numerator": v.numerator,
            "denominator": v.denominator,
            "charted": m.point(v),
            "period": v.period.value if v.period else None,
            "excluded": v.excluded,
        }
        for m in project.metrics
        for v in sorted(m.values, key=lambda v: v.date)
    ]


def _spc(project: str, drawn: SeriesChart) -> tuple[Records, Records]:
    if drawn.result is None:
        return [], []
    key = {
        "project": project,
        "metric": drawn.metric.id,
        "site": drawn.series.site,
        "chart": drawn.chart,
    }
    measures = drawn.series.measures
    points = [
        {
            **key,
            "part": p.part,
            "position": p.index,
            "date": _day(measures[p.index].date),
            "value": None if math.isnan(p.value) else p.value,
            "centre": None if math.isnan(p.centre) else p.centre,
            "lcl": p.lcl,
            "ucl": p.ucl,
            "excluded": int(p.excluded),
            "baseline": int(p.baseline),
            "outside_limits": int(p.sigma_signal),
        }
        for p in drawn.result.points
    ]
    parts = [
        {
            **key,
            "part": part.part,
            "centre": None if math.isnan(part.centre) else part.centre,
            "useful_points": part.n_useful,
            "longest_run": part.longest_run,
            "longest_run_max": part.longest_run_max,
            "crossings": part.n_crossings,
            "crossings_min": part.n_crossings_min,
            "runs_signal": int(part.runs_signal),
        }
        for part in drawn.result.parts
    ]
    return points, parts
