"""The adoption curve: how many in-scope sites were live each week since approval, against
a straight line to every site live on the target date, and the forecast.

Each week's count is what `status --as-of` that day shows (`reports.asof`): a site is live
from its `go_live_actual`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from diffuse.errors import DiffuseError
from diffuse.models import Project
from diffuse.reports.asof import live_from, project_at
from diffuse.reports.status.build import add_months
from diffuse.reports.status.forecast import forecast
from diffuse.reports.status.grid import Forecast
from diffuse.rules.scope import oversight, scoped_sites, site_state
from diffuse.rules.tracker.model import Tracker
from diffuse.vocab import LIVE


@dataclass(frozen=True)
class Week:
    week: int
    day: date  # the count is at the end of this day
    live: int
    target_line: float  # sites live by then on a straight line to the target


@dataclass(frozen=True)
class Trend:
    project: str
    title: str
    approved: date
    as_of: date
    in_scope: int
    live: int
    target_months: int
    target: date
    forecast: Forecast
    weeks: list[Week]


def adoption_trend(catalog: Tracker, project: Project, as_of: date) -> Trend:
    org = catalog.organisation
    assert org is not None
    if project.approved is None:
        raise DiffuseError(
            f"'{project.id}' has no 'approved' date; the trend counts weeks from approval"
        )
    dated = project_at(catalog, project, as_of)
    if dated is None:
        raise DiffuseError(
            f"'{project.id}' was approved on {project.approved}, after {as_of}; "
            "there is no trend yet"
        )
    members = oversight(org, catalog.practices.get(project.practice))
    site_ids = scoped_sites(dated, (s.id for s in org.sites), members)
    scoped = [site_state(dated, s) for s in site_ids]
    months = project.target_months or org.settings.target_months
    target = add_months(project.approved, months)
    span = (target - project.approved).days
    weeks = []
    starts = [start for r in scoped if (start := live_from(r)) is not None]
    for number in range((as_of - project.approved).days // 7 + 1):
        day = project.approved + timedelta(weeks=number)
        live = sum(start <= day for start in starts)
        line = len(scoped) * min(1.0, (day - project.approved).days / span) if span else 0.0
        weeks.append(Week(number, day, live, line))
    return Trend(
        project.id,
        project.title,
        project.approved,
        as_of,
        len(scoped),
        sum(r.status in LIVE for r in scoped),
        months,
        target,
        forecast(dated, site_ids, as_of),
        weeks,
    )
