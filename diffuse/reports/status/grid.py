"""The status report as plain values: what `status` renders and what the cache keeps.

Nothing here imports pydantic or the tracker's models, so a cached report is rendered
without loading them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from diffuse.errors import DiffuseError
from diffuse.vocab import Health, SiteStatus

if TYPE_CHECKING:
    from diffuse.models import Organisation
    from diffuse.rules.tracker.model import Tracker


class Forecast(NamedTuple):
    day: date | None  # the day every in-scope site is (or was) live; None: no forecast
    done: bool
    live: int
    in_scope: int
    note: str

    def days_after(self, target: date | None) -> int | None:
        """Days the forecast falls after the target (negative: before it)."""
        if self.day is None or target is None:
            return None
        return (self.day - target).days

    @property
    def label(self) -> str:
        if self.done:
            return "done"
        return self.day.isoformat() if self.day else "n/a"


class Column(NamedTuple):
    id: str
    label: str
    site_ids: tuple[str, ...]


class Cell(NamedTuple):
    in_scope: int
    live: int
    status: SiteStatus
    health: Health


@dataclass
class Row:
    """One project's line of the grid: its phase, share live, days, health and a cell per column."""

    project: str
    title: str
    practice: str
    phase: str
    cells: list[Cell]
    in_scope: int
    live: int
    approved: date | None
    days: int | None
    target: date | None
    health: Health
    reasons: list[str] = field(default_factory=list)
    forecast: Forecast | None = None
    # `title` is the project's own; this is its practice's (None when it names none valid).
    practice_title: str | None = None

    @property
    def share_live(self) -> float:
        return self.live / self.in_scope if self.in_scope else 1.0


@dataclass
class Filters:
    """Which projects and columns a grid shows (`--practice`, `--phase`, `--site` ...)."""

    practices: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    health: tuple[str, ...] = ()
    include_inactive: bool = False


@dataclass
class Grid:
    """The Status Tracker on one day: its columns (sites, or groups of them) and its rows."""

    as_of: date
    target_months: int
    columns: list[Column]
    rows: list[Row]
    grouped_by: str | None = None


def check_filters(catalog: Tracker, org: Organisation, request: Filters) -> None:
    """A DiffuseError naming a filter value the tracker does not know."""
    known = {
        "--practice": (request.practices, catalog.practices),
        "--phase": (request.phases, catalog.workflow.phases),
        "--site": (request.sites, [s.id for s in org.sites]),
        "--health": (request.health, [h.value for h in Health]),
    }
    for option, (given, allowed) in known.items():
        unknown = [value for value in given if value not in allowed]
        if unknown:
            raise DiffuseError(
                f"{option}: unknown value {', '.join(map(repr, unknown))}; "
                f"expected one of: {', '.join(sorted(allowed))}"
            )


SORTS = ("name", "health", "live", "days")
_WORST_FIRST = {Health.OFF_TRACK: 0, Health.AT_RISK: 1, Health.ON_TRACK: 2}


def sort_key(by: str) -> Callable[[Row], tuple[object, ...]]:
    """Rows in the order a reader looks for: the worst health, the fewest sites live, the
    most days since approval first; ties, and `name`, by project id."""
    keys: dict[str, Callable[[Row], tuple[object, ...]]] = {
        "name": lambda r: (r.project,),
        "health": lambda r: (_WORST_FIRST[r.health], r.project),
        "live": lambda r: (r.share_live, r.project),
        "days": lambda r: (r.days is None, -(r.days or 0), r.project),
    }
    return keys[by]


def cut(grid: Grid, by: str = "name", limit: int = 0) -> tuple[Grid, int]:
    """The grid with its rows sorted and at most `limit` of them (0: all), and how many
    rows there were."""
    rows = sorted(grid.rows, key=sort_key(by))
    total = len(rows)
    if limit > 0:
        rows = rows[:limit]
    return replace(grid, rows=rows), total


def cut_note(shown: int, total: int) -> str | None:
    if shown >= total:
        return None
    return f"showing {shown:,} of {total:,} projects; --limit 0 shows all"
