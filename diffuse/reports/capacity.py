"""Capacity for change: what each site is taking on at once, and one site in detail.

The same units take on several practices at once, and a site with more go-lives in a month
than the organisation's `max_golives_per_month` is at risk whatever each project says.

Per site, over the projects approved by the report date (each as its dated records show
it then, `reports.asof`) that have the site in scope:
- in flight: projects still active whose site row is not yet live;
- go-lives by month: the day a site went live when it has (`go_live_actual`), else the day
  it plans to (`go_live_planned`), for each month of a window around the report date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from diffuse.errors import DiffuseError
from diffuse.models import Organisation, Project, Site, SiteState
from diffuse.models.project import Adaptation
from diffuse.reports.asof import project_on
from diffuse.reports.status.build import add_months
from diffuse.rules.scope import in_scope, oversight, site_state
from diffuse.rules.tracker.model import Tracker
from diffuse.vocab import LIVE, Adkar, Health, SiteStatus

MONTHS_BEFORE = 3  # months before the report date's month shown
MONTHS_AHEAD = 12  # months after it


@dataclass(frozen=True)
class GoLive:
    project: str
    day: date
    actual: bool  # went live that day; else planned for it


@dataclass(frozen=True)
class SiteMonth:
    month: date  # its first day
    go_lives: tuple[GoLive, ...]
    flagged: bool  # more go-lives than the organisation's limit

    @property
    def count(self) -> int:
        return len(self.go_lives)


@dataclass
class SiteLoad:
    site: str
    name: str
    region: str
    in_flight: list[str] = field(default_factory=list)
    months: list[SiteMonth] = field(default_factory=list)

    @property
    def flagged(self) -> list[SiteMonth]:
        return [m for m in self.months if m.flagged]


@dataclass
class Capacity:
    as_of: date
    limit: int  # settings.max_golives_per_month
    months: list[date]  # the window, first days
    sites: list[SiteLoad]

    @property
    def flagged(self) -> int:
        """Site-months above the limit."""
        return sum(len(s.flagged) for s in self.sites)


def site_capacity(
    catalog: Tracker,
    as_of: date,
    sites: Sequence[str] = (),
    before: int = MONTHS_BEFORE,
    ahead: int = MONTHS_AHEAD,
) -> Capacity:
    """Each site's (or each of `sites`') projects in flight and go-lives by month, over the
    months from `before` before the report date's month to `ahead` after it."""
    loads = Loads(catalog, as_of, sites)
    # One project at a time: a tracker of thousands of projects is never held whole.
    for project_id in sorted(catalog.projects):
        project = project_on(catalog.projects[project_id], as_of)
        if project is not None:
            loads.add(project)
    return loads.capacity(before, ahead)


class Loads:
    """Capacity worked out one project at a time, in id order, each as `project_on` gives
    it on the day: only what it does at each chosen site is kept."""

    def __init__(self, catalog: Tracker, as_of: date, sites: Sequence[str] = ()) -> None:
        org = self.org = _org(catalog)
        check_sites(org, sites)
        self.catalog, self.as_of = catalog, as_of
        self.chosen = [s for s in org.sites if not sites or s.id in sites]
        self.rows: list[list[tuple[str, bool, GoLive | None]]] = [[] for _ in self.chosen]

    def add(self, project: Project) -> None:
        members = oversight(self.org, self.catalog.practices.get(project.practice))
        flying = self.catalog.workflow.is_active(project.phase)
        for found, site in zip(self.rows, self.chosen, strict=True):
            state = site_state(project, site.id)
            if in_scope(state, members):
                found.append(
                    (project.id, flying and state.status not in LIVE, _go_live(project.id, state))
                )

    def capacity(self, before: int = MONTHS_BEFORE, ahead: int = MONTHS_AHEAD) -> Capacity:
        start = date(self.as_of.year, self.as_of.month, 1)
        window = [add_months(start, n) for n in range(-before, ahead + 1)]
        limit = self.org.settings.max_golives_per_month
        loads = [
            _load(site, found, window, limit)
            for site, found in zip(self.chosen, self.rows, strict=True)
        ]
        return Capacity(self.as_of, limit, window, loads)


def _org(catalog: Tracker) -> Organisation:
    if catalog.organisation is None:
        raise ValueError("the catalog has no valid organisation file")
    return catalog.organisation


def check_sites(org: Organisation, sites: Sequence[str]) -> None:
    known = [s.id for s in org.sites]
    unknown = [s for s in sites if s not in known]
    if unknown:
        raise DiffuseError(
            f"SITE: unknown site {', '.join(map(repr, unknown))}; "
            f"expected one of: {', '.join(sorted(known))}"
        )


