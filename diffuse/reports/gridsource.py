"""The status grid for one request: from the result cache when the tracker is unchanged,
otherwise computed from the files (and then cached).

This module and what it imports on a cache hit stay free of pydantic and YAML, which is
what keeps a repeated `diffuse status` quick.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from diffuse.errors import Level, Location, Problem
from diffuse.reports import resultcache
from diffuse.reports.grid import Filters, Grid, Row

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
    _encoded: dict[int, tuple[Row, Any]] = field(default_factory=dict)

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
        # The rows were encoded once already, for the next grid after an edit.
        encoded = resultcache.encode(replace(grid, rows=[]))
        encoded["rows"] = [self._encoding(r) for r in grid.rows]
        resultcache.put(entry, {"grid": encoded, "problems": stored})
        return grid

    def _compute(self, group_by: str | None) -> Grid:
        from diffuse.reports.status import check_filters
        from diffuse.reports.tracker import grid_columns, grid_of, project_rows
        from diffuse.rules.load import load_tracker

        self._encoded = {}
        if self._loaded is None:
            self._loaded = load_tracker(self.root)
            check_filters(self._loaded, self.filters)
        self.problems = self._loaded.problems
        loaded, options = self._loaded, (self.as_of, self.filters, group_by)
        # The rows of the last grid for the same options, kept with the state of the files
        # each came from: after an edit, only the rows of changed projects are worked out.
        latest = resultcache.key(self.root, "status-rows", *options, files=_place(self.root))
        sources = _sources(loaded)
        columns = grid_columns(loaded.org, self.filters, group_by)
        known = _known(resultcache.get(latest), sources)
        rows = project_rows(loaded.catalog, self.as_of, self.filters, columns, known)
        if sources:
            encoded = {k: resultcache.encode(r) for k, r in rows.items() if k in sources}
            resultcache.put(latest, {"sources": sources, "rows": encoded})
            self._encoded = {id(r): (r, encoded[k]) for k, r in rows.items() if r and k in encoded}
        return grid_of(loaded.org, self.as_of, self.filters, columns, rows, group_by)

    def _encoding(self, row: Row) -> Any:
        known = self._encoded.get(id(row))
        return known[1] if known is not None and known[0] is row else resultcache.encode(row)


def _place(root: Path) -> str:
    return f"latest rows of {root.resolve()}"


def _sources(loaded: Loaded) -> dict[str, str]:
    """The state of the files each project's row comes from, where the file cache knows
    it: the project file's entry and the organisation and practices it was read with."""
    state = loaded.catalog.cache
    if state is None:
        return {}
    return {pid: f"{key} {state.context}" for pid, key in state.keys.items()}


def _known(previous: Any, sources: dict[str, str]) -> dict[str, Row | None]:
    if not isinstance(previous, dict):
        return {}
    try:
        rows, before = previous["rows"], previous["sources"]
        return {
            pid: resultcache.decode(Row | None, rows[pid])
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
