"""Status rows as the result cache keeps them: short lists rather than `jsonform`'s named
fields, and each distinct cell once.

A tracker of thousands of projects has hundreds of thousands of cells but only a few
hundred distinct ones (a status, a health and two counts), so rows name cells by their
place in one table. Reading ten thousand rows back is then a list lookup per cell instead of
a dictionary and two enumeration look-ups, and the text to decode is a fraction of the size.
A row's fields are those `reports.status.row` declares. Anything that does not look right
raises ValueError, KeyError, TypeError or IndexError: the caller treats the entry as
missing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from diffuse.reports.status.grid import Cell, Column, Grid, Row
from diffuse.reports.status.row import FIELDS, Field, row_values
from diffuse.vocab import Health, SiteStatus

_STATUS = {s.value: s for s in SiteStatus}
_HEALTH = {h.value: h for h in Health}


def kept() -> list[Field]:
    """What a packed row keeps, before its cells: each field read back from JSON (not
    those worked out from others), as JSON writes it, in `status.row.FIELDS` order."""
    return [f for f in FIELDS if f.read is not None and f.json is not None]


class Packer:
    """Packs rows, collecting the table of their distinct cells."""

    def __init__(self) -> None:
        self.cells: dict[Cell, int] = {}
        # Rows read back share their table's cells: most are found by identity, without
        # hashing their fields (the cells stay referenced by `cells`, so ids are not reused).
        self.seen: dict[int, int] = {}
        self.rows: dict[int, tuple[Row, list[Any]]] = {}  # a row packed once per request

    def row(self, row: Row) -> list[Any]:
        if id(row) in self.rows:
            return self.rows[id(row)][1]
        seen = self.seen
        cells = [seen[id(c)] if id(c) in seen else self._add(c) for c in row.cells]
        packed = [f.write(row) for f in kept()]
        packed.append(cells)
        self.rows[id(row)] = (row, packed)  # the row kept, so its id is not reused
        return packed

    def adopt(self, table: list[Cell]) -> bool:
        """Start from the table of an earlier entry, so its packed rows stay as they are
        (`keep`); False, and nothing adopted, when the table names a cell twice."""
        if self.cells or len(set(table)) != len(table):
            return False
        for cell in table:
            self._add(cell)
        return True

    def keep(self, row: Row, packed: list[Any]) -> None:
        """`row`, read back from `packed` against the adopted table, packs as `packed`."""
        self.rows[id(row)] = (row, packed)

    def _add(self, cell: Cell) -> int:
        index = self.seen[id(cell)] = self.cells.setdefault(cell, len(self.cells))
        return index

    def table(self) -> list[list[Any]]:
        return [[c.status.value, c.health.value, c.live, c.in_scope] for c in self.cells]


def cell_table(data: list[list[Any]]) -> list[Cell]:
    """The inverse of `Packer.table`."""
    return [Cell(int(i), int(n), _STATUS[s], _HEALTH[h]) for s, h, n, i in data]


def unpack_row(table: list[Cell], columns: int, data: list[Any]) -> Row:
    """The inverse of `Packer.row`, for a grid of `columns` columns."""
    fields = kept()
    if len(data) != len(fields) + 1:
        raise ValueError("a row of another shape")
    cells = data[-1]
    if len(cells) != columns or (cells and min(cells) < 0):
        raise ValueError("a row that does not fit its grid")
    values = row_values({f.json or f.attr: v for f, v in zip(fields, data, strict=False)})
    return Row(cells=[table[i] for i in cells], **values)


def pack_grids(grids: list[Grid], packer: Packer | None = None) -> dict[str, Any]:
    packer = packer or Packer()
    packed = [
        {
            "as_of": grid.as_of.isoformat(),
            "target_months": grid.target_months,
            "grouped_by": grid.grouped_by,
            "columns": [[c.id, c.label, list(c.site_ids)] for c in grid.columns],
            "rows": [packer.row(row) for row in grid.rows],
        }
        for grid in grids
    ]
    return {"cells": packer.table(), "grids": packed}


def unpack_grids(data: dict[str, Any]) -> list[Grid]:
    """The inverse of `pack_grids`."""
    table = cell_table(data["cells"])
    grids = []
    for grid in data["grids"]:
        columns = [Column(i, label, tuple(sites)) for i, label, sites in grid["columns"]]
        rows = [unpack_row(table, len(columns), r) for r in grid["rows"]]
        as_of = date.fromisoformat(grid["as_of"])
        grids.append(Grid(as_of, grid["target_months"], columns, rows, grid["grouped_by"]))
    return grids
