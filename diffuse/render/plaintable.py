"""The status grid's layout (its columns' widths, whether it fits), and the grid written as
plain text without Rich where Rich would write plain text.

Piped or saved to a file, the grid is text without colour, and Rich's console and table
cost more to import than reading a cached grid. `plain_grids` makes such a grid's text,
byte for byte as `terminal.grid_table` draws it on Rich's console; everything else is
Rich's to draw (`tableout`): a terminal, colour forced on, another format than text, a
grid too wide (the compact view), a header Rich might wrap otherwise, or a character other
than printable ASCII and the grid's own symbols, whose width on screen only Rich knows.
"""

from __future__ import annotations

import builtins
import os
import sys
from collections.abc import Sequence
from typing import IO

from diffuse.escape import clean
from diffuse.render.colour import HEALTH_SYMBOL, STATUS_SYMBOL, colour_forced, health_label
from diffuse.render.formats import cell_label, days_label, forecast_label, legend
from diffuse.render.plain import short_ids
from diffuse.reports.status.grid import Grid, Row

HEADS = ["Project", "Phase", "Live", "Days", "Forecast", "Health"]
JUSTIFY = ["left", "left", "right", "right", "right", "left"]  # the sites' columns: center
SHORTEST_PROJECT = 14
# One cell wide on any terminal: printable ASCII, the grid's symbols, a shortened id's '…'.
ONE_CELL = frozenset(
    [chr(c) for c in range(0x20, 0x7F)]
    + [sym for sym, _ in (*STATUS_SYMBOL.values(), *HEALTH_SYMBOL.values())]
    + ["…"]
)
_RULE = "─"  # the line under the header (Rich's SIMPLE_HEAD box)


def piped_width() -> int:
    try:
        return max(40, int(os.environ.get("COLUMNS", "")))
    except ValueError:
        return 100


def column_widths(grid: Grid, rows: list[list[str]], width: int | None) -> list[int]:
    widths = [max([len(head), *(len(r[i]) for r in rows)]) for i, head in enumerate(HEADS)]
    for offset, column in enumerate(grid.columns, start=len(HEADS)):
        longest_word = max((len(w) for w in clean(column.label).split()), default=1)
        widths.append(max([longest_word, *(len(r[offset]) for r in rows)]))
    if width is not None:
        spare = width - table_width(widths)
        widths[0] = max(min(widths[0], SHORTEST_PROJECT), widths[0] + min(spare, 0))
    return widths


def table_width(widths: list[int]) -> int:
    # Per column a space of padding each side (none at the outer edges), a divider between
    # columns and the box's two edges: 3 characters a column, less one.
    return sum(widths) + 3 * len(widths) - 1


def grid_width(grid: Grid) -> int:
    """The least width the grid needs: project names at their shortest."""
    grouped = grid.grouped_by is not None
    rows = [row_labels(row, grouped) for row in grid.rows]
    widths = column_widths(grid, rows, None)
    widths[0] = min(widths[0], SHORTEST_PROJECT)
    return table_width(widths)


def row_labels(row: Row, grouped: bool) -> list[str]:
    """The text of each of the row's cells."""
    return [
        clean(row.project),
        clean(row.phase),
        f"{row.live}/{row.in_scope}",
        days_label(row),
        forecast_label(row),
        health_label(row.health),
        *(cell_label(c, grouped) for c in row.cells),
    ]


def grid_fits(grid: Grid, width: int) -> bool:
    # Every column takes at least four characters: a grid of a thousand sites is known not
    # to fit before any of its cells is measured.
    return table_width([1] * (len(HEADS) + len(grid.columns))) <= width and (
        grid_width(grid) <= width
    )


def fitting_grid(grids: Sequence[Grid], width: int) -> tuple[Grid, bool]:
    """The first of `grids`, or the second when the first does not fit; and whether the
    one chosen fits."""
    grid = grids[0]
    fits = not grid.rows or grid_fits(grid, width)
    if len(grids) > 1 and not fits:
        grid = grids[1]
        fits = not grid.rows or grid_fits(grid, width)
    return grid, fits


