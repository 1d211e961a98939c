"""Site scorecards: how each site fares across every diffusion project, side by side.

For each site, over the projects approved by the as-of date that include it:
share live, median days from approval to go-live, compliance against target (the latest
value on or after go-live of each process proportion with a target), and open risks.
Risks belong to a project, not a site; a project's open risks count against each of its
in-scope sites that is not yet live, since those are the sites they can still hold back.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from diffuse.errors import DiffuseError
from diffuse.models import Organisation, Project, SiteStatus
from diffuse.reports.asof import project_at, site_on
from diffuse.reports.measures import is_compliance, latest_since_go_live, misses_target, series_of
from diffuse.rules.scope import in_scope, oversight, site_state
from diffuse.rules.tracker.model import Tracker
from diffuse.vocab import LIVE, RiskStatus

ALL = "all"


@dataclass(frozen=True)
class Compliance:
    metric: str
    value: float
    target: float
    day: date
    met: bool


@dataclass(frozen=True)
class SiteLine:
    """One site in one project."""

    project: str
    site: str
    status: SiteStatus
    live: bool
    go_live: date | None
    days_to_live: int | None
    compliance: tuple[Compliance, ...]
    open_risks: int


@dataclass
class SiteScore:
    site: str
    name: str
    lines: list[SiteLine] = field(default_factory=list)

    @property
    def in_scope(self) -> int:
        return len(self.lines)

    @property
    def live(self) -> int:
        return sum(line.live for line in self.lines)

    @property
    def share_live(self) -> float | None:
        return self.live / self.in_scope if self.in_scope else None

    @property
    def median_days(self) -> float | None:
        days = [line.days_to_live for line in self.lines if line.days_to_live is not None]
        return statistics.median(days) if days else None

    @property
    def compliance(self) -> list[Compliance]:
        return [c for line in self.lines for c in line.compliance]

    @property
    def compliance_met(self) -> int:
        return sum(c.met for c in self.compliance)

    @property
    def open_risks(self) -> int:
        return sum(line.open_risks for line in self.lines)


@dataclass
class Scorecard:
    as_of: date
    projects: list[str]
    sites: list[SiteScore]
    overall: SiteScore


def build_scorecard(catalog: Tracker, as_of: date, sites: tuple[str, ...] = ()) -> Scorecard:
    # Each project as it stood on the day (`reports.asof`): its risks then, too.
    # One project at a time (a big tracker is never held whole).
    scores = Scores(catalog, as_of, sites)
    for project_id in sorted(catalog.projects):
        project = project_at(catalog, catalog.projects[project_id], as_of)
        if project is not None:
            scores.add(project)
    return scores.scorecard()


class Scores:
    """The scorecard made one project at a time, in id order, each as `project_at` gives
    it on the day: only its lines, one per site it has in scope, are kept."""

    def __init__(self, catalog: Tracker, as_of: date, sites: tuple[str, ...] = ()) -> None:
        org = catalog.organisation
        if org is None:
            raise ValueError("the catalog has no valid organisation file")
        _check_sites(org, sites)
        self.catalog, self.org, self.as_of = catalog, org, as_of
        self.scores = [SiteScore(s.id, s.name) for s in org.sites if not sites or s.id in sites]
        self.shown: list[str] = []

    def add(self, project: Project) -> None:
        self.shown.append(project.id)
        members = oversight(self.org, self.catalog.practices.get(project.practice))
        for score in self.scores:
            line = site_line(project, score.site, self.as_of, members)
            if line is not None:
                score.lines.append(line)

    def scorecard(self) -> Scorecard:
        overall = SiteScore(ALL, "all sites shown")
        overall.lines = [line for score in self.scores for line in score.lines]
        return Scorecard(self.as_of, self.shown, self.scores, overall)


@dataclass
class SiteTotals:
    """A site's figures of the scorecard, counted as its lines come and without them."""

    site: str
    name: str
    in_scope: int = 0
    live: int = 0
    days: Counter[int] = field(default_factory=Counter)
    compliance_met: int = 0
    compliance_measured: int = 0
    open_risks: int = 0

    def add(self, line: SiteLine) -> None:
        self.in_scope += 1
        self.live += line.live
        if line.days_to_live is not None:
            self.days[line.days_to_live] += 1
        self.compliance_met += sum(c.met for c in line.compliance)
        self.compliance_measured += len(line.compliance)
        self.open_risks += line.open_risks

    @property
    def share_live(self) -> float | None:
        return self.live / self.in_scope if self.in_scope else None

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days.elements()) if self.days else None


class Tallies:
    """Each site's figures of the scorecard (`Scores`), for every site of the organisation,
    made one project at a time: what a page of totals needs, a few counts per site however
    many projects there are, where `Scores` keeps every line."""

    def __init__(self, catalog: Tracker, as_of: date) -> None:
        org = catalog.organisation
        if org is None:
            raise ValueError("the catalog has no valid organisation file")
        self.catalog, self.org, self.as_of = catalog, org, as_of
        self.sites = [SiteTotals(s.id, s.name) for s in org.sites]

    def add(self, project: Project) -> None:
        members = oversight(self.org, self.catalog.practices.get(project.practice))
        for totals in self.sites:
            line = site_line(project, totals.site, self.as_of, members)
            if line is not None:
                totals.add(line)


def _check_sites(org: Organisation, sites: tuple[str, ...]) -> None:
    known = [s.id for s in org.sites]
    unknown = [s for s in sites if s not in known]
    if unknown:
        raise DiffuseError(
            f"--site: unknown value {', '.join(map(repr, unknown))}; "
            f"expected one of: {', '.join(sorted(known))}"
        )


def site_line(project: Project, site: str, as_of: date, members: frozenset[str]) -> SiteLine | None:
    """The site's standing in the project, or None when the site is out of its scope."""
    state = site_state(project, site)
    if not in_scope(site_on(state, as_of), members):
        return None
    went = state.go_live_actual if state.go_live_actual and state.go_live_actual <= as_of else None
    live = state.status in LIVE and (state.go_live_actual is None or went is not None)
    days = (went - project.approved).days if went and project.approved else None
    risks = 0 if live else sum(r.status is RiskStatus.OPEN for r in project.risks)
    compliance = tuple(_compliance(project, site, as_of)) if live else ()
    return SiteLine(project.id, site, state.status, live, went, days, compliance, risks)


def _compliance(project: Project, site: str, as_of: date) -> list[Compliance]:
    found = []
    for metric in project.metrics:
        if not is_compliance(metric) or metric.target is None:
            continue
        for series in series_of(metric, (site,), until=as_of):
            latest = latest_since_go_live(project, series)
            if latest is not None:
                value = metric.point(latest)
                met = not misses_target(metric, value)
                found.append(Compliance(metric.id, value, metric.target, latest.date, met))
    return found
