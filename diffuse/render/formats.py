"""The status grid as plain text pieces, JSON, CSV and Markdown: what every grid view
shares (its cells' labels, its legend) and the formats made without Rich. The terminal
views are `terminal` (one column per site) and `compact` (a block per project)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from diffuse.escape import clean
from diffuse.render.colour import HEALTH_SYMBOL, STATUS_SYMBOL, health_label
from diffuse.render.csvtext import csv_text
from diffuse.vocab import SiteStatus, output_schema_version

if TYPE_CHECKING:
    from diffuse.reports.status.grid import Cell, Grid, Row


def cell_label(cell: Cell, grouped: bool) -> str:
    health = HEALTH_SYMBOL[cell.health][0]
    if cell.in_scope == 0:
        return STATUS_SYMBOL[SiteStatus.NOT_APPLICABLE][0]
    if grouped:
        return f"{cell.live}/{cell.in_scope}{health}"
    return f"{STATUS_SYMBOL[cell.status][0]}{health}"


def days_label(row: Row) -> str:
    if row.days is None or row.target is None or row.approved is None:
        return "-"
    return f"{row.days}/{(row.target - row.approved).days}"


def forecast_label(row: Row) -> str:
    return row.forecast.label if row.forecast else "n/a"


def legend(grouped: bool, width: int | None = None) -> str:
    """The key to the grid's symbols; with `width`, its lists wrap between entries, so a
    symbol never ends a line apart from its word."""
    # A site excepted by diffusion oversight is out of scope too: shown alike, counted by neither.
    statuses = [
        f"{sym} {status.value}" + (" or excepted" if status is SiteStatus.NOT_APPLICABLE else "")
        for status, (sym, _) in STATUS_SYMBOL.items()
    ]
    health = [f"{sym} {h.value}" for h, (sym, _) in HEALTH_SYMBOL.items()]
    cells = "cells: live/in-scope sites and worst health" if grouped else None
    lines = [cells] if cells else _entries("sites: ", statuses, width)
    lines += _entries("health: ", health, width)
    return "\n".join(
        [
            *lines,
            "Days: since approval / to the target date",
            "Forecast: when every site is live at the pace of go-lives so far (n/a: too few)",
        ]
    )


def _entries(head: str, entries: list[str], width: int | None) -> list[str]:
    lines, current = [], head + entries[0]
    for entry in entries[1:]:
        if width is not None and len(current) + 2 + len(entry) > width:
            lines.append(current)
            current = " " * len(head) + entry
        else:
            current += "  " + entry
    return [*lines, current]


def grid_json(grid: Grid) -> str:
    import json

    from diffuse.reports.status.jsonform import grid_data  # only the JSON grid needs it

    payload = {"schema_version": output_schema_version("status"), **grid_data(grid)}
    return json.dumps(payload, indent=2, ensure_ascii=False)


def grid_csv(grid: Grid) -> str:
    """One line per cell: the project's columns (`reports.status.row`) with the cell's."""
    from diffuse.reports.status.row import csv_columns, csv_project

    fields = csv_columns()
    rows = []
    for row in grid.rows:
        project = csv_project(row)
        for col, cell in zip(grid.columns, row.cells, strict=True):
            line = {
                **project,
                "column": col.id,
                "status": cell.status.value,
                "health": cell.health.value,
                "live": cell.live,
                "in_scope": cell.in_scope,
            }
            rows.append([line[name] for name in fields])
    return csv_text(fields, rows)


def _md(text: object) -> str:
    return clean(text).replace("|", "\\|").replace("\n", " ")


# How `status --format markdown` shows a field other than as plain text.
_MARKDOWN_LOOK: dict[str, Callable[[Row], str]] = {
    "live": lambda row: f"{row.live}/{row.in_scope}",
    "days": days_label,
    "forecast": forecast_label,
    "health": lambda row: health_label(row.health),
}


def grid_markdown(grid: Grid) -> str:
    from diffuse.reports.status.row import markdown_fields

    grouped = grid.grouped_by is not None
    shown = markdown_fields()
    head = [*(f.markdown.name for f in shown if f.markdown), *(_md(c.label) for c in grid.columns)]
    lines = [
        f"Status tracker as of {grid.as_of.isoformat()}",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for row in grid.rows:
        cells = [
            look(row) if (look := _MARKDOWN_LOOK.get(f.attr)) else _md(f.write(row)) for f in shown
        ]
        cells += [cell_label(c, grouped) for c in row.cells]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", *legend(grouped).splitlines()]
    return "\n".join(lines) + "\n"


def groupings(group: str, output: str) -> tuple[str | None, ...]:
    """The grids `grid_output` needs for a `--group` choice: with 'auto', text needs the
    grid by region to fall back on when one column per site would not fit."""
    if group == "auto" and output == "text":
        return (None, "region")
    return (None if group in ("auto", "site") else group,)
