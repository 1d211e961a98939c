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

from diffuse.errors import Level, Location, Problem
from diffuse.reports import resultcache
from diffuse.reports.grid import Filters, Grid, Row
from diffuse.reports.gridjson import _row_data, _row_from_data, grid_data, grid_from_data

if TYPE_CHECKING:
    from diffuse.rules.load import Loaded


def status_grids(
    root: Path, as_of: date, filters: Filters, groupings: Sequence[str | None]
) -> tuple[list[Grid], list[Problem]]:
    """One grid per grouping, built together from one reading of the tracker, and the
    tracker's problems."""
    entry = resultcache.key(root, "status-grid", as_of, filters, *groupings)
    cached = resultcache.get(entry)
    if cached is not None:
        problems = [_problem(root, p) for p in cached["problems"]]
        return [grid_from_data(g) for g in cached["grids"]], problems
    grids, problems = _compute(root, as_of, filters, groupings)
    stored = [_stored(root, p) for p in problems]
    resultcache.put(entry, {"grids": [grid_data(g) for g in grids], "problems": stored})
    return grids, problems


def _compute(
    root: Path, as_of: date, filters: Filters, groupings: Sequence[str | None]
) -> tuple[list[Grid], list[Problem]]:
    # Imported here: loading the tracker needs pydantic and PyYAML, a cached run does not.
    from diffuse.reports.status import check_filters
    from diffuse.reports.tracker import build_grids, empty_grids
    from diffuse.rules.load import load_tracker

    loaded = load_tracker(root)
    check_filters(loaded, filters)
    # The rows of the last grids for the same request, kept with the state of the files
    # each came from: after an edit, only the rows of changed projects are worked out.
    latest = resultcache.options_key("status-rows", root.resolve(), as_of, filters, *groupings)
    sources = _sources(loaded)
    empty = empty_grids(loaded.org, as_of, filters, groupings)
    known = _known(resultcache.get(latest), sources, empty)
    grids = build_grids(loaded.catalog, as_of, filters, groupings, known)
    if sources:
        rows = {
            pid: None
            if rows is None
            else [_row_data(g, r) for g, r in zip(grids, rows, strict=True)]
            for pid, rows in known.items()
            if pid in sources
        }
        resultcache.put(latest, {"sources": sources, "rows": rows})
    return grids, loaded.problems


def _sources(loaded: Loaded) -> dict[str, str]:
    """The state of the files each project's rows come from, where the file cache knows
    it: the project file's entry, and the organisation and practices it was read with."""
    state = loaded.catalog.cache
    if state is None:
        return {}
    return {pid: f"{key} {state.context}" for pid, key in state.keys.items()}


def _known(
    previous: Any, sources: dict[str, str], grids: list[Grid]
) -> dict[str, list[Row] | None]:
    """The rows kept for projects whose files have not changed since."""
    if not isinstance(previous, dict):
        return {}
    try:
        rows, before = previous["rows"], previous["sources"]
        return {
            pid: None
            if rows[pid] is None
            else [_row_from_data(g.columns, d) for g, d in zip(grids, rows[pid], strict=True)]
            for pid, source in sources.items()
            if before.get(pid) == source and pid in rows
        }
    except (KeyError, TypeError, ValueError, AttributeError):
        return {}


def _stored(root: Path, problem: Problem) -> list[Any]:
    path = problem.location.path
    shown = path.relative_to(root) if path.is_absolute() and path.is_relative_to(root) else path
    loc = problem.location
    return [str(shown), loc.line, loc.col, problem.code, problem.message, problem.level.value]


def _problem(root: Path, stored: list[Any]) -> Problem:
    path, line, col, code, message, level = stored
    return Problem(Location(root / path, line, col), code, message, Level(level))
