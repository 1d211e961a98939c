"""The status grid for a narrow terminal: a line per project, its cells listed below it.

One column per site (or even per region) needs far more than 80 columns; this layout
keeps every figure of the grid and fits any width from 60 up. Nothing is shortened: a
project name too long for its column takes a line of its own, and the cells wrap with a
hanging indent.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from diffuse.render import (
    HEALTH_SYMBOL,
    cell_label,
    clean,
    days_label,
    forecast_label,
    health_label,
    legend,
)
from diffuse.reports.status.grid import Cell, Grid, Row
from diffuse.vocab import Health, SiteStatus

INDENT = "    "


def cell_text(cell: Cell, grouped: bool) -> Text:
    style = HEALTH_SYMBOL[cell.health][1] if cell.in_scope else "dim"
    if not grouped and cell.status in (SiteStatus.NOT_STARTED, SiteStatus.NOT_APPLICABLE):
        style = "dim" if cell.health is Health.ON_TRACK else style
    return Text(cell_label(cell, grouped), style=style)


def compact_lines(grid: Grid, width: int) -> list[Text]:
    grouped = grid.grouped_by is not None
    phase = max([5, *(len(clean(r.phase)) for r in grid.rows)])
    live = max([4, *(len(f"{r.live}/{r.in_scope}") for r in grid.rows)])
    days = max([4, *(len(days_label(r)) for r in grid.rows)])
    fixed = [phase, live, days, 11]
    name = max([7, *(len(clean(r.project)) for r in grid.rows)])
    name = min(name, max(7, width - sum(fixed) - 2 * len(fixed) - 1))
    lines = [Text(f"Status tracker as of {grid.as_of.isoformat()}"), Text()]
    head = f"{'Project':<{name}}  {'Phase':<{phase}}  {'Live':>{live}}  {'Days':>{days}}  Health"
    lines += [Text(head, style="bold"), Text("─" * min(width, len(head) + 5))]
    for row in grid.rows:
        lines += _row_lines(row, grouped, (name, phase, live, days), width, grid)
    lines.append(Text())
    text = legend(grouped, width)
    if grouped:
        note = f"cells: {grid.grouped_by}, live/in-scope sites and worst health"
        text = text.replace("cells: live/in-scope sites and worst health", note)
    lines.append(Text(text, style="dim"))
    return lines


def _row_lines(
    row: Row, grouped: bool, widths: tuple[int, int, int, int], width: int, grid: Grid
) -> list[Text]:
    name, phase, live, days = widths
    project = clean(row.project)
    lines = []
    if len(project) > name:
        lines.append(Text(project))
        project = ""
    figures = Text(
        f"{project:<{name}}  {clean(row.phase):<{phase}}  "
        f"{f'{row.live}/{row.in_scope}':>{live}}  {days_label(row):>{days}}  "
    )
    figures.append(health_label(row.health), style=HEALTH_SYMBOL[row.health][1])
    lines.append(figures)
    items = [Text(f"forecast {forecast_label(row)}")]
    for column, cell in zip(grid.columns, row.cells, strict=True):
        item = Text(f"{clean(column.label)} ")
        item.append_text(cell_text(cell, grouped))
        items.append(item)
    lines += _wrapped(items, width)
    return lines


def _wrapped(items: list[Text], width: int) -> list[Text]:
    """`items` joined by two spaces, wrapped at `width` under a hanging indent."""
    lines: list[Text] = []
    current = Text(INDENT)
    for item in items:
        fits = len(current.plain) + 2 + len(item.plain) <= width
        if current.plain.strip() and not fits:
            lines.append(current)
            current = Text(INDENT)
        if current.plain.strip():
            current.append("  ")
        current.append_text(item)
    lines.append(current)
    return lines


def render_compact(console: Console, grid: Grid) -> None:
    for line in compact_lines(grid, console.width):
        console.print(line)