def plain_grids(grids: Sequence[Grid], output: str, stream: IO[str]) -> str | None:
    """What `terminal.grid_output` prints to `stream` for `grids`, or None when only Rich
    can say."""
    if output != "text" or not _plain(stream):
        return None
    width = piped_width()
    grid, fits = fitting_grid(grids, width)
    if not fits:
        return None
    if not grid.rows:
        return "No projects match.\n"
    table = _table(grid, width)
    notes = legend(grid.grouped_by is not None, width).split("\n")
    if table is None or not all(_one_line(note, width) for note in notes):
        return None
    return "".join(line + "\n" for line in table + notes)


def _plain(stream: IO[str]) -> bool:
    """Whether Rich's console would write plain text to `stream`, as wide as `piped_width`:
    not a terminal and not told it is one, no colour forced, a UTF encoding, no notebook."""
    if sys.platform == "win32" or colour_forced() or hasattr(builtins, "get_ipython"):
        return False
    if os.environ.get("TTY_COMPATIBLE") == "1" or hasattr(stream, "rich_proxied_file"):
        return False
    try:
        if stream.isatty():
            return False
    except ValueError:
        return False
    return (getattr(stream, "encoding", None) or "utf-8").lower().startswith("utf")


def _one_line(text: str, width: int) -> bool:
    return len(text) <= width and all(c in ONE_CELL for c in text)


def _table(grid: Grid, width: int) -> list[str] | None:
    """The lines of `terminal.grid_table(grid, width)` as Rich draws it: a left-justified
    title, the SIMPLE_HEAD box, header cells aligned to the bottom. None when a cell is not
    one plain line within its column."""
    grouped = grid.grouped_by is not None
    rows = [row_labels(row, grouped) for row in grid.rows]
    widths = column_widths(grid, rows, width)
    labels, widths[0] = short_ids([cells[0] for cells in rows], widths[0])
    widths[0] = max(widths[0], len(HEADS[0]))
    justify = JUSTIFY + ["center"] * len(grid.columns)
    heads: list[list[str]] = [[head] for head in HEADS]
    for offset, column in enumerate(grid.columns, start=len(HEADS)):
        wrapped = _wrapped(clean(column.label), widths[offset])
        if wrapped is None:
            return None
        heads.append(wrapped)
    body = [[labels[cells[0]], *cells[1:]] for cells in rows]
    for cells in body:
        for cell, room in zip(cells, widths, strict=True):
            if not _one_line(cell, room) or cell != cell.strip():
                return None
    total = table_width(widths)
    lines = [f"Status tracker as of {grid.as_of.isoformat()}".ljust(total), " " * total]
    height = max(len(head) for head in heads)
    for depth in range(height):
        shown = [
            head[depth - height + len(head)] if depth >= height - len(head) else ""
            for head in heads
        ]
        lines.append(_row(shown, widths, justify))
    lines.append(" " + _RULE * (total - 2) + " ")
    lines += [_row(cells, widths, justify) for cells in body]
    lines.append(" " * total)
    return lines


def _wrapped(label: str, width: int) -> list[str] | None:
    """`label` in lines of at most `width`, whole words filled greedily, as Rich wraps a
    header; None for a label spaced or spelt in a way Rich might wrap otherwise."""
    words = label.split(" ")
    if not all(words) or not all(_one_line(word, width) for word in words):
        return None
    lines = [words[0]]
    for word in words[1:]:
        if len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _row(cells: list[str], widths: list[int], justify: list[str]) -> str:
    # An edge of one space each side, and a space of padding either side of each divider.
    return " " + "   ".join(map(_justified, cells, widths, justify)) + " "


def _justified(text: str, width: int, justify: str) -> str:
    if justify == "right":
        return text.rjust(width)
    if justify == "center":
        left = (width - len(text)) // 2
        return " " * left + text + " " * (width - len(text) - left)
    return text.ljust(width)
