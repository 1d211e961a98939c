"""The status grid as JSON values, and back: one naming for `status --format json`, `show
--format json` and the result cache.

A forecast's day is `date`, a project's health reasons are `reasons`, dates are ISO text.
Fields worked out from others (`share_live`, `days_after_target`) are written for readers
and ignored when a grid is read back.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from diffuse.reports.status.grid import Cell, Column, Forecast, Grid, Row
from diffuse.vocab import Health, SiteStatus


def grid_data(grid: Grid) -> dict[str, Any]:
    return {
        "as_of": grid.as_of.isoformat(),
        "target_months": grid.target_months,
        "grouped_by": grid.grouped_by,
        "columns": [
            {"id": col.id, "label": col.label, "sites": list(col.site_ids)} for col in grid.columns
        ],
        "projects": [_row_data(grid, row) for row in grid.rows],
    }


def _row_data(grid: Grid, row: Row) -> dict[str, Any]:
    return {
        "project": row.project,
        "title": row.title,
        "practice": row.practice,
        "practice_title": row.practice_title,
        "phase": row.phase,
        "health": row.health.value,
        "reasons": row.reasons,
        "live": row.live,
        "in_scope": row.in_scope,
        "share_live": round(row.share_live, 4),
        "approved": _day(row.approved),
        "days_since_approval": row.days,
        "target_date": _day(row.target),
        "forecast": forecast_data(row),
        "columns": {
            col.id: {
                "status": cell.status.value,
                "health": cell.health.value,
                "live": cell.live,
                "in_scope": cell.in_scope,
            }
            for col, cell in zip(grid.columns, row.cells, strict=True)
        },
    }


def forecast_data(row: Row) -> dict[str, Any] | None:
    return forecast_record(row.forecast, row.target)


def forecast_record(outlook: Forecast | None, target: date | None) -> dict[str, Any] | None:
    """A forecast as every output writes it (`status`, `show`, `trend`)."""
    if outlook is None:
        return None
    return {
        "date": _day(outlook.day),
        "done": outlook.done,
        "days_after_target": outlook.days_after(target),
        "note": outlook.note,
    }


def grid_from_data(data: dict[str, Any]) -> Grid:
    """The inverse of `grid_data`."""
    columns = [Column(c["id"], c["label"], tuple(c["sites"])) for c in data["columns"]]
    rows = [_row_from_data(columns, r) for r in data["projects"]]
    as_of = date.fromisoformat(data["as_of"])
    return Grid(as_of, data["target_months"], columns, rows, data["grouped_by"])


def _row_from_data(columns: list[Column], data: dict[str, Any]) -> Row:
    cells = [
        Cell(c["in_scope"], c["live"], SiteStatus(c["status"]), Health(c["health"]))
        for c in (data["columns"][col.id] for col in columns)
    ]
    outlook = data["forecast"]
    return Row(
        data["project"],
        data["title"],
        data["practice"],
        data["phase"],
        cells,
        data["in_scope"],
        data["live"],
        _from_day(data["approved"]),
        data["days_since_approval"],
        _from_day(data["target_date"]),
        Health(data["health"]),
        list(data["reasons"]),
        None if outlook is None else _forecast(outlook, data["live"], data["in_scope"]),
        data["practice_title"],
    )


def _forecast(data: dict[str, Any], live: int, in_scope: int) -> Forecast:
    # A forecast counts the same sites as its row.
    return Forecast(_from_day(data["date"]), data["done"], live, in_scope, data["note"])


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _from_day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
