"""Statistical process control: run charts, control charts and Anhøj runs analysis.

The reference is the R package qicharts2 0.8.1 (Jacob Anhøj); `spclimits` computes each
chart's centre and limits as its ``qic.*`` functions do, and `rmath` averages as R does.
Conventions, all qicharts2's:

* Parts are consecutive segments of the series (before/after a change). Centre,
  limits and runs analysis are computed within each part separately.
* ``freeze=k`` takes the first ``k`` points of each part as the baseline: centre and
  limits come from its points that are not excluded and apply to the whole part.
* An excluded point is left out of the centre, the limits and the runs analysis, but
  it is still charted and still tested against its limits (sigma signal).
* A part whose baseline has no point left (every point excluded) has no centre line
  and no limits; the other parts are charted as usual. A baseline that cannot estimate
  the spread (one point; screening that drops every moving range) has no limits. With
  screening off, a constant baseline has limits of zero width.
* I charts: moving ranges of consecutive baseline points; limits centre -+ 3 x AMR /
  1.128. Moving-range screening (``screen_mr``, qicharts2's ``qic.screenedmr``, on by
  default as qicharts2 sets it): ranges of at least 3.267 x their average are dropped
  and the average taken again, once; Laney's p'/u' screen their z-scores the same way.
* The MR chart (alone, or with an I chart) pairs each point with the point before it,
  excluded or not; its centre is the plain average of the ranges ending at a baseline
  point, its upper limit 3.267 x that. It has no runs signal.
* ``multiply`` scales values, centre and limits; runs are read before scaling, points
  are tested against the scaled limits. ``y_neg=False`` raises negative lower limits to
  0 when no value is negative, after the sigma signals are read.
* Values, centres and limits that qicharts2 leaves NA are ``nan`` (values, centres) or
  None (limits).
* Parts are numbered from 1 in messages, in input order, as they are charted.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import NamedTuple

from diffuse.reports import spclimits
from diffuse.reports.rmath import binomial_half_quantile_05, r_mean, r_median, r_sd, r_sum
from diffuse.reports.spclimits import D2, MR_UCL_FACTOR, Limits, Part

__all__ = ["D2", "MR_UCL_FACTOR"]

CHART_TYPES: tuple[str, ...] = ("run", "i", "mr", "t", "g", "c", "p", "pp", "u", "up", "xbar", "s")
AGGREGATES: tuple[str, ...] = ("mean", "median", "sum")
SUBGROUP_CHARTS = frozenset({"xbar", "s"})

_PROPORTIONS = frozenset({"p", "pp"})
_RATES = frozenset({"u", "up"})
_RATIOS = _PROPORTIONS | _RATES
_PLAIN_OF = {"p": "p", "pp": "p", "u": "u", "up": "u"}
_CHART_OF_KIND = {
    "proportion": "p",
    "rate": "u",
    "count": "c",
    "measurement": "i",
    "time-between": "t",
    "count-between": "g",
}
_LARGE_CHART = {"p": "pp", "u": "up"}
_NO_RUNS_SIGNAL = frozenset({"mr"})  # qicharts2 reads no runs signal on a moving-range chart


class SPCError(ValueError):
    """Input from which the requested chart cannot be computed."""


class Point(NamedTuple):
    """One period: ``y``, or ``num`` over ``den`` for p, u and their primes, or the
    ``subgroup`` of values an xbar or s chart summarises."""

    y: float | None = None
    num: float | None = None
    den: float | None = None
    excluded: bool = False
    part: int = 0
    subgroup: tuple[float, ...] = ()


class RunsResult(NamedTuple):
    """Anhøj runs analysis of one part (limits are None when no point is useful)."""

    n_useful: int
    longest_run: int
    longest_run_max: int | None
    n_crossings: int
    n_crossings_min: int | None
    runs_signal: bool


class PointResult(NamedTuple):
    """One point as charted; ``value``, ``centre`` and limits include ``multiply``.

    ``value`` is nan where the chart has none (the first moving range of a part, the sd
    of a one-value subgroup); ``centre`` is nan in a part without a centre line."""

    index: int  # type: ignore[assignment]  # position in the input (shadows tuple.index)
    part: int
    value: float
    centre: float
    lcl: float | None
    ucl: float | None
    excluded: bool
    baseline: bool  # True when the point contributed to centre and limits
    sigma_signal: bool


class MRChart(NamedTuple):
    """Moving-range chart of an I-chart part; the centre is the unscreened AMR."""

    values: tuple[float | None, ...]
    centre: float
    ucl: float

    @property
    def signals(self) -> tuple[bool, ...]:
        return tuple(v is not None and v > self.ucl for v in self.values)


class PartResult(NamedTuple):
    """Centre, points and runs analysis of one part (``centre`` is scaled; nan: none)."""

    part: int
    centre: float
    points: tuple[PointResult, ...]
    runs: RunsResult
    mr: MRChart | None = None  # I-charts only
    sigma_z: float | None = None  # Laney charts only; None when the part has no limits

    @property
    def has_centre(self) -> bool:
        return not math.isnan(self.centre)

    @property
    def lcl(self) -> tuple[float | None, ...]:
        return tuple(p.lcl for p in self.points)

    @property
    def ucl(self) -> tuple[float | None, ...]:
        return tuple(p.ucl for p in self.points)

    @property
    def runs_signal(self) -> bool:
        return self.runs.runs_signal

    @property
    def longest_run(self) -> int:
        return self.runs.longest_run

    @property
    def longest_run_max(self) -> int | None:
        return self.runs.longest_run_max

    @property
    def n_crossings(self) -> int:
        return self.runs.n_crossings

    @property
    def n_crossings_min(self) -> int | None:
        return self.runs.n_crossings_min

    @property
    def n_useful(self) -> int:
        return self.runs.n_useful


class ChartResult(NamedTuple):
    """All parts of a chart, in input order."""

    chart: str
    multiply: float
    parts: tuple[PartResult, ...]

    @property
    def points(self) -> tuple[PointResult, ...]:
        return tuple(p for part in self.parts for p in part.points)

    @property
    def runs_signal(self) -> bool:
        return any(part.runs_signal for part in self.parts)

    @property
    def sigma_signal(self) -> bool:
        return any(p.sigma_signal for p in self.points)


class _Split(NamedTuple):
    part: int
    number: int  # position among the parts, from 1, as messages and output count them
    indices: tuple[int, ...]
    data: Part


# --- runs analysis ---------------------------------------------------------


def runs_limits(n_useful: int) -> tuple[int, int]:
    """Anhøj's limits for ``n_useful`` points: (longest run max, crossings min).

    Longest run: round(log2(N)) + 3 (Schilling 2012). log2 of an integer is never
    exactly x.5, so R's and Python's half-to-even rounding cannot disagree.
    Crossings: the 5th percentile of Binomial(N - 1, 0.5) (Chen 2010), R's
    qbinom(0.05, N - 1, 0.5), in time that grows with the square root of N.
    """
    if n_useful < 1:
        raise SPCError(f"runs limits need at least 1 useful point, got {n_useful}")
    return round(math.log2(n_useful)) + 3, binomial_half_quantile_05(n_useful - 1)


def anhoej(values: Sequence[float], centre: float) -> RunsResult:
    """Longest run and number of crossings of ``values`` around ``centre``.

    Points on the centre line are neither above nor below it and are dropped, and so
    are missing values (nan); with no centre (nan) no point is useful.
    """
    if any(math.isinf(v) for v in values) or math.isinf(centre):
        raise SPCError("runs analysis needs finite values and a finite centre")
    sides = [v > centre for v in values if v != centre and not math.isnan(v - centre)]
    if not sides:
        return RunsResult(0, 0, None, 0, None, False)
    crossings = sum(a != b for a, b in itertools.pairwise(sides))
    longest = _longest_run(sides)
    run_max, cross_min = runs_limits(len(sides))
    signal = longest > run_max or crossings < cross_min
    return RunsResult(len(sides), longest, run_max, crossings, cross_min, signal)


def _longest_run(sides: Sequence[bool]) -> int:
    longest = current = 1
    for previous, side in itertools.pairwise(sides):
        current = current + 1 if side == previous else 1
        longest = max(longest, current)
    return longest


# --- chart choice ----------------------------------------------------------


def suggest_chart(kind: str, large_denominators: bool = False) -> str:
    """Chart type for a metric kind: proportion p, rate u, count c, measurement i,
    time-between t, count-between g; a run chart for anything else."""
    chart = _CHART_OF_KIND.get(kind.strip().lower(), "run")
    if large_denominators:
        return _LARGE_CHART.get(chart, chart)
    return chart


def has_large_denominators(points: Sequence[Point], chart: str = "p", share: float = 0.5) -> bool:
    """Whether a p- (or u-) chart of ``points`` calls for Laney's p' (or u').

    Rule: in some part, more than ``share`` of the non-excluded points fall outside
    the ordinary 3-sigma limits, and Laney's sigma_z of that part exceeds 1. With a
    correct binomial/Poisson model about 0.3 % of points fall outside; when most do
    and the point-to-point spread of the z-scores is wider than 1, sigma_i is too
    small because the denominators are large (Laney 2002), not because of a shift.
    Parts with fewer than two baseline points are not judged.
    """
    if chart not in _PLAIN_OF:
        raise SPCError(f"large denominators concern p and u charts, not {chart!r}")
    plain = _PLAIN_OF[chart]
    for split in _split(points, plain, None):
        part = split.data
        if sum(part.base) < 2:
            continue
        sigma_z = spclimits.LIMITS[_LARGE_CHART[plain]](part, True, None).sigma_z
        if sigma_z is None or sigma_z <= 1.0:
            continue
        if _share_outside(part, spclimits.LIMITS[plain](part, True, None)) > share:
            return True
    return False


def _share_outside(part: Part, limits: Limits) -> float:
    included = [k for k, ex in enumerate(part.excluded) if not ex]
    outside = [_outside(part.values[k], limits.lcl[k], limits.ucl[k]) for k in included]
    return sum(outside) / len(outside)


# --- aggregation -------------------------------------------------------------


def aggregate(values: Sequence[float], how: str) -> float:
    """Several values of one period as one: their mean, median or sum, as R computes it."""
    if not values:
        raise SPCError("nothing to aggregate")
    if how == "mean":
        return r_mean(values)
    if how == "median":
        return r_median(values)
    if how == "sum":
        return r_sum(values)
    raise SPCError(f"unknown aggregate {how!r}; expected one of {AGGREGATES}")


# --- analysis --------------------------------------------------------------


def analyse(
    points: Sequence[Point],
    chart: str = "run",
    multiply: float = 1.0,
    freeze: int | None = None,
    screen_mr: bool = True,
    cl: float | None = None,
    y_neg: bool = True,
) -> ChartResult:
    """Centre, limits, sigma signals and runs analysis of ``points``, part by part.

    ``multiply`` scales values, centre and limits for display (e.g. 1000 for
    infections per 1,000 line-days). ``cl`` fixes the centre line of every part
    (unscaled, as qicharts2's ``cl``); ``y_neg=False`` keeps lower limits at 0 or
    above when no value is negative.
    """
    _check_options(chart, multiply, freeze, cl)
    parts = [
        _analyse_part(s, chart, multiply, screen_mr, cl) for s in _split(points, chart, freeze)
    ]
    if not y_neg and min(_values(parts), default=-1.0) >= 0:
        parts = [_no_negative_limits(part) for part in parts]
    return ChartResult(chart, multiply, tuple(parts))


def _check_options(chart: str, multiply: float, freeze: int | None, cl: float | None) -> None:
    if chart not in CHART_TYPES:
        raise SPCError(f"unknown chart type {chart!r}; expected one of {CHART_TYPES}")
    if not (math.isfinite(multiply) and multiply > 0):
        raise SPCError(f"multiply must be a positive number, got {multiply}")
    if freeze is not None and freeze < 1:
        raise SPCError(f"freeze must be at least 1, got {freeze}")
    if cl is not None and not math.isfinite(cl):
        raise SPCError(f"a fixed centre line must be a finite number, got {cl}")


def _analyse_part(
    split: _Split, chart: str, multiply: float, screen_mr: bool, cl: float | None
) -> PartResult:
    part = split.data
    limits = spclimits.LIMITS[chart](part, screen_mr, cl)
    included = [v for v, ex in zip(limits.values, part.excluded, strict=True) if not ex]
    runs = anhoej(included, limits.centre)
    if chart in _NO_RUNS_SIGNAL:
        runs = runs._replace(runs_signal=False)
    centre = limits.centre * multiply
    points = []
    for k, value in enumerate(limits.values):
        lcl, ucl = _limit(limits.lcl[k], multiply), _limit(limits.ucl[k], multiply)
        scaled = value * multiply
        points.append(
            PointResult(
                index=split.indices[k],
                part=split.part,
                value=scaled,
                centre=centre,
                lcl=lcl,
                ucl=ucl,
                excluded=part.excluded[k],
                baseline=part.base[k],
                sigma_signal=_outside(scaled, lcl, ucl),
            )
        )
    mr = _mr_chart(part, multiply) if chart == "i" else None
    return PartResult(split.part, centre, tuple(points), runs, mr, limits.sigma_z)


def _limit(value: float, multiply: float) -> float | None:
    scaled = value * multiply
    return scaled if math.isfinite(scaled) else None  # qicharts2: no line where not finite


def _outside(value: float, lcl: float | None, ucl: float | None) -> bool:
    # Sigma signal: strictly outside; a point on a limit is not a signal.
    return (lcl is not None and value < lcl) or (ucl is not None and value > ucl)


def _values(parts: Sequence[PartResult]) -> list[float]:
    return [p.value for part in parts for p in part.points if not math.isnan(p.value)]


def _no_negative_limits(part: PartResult) -> PartResult:
    points = tuple(
        p._replace(lcl=0.0) if p.lcl is not None and p.lcl < 0 else p for p in part.points
    )
    return part._replace(points=points)


def _mr_chart(part: Part, multiply: float) -> MRChart | None:
    limits = spclimits.mr_limits(part, False, None)
    if math.isnan(limits.centre):
        return None
    values = tuple(None if math.isnan(v) else v * multiply for v in limits.values)
    return MRChart(values, limits.centre * multiply, limits.ucl[0] * multiply)


# --- input ---------------------------------------------------------------


def _split(points: Sequence[Point], chart: str, freeze: int | None) -> list[_Split]:
    if not points:
        raise SPCError("no points to chart")
    groups: list[list[int]] = []
    for index, point in enumerate(points):
        if groups and point.part == points[groups[-1][0]].part:
            groups[-1].append(index)
        elif groups and point.part < points[groups[-1][0]].part:
            raise SPCError(
                f"point {index}: part {point.part} follows part "
                f"{points[groups[-1][0]].part}; parts must be in time order"
            )
        else:
            groups.append([index])
    return [_make_part(points, group, n, chart, freeze) for n, group in enumerate(groups, 1)]


def _make_part(
    points: Sequence[Point], indices: list[int], number: int, chart: str, freeze: int | None
) -> _Split:
    nums: tuple[float, ...] = ()
    dens: tuple[float, ...] = ()
    sizes: tuple[int, ...] = ()
    sds: tuple[float, ...] = ()
    if chart in _RATIOS:
        terms = [_ratio_terms(points[i], chart, i) for i in indices]
        nums = tuple(num for num, _ in terms)
        dens = tuple(den for _, den in terms)
        values = tuple(num / den for num, den in terms)
    elif chart in SUBGROUP_CHARTS:
        groups = [_subgroup(points[i], chart, i) for i in indices]
        sizes = tuple(len(g) for g in groups)
        sds = tuple(r_sd(g) for g in groups)
        values = tuple(r_mean(g) for g in groups)
    else:
        values = tuple(_plain_value(points[i], chart, i) for i in indices)
    if chart == "t" and min(values) <= 0:
        raise SPCError(f"part {number}: times between events must be greater than 0")
    excluded = tuple(points[i].excluded for i in indices)
    size = len(indices) if freeze is None else freeze
    base = tuple(k < size and not ex for k, ex in enumerate(excluded))
    part = Part(values, nums, dens, sizes, sds, excluded, base)
    return _Split(points[indices[0]].part, number, tuple(indices), part)


def _ratio_terms(point: Point, chart: str, index: int) -> tuple[float, float]:
    if point.num is None or point.den is None:
        raise SPCError(f"point {index}: a {chart} chart needs num and den")
    num = _finite(point.num, "num", index)
    den = _finite(point.den, "den", index)
    if den <= 0:
        raise SPCError(f"point {index}: den must be positive, got {den}")
    if num < 0:
        raise SPCError(f"point {index}: num must not be negative, got {num}")
    if chart in _PROPORTIONS and num > den:
        raise SPCError(f"point {index}: num {num} exceeds den {den} on a {chart} chart")
    return num, den


def _subgroup(point: Point, chart: str, index: int) -> tuple[float, ...]:
    values = point.subgroup or (() if point.y is None else (point.y,))
    if not values:
        raise SPCError(f"point {index}: an {chart} chart needs the subgroup's values")
    return tuple(_finite(v, "a subgroup value", index) for v in values)


def _plain_value(point: Point, chart: str, index: int) -> float:
    # Run, I, MR, t and g charts also accept num/den (e.g. a run chart of percentages);
    # a c-chart accepts the count as y or as num.
    if point.y is not None:
        value = _finite(point.y, "y", index)
    elif chart == "c" and point.num is not None:
        value = _finite(point.num, "num", index)
    elif chart != "c" and point.num is not None and point.den is not None:
        num = _finite(point.num, "num", index)
        den = _finite(point.den, "den", index)
        if den <= 0:
            raise SPCError(f"point {index}: den must be positive, got {den}")
        value = num / den
    else:
        needs = "y or num" if chart == "c" else "y, or num and den"
        raise SPCError(f"point {index}: a {chart} chart needs {needs}")
    if chart in ("c", "g") and value < 0:
        raise SPCError(f"point {index}: a count must not be negative, got {value}")
    return value


def _finite(value: float, name: str, index: int) -> float:
    if not math.isfinite(value):
        raise SPCError(f"point {index}: {name} must be a finite number, got {value}")
    return float(value)
