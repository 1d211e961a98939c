"""A project as it stood on an earlier day, for reports `--as-of` a date.

The dated records come from the files as they are: the approval date (`approved`: before
it the project is not shown), the transition history (the phase is where the entries dated
on or before the day lead), each site's `go_live_actual` (live only from that day),
`updated` (a row updated later held something else on the day) and the date of its
exception, the dates of approvals, checklist duties, updates, metric values and notes
(later ones left out). A record entered late with its true date counts from that date.

What carries no date comes from git when the tracker is a repository with a commit dated
on or before the day (`repo.dated`): the project file of that commit gives the risks,
roles, target, dissemination plan, the phase of a project with no history, and each site
row changed since the day (its status and health as recorded then). Without such a
commit, those are read as the files hold them now, and a row updated later shows its
status short of live and no recorded health (on track).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from functools import partial

from diffuse import progress
from diffuse.files.loading import model_from_bytes
from diffuse.layout import PROJECTS_DIR
from diffuse.models import DutyRecord, Health, Metric, Project, SiteState, SiteStatus
from diffuse.rules.load import Loaded
from diffuse.rules.tracker.model import Projects, Tracker
from diffuse.vocab import LIVE


def project_at(
    catalog: Tracker, project: Project, day: date, unapproved: bool = False
) -> Project | None:
    """The project as it stood on `day`, or None when it was not yet approved then (unless
    `unapproved`): its dated records as `project_on` reads them, what carries no date as
    git held it then."""
    dated = project_on(project, day, unapproved)
    if dated is None:
        return None
    earlier = committed_on(catalog, day).get(project.id)
    return dated if earlier is None else _undated_from(earlier, project, dated, day)


class _Unkept(Projects):
    """Projects built on each use and never kept: a report over thousands of projects
    holds one at a time. Built from the catalog's own (which its file cache makes cheap)."""

    def __getitem__(self, key: str) -> Project:
        return self.once(key)


def tracker_on(loaded: Loaded, day: date) -> Loaded:
    """The tracker as it stood on `day`: each project as `project_at` gives it, and those
    not yet approved then left out. Every report read from it shows nothing dated later.

    Each project is dated when a report asks for it, and not kept: with a catalog that
    does not keep its models either (`load_tracker(keep_models=False)`), a report holds
    one project at a time however big the tracker."""
    catalog, stood = loaded.catalog, _Unkept()
    for project_id in catalog.projects:
        approved = catalog.projects.once(project_id).approved
        if approved is None or approved <= day:  # as `project_on` decides
            stood.later(project_id, partial(_dated, catalog, project_id, day))
    return dataclasses.replace(loaded, catalog=dataclasses.replace(catalog, projects=stood))


class Stood:
    """The tracker as it stood on `day`, for a command that goes through its projects once.

    Iterating gives each project approved by the day, in id order, as `tracker_on` gives
    it: its model built once (read again from its file, or from the file cache) and dated
    once. `loaded` is the tracker of the day, whose projects are those given so far; what
    a report keeps of each is its own, so the tracker's models are never held together."""

    def __init__(self, loaded: Loaded, day: date) -> None:
        self.source, self.day, self.stood = loaded.catalog, day, _Unkept()
        catalog = dataclasses.replace(loaded.catalog, projects=self.stood)
        self.loaded = dataclasses.replace(loaded, catalog=catalog)

    def __iter__(self) -> Iterator[Project]:
        catalog, day = self.source, self.day
        with progress.task("going through projects", len(catalog.projects)) as step:
            for project_id in sorted(catalog.projects):
                step.advance()
                model = catalog.projects.once(project_id)
                if model.approved is not None and model.approved > day:  # as `project_on`
                    continue
                self.stood.later(project_id, partial(_dated, catalog, project_id, day))
                project = project_at(catalog, model, day)
                assert project is not None  # approved by the day
                yield project


def _dated(catalog: Tracker, project_id: str, day: date) -> Project:
    project = project_at(catalog, catalog.projects.once(project_id), day)
    assert project is not None  # approved by the day: `tracker_on` kept only those
    return project


def measures_on(project: Project, day: date) -> Project:
    """The project with only the metric values and notes dated on or before `day`."""
    return project.model_copy(update={"metrics": _metrics_on(project, day)})


def committed_on(catalog: Tracker, day: date) -> dict[str, Project]:
    """Each valid project file of the last commit dated on or before `day`, by id; none
    when the files as they are hold the tracker of that day (see `repo.dated`)."""
    memo: dict[date, dict[str, Project]] = catalog.memo.setdefault("committed_on", {})
    if day not in memo:
        memo[day] = _read_committed(catalog, day)
    return memo[day]


