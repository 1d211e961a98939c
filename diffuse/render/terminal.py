"""The terminal: the Rich console, and the status grid as a table that fits it.

Kept apart from the package's plain-text views so that a command printing only text
(`validate`, `check`, `history`) never loads Rich's console.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from typing import IO, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from diffuse.escape import clean
from diffuse.render.colour import HEALTH_SYMBOL, colour_forced, colour_off, health_label
from diffuse.render.compact import cell_text, render_compact
from diffuse.render.formats import (
    days_label,
    forecast_label,
    grid_csv,
    grid_json,
    grid_markdown,
    legend,
)
from diffuse.render.plain import short_ids
from diffuse.render.plaintable import (
    HEADS,
    column_widths,
    fitting_grid,
    piped_width,
)
from diffuse.reports.status.grid import Grid, Row


def make_console(file: IO[str] | None = None, width: int | None = None) -> Console:
    stream = file or sys.stdout
    interactive = stream.isatty()
    return Console(
        file=stream,
        width=width or (None if interactive else piped_width()),
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
    console.print(view, crop=False)  # a URL wider than the terminal stays whole (`show._Link`)
    text = out.getvalue()
    return text if colour else "".join(line.rstrip() + "\n" for line in text.splitlines())


def grid_table(grid: Grid, width: int | None = None) -> Table:
    """The grid with every column's width decided here: figures are never cut, group names
    wrap in the header, and only project names are shortened to fit `width`."""
    grouped = grid.grouped_by is not None
    rows = [_row_cells(row, grouped) for row in grid.rows]
    widths = column_widths(grid, [[t.plain for t in cells] for cells in rows], width)
    # Ids too long for the column are cut in the middle, each label still telling its
    # project apart (generated ids often differ only at the end).
    labels, widths[0] = short_ids([cells[0].plain for cells in rows], widths[0])
    widths[0] = max(widths[0], len(HEADS[0]))
    for cells in rows:
        cells[0] = Text(labels[cells[0].plain])
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


def render_grid_text(console: Console, grid: Grid) -> None:
    if not grid.rows:
        console.print("No projects match.")
        return
    console.print(grid_table(grid, console.width))
    console.print(Text(legend(grid.grouped_by is not None, console.width), style="dim"))


def grid_output(console: Console, grids: Sequence[Grid], output: str) -> None:
    """Print the first of `grids` (as built for `groupings`), or the second when the first
    does not fit the console."""
    grid, fits = fitting_grid(grids, console.width)
    if output == "text":
        # A grid too wide for the terminal becomes a line per project with its cells listed
        # below it: every figure is kept, none is cut.
        if not fits:
            render_compact(console, grid)
            return
        render_grid_text(console, grid)
        return
    writer = {"json": grid_json, "csv": grid_csv, "markdown": grid_markdown}[output]
    text = writer(grid)
    console.out(text if text.endswith("\n") else text + "\n", end="", highlight=False)
