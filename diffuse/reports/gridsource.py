"""The status grid for one request: from the result cache when the tracker is unchanged,
otherwise computed from the files (and then cached).

This module and what it imports on a cache hit stay free of pydantic and YAML, which is
what keeps a repeated `diffuse status` quick.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diffuse.errors import Level, Location, Problem
from diffuse.reports import resultcache
from diffuse.reports.grid import Filters, Grid

if TYPE_CHECKING:
    from diffuse.rules.load import Loaded


@dataclass
class GridSource:
    root: Path
    as_of: date
    filters: Filters
    problems: list[Problem] = field(default_factory=list)
    _loaded: Loaded | None = None
    _files: str = ""

    def grid(self, group_by: str | None) -> Grid:
        # Read once: `status` may ask for the grid twice (per site, then per region).
        self._files = self._files or resultcache.files_digest(self.root)
        entry = resultcache.key(
            self.root, "status-grid", self.as_of, self.filters, group_by, files=self._files
        )
        cached = resultcache.get(entry)
        if cached is not None:
            self.problems = [_problem(self.root, p) for p in cached["problems"]]
            grid: Grid = resultcache.decode(Grid, cached["grid"])
            return grid
        grid = self._compute(group_by)
        stored = [_stored(self.root, p) for p in self.problems]
        resultcache.put(entry, {"grid": resultcache.encode(grid), "problems": stored})
        return grid

    def _compute(self, group_by: str | None) -> Grid:
        from diffuse.reports.status import check_filters, status_grid
        from diffuse.rules.load import load_tracker

        if self._loaded is None:
            self._loaded = load_tracker(self.root)
            check_filters(self._loaded, self.filters)
        self.problems = self._loaded.problems
        return status_grid(self._loaded, self.as_of, self.filters, group_by)


def _stored(root: Path, problem: Problem) -> list[Any]:
    path = problem.location.path
    shown = path.relative_to(root) if path.is_absolute() and path.is_relative_to(root) else path
    loc = problem.location
    return [str(shown), loc.line, loc.col, problem.code, problem.message, problem.level.value]


def _problem(root: Path, stored: list[Any]) -> Problem:
    path, line, col, code, message, level = stored
    return Problem(Location(root / path, line, col), code, message, Level(level))
