"""Every rule that decides health in the status grid, for a site's cell and a project's row.

- A site's cell: the health its row records, made at least at risk when the project's
  measures flag the site (`site_health`).
- A cell over a group of sites: the worst health among them (`worst`).
- A project's row (`row_health`): off track when it is past its target date with sites not
  live, or when a quarter or more of its in-scope sites are off track; else at risk when a
  site is at risk or off track, when three quarters of its time are used and sites are not
  live, or when a measure flags it (`measure_flags`); else on track. Each rule that fires
  gives the reason leadership reads.
- The measures (`measure_flags`): a compliance metric below its target at a live site
  after go-live, and an outcome chart signalling a change for the worse.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from diffuse.models import Project, SiteState
from diffuse.vocab import Health, MetricLevel, SiteStatus

if TYPE_CHECKING:
    from diffuse.models.project import Metric
    from diffuse.reports.status.grid import Cell

SEVERITY = [Health.ON_TRACK, Health.AT_RISK, Health.OFF_TRACK]
_SEVERITY_RANK = {h: n for n, h in enumerate(SEVERITY)}
OFF_TRACK_SHARE = 0.25  # of the in-scope sites off track: the project is off track
LATE_SHARE = 0.75  # of the days to the target used, sites not live: the project is at risk


def site_health(state: SiteState, flagged: bool) -> Health:
    """The recorded health, made at least at-risk when the site's measures say so."""
    if flagged and state.health is Health.ON_TRACK:
        return Health.AT_RISK
    return state.health


def worst(healths: Iterable[Health]) -> Health:
    """The worst of `healths`: a group's cell shows its worst site."""
    return max(healths, key=_SEVERITY_RANK.__getitem__)


def row_health(
    project: Project,
    counts: tuple[int, int],
    whole: Cell,
    target: date | None,
    days: int | None,
    as_of: date,
    flags: list[Flag],
) -> tuple[Health, list[str]]:
    """A project's health from how many in-scope sites are off track and at risk
    (`counts`), its time and its measures' `flags`: the rules leadership reads, stated as
    reasons."""
    health, reasons = _from_sites(project, counts, whole, target, days, as_of)
    if flags and health is Health.ON_TRACK:
        health = Health.AT_RISK
    return health, reasons + [f.text for f in flags]


def _from_sites(
    project: Project,
    counts: tuple[int, int],
    whole: Cell,
    target: date | None,
    days: int | None,
    as_of: date,
) -> tuple[Health, list[str]]:
    off, risky = counts
    all_live = whole.live == whole.in_scope
    off_reasons, risk_reasons = [], []
    if target and as_of > target and not all_live:
        off_reasons.append(
            f"past the {target.isoformat()} target with "
            f"{whole.in_scope - whole.live} site(s) not live"
        )
    if whole.in_scope and off / whole.in_scope >= OFF_TRACK_SHARE:
        off_reasons.append(f"{off} of {whole.in_scope} sites off track")
    if off_reasons:
        return Health.OFF_TRACK, off_reasons
    if off or risky:
        risk_reasons.append(f"{off + risky} site(s) at risk or off track")
    if target and days is not None and not all_live:
        span = (target - project.approved).days if project.approved else 0
        if span and days / span >= LATE_SHARE:
            risk_reasons.append(f"{days} of {span} days used, {whole.live}/{whole.in_scope} live")
    return (Health.AT_RISK, risk_reasons) if risk_reasons else (Health.ON_TRACK, [])


# -- health from measures ------------------------------------------------------------------


class Flag(NamedTuple):
    """A reason a site (or, with site None, the whole project) is at risk."""

    site: str | None
    metric: str
    text: str


def measure_flags(project: Project, as_of: date) -> list[Flag]:
    """Compliance below target after go-live, and unfavourable signals on outcome charts."""
    # Only a project with values pays for reading them (and for importing the charts).
    if not any(m.values for m in project.metrics):
        return []
    from diffuse.reports.measures import is_compliance

    flags: list[Flag] = []
    for metric in project.metrics:
        if is_compliance(metric):
            flags += _below_target(project, metric, as_of)
        elif metric.level is MetricLevel.OUTCOME and metric.values:
            flags += _unfavourable(project, metric, as_of)
    return flags


def _below_target(project: Project, metric: Metric, as_of: date) -> list[Flag]:
    from diffuse.reports.measures import latest_since_go_live, misses_target, number, series_of

    flags = []
    for series in series_of(metric, until=as_of):
        latest = latest_since_go_live(project, series)
        if latest is None or not misses_target(metric, metric.point(latest)):
            continue
        value, target = number(metric.point(latest), metric), number(metric.target, metric)
        text = f"{series.label}: {metric.id} {value} on {latest.date} misses the {target} target"
        flags.append(Flag(series.site, metric.id, text + " after go-live"))
    return flags


def _unfavourable(project: Project, metric: Metric, as_of: date) -> list[Flag]:
    from diffuse.reports.measures import chart, series_of, unfavourable_signal

    flags = []
    for series in series_of(metric, until=as_of):
        state = project.sites.get(series.site or "")
        if state is not None and state.status is SiteStatus.NOT_APPLICABLE:
            continue
        why = unfavourable_signal(chart(series))
        if why:
            flags.append(Flag(series.site, metric.id, f"{series.label}: {metric.id} {why}"))
    return flags
