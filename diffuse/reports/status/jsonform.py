"""The status grid as JSON values, and back: one naming for `status --format json`, `show
--format json` and the result cache.

A project's fields are written as `reports.status.row` declares them: a forecast's day is
`date`, a project's health reasons are `reasons`, dates are ISO text.
Fields worked out from others (`share_live`, `days_after_target`) are written for readers
and ignored when a grid is read back.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from diffuse.reports.status.grid import Cell, Column, Grid, Row
from diffuse.reports.status.row import forecast_record, row_record, row_values
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
        **row_record(row),
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
    return Row(cells=cells, **row_values(data))
