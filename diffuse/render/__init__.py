"""Everything the user reads: the grid, problem lists, gate reports, practice and project views.

The only module besides `cli` that imports Rich. Text from YAML files is always passed as
`rich.text.Text` (never parsed as markup) after control characters are made visible
(`escape.clean`).
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import IO, TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from diffuse.errors import Problem
from diffuse.escape import clean as clean  # re-exported: every view escapes with it
from diffuse.render.csvtext import csv_text
from diffuse.reports.grid import Cell, Grid, Row
from diffuse.reports.gridjson import grid_data
from diffuse.vocab import OUTPUT_SCHEMA_VERSION, Health, SiteStatus

if TYPE_CHECKING:
    from diffuse.models import Workflow
    from diffuse.rules.gates import GateReport

STATUS_SYMBOL = {
    SiteStatus.NOT_STARTED: ("·", "dim"),
    SiteStatus.PLANNING: ("◔", "cyan"),
    SiteStatus.IMPLEMENTING: ("◑", "blue"),
    SiteStatus.LIVE: ("●", "green"),
    SiteStatus.SUSTAINED: ("★", "bold green"),
    SiteStatus.NOT_APPLICABLE: ("–", "dim"),
}
HEALTH_SYMBOL = {
    Health.ON_TRACK: ("✓", "green"),
    Health.AT_RISK: ("!", "yellow"),
    Health.OFF_TRACK: ("✗", "bold red"),
}


def make_console(file: IO[str] | None = None, width: int | None = None) -> Console:
    stream = file or sys.stdout
    interactive = stream.isatty()
    return Console(
        file=stream,
        width=width or (None if interactive else _piped_width()),
        highlight=False,
        emoji=False,
        soft_wrap=False,
        no_color=colour_off(),
        force_terminal=True if colour_forced() else None,
    )


def rendered(view: Any, width: int, colour: bool) -> str:
    """`view` as text `width` wide, for a pager or a pipe; without colour, the padding
    Rich adds at the ends of lines is taken off."""
    out = io.StringIO()
    console = Console(
        file=out,
        width=width,
        force_terminal=colour,
        no_color=not colour,
        color_system="auto" if colour else None,
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )
    console.print(view)
    text = out.getvalue()
    return text if colour else "".join(line.rstrip() + "\n" for line in text.splitlines())


def colour_off() -> bool:
    """NO_COLOR turns colour off when it is set and not empty (no-color.org)."""
    return bool(os.environ.get("NO_COLOR"))


def colour_forced() -> bool:
    """Colour even when piped: FORCE_COLOR set and not empty, or CLICOLOR_FORCE not 0."""
    force = os.environ.get("CLICOLOR_FORCE", "")
    return bool(os.environ.get("FORCE_COLOR")) or (force != "" and force != "0")


def _piped_width() -> int:
    try:
        return max(40, int(os.environ.get("COLUMNS", "")))
    except ValueError:
        return 100


# -- problems ---------------------------------------------------------------------------


def problems_text(problems: Iterable[Problem]) -> str:
    return "\n".join(clean(p) for p in problems)


def problems_summary(problems: list[Problem], files: int) -> str:
    if not problems:
        return f"ok: {files} file(s) valid"
    broken = len({p.location.path for p in problems})
    return f"{len(problems)} problem(s) in {broken} of {files} file(s)"


# -- the grid ---------------------------------------------------------------------------


def cell_label(cell: Cell, grouped: bool) -> str:
    health = HEALTH_SYMBOL[cell.health][0]
    if cell.in_scope == 0:
        return STATUS_SYMBOL[SiteStatus.NOT_APPLICABLE][0]
    if grouped:
        return f"{cell.live}/{cell.in_scope}{health}"
    return f"{STATUS_SYMBOL[cell.status][0]}{health}"


def cell_text(cell: Cell, grouped: bool) -> Text:
    style = HEALTH_SYMBOL[cell.health][1] if cell.in_scope else "dim"
    if not grouped and cell.status in (SiteStatus.NOT_STARTED, SiteStatus.NOT_APPLICABLE):
        style = "dim" if cell.health is Health.ON_TRACK else style
    return Text(cell_label(cell, grouped), style=style)


def health_label(health: Health) -> str:
    return f"{HEALTH_SYMBOL[health][0]} {health.value}"


def days_label(row: Row) -> str:
    if row.days is None or row.target is None or row.approved is None:
        return "-"
    return f"{row.days}/{(row.target - row.approved).days}"


def forecast_label(row: Row) -> str:
    return row.forecast.label if row.forecast else "n/a"


HEADS = ["Project", "Phase", "Live", "Days", "Forecast", "Health"]
SHORTEST_PROJECT = 14


def grid_table(grid: Grid, width: int | None = None) -> Table:
    """The grid with every column's width decided here: figures are never cut, group names
    wrap in the header, and only project names are shortened to fit `width`."""
    grouped = grid.grouped_by is not None
    rows = [_row_cells(row, grouped) for row in grid.rows]
    widths = _column_widths(grid, rows, width)
    table = Table(
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1),
        safe_box=True,
        title=f"Status tracker as of {grid.as_of.isoformat()}",
        title_justify="left",
    )
    for index, head in enumerate(HEADS):
        right = head in ("Live", "Days", "Forecast")
        table.add_column(
            head,
            width=widths[index],
            no_wrap=True,
            overflow="ellipsis",
            justify="right" if right else "left",
        )
    for offset, column in enumerate(grid.columns, start=len(HEADS)):
        table.add_column(Text(clean(column.label)), width=widths[offset], justify="center")
    for cells in rows:
        table.add_row(*cells)
    return table


def _column_widths(grid: Grid, rows: list[list[Text]], width: int | None) -> list[int]:
    widths = [max([len(head), *(len(r[i].plain) for r in rows)]) for i, head in enumerate(HEADS)]
    for offset, column in enumerate(grid.columns, start=len(HEADS)):
        longest_word = max((len(w) for w in clean(column.label).split()), default=1)
        widths.append(max([longest_word, *(len(r[offset].plain) for r in rows)]))
    if width is not None:
        spare = width - table_width(widths)
        widths[0] = max(min(widths[0], SHORTEST_PROJECT), widths[0] + min(spare, 0))
    return widths


def table_width(widths: list[int]) -> int:
    # Per column a space of padding each side (none at the outer edges), a divider between
    # columns and the box's two edges: 3 characters a column, less one.
    return sum(widths) + 3 * len(widths) - 1


def _row_cells(row: Row, grouped: bool) -> list[Text]:
    return [
        Text(clean(row.project)),
        Text(clean(row.phase)),
        Text(f"{row.live}/{row.in_scope}"),
        Text(days_label(row)),
        Text(forecast_label(row)),
        Text(health_label(row.health), style=HEALTH_SYMBOL[row.health][1]),
        *(cell_text(c, grouped) for c in row.cells),
    ]


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


def render_grid_text(console: Console, grid: Grid) -> None:
    if not grid.rows:
        console.print("No projects match.")
        return
    console.print(grid_table(grid, console.width))
    console.print(Text(legend(grid.grouped_by is not None, console.width), style="dim"))


def grid_width(grid: Grid) -> int:
    """The least width the grid needs: project names at their shortest."""
    rows = [_row_cells(row, grid.grouped_by is not None) for row in grid.rows]
    widths = _column_widths(grid, rows, None)
    widths[0] = min(widths[0], SHORTEST_PROJECT)
    return table_width(widths)


def grid_fits(grid: Grid, width: int) -> bool:
    return grid_width(grid) <= width


def grid_json(grid: Grid) -> str:
    payload = {"schema_version": OUTPUT_SCHEMA_VERSION, **grid_data(grid)}
    return json.dumps(payload, indent=2, ensure_ascii=False)


def grid_csv(grid: Grid) -> str:
    fields = [
        "project",
        "practice",
        "phase",
        "project_health",
        "column",
        "status",
        "health",
        "live",
        "in_scope",
        "forecast",
    ]
    rows = [
        [
            row.project,
            row.practice,
            row.phase,
            row.health.value,
            col.id,
            cell.status.value,
            cell.health.value,
            cell.live,
            cell.in_scope,
            forecast_label(row),
        ]
        for row in grid.rows
        for col, cell in zip(grid.columns, row.cells, strict=True)
    ]
    return csv_text(fields, rows)


def _md(text: object) -> str:
    return clean(text).replace("|", "\\|").replace("\n", " ")


def grid_markdown(grid: Grid) -> str:
    grouped = grid.grouped_by is not None
    head = [
        "Project",
        "Phase",
        "Live",
        "Days",
        "Forecast",
        "Health",
        *(_md(c.label) for c in grid.columns),
    ]
    lines = [
        f"Status tracker as of {grid.as_of.isoformat()}",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for row in grid.rows:
        cells = [
            _md(row.project),
            _md(row.phase),
            f"{row.live}/{row.in_scope}",
            days_label(row),
            forecast_label(row),
            health_label(row.health),
            *(cell_label(c, grouped) for c in row.cells),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", *legend(grouped).splitlines()]
    return "\n".join(lines) + "\n"


# -- gate reports -----------------------------------------------------------------------


SITES_HEADING = "Sites: live, not-applicable with a reason, or excepted by diffusion oversight"


def gate_text(report: GateReport, workflow: Workflow) -> str:
    head = f"{report.project}: {report.current} -> {report.target}"
    if report.passed:
        return f"{head}: gate met"
    lines = [f"{head}: gate NOT met, {len(report.gaps)} item(s) missing"]
    for role, gaps in report.by_role().items():
        heading = workflow.role_name(role) if role else SITES_HEADING
        lines.append(f"  {clean(heading)}:")
        lines += [f"    ✗ [{gap.kind}] {clean(gap.item)}: {clean(gap.text)}" for gap in gaps]
    return "\n".join(lines)


def groupings(group: str, output: str) -> tuple[str | None, ...]:
    """The grids `grid_output` needs for a `--group` choice: with 'auto', text needs the
    grid by region to fall back on when one column per site would not fit."""
    if group == "auto" and output == "text":
        return (None, "region")
    return (None if group in ("auto", "site") else group,)


def grid_output(console: Console, grids: Sequence[Grid], output: str) -> None:
    """Print the first of `grids` (as built for `groupings`), or the second when the first
    does not fit the console."""
    grid = grids[0]
    if len(grids) > 1 and grid.rows and not grid_fits(grid, console.width):
        grid = grids[1]
    if output == "text":
        # A grid too wide for the terminal becomes a line per project with its cells listed
        # below it: every figure is kept, none is cut.
        if grid.rows and not grid_fits(grid, console.width):
            from diffuse.render.compact import render_compact

            render_compact(console, grid)
            return
        render_grid_text(console, grid)
        return
    writer = {"json": grid_json, "csv": grid_csv, "markdown": grid_markdown}[output]
    text = writer(grid)
    console.out(text if text.endswith("\n") else text + "\n", end="", highlight=False)


def advance_text(outcome: Any) -> str:
    lines = [gate_text(outcome.report, outcome.workflow)]
    if outcome.report.passed and outcome.dry_run:
        lines.append("dry run: nothing was changed")
    elif outcome.path is not None:
        lines.append(f"recorded in {clean(outcome.path)}")
        if outcome.practice is not None:
            practice, old, new = outcome.practice
            lines.append(f"practice {clean(practice)}: {old} -> {new}")
    if outcome.commit:
        lines.append(f"committed {outcome.commit}")
    return "\n".join(lines)
