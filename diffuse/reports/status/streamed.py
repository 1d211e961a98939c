"""Status rows worked out while the tracker is read: each project's rows are made as soon
as its model and cross-file problems are ready, and the model is then dropped, so a cold
`status` of a big tracker holds rows, not every project's model at once (as `validate`
holds only problems).

The organisation and the practices are read before any project, so everything a row needs
is known by then.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from diffuse.errors import DiffuseError
from diffuse.models import Organisation, Project
from diffuse.reports.status.build import Request, Rows, empty_grids, project_rows
from diffuse.reports.status.grid import Filters, check_filters
from diffuse.rules.load import usable_organisation
from diffuse.rules.tracker.model import Tracker


class RowsAsRead:
    """A `visit` for `rules.load.load_tracker`: `rows` gets the rows of each project visited
    (as `reports.status.build.build_grids` takes them), for the request given."""

    def __init__(self, as_of: date, filters: Filters, groupings: Sequence[str | None]) -> None:
        self.as_of, self.filters, self.groupings = as_of, filters, groupings
        self.rows: Rows = {}
        self._started = False
        self._request: tuple[Organisation, Request, frozenset[str]] | None = None

    def __call__(self, catalog: Tracker, project: Project) -> None:
        if not self._started:
            self._started = True
            self._request = self._start(catalog)
        if self._request is None:
            return
        org, request, phases = self._request
        # A project naming a phase the workflow lacks is set aside after reading, unshown.
        if catalog.phases_named[project.id] <= phases:
            self.rows[project.id] = project_rows(catalog, org, project, request)

    def _start(self, catalog: Tracker) -> tuple[Organisation, Request, frozenset[str]] | None:
        """What every row needs; None when the command will stop with an error instead of
        showing rows (the organisation unusable, a filter naming what the tracker lacks)."""
        org = usable_organisation(catalog)
        if org is None:
            return None
        try:
            check_filters(catalog, org, self.filters)
        except DiffuseError:
            return None
        grids = empty_grids(org, self.as_of, self.filters, self.groupings)
        request = Request.of(org, self.as_of, self.filters, grids)
        return org, request, frozenset(catalog.workflow.phases)
