"""Metric series per site, the chart that fits each one, and its signals read by direction.

A series is one metric's values at one site (or for all sites, when a value names none),
in date order. The statistics live in `spc`, imported only when a chart is drawn so the
status grid does not pay for it unless a project has outcome values to read.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from diffuse.errors import DiffuseError, Problem
from diffuse.models.project import Measure, Metric, Project
from diffuse.vocab import LIVE, Direction, MetricKind, MetricLevel

if TYPE_CHECKING:
    from diffuse.reports.spc import ChartResult, PartResult, Point, PointResult

RATIO_CHARTS = frozenset({"p", "u", "pp", "up"})
LANEY = {"p": "pp", "u": "up"}
RECENT_POINTS = 3  # a point outside the limits counts for health while among the latest 3
CHART_NAMES = {
    "run": "run chart",
    "i": "I/MR chart",
    "p": "p-chart",
    "u": "u-chart",
    "c": "c-chart",
    "pp": "p'-chart (Laney)",
    "up": "u'-chart (Laney)",
    "mr": "MR chart",
    "t": "t-chart (time between events)",
    "g": "g-chart (cases between events)",
    "xbar": "xbar-chart",
    "s": "s-chart",
}


class ChartOptions(NamedTuple):
    """What the command line asks for; None keeps what the metric records."""

    chart: str | None = None
    parts: tuple[date, ...] | None = None
    freeze: int | None = None  # 0: no frozen baseline
    exclude: tuple[tuple[date, str], ...] = ()  # added to the recorded exclusions
    sites: tuple[str, ...] = ()
    multiply: float | None = None  # numerator/denominator charts: x N instead of % or multiplier
    screen_mr: bool = True  # leave out moving ranges of 3.267 x their average or more
    cl: float | None = None  # a fixed centre line, in chart units
    y_neg: bool | None = None  # False: lower limits stay at 0 or above when no value is negative


class Series(NamedTuple):
    metric: Metric
    site: str | None  # None: a value for all sites together
    measures: tuple[Measure, ...]  # one per date once charted (see `periods`)
    subgroups: tuple[tuple[float, ...], ...] = ()  # once charted: each date's values

    @property
    def label(self) -> str:
        return self.site or "all sites"


class Runs(NamedTuple):
    """Which side of the centre the longest and the latest runs lie on (True: above), and
    where the longest run starts and ends (indices of the series' values)."""

    longest_above: bool | None
    trailing_above: bool | None
    trailing_length: int
    longest_from: int = 0
    longest_to: int = 0


class SeriesChart(NamedTuple):
    series: Series
    chart: str
    why: str
    parts: tuple[date, ...]
    freeze: int | None
    excluded: tuple[str | None, ...]  # the reason, per point
    result: ChartResult | None = None
    error: str | None = None
    units: float = 1.0  # chart units per unit of the metric's values, target and baseline
    notes: tuple[tuple[str, ...], ...] = ()  # per point: the metric's notes of its period

    @property
    def metric(self) -> Metric:
        return self.series.metric

    @property
    def target(self) -> float | None:
        """The metric's target in chart units."""
        return None if self.metric.target is None else self.metric.target * self.units

    @property
    def baseline(self) -> float | None:
        """The metric's baseline value in chart units."""
        return None if self.metric.baseline is None else self.metric.baseline * self.units

    @property
    def percent(self) -> bool:
        """Whether the chart is in percent: a proportion in the units it is recorded in."""
        return self.metric.kind is MetricKind.PROPORTION and self.units == 1.0

    def worse(self, above: bool) -> bool:
        """Whether a point above (or below) the centre is the unfavourable side."""
        return above == (self.metric.direction is Direction.LOWER)

    def runs(self, part: PartResult) -> Runs:
        useful = [
            p
            for p in part.points
            if not p.excluded and p.value != p.centre and not math.isnan(p.value - p.centre)
        ]
        found = _runs([p.value > p.centre for p in useful])
        if not useful:
            return found
        first, last = useful[found.longest_from].index, useful[found.longest_to].index
        return found._replace(longest_from=first, longest_to=last)


def series_of(metric: Metric, sites: Sequence[str] = (), until: date | None = None) -> list[Series]:
    """One series per site, the all-sites series first, values in date order."""
    by_site: dict[str | None, list[Measure]] = {}
    for measure in sorted(metric.values, key=lambda m: m.date):
        if until is not None and measure.date > until:
            continue
        if sites and measure.site not in sites:
            continue
        by_site.setdefault(measure.site, []).append(measure)
    order = sorted(by_site, key=lambda s: (s is not None, s or ""))
    return [Series(metric, site, tuple(by_site[site])) for site in order]


def project_charts(
    project: Project, metric_id: str | None, options: ChartOptions
) -> list[SeriesChart]:
    """Every series of one metric (or of all metrics) of `project`, charted."""
    metrics = project.metrics
    if metric_id is not None:
        metrics = [m for m in project.metrics if m.id == metric_id]
        if not metrics:
            known = ", ".join(m.id for m in project.metrics) or "none"
            raise DiffuseError(f"no metric '{metric_id}' in {project.id}; known: {known}")
    return [chart(s, options) for m in metrics for s in series_of(m, options.sites)]


def chart(series: Series, options: ChartOptions | None = None) -> SeriesChart:
    """The chart that fits `series`, analysed; a chart that cannot be drawn says why."""
    from diffuse.reports.spc import SPCError, analyse

    options = options or ChartOptions()
    metric = series.metric
    series = by_period(series)
    parts = tuple(sorted(options.parts if options.parts is not None else metric.parts))
    freeze = metric.freeze if options.freeze is None else (options.freeze or None)
    excluded = _excluded(series, dict(options.exclude))
    kind, why = choose_chart(series, options.chart, parts, excluded)
    base = SeriesChart(series, kind, why, parts, freeze, excluded, notes=_notes(series))
    try:
        points, multiply = chart_points(series, kind, parts, excluded, options.multiply)
        fixed = metric.cl if options.cl is None else options.cl
        cl = None if fixed is None else fixed / multiply
        y_neg = metric.y_neg if options.y_neg is None else options.y_neg
        result = analyse(points, kind, multiply, freeze, options.screen_mr, cl, y_neg)
    except SPCError as exc:
        name = CHART_NAMES[kind]
        article = "an" if name[0] in "IMxs" else "a"  # an I/MR, an MR, an xbar, an s
        return base._replace(error=f"cannot draw {article} {name}: {exc}")
    return base._replace(result=result, units=multiply / _recorded_scale(series, kind))


def by_period(series: Series) -> Series:
    """One measure per date (several values of a date merged, see `periods`), and
    each date's values as a subgroup for xbar and s charts."""
    from diffuse.reports.periods import group_by_date, merge

    metric = series.metric
    groups = group_by_date(series.measures)
    subgroups = tuple(tuple(metric.point(m) for m in group) for group in groups)
    measures = tuple(merge(metric, group) for group in groups)
    return series._replace(measures=measures, subgroups=subgroups)


def _notes(series: Series) -> tuple[tuple[str, ...], ...]:
    # A note belongs to the period it falls in: the latest point on or before its date
    # (the first point, for a note dated before any value).
    days = [m.date for m in series.measures]
    found: list[list[str]] = [[] for _ in days]
    for note in series.metric.notes:
        if days and note.site in (None, series.site):
            found[max(0, bisect.bisect_right(days, note.date) - 1)].append(note.text)
    return tuple(tuple(texts) for texts in found)


def _excluded(series: Series, extra: dict[date, str]) -> tuple[str | None, ...]:
    return tuple(extra.get(m.date, m.excluded) for m in series.measures)


def _has_ratios(series: Series) -> bool:
    return all(m.numerator is not None and m.denominator for m in series.measures)


def choose_chart(
    series: Series, asked: str | None, parts: tuple[date, ...], excluded: tuple[str | None, ...]
) -> tuple[str, str]:
    """The chart type and why: asked for, recorded on the metric, or fitted to the data."""
    metric = series.metric
    if asked:
        return asked, "as asked"
    if metric.chart is not None:
        return metric.chart.value, "as the metric records"
    from diffuse.reports.spc import SPCError, has_large_denominators, suggest_chart

    kind = suggest_chart(metric.kind.value)
    if kind in RATIO_CHARTS and not _has_ratios(series):
        return "run", "values without numerator and denominator"
    if kind == "i" and sum(r is None for r in excluded) < 2:
        return "run", "fewer than two points for an I chart"
    if kind in RATIO_CHARTS:
        points, _ = chart_points(series, kind, parts, excluded)
        try:
            large = has_large_denominators(points, kind)
        except SPCError:  # no chart can be drawn; analyse says why
            large = False
        if large:
            return LANEY[kind], "denominators so large that most points fall outside p/u limits"
    return kind, f"{metric.kind.value} metric"


def chart_points(
    series: Series,
    kind: str,
    parts: tuple[date, ...],
    excluded: tuple[str | None, ...],
    multiply: float | None = None,
) -> tuple[list[Point], float]:
    """Points for `spc.analyse` and the multiplier that puts them in display units.

    Numerator/denominator pairs are charted times `multiply`, by default 100 for a
    proportion (percent) and the metric's multiplier otherwise; values recorded without
    them are charted as recorded."""
    from diffuse.reports.spc import SUBGROUP_CHARTS, Point

    metric = series.metric
    ratio = _charts_ratios(series, kind)
    points = []
    for index, (measure, reason) in enumerate(zip(series.measures, excluded, strict=True)):
        part = bisect.bisect_right(parts, measure.date)
        if ratio:
            point = Point(num=measure.numerator, den=measure.denominator, part=part)
        elif kind in SUBGROUP_CHARTS and series.subgroups:
            point = Point(subgroup=series.subgroups[index], part=part)
        else:
            point = Point(y=metric.point(measure), part=part)
        points.append(_excluding(point, reason))
    if not ratio or multiply is None:
        return points, _recorded_scale(series, kind)
    return points, multiply


def _charts_ratios(series: Series, kind: str) -> bool:
    return _has_ratios(series) and (kind in RATIO_CHARTS or kind in ("run", "i"))


def _recorded_scale(series: Series, kind: str) -> float:
    """The multiplier that charts values in the units the metric records them in."""
    if not _charts_ratios(series, kind):
        return 1.0
    return 100.0 if series.metric.kind is MetricKind.PROPORTION else series.metric.multiplier


def _excluding(point: Point, reason: str | None) -> Point:
    return point._replace(excluded=reason is not None)


def _runs(sides: Sequence[bool]) -> Runs:
    """Runs of `sides`; indices are positions in `sides`."""
    if not sides:
        return Runs(None, None, 0)
    longest_side, longest, current, end = sides[0], 0, 0, 0
    for index, side in enumerate(sides):
        current = current + 1 if index and side == sides[index - 1] else 1
        if current >= longest:  # ties go to the later run, the one nearer today
            longest, longest_side, end = current, side, index
    return Runs(longest_side, sides[-1], current, end - longest + 1, end)


def sigma_side(point: PointResult) -> bool | None:
    """True above the upper limit, False below the lower one, None inside."""
    if not point.sigma_signal:
        return None
    return point.ucl is not None and point.value > point.ucl


# -- what health reads of the measures (rules in `status.health`) ---------------------


def is_compliance(metric: Metric) -> bool:
    return (
        metric.level is MetricLevel.PROCESS
        and metric.kind is MetricKind.PROPORTION
        and metric.target is not None
    )


def misses_target(metric: Metric, value: float) -> bool:
    if metric.target is None:
        return False
    if metric.direction is Direction.HIGHER:
        return value < metric.target
    return value > metric.target


def latest_since_go_live(project: Project, series: Series) -> Measure | None:
    """The latest counted value of a live site on or after its go-live, else None."""
    state = project.sites.get(series.site or "")
    if state is None or state.status not in LIVE:
        return None
    since = state.go_live_actual
    counted = [
        m for m in series.measures if m.excluded is None and (since is None or m.date >= since)
    ]
    return counted[-1] if counted else None


def unfavourable_signal(drawn: SeriesChart) -> str | None:
    """Why the latest part of a chart signals a change for the worse, or None.

    A point outside the limits on the unfavourable side among the latest three counted
    points, or a run of the latest points on the unfavourable side of the centre longer
    than Anhøj's limit (a shift). Too few crossings alone tells no direction.
    """
    if drawn.result is None:
        return None
    part = drawn.result.parts[-1]
    counted = [p for p in part.points if not p.excluded]
    for point in reversed(counted[-RECENT_POINTS:]):
        side = sigma_side(point)
        if side is not None and drawn.worse(side):
            day = drawn.series.measures[point.index].date
            return f"is {'above the upper' if side else 'below the lower'} limit on {day}"
    runs = drawn.runs(part)
    limit = part.longest_run_max
    above = runs.trailing_above
    if above is None or limit is None or runs.trailing_length <= limit or not drawn.worse(above):
        return None
    where = "above" if above else "below"
    return (
        f"has its latest {runs.trailing_length} points {where} the centre line "
        f"(a shift: more than {limit})"
    )


def number(value: float | None, metric: Metric) -> str:
    """A value as people write it: four significant figures, with % for proportions."""
    if value is None:
        return "-"
    text = f"{value:.4g}" if abs(value) < 10_000 else f"{value:.0f}"
    return f"{text}%" if metric.kind is MetricKind.PROPORTION else text


# -- loading ------------------------------------------------------------------------------


def load_charts(
    root: Path,
    project_id: str,
    metric_id: str | None,
    options: ChartOptions,
    as_of: date | None = None,
) -> tuple[list[SeriesChart], list[Problem]]:
    """The charts `diffuse metrics` draws (of the values dated by `as_of`, when given), and
    the tracker's problems to warn about."""
    from diffuse.reports.asof import measures_on
    from diffuse.rules.load import find_project, load_tracker

    loaded = load_tracker(root)
    project = find_project(loaded, project_id)
    if as_of is not None:
        project = measures_on(project, as_of)
    known_sites = [s.id for s in loaded.org.sites]
    unknown = [s for s in options.sites if s not in known_sites]
    if unknown:
        raise DiffuseError(
            f"--site: unknown value {', '.join(map(repr, unknown))}; "
            f"expected one of: {', '.join(sorted(known_sites))}"
        )
    return project_charts(project, metric_id, options), loaded.problems


def metric_summary(metric: Metric) -> tuple[str, str]:
    """The chart drawn for a metric and which series signal, for a one-line summary."""
    charts = [chart(series) for series in series_of(metric)]
    if not charts:
        return "-", "-"
    names = sorted({CHART_NAMES[c.chart].split(" ")[0] for c in charts})
    signals = []
    for drawn in charts:
        kinds = _signal_kinds(drawn)
        if kinds:
            signals.append(f"{drawn.series.label} ({', '.join(kinds)})")
    return ", ".join(names), "; ".join(signals) or "none"


def _signal_kinds(drawn: SeriesChart) -> list[str]:
    if drawn.result is None:
        return ["cannot chart"]
    kinds = ["runs"] if drawn.result.runs_signal else []
    return kinds + (["limits"] if drawn.result.sigma_signal else [])