def _read_committed(catalog: Tracker, day: date) -> dict[str, Project]:
    # No commit can be dated after today: the files as they are are that tracker, and the
    # commonest report (today's) runs no git at all.
    org = catalog.organisation
    if day >= date.today() or (org is not None and not org.settings.as_of_from_git):
        return {}
    from diffuse.repo.dated import commit_on, files_in  # git only when the day needs it

    commit = commit_on(catalog.root, day)
    if commit is None:
        return {}
    found = {}
    for name, raw in files_in(catalog.root, commit, PROJECTS_DIR).items():
        model = model_from_bytes(catalog.root / PROJECTS_DIR / name, raw, Project)
        if model is not None:
            found[model.id] = model
    return found


def _undated_from(earlier: Project, current: Project, dated: Project, day: date) -> Project:
    sites = dict(dated.sites)
    for site, state in current.sites.items():
        before = earlier.sites.get(site)
        # A row stamped on or before the day is as it was then; any other row is the
        # committed one, read for the day (its go-live counts from its date).
        recorded = state.updated is not None and state.updated <= day
        if before is not None and not recorded and state.status is not SiteStatus.NOT_APPLICABLE:
            sites[site] = site_on(before, day)
    update: dict[str, object] = {
        "risks": earlier.risks,
        "roles": earlier.roles,
        "target_months": earlier.target_months,
        "dissemination": earlier.dissemination,
        "sites": sites,
    }
    if not current.history:
        update["phase"] = earlier.phase
    return dated.model_copy(update=update)


def project_on(project: Project, day: date, unapproved: bool = False) -> Project | None:
    """The project on `day`, or None when it was not yet approved then (unless
    `unapproved`: then its records of that day, for `show`)."""
    if project.approved is not None and project.approved > day and not unapproved:
        return None
    checklist = {
        duty: record if record.date is None or record.date <= day else DutyRecord()
        for duty, record in project.checklist.items()
    }
    metrics = _metrics_on(project, day)
    return project.model_copy(
        update={
            "phase": phase_on(project, day),
            "sites": {site: site_on(state, day) for site, state in project.sites.items()},
            "checklist": checklist,
            "metrics": metrics,
            "approvals": [a for a in project.approvals if a.date <= day],
            "updates": [u for u in project.updates if u.date <= day],
            "history": [h for h in project.history if h.date <= day],
        }
    )


def _metrics_on(project: Project, day: date) -> list[Metric]:
    return [
        m.model_copy(
            update={
                "values": [v for v in m.values if v.date <= day],
                "notes": [n for n in m.notes if n.date <= day],
            }
        )
        for m in project.metrics
    ]


def phase_on(project: Project, day: date) -> str:
    passed = [h for h in project.history if h.date <= day]
    if passed:
        return passed[-1].to
    if project.history:
        return project.history[0].from_phase
    return project.phase


def live_from(state: SiteState) -> date | None:
    """The first day on which `site_on` shows the row live (`date.min`: every day), or
    None when it shows it live on no day: from its go-live day, else from the day it was
    updated, as `site_on` reads them."""
    if state.status not in LIVE:
        return None
    return state.go_live_actual or state.updated or date.min


def site_on(state: SiteState, day: date) -> SiteState:
    """The row on `day`: live only from its go-live day; a row updated after the day
    shows its status short of live and no recorded health, as nothing dated says more."""
    if state.status is SiteStatus.NOT_APPLICABLE:
        return state
    if state.exception is not None and state.exception.date > day:
        state = state.model_copy(update={"exception": None})
    later = state.updated is not None and state.updated > day
    went_live = state.go_live_actual
    if went_live is not None and went_live > day:
        went_live = None
    status = state.status
    # Live needs a go-live on or before the day; without a date, a row unchanged since.
    proven = went_live is not None if state.go_live_actual is not None else not later
    if status in LIVE and not proven:
        status = SiteStatus.IMPLEMENTING
    elif status is SiteStatus.SUSTAINED and later:
        status = SiteStatus.LIVE
    if not later and status is state.status and went_live == state.go_live_actual:
        return state
    update: dict[str, object] = {"status": status, "go_live_actual": went_live}
    if later:
        update |= {"health": Health.ON_TRACK, "updated": None}
    return state.model_copy(update=update)
