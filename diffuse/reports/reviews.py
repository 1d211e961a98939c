"""Periodic review of practices after diffusion, and site rows nobody keeps up to date.

Both are read as the dated records show them on the report date (`reports.asof`): a
review, establishment, site update or exception dated later is not yet known then.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from diffuse.models import Organisation, Practice, PracticeStatus, Project, SiteStatus
from diffuse.reports.asof import project_at
from diffuse.reports.status.build import add_months
from diffuse.rules.catalog import Catalog
from diffuse.rules.scope import in_scope, oversight, site_state

REVIEWED = frozenset({PracticeStatus.DIFFUSING, PracticeStatus.DIFFUSED})
AHEAD_DAYS = 30


def review_due(practice: Practice, org: Organisation, as_of: date | None = None) -> date | None:
    """The date the next periodic review is due, from the last review or establishment,
    whichever is later (of those on or before `as_of`): becoming diffused dates
    `established` and starts the cycle."""
    if practice.status not in REVIEWED:
        return None
    cadence = practice.review.cadence_months or org.settings.review_cadence_months
    dates = [
        d
        for d in (practice.review.last, practice.established)
        if d is not None and (as_of is None or d <= as_of)
    ]
    return add_months(max(dates), cadence) if dates else None


class PracticeReview(NamedTuple):
    practice: str
    title: str
    owner: str | None
    owner_name: str | None
    cadence_months: int
    cadence_from: str  # "practice" or "organisation"
    last: date | None
    due: date
    days_left: int  # negative: overdue by that many days

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


class SiteUpdate(NamedTuple):
    project: str
    site: str
    status: SiteStatus
    updated: date | None  # None: never; `since` is then the project's approval
    since: date | None
    days: int | None  # since the last update (or approval); None when neither is known
    pause_until: date | None = None
    pause_reason: str | None = None


class ReviewReport(NamedTuple):
    as_of: date
    weeks: int
    ahead_days: int
    practices: list[PracticeReview]
    stale: list[SiteUpdate]
    paused: list[SiteUpdate]

    @property
    def overdue(self) -> bool:
        """Anything past due: a practice review or a site update (what --strict fails on)."""
        return bool(self.stale) or any(p.overdue for p in self.practices)


def review_report(
    catalog: Catalog, as_of: date, weeks: int | None = None, ahead_days: int = AHEAD_DAYS
) -> ReviewReport:
    org = catalog.organisation
    if org is None:
        raise ValueError("the catalog has no valid organisation file")
    weeks = weeks or org.settings.stale_after_weeks
    practices = [
        item
        for practice in sorted(catalog.practices.values(), key=lambda p: p.id)
        if (item := practice_review(practice, org, as_of)) and item.days_left <= ahead_days
    ]
    stale, paused = site_updates(catalog, as_of, weeks)
    return ReviewReport(as_of, weeks, ahead_days, practices, stale, paused)


def practice_review(practice: Practice, org: Organisation, as_of: date) -> PracticeReview | None:
    due = review_due(practice, org, as_of)
    if due is None:
        return None
    own = practice.review.cadence_months
    owner = org.person(practice.owner) if practice.owner else None
    return PracticeReview(
        practice.id,
        practice.title,
        practice.owner,
        owner.name if owner else None,
        own or org.settings.review_cadence_months,
        "practice" if own else "organisation",
        last if (last := practice.review.last) and last <= as_of else None,
        due,
        (due - as_of).days,
    )


def site_updates(
    catalog: Catalog, as_of: date, weeks: int
) -> tuple[list[SiteUpdate], list[SiteUpdate]]:
    """In-scope sites not updated for more than `weeks` weeks, and those of them whose
    recorded pause covers `as_of` (not an alarm). A site row is watched in every phase of
    its project, closed and sustaining too, until the site itself is sustained."""
    org = catalog.organisation
    assert org is not None
    stale, paused = [], []
    for current in sorted(catalog.projects.values(), key=lambda p: p.id):
        project = project_at(catalog, current, as_of)
        if project is None:
            continue
        members = oversight(org, catalog.practices.get(project.practice))
        for site in org.sites:
            state = site_state(project, site.id)
            if state.status is SiteStatus.SUSTAINED or not in_scope(state, members):
                continue
            heard = _last_heard(project, site.id)
            since = heard or project.approved
            days = (as_of - since).days if since else None
            if days is not None and days <= weeks * 7:
                continue
            item = SiteUpdate(project.id, site.id, state.status, heard, since, days)
            if state.pause is not None and state.pause.covers(as_of):
                pause = state.pause
                paused.append(_paused(item, pause.until, pause.reason))
            else:
                stale.append(item)
    return stale, paused


def _last_heard(project: Project, site: str) -> date | None:
    """The row's `updated`, or the latest update logged for the site: a row updated after
    the report date has no `updated` in `project_on`, which leaves out later updates."""
    row = site_state(project, site).updated
    logged = [u.date for u in project.updates if u.site == site]
    known = [d for d in (row, *logged) if d is not None]
    return max(known) if known else None


def _paused(item: SiteUpdate, until: date, reason: str) -> SiteUpdate:
    return item._replace(pause_until=until, pause_reason=reason)
