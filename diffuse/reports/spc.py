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
* I-chart limits use the customary constant 2.66 (3 / 1.128 rounded); qicharts2
  itself uses 3 / 1.128 = 2.6596, a relative difference of 0.015 %.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

CHART_TYPES: tuple[str, ...] = ("run", "i", "p", "u", "c", "pp", "up")
I_LIMIT_FACTOR = 2.66  # 3 / d2, d2 = 1.128 for moving ranges of two points
MR_UCL_FACTOR = 3.267  # D4 for subgroups of two points
D2 = 1.128  # Laney (2002) rescales the z-scores with the same d2

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
    """Moving-range chart of an I-chart part; the centre is the (screened) AMR."""

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
    sigma_z: float | None = None  # Laney charts only; None when p̄ is 0 or 1 (ū is 0)

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
    amr: float | None = None
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
    mr = None if limits.amr is None else _mr_chart(part, limits.amr, multiply)
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
    return [_make_part(points, group, chart, freeze) for group in groups]


def _make_part(
    points: Sequence[Point], indices: list[int], chart: str, freeze: int | None
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
        raise SPCError(f"part {part}: no non-excluded point in the baseline")
    return _Part(part, tuple(indices), values, nums, dens, excluded, base)


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


def _average_moving_range(values: Sequence[float], screen: bool) -> float:
    ranges = [abs(b - a) for a, b in itertools.pairwise(values)]
    amr = _mean(ranges)
    if screen:
        # qicharts2: amr <- mean(mr[mr < 3.267 * amr]). Nothing is kept only when
        # every range is 0, and then the AMR is 0 either way.
        kept = [r for r in ranges if r < MR_UCL_FACTOR * amr]
        if kept:
            amr = _mean(kept)
    return amr


def _run_limits(part: _Part, chart: str, screen_mr: bool) -> _Limits:
    none: tuple[float | None, ...] = (None,) * len(part.values)
    return _Limits(statistics.median(part.base_values()), none, none)


def _i_limits(part: _Part, chart: str, screen_mr: bool) -> _Limits:
    base = part.base_values()
    if len(base) < 2:
        raise SPCError(f"part {part.part}: an I-chart needs at least 2 baseline points")
    centre = _mean(base)
    amr = _average_moving_range(base, screen_mr)
    n = len(part.values)
    half = I_LIMIT_FACTOR * amr
    return _Limits(centre, (centre - half,) * n, (centre + half,) * n, amr=amr)


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
        if sigma_z is not None:
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
    base = [k for k, b in enumerate(part.base) if b]
    if len(base) < 2:
        raise SPCError(f"part {part.part}: a Laney chart needs 2 baseline points")
    if any(sigmas[k] == 0.0 for k in base):
        return None  # centre 0 or 1: every sigma_i is 0, limits equal the centre
    z = [(part.values[k] - centre) / sigmas[k] for k in base]
    return _average_moving_range(z, screen_mr) / D2


_LIMITS: dict[str, Callable[[_Part, str, bool], _Limits]] = {
    "run": _run_limits,
    "i": _i_limits,
    "c": _c_limits,
    "p": _ratio_limits,
    "u": _ratio_limits,
    "pp": _ratio_limits,
    "up": _ratio_limits,
}
