"""A project as its dated records show it on an earlier day, for reports `--as-of` a date.

The records read: the approval date (`approved`: before it the project is not shown),
the transition history (the phase is where the entries dated on or before the day lead),
each site's `go_live_actual` (live only from that day), `updated` (a row updated later
held something else on the day) and the date of its exception, the dates of approvals,
checklist duties, updates and metric values (later ones left out). Git history is not
read: the files say enough, and reports stay as quick as the files are to read.
"""

from __future__ import annotations

from datetime import date

from diffuse.models import DutyRecord, Health, Project, SiteState, SiteStatus
from diffuse.vocab import LIVE


def project_on(project: Project, day: date) -> Project | None:
    """The project on `day`, or None when it was not yet approved then."""
    if project.approved is not None and project.approved > day:
        return None
    checklist = {
        duty: record if record.date is None or record.date <= day else DutyRecord()
        for duty, record in project.checklist.items()
    }
    metrics = [
        m.model_copy(update={"values": [v for v in m.values if v.date <= day]})
        for m in project.metrics
    ]
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


def phase_on(project: Project, day: date) -> str:
    passed = [h for h in project.history if h.date <= day]
    if passed:
        return passed[-1].to
    if project.history:
        return project.history[0].from_phase
    return project.phase


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
