"""One project's cells in the status grid: a cell per site, or per group of sites.

Only the sites the project file lists are looked at. Every other site of the organisation
has not started and is in scope, so all of them share one cell, and a group's cell is
made from its listed sites plus a count of the rest. A grid of 1,800 sites then costs a
dictionary lookup a cell, and a group of 300 sites costs what its listed sites cost.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from diffuse.models import Project
from diffuse.reports.status.grid import Cell, Column
from diffuse.reports.status.health import site_health, worst
from diffuse.rules.scope import out_of_scope
from diffuse.vocab import LIVE, SITE_PROGRESS, Health, SiteStatus

_PROGRESS_RANK = {s: n for n, s in enumerate(SITE_PROGRESS)}
OUT_OF_SCOPE = Cell(0, 0, SiteStatus.NOT_APPLICABLE, Health.ON_TRACK)


@functools.cache
def one_site(status: SiteStatus, health: Health) -> Cell:
    return Cell(1, int(status in LIVE), status, health)


NOT_STARTED = one_site(SiteStatus.NOT_STARTED, Health.ON_TRACK)


class Layout(NamedTuple):
    """A grid's columns as the cells need them: the site of each column when there is one
    column per site, else each column's sites as a set."""

    sites: tuple[str, ...] | None
    groups: tuple[frozenset[str], ...]

    @classmethod
    def of(cls, columns: Sequence[Column]) -> Layout:
        if all(len(c.site_ids) == 1 for c in columns):
            return cls(tuple(c.site_ids[0] for c in columns), ())
        return cls(None, tuple(frozenset(c.site_ids) for c in columns))


class SiteCells:
    """The cells of one project, its sites taken out of scope (not-applicable, or excepted
    by one of `members`) and those its measures flag (at least at risk)."""

    def __init__(self, project: Project, members: frozenset[str]) -> None:
        self.project = project
        self.out = out_of_scope(project, members)
        self.listed: dict[str, Cell] = {}

    def flag(self, flagged: Iterable[str]) -> None:
        """Work out the listed sites' cells, with the `flagged` sites at least at risk."""
        flagged = frozenset(flagged)
        self.listed = {
            site: OUT_OF_SCOPE
            if site in self.out
            else one_site(state.status, site_health(state, site in flagged))
            for site, state in self.project.sites.items()
        }
        at_risk = one_site(SiteStatus.NOT_STARTED, Health.AT_RISK)
        for site in flagged:
            self.listed.setdefault(site, at_risk)

    def cells(self, layout: Layout) -> list[Cell]:
        if layout.sites is not None:
            get = self.listed.get
            return [get(site, NOT_STARTED) for site in layout.sites]
        return [self.over(group) for group in layout.groups]

    def over(self, sites: frozenset[str]) -> Cell:
        """The cell of `sites` together: the least advanced status and the worst health of
        those in scope."""
        here = [cell for site, cell in self.listed.items() if site in sites]
        rest = len(sites) - len(here)
        counted = [c for c in here if c.in_scope]
        if rest:
            counted.append(NOT_STARTED)
        if not counted:
            return OUT_OF_SCOPE
        return Cell(
            sum(c.in_scope for c in counted) + max(rest - 1, 0),
            sum(c.live for c in counted),
            min((c.status for c in counted), key=_PROGRESS_RANK.__getitem__),
            worst(c.health for c in counted),
        )

    def health_counts(self, sites: frozenset[str]) -> tuple[int, int]:
        """How many in-scope sites of `sites` are off track, and how many at risk."""
        here = [c for site, c in self.listed.items() if site in sites and c.in_scope]
        return (
            sum(c.health is Health.OFF_TRACK for c in here),
            sum(c.health is Health.AT_RISK for c in here),
        )
