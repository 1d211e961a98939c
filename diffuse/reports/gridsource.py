"""The status grids for one request, built together: from the result cache when the tracker
is unchanged, otherwise computed from the files (and then cached).

This module and what it imports on a cache hit stay free of pydantic and YAML, which is
what keeps a repeated `diffuse status` quick.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from diffuse.errors import Level, Location, Problem
from diffuse.reports import resultcache
from diffuse.reports.grid import Filters, Grid
from diffuse.reports.gridjson import grid_data, grid_from_data


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
    from diffuse.reports.tracker import build_grids
    from diffuse.rules.load import load_tracker

    loaded = load_tracker(root)
    check_filters(loaded, filters)
    return build_grids(loaded.catalog, as_of, filters, groupings), loaded.problems


def _stored(root: Path, problem: Problem) -> list[Any]:
    path = problem.location.path
    shown = path.relative_to(root) if path.is_absolute() and path.is_relative_to(root) else path
    loc = problem.location
    return [str(shown), loc.line, loc.col, problem.code, problem.message, problem.level.value]


def _problem(root: Path, stored: list[Any]) -> Problem:
    path, line, col, code, message, level = stored
    return Problem(Location(root / path, line, col), code, message, Level(level))