def _projects(catalog: Tracker, as_of: date) -> list[tuple[Project, frozenset[str]]]:
    """The projects approved by `as_of`, as they stood then, with their oversight."""
    org = _org(catalog)
    found = []
    for project_id in sorted(catalog.projects):
        project = project_on(catalog.projects[project_id], as_of)
        if project is not None:
            found.append((project, oversight(org, catalog.practices.get(project.practice))))
    return found


def _load(
    site: Site, rows: list[tuple[str, bool, GoLive | None]], window: list[date], limit: int
) -> SiteLoad:
    """The site's load from its row in each project that has it in scope: the project,
    whether it is in flight there, and its go-live."""
    load = SiteLoad(site.id, site.name, site.region)
    load.in_flight = [project for project, flying, _ in rows if flying]
    events = [event for _, _, event in rows if event is not None]
    for month in window:
        end = add_months(month, 1)
        inside = tuple(sorted((e for e in events if month <= e.day < end), key=_order))
        load.months.append(SiteMonth(month, inside, len(inside) > limit))
    return load


def _order(event: GoLive) -> tuple[date, str]:
    return event.day, event.project


def _go_live(project: str, state: SiteState) -> GoLive | None:
    if state.status in LIVE:
        return GoLive(project, state.go_live_actual, True) if state.go_live_actual else None
    if state.go_live_planned is not None:
        return GoLive(project, state.go_live_planned, False)
    return None


# -- one site in detail -------------------------------------------------------------------


@dataclass(frozen=True)
class Barrier:
    text: str
    since: date | None  # the first update that names it, else the row's last update
    source: str  # "update", "row" or "" (nothing dated says)
    days_open: int | None


@dataclass(frozen=True)
class SiteProject:
    """The site's row in one project, as the site page and `diffuse sites SITE` show it."""

    project: str
    title: str
    phase: str
    active: bool
    in_scope: bool
    status: SiteStatus
    health: Health
    go_live_planned: date | None
    go_live_actual: date | None
    leader: str | None
    leader_name: str | None
    adkar: Adkar | None
    barriers: tuple[Barrier, ...]
    adaptations: tuple[Adaptation, ...]
    updated: date | None
    note: str | None


@dataclass
class SiteDetail:
    as_of: date
    site: str
    name: str
    region: str
    kind: str
    limit: int
    projects: list[SiteProject]
    load: SiteLoad


def site_detail(
    catalog: Tracker,
    site: str,
    as_of: date,
    before: int = MONTHS_BEFORE,
    ahead: int = MONTHS_AHEAD,
) -> SiteDetail:
    """Every project approved by `as_of` that lists the site or has it in scope, with the
    site's row in it, and the site's load (as `site_capacity` gives it)."""
    org = _org(catalog)
    check_sites(org, (site,))
    capacity = site_capacity(catalog, as_of, (site,), before, ahead)
    described = org.site(site)
    assert described is not None
    lines = []
    for project, members in _projects(catalog, as_of):
        state = site_state(project, site)
        scoped = in_scope(state, members)
        if not scoped and site not in project.sites:
            continue
        practice = catalog.practices.get(project.practice)
        leader = org.person(state.leader) if state.leader else None
        lines.append(
            SiteProject(
                project.id,
                practice.title if practice else project.title,
                project.phase,
                catalog.workflow.is_active(project.phase),
                scoped,
                state.status,
                state.health,
                state.go_live_planned,
                state.go_live_actual,
                state.leader,
                leader.name if leader else None,
                state.adkar,
                tuple(barrier(project, site, state, text, as_of) for text in state.barriers),
                tuple(state.adaptations),
                state.updated,
                state.note,
            )
        )
    return SiteDetail(
        as_of,
        site,
        described.name,
        described.region,
        described.kind,
        capacity.limit,
        lines,
        capacity.sites[0],
    )


def barrier(project: Project, site: str, state: SiteState, text: str, as_of: date) -> Barrier:
    """How long a barrier has been open: from the first update about the site (or the
    whole project) that quotes it, else from the day its row was last updated."""
    wanted = " ".join(text.split()).casefold()
    quoted = [
        u.date
        for u in project.updates
        if u.site in (None, site)
        and u.date <= as_of
        and wanted in " ".join(u.text.split()).casefold()
    ]
    if quoted:
        since, source = min(quoted), "update"
    elif state.updated is not None:
        since, source = state.updated, "row"
    else:
        return Barrier(text, None, "", None)
    return Barrier(text, since, source, (as_of - since).days)
