"""What `status` and `show` report, computed from the tracker for one as-of date."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from diffuse.frameworks.dissemination import EVIDENCE, plan_warnings
from diffuse.models import Organisation, Project, Workflow
from diffuse.reports.asof import project_at
from diffuse.reports.reviews import review_due
from diffuse.reports.status.build import build_grid
from diffuse.reports.status.grid import Filters, Row
from diffuse.reports.status.jsonform import forecast_data
from diffuse.rules.gates import GateError, GateReport, evaluate, target_phase
from diffuse.rules.load import Loaded
from diffuse.vocab import output_schema_version


def project_row(loaded: Loaded, project_id: str, as_of: date) -> Row | None:
    grid = build_grid(loaded.catalog, as_of, Filters(include_inactive=True))
    return next((r for r in grid.rows if r.project == project_id), None)


def next_gate(loaded: Loaded, project: Project) -> GateReport | None:
    catalog = loaded.catalog
    try:
        target = target_phase(catalog.workflow, project, None)
    except GateError:
        return None
    return evaluate(
        catalog.workflow, loaded.org, catalog.practices.get(project.practice), project, target
    )


@dataclass
class ShowData:
    kind: str
    item: Any
    org: Organisation
    workflow: Workflow
    projects: list[Project]
    row: Row | None
    gate: GateReport | None
    as_of: date


def as_it_stood(loaded: Loaded, kind: str, item: Any, day: date | None) -> Any:
    """The item as `show --as-of day` shows it: a project as it stood that day (as `status
    --as-of` reads it; one not yet approved then has no row in the grid); a practice as it
    is."""
    if day is None or kind != "project":
        return item
    return project_at(loaded.catalog, item, day, unapproved=True)


def show_data(loaded: Loaded, kind: str, item: Any, as_of: date) -> ShowData:
    """What `show` prints of `item`, as `as_it_stood` gives it, with its row for `as_of`."""
    catalog = loaded.catalog
    if kind == "practice":
        projects = [p for p in catalog.projects.values() if p.practice == item.id]
        return ShowData(kind, item, loaded.org, catalog.workflow, projects, None, None, as_of)
    return ShowData(
        kind,
        item,
        loaded.org,
        catalog.workflow,
        [],
        project_row(loaded, item.id, as_of),
        next_gate(loaded, item),
        as_of,
    )


def item_json(loaded: Loaded, kind: str, item: Any, as_of: date) -> str:
    dumped = item.model_dump(mode="json", by_alias=True)
    # The item's id under its kind's name (`project` or `practice`), as every output names it.
    data: dict[str, Any] = {
        "schema_version": output_schema_version("show"),
        "kind": kind,
        "as_of": as_of.isoformat(),
        kind: dumped.pop("id"),
        **dumped,
    }
    if kind == "practice":
        due = review_due(item, loaded.org)
        data["review_due"] = due.isoformat() if due else None
        data["review_overdue"] = bool(due and due < as_of)
    else:
        row = project_row(loaded, item.id, as_of)
        gate = next_gate(loaded, item)
        data["health"] = row.health.value if row else None
        data["reasons"] = row.reasons if row else []
        # Each site's health as the grid shows it: the recorded one, or worse from measures.
        site_ids = [s.id for s in loaded.org.sites]
        data["site_health"] = (
            {site: c.health.value for site, c in zip(site_ids, row.cells, strict=False)}
            if row
            else {}
        )
        data["target_date"] = row.target.isoformat() if row and row.target else None
        data["forecast"] = forecast_data(row) if row else None
        data["next_gate"] = (
            None
            if gate is None
            else {
                "to": gate.target,
                "met": gate.passed,
                "missing": [g._asdict() for g in gate.gaps],
            }
        )
        for risk, dumped in zip(item.risks, data["risks"], strict=True):
            dumped["score"] = risk.score
        for plan, dumped in zip(item.dissemination, data["dissemination"], strict=True):
            dumped["evidence"] = EVIDENCE[plan.approach].strength
        data["dissemination_warnings"] = plan_warnings([p.approach for p in item.dissemination])
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
