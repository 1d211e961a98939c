"""Statistical process control: run charts, control charts and Anhøj runs analysis.

The reference implementation is the R package qicharts2 (Jacob Anhøj). Conventions:

* Parts are consecutive segments of the series (before/after a change). Centre,
  limits and runs analysis are computed within each part separately.
* An excluded point is left out of the centre, the limits, the moving ranges and
  the runs analysis (qicharts2 runs the analysis on included points only), but it
  is still returned and still tested against its limits (sigma signal).
* ``freeze=k`` takes the first ``k`` points of each part as the baseline: centre
  and limits come from its non-excluded points and apply to the whole part, and
  the runs analysis tests every non-excluded point of the part against that centre.
* Moving-range screening (``screen_mr``, qicharts2 option ``qic.screenedmr``,
  Nelson 1982, Provost & Murray p. 156): moving ranges of at least 3.267 times
  their average are dropped and the average recomputed once. Since qicharts2
  0.7.4 the same screening also applies to the z-scores of Laney's p'/u' charts.
  The moving-range chart itself is not screened: its centre is the plain average
  moving range and its upper limit 3.267 times that, as qicharts2 draws it.
* I-chart limits are the mean -+ 3 / 1.128 (= 2.6596) times the average moving
  range, qicharts2's factor, not the rounded textbook constant 2.66.
* A part whose baseline cannot estimate the spread has no limits (None) while the
  other parts are still charted: an I or Laney p'/u' part with fewer than two
  baseline points (a part of one point, ``freeze=1``), a baseline that does not
  vary (every moving range 0: qicharts2 screens them all away), or a Laney
  baseline with p-bar 0 or 1 (or u-bar 0). With screening on, qicharts2 gets
  no limits in exactly these cases. With screening off it draws zero-width
  limits for a constant baseline; diffuse draws none either way.
* Parts are numbered from 1 in messages, in input order, as they are charted.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

CHART_TYPES: tuple[str, ...] = ("run", "i", "p", "u", "c", "pp", "up")
D2 = 1.128  # d2 for moving ranges of two points; Laney (2002) uses it for z too
I_LIMIT_FACTOR = 3 / D2  # 2.6596..., as qicharts2 (not the rounded 2.66)
MR_UCL_FACTOR = 3.267  # D4 for subgroups of two points

_PROPORTIONS = frozenset({"p", "pp"})
_RATES = frozenset({"u", "up"})
_RATIOS = _PROPORTIONS | _RATES
_LANEY = frozenset({"pp", "up"})
_PLAIN_OF = {"p": "p", "pp": "p", "u": "u", "up": "u"}
_CHART_OF_KIND = {"proportion": "p", "rate": "u", "count": "c", "measurement": "i"}
_LARGE_CHART = {"p": "pp", "u": "up"}


class SPCError(ValueError):
    """Input from which the requested chart cannot be computed."""


@dataclass(frozen=True)
class Point:
    """One observation: ``y``, or ``num`` over ``den`` for p, u and their primes."""

    y: float | None = None
    num: float | None = None
    den: float | None = None
    excluded: bool = False
    part: int = 0


@dataclass(frozen=True)
class RunsResult:
    """Anhøj runs analysis of one part (limits are None when no point is useful)."""

    n_useful: int
    longest_run: int
    longest_run_max: int | None
    n_crossings: int
    n_crossings_min: int | None
    runs_signal: bool


@dataclass(frozen=True)
class PointResult:
    """One point as charted; ``value``, ``centre`` and limits include ``multiply``."""

    index: int  # position in the input sequence
    part: int
    value: float
    centre: float
    lcl: float | None
    ucl: float | None
    excluded: bool
    baseline: bool  # True when the point contributed to centre and limits
    sigma_signal: bool


@dataclass(frozen=True)
class MRChart:
    """Moving-range chart of an I-chart part; the centre is the unscreened AMR."""

    values: tuple[float | None, ...]
    centre: float
    ucl: float

    @property
    def signals(self) -> tuple[bool, ...]:
        return tuple(v is not None and v > self.ucl for v in self.values)


@dataclass(frozen=True)
class PartResult:
    """Centre, points and runs analysis of one part (``centre`` is scaled)."""

    part: int
    centre: float
    points: tuple[PointResult, ...]
    runs: RunsResult
    mr: MRChart | None = None  # I-charts only
    sigma_z: float | None = None  # Laney charts only; None when the part has no limits

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


@dataclass(frozen=True)
class ChartResult:
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


@dataclass(frozen=True)
class _Part:
    part: int
    number: int  # position among the parts, from 1, as messages and output count them
    indices: tuple[int, ...]
    values: tuple[float, ...]  # unscaled: proportions, rates per unit, counts
    nums: tuple[float, ...]  # ratio charts only
    dens: tuple[float, ...]  # ratio charts only
    excluded: tuple[bool, ...]
    base: tuple[bool, ...]

    def base_values(self) -> list[float]:
        return [v for v, b in zip(self.values, self.base, strict=True) if b]


@dataclass(frozen=True)
class _Limits:
    centre: float
    lcl: tuple[float | None, ...]
    ucl: tuple[float | None, ...]
    mr_centre: float | None = None  # I charts: unscreened AMR, the MR chart's centre
    sigma_z: float | None = None


# --- runs analysis ---------------------------------------------------------


def runs_limits(n_useful: int) -> tuple[int, int]:
    """Anhøj's limits for ``n_useful`` points: (longest run max, crossings min).

    Longest run: round(log2(N)) + 3 (Schilling 2012). log2 of an integer is never
    exactly x.5, so R's and Python's half-to-even rounding cannot disagree.
    Crossings: the 5th percentile of Binomial(N - 1, 0.5) (Chen 2010), i.e. R's
    qbinom(0.05, N - 1, 0.5), computed exactly with integers.
    """
    if n_useful < 1:
        raise SPCError(f"runs limits need at least 1 useful point, got {n_useful}")
    return round(math.log2(n_useful)) + 3, _crossings_min(n_useful - 1)


def _crossings_min(trials: int) -> int:
    # Smallest c with P(X <= c) >= 0.05, i.e. 20 * sum(C(m, k), k <= c) >= 2**m.
    total = 2**trials
    cumulative = 0
    for c in range(trials + 1):
        cumulative += math.comb(trials, c)
        if 20 * cumulative >= total:
            return c
    return trials


def anhoej(values: Sequence[float], centre: float) -> RunsResult:
    """Longest run and number of crossings of ``values`` around ``centre``.

    Points on the centre line are neither above nor below it and are dropped.
    """
    if not all(math.isfinite(v) for v in values) or not math.isfinite(centre):
        raise SPCError("runs analysis needs finite values and a finite centre")
    sides = [v > centre for v in values if v != centre]
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
    """Chart type for a metric kind: proportion, rate, count, measurement, or other."""
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
    for part in _split(points, plain, None):
        if sum(part.base) < 2:
            continue
        sigma_z = _ratio_limits(part, _LARGE_CHART[plain], True).sigma_z
        if sigma_z is None or sigma_z <= 1.0:
            continue
        if _share_outside(part, _ratio_limits(part, plain, True)) > share:
            return True
    return False


def _share_outside(part: _Part, limits: _Limits) -> float:
    included = [k for k, ex in enumerate(part.excluded) if not ex]
    outside = [_outside(part.values[k], limits.lcl[k], limits.ucl[k]) for k in included]
    return sum(outside) / len(outside)


# --- analysis --------------------------------------------------------------


def analyse(
    points: Sequence[Point],
    chart: str = "run",
    multiply: float = 1.0,
    freeze: int | None = None,
    screen_mr: bool = True,
) -> ChartResult:
    """Centre, limits, sigma signals and runs analysis of ``points``, part by part.

    ``multiply`` scales values, centre and limits for display (e.g. 1000 for
    infections per 1,000 line-days); signals are computed before scaling.
    """
    _check_options(chart, multiply, freeze)
    parts = _split(points, chart, freeze)
    results = tuple(_analyse_part(p, chart, multiply, screen_mr) for p in parts)
    return ChartResult(chart, multiply, results)


def _check_options(chart: str, multiply: float, freeze: int | None) -> None:
    if chart not in CHART_TYPES:
        raise SPCError(f"unknown chart type {chart!r}; expected one of {CHART_TYPES}")
    if not (math.isfinite(multiply) and multiply > 0):
        raise SPCError(f"multiply must be a positive number, got {multiply}")
    if freeze is not None and freeze < 1:
        raise SPCError(f"freeze must be at least 1, got {freeze}")


def _analyse_part(part: _Part, chart: str, multiply: float, screen_mr: bool) -> PartResult:
    limits = _LIMITS[chart](part, chart, screen_mr)
    included = [v for v, ex in zip(part.values, part.excluded, strict=True) if not ex]
    runs = anhoej(included, limits.centre)
    points = tuple(
        PointResult(
            index=part.indices[k],
            part=part.part,
            value=part.values[k] * multiply,
            centre=limits.centre * multiply,
            lcl=_scale(limits.lcl[k], multiply),
            ucl=_scale(limits.ucl[k], multiply),
            excluded=part.excluded[k],
            baseline=part.base[k],
            sigma_signal=_outside(part.values[k], limits.lcl[k], limits.ucl[k]),
        )
        for k in range(len(part.values))
    )
    mr = None if limits.mr_centre is None else _mr_chart(part, limits.mr_centre, multiply)
    centre = limits.centre * multiply
    return PartResult(part.part, centre, points, runs, mr, limits.sigma_z)


def _outside(value: float, lcl: float | None, ucl: float | None) -> bool:
    # Sigma signal: strictly outside; a point on a limit is not a signal.
    return (lcl is not None and value < lcl) or (ucl is not None and value > ucl)


def _scale(value: float | None, multiply: float) -> float | None:
    return None if value is None else value * multiply


def _mr_chart(part: _Part, amr: float, multiply: float) -> MRChart:
    # Each point is compared with the previous non-excluded point, the pairs that
    # gave the AMR; excluded points are charted but never serve as the reference.
    values: list[float | None] = []
    previous: float | None = None
    for value, excluded in zip(part.values, part.excluded, strict=True):
        values.append(None if previous is None else abs(value - previous) * multiply)
        if not excluded:
            previous = value
    return MRChart(tuple(values), amr * multiply, MR_UCL_FACTOR * amr * multiply)


# --- input ---------------------------------------------------------------


def _split(points: Sequence[Point], chart: str, freeze: int | None) -> list[_Part]:
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
) -> _Part:
    part = points[indices[0]].part
    nums: tuple[float, ...] = ()
    dens: tuple[float, ...] = ()
    if chart in _RATIOS:
        terms = [_ratio_terms(points[i], chart, i) for i in indices]
        nums = tuple(num for num, _ in terms)
        dens = tuple(den for _, den in terms)
        values = tuple(num / den for num, den in terms)
    else:
        values = tuple(_plain_value(points[i], chart, i) for i in indices)
    excluded = tuple(points[i].excluded for i in indices)
    size = len(indices) if freeze is None else freeze
    base = tuple(k < size and not ex for k, ex in enumerate(excluded))
    if not any(base):
        raise SPCError(f"part {number}: no non-excluded point in the baseline")
    return _Part(part, number, tuple(indices), values, nums, dens, excluded, base)


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


def _plain_value(point: Point, chart: str, index: int) -> float:
    # Run and I charts also accept num/den (e.g. a run chart of percentages);
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
    if chart == "c" and value < 0:
        raise SPCError(f"point {index}: a count must not be negative, got {value}")
    return value


def _finite(value: float, name: str, index: int) -> float:
    if not math.isfinite(value):
        raise SPCError(f"point {index}: {name} must be a finite number, got {value}")
    return float(value)


# --- centre and limits -------------------------------------------------------


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _moving_ranges(values: Sequence[float]) -> list[float]:
    return [abs(b - a) for a, b in itertools.pairwise(values)]


def _screened_average(ranges: Sequence[float], screen: bool) -> float:
    # qicharts2: amr <- mean(mr[mr < 3.267 * amr]), once. Ranges that are all 0
    # (a constant baseline) keep none: callers treat that case before screening.
    amr = _mean(ranges)
    if screen:
        amr = _mean([r for r in ranges if r < MR_UCL_FACTOR * amr])
    return amr


def _no_limits(part: _Part, centre: float, **extra: float | None) -> _Limits:
    none: tuple[float | None, ...] = (None,) * len(part.values)
    return _Limits(centre, none, none, **extra)


def _run_limits(part: _Part, chart: str, screen_mr: bool) -> _Limits:
    return _no_limits(part, statistics.median(part.base_values()))


def _i_limits(part: _Part, chart: str, screen_mr: bool) -> _Limits:
    base = part.base_values()
    centre = _mean(base)
    ranges = _moving_ranges(base)
    if not ranges:
        return _no_limits(part, centre)  # one baseline point: no spread to estimate
    mr_centre = _mean(ranges)
    if mr_centre == 0:
        return _no_limits(part, centre, mr_centre=0.0)  # constant baseline
    half = I_LIMIT_FACTOR * _screened_average(ranges, screen_mr)
    n = len(part.values)
    return _Limits(centre, (centre - half,) * n, (centre + half,) * n, mr_centre=mr_centre)


def _c_limits(part: _Part, chart: str, screen_mr: bool) -> _Limits:
    # Poisson counts with a constant area of opportunity: sigma = sqrt(c̄).
    centre = _mean(part.base_values())
    half = 3 * math.sqrt(centre)
    n = len(part.values)
    return _Limits(centre, (max(0.0, centre - half),) * n, (centre + half,) * n)


def _ratio_limits(part: _Part, chart: str, screen_mr: bool) -> _Limits:
    # Pooled centre Σnum / Σden weights each point by its denominator; the mean of
    # the proportions would let small denominators count as much as large ones.
    nums = [x for x, b in zip(part.nums, part.base, strict=True) if b]
    dens = [x for x, b in zip(part.dens, part.base, strict=True) if b]
    centre = math.fsum(nums) / math.fsum(dens)
    spread = centre * (1 - centre) if chart in _PROPORTIONS else centre
    sigmas = [math.sqrt(spread / d) for d in part.dens]
    sigma_z = None
    if chart in _LANEY:
        sigma_z = _laney_sigma_z(part, centre, sigmas, screen_mr)
        if sigma_z is None:
            return _no_limits(part, centre)
        sigmas = [s * sigma_z for s in sigmas]
    top = 1.0 if chart in _PROPORTIONS else math.inf
    lcl = tuple(max(0.0, centre - 3 * s) for s in sigmas)
    ucl = tuple(min(top, centre + 3 * s) for s in sigmas)
    return _Limits(centre, lcl, ucl, sigma_z=sigma_z)


def _laney_sigma_z(
    part: _Part, centre: float, sigmas: Sequence[float], screen_mr: bool
) -> float | None:
    # Laney (2002): z_i = (y_i - centre) / sigma_i; sigma_z = AMR(z) / d2 measures
    # the between-point variation the binomial/Poisson sigma does not account for.
    # None (no limits) when it cannot be estimated: fewer than two baseline points,
    # centre 0 or 1 (every sigma_i is 0, z undefined), or z constant (AMR 0).
    base = [k for k, b in enumerate(part.base) if b]
    if len(base) < 2 or any(sigmas[k] == 0.0 for k in base):
        return None
    z = [(part.values[k] - centre) / sigmas[k] for k in base]
    ranges = _moving_ranges(z)
    if _mean(ranges) == 0:
        return None
    return _screened_average(ranges, screen_mr) / D2


_LIMITS: dict[str, Callable[[_Part, str, bool], _Limits]] = {
    "run": _run_limits,
    "i": _i_limits,
    "c": _c_limits,
    "p": _ratio_limits,
    "u": _ratio_limits,
    "pp": _ratio_limits,
    "up": _ratio_limits,
}
