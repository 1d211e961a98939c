"""The status grids for one request, built together: from the result cache when the tracker
is unchanged, otherwise computed from the files (and then cached).

This module and what it imports on a cache hit stay free of pydantic and YAML, which is
what keeps a repeated `diffuse status` quick.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diffuse import gcpause
from diffuse.cache import results
from diffuse.cache.days import holds
from diffuse.errors import Level, Location, Problem
from diffuse.reading import handover
from diffuse.reports.status.grid import Cell, Filters, Grid, Row, check_filters
from diffuse.reports.status.pack import Packer, cell_table, pack_grids, unpack_grids, unpack_row

if TYPE_CHECKING:
    from diffuse.rules.load import Loaded


def status_grids(
    root: Path, as_of: date, filters: Filters, groupings: Sequence[str | None]
) -> tuple[list[Grid], list[Problem]]:
    """One grid per grouping, built together from one reading of the tracker, and the
    tracker's problems."""
    with gcpause.paused():
        return _grids(root, as_of, filters, groupings)


def _grids(
    root: Path, as_of: date, filters: Filters, groupings: Sequence[str | None]
) -> tuple[list[Grid], list[Problem]]:
    files = results.look(root)
    if not results.enabled():  # DIFFUSE_NO_CACHE: no entry to key, look up or write
        with handover.handed(files.kept):
            grids, problems, _ = _compute(root, (as_of, None), filters, groupings, None)
        return grids, problems
    # Keyed, for a day gone by, by the commit its undated fields are read from
    # (`reports.asof`); not by today, though the problems shown with the grid check dates
    # against it: the entry says on which days they hold (`cache.days`).
    from diffuse.repo.dated import commit_on  # git, for an earlier day only

    today = date.today()
    commit = commit_on(root, as_of) if as_of < today else None
    entry = results.key(root, "status-grid", commit, as_of, filters, *groupings, files=files.digest)
    cached = results.get(entry)
    if isinstance(cached, dict) and holds(cached.get("days"), today):
        try:
            problems = [_problem(root, p) for p in cached["problems"]]
            return unpack_grids(cached["grids"]), problems
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            pass  # not what this diffuse writes: worked out again
    packer = Packer()  # the rows of both entries packed once
    with handover.handed(files.kept):
        grids, problems, loaded = _compute(root, (as_of, commit), filters, groupings, packer)
    catalog = loaded.catalog
    if results.unchanged(root, files, catalog.read):  # else a file changed meanwhile
        stored = [_stored(root, p) for p in problems]
        grid = pack_grids(grids, packer)
        results.put(entry, {"grids": grid, "problems": stored, "days": catalog.validity()})
    return grids, problems


def _compute(
    root: Path,
    day: tuple[date, str | None],
    filters: Filters,
    groupings: Sequence[str | None],
    packer: Packer | None,
) -> tuple[list[Grid], list[Problem], Loaded]:
    """The grids and problems, from the files; with a `packer`, the rows are also kept in
    the cache for the next run to reuse those of unchanged projects."""
    # Imported here: loading the tracker needs pydantic and PyYAML, a cached run does not.
    from diffuse.reports.status.build import build_grids, empty_grids
    from diffuse.reports.status.streamed import RowsAsRead
    from diffuse.rules.load import load_tracker

    as_of, commit = day  # the day, and the commit its undated fields come from
    # Each project read from its file has its rows made then, and its model dropped.
    read = RowsAsRead(as_of, filters, groupings)
    loaded = load_tracker(root, keep_models=False, visit=read)
    check_filters(loaded.catalog, loaded.org, filters)
    if packer is None:
        grids = build_grids(loaded.catalog, as_of, filters, groupings, read.rows)
        return grids, loaded.problems, loaded
    # The rows of the last grids for the same request, kept with the state of the files
    # each came from: after an edit, only the rows of changed projects are worked out.
    latest = results.options_key("status-rows", root.resolve(), as_of, commit, filters, *groupings)
    sources = _sources(loaded)
    empty = empty_grids(loaded.org, as_of, filters, groupings)
    known = read.rows | _known(results.get(latest), sources, empty, packer)
    grids = build_grids(loaded.catalog, as_of, filters, groupings, known)
    if sources:
        rows = {
            pid: None if rows is None else [packer.row(r) for r in rows]
            for pid, rows in known.items()
            if pid in sources
        }
        columns = [[c.id for c in g.columns] for g in grids]
        table = packer.table()
        results.put(latest, {"sources": sources, "columns": columns, "cells": table, "rows": rows})
    return grids, loaded.problems, loaded


def _sources(loaded: Loaded) -> dict[str, str]:
    """The state of the files each project's rows come from, where the file cache knows
    it: the project file's entry, and the organisation and practices it was read with."""
    state = loaded.catalog.cache
    if state is None:
        return {}
    return {pid: f"{key} {state.context}" for pid, key in state.keys.items()}


def _known(
    previous: Any, sources: dict[str, str], grids: list[Grid], packer: Packer
) -> dict[str, list[Row] | None]:
    """The rows kept for projects whose files have not changed since; `packer` adopts
    their table, so they are written back as they were read, without packing them again."""
    if not isinstance(previous, dict):
        return {}
    try:
        rows, before, table = previous["rows"], previous["sources"], cell_table(previous["cells"])
        widths = [len(g.columns) for g in grids]
        if previous["columns"] != [[c.id for c in g.columns] for g in grids]:
            return {}  # rows of other sites
        known = {
            pid: None if rows[pid] is None else list(zip(widths, rows[pid], strict=True))
            for pid, source in sources.items()
            if before.get(pid) == source and pid in rows
        }
        adopted = packer.adopt(table)
        return {
            pid: None if kept is None else _rows(table, kept, packer if adopted else None)
            for pid, kept in known.items()
        }
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return {}


def _rows(table: list[Cell], kept: list[tuple[int, Any]], packer: Packer | None) -> list[Row]:
    rows = [unpack_row(table, width, data) for width, data in kept]
    if packer is not None:
        for row, (_, data) in zip(rows, kept, strict=True):
            packer.keep(row, data)
    return rows


def _stored(root: Path, problem: Problem) -> list[Any]:
    path = problem.location.path
    shown = path.relative_to(root) if path.is_absolute() and path.is_relative_to(root) else path
    loc = problem.location
    return [str(shown), loc.line, loc.col, problem.code, problem.message, problem.level.value]


def _problem(root: Path, stored: list[Any]) -> Problem:
    path, line, col, code, message, level = stored
    return Problem(Location(root / path, line, col), code, message, Level(level))
