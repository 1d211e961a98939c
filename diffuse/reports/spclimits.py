"""Centre lines and control limits of one part, chart by chart, as qicharts2 0.8.1 computes them.

Each function follows the R function of the same name in qicharts2 (``qic.i``,
``qic.mr``, ``qic.t`` ...) operation for operation, so that the numbers agree to the
last bit where R's arithmetic allows it (averages come from `rmath`). Values are
unscaled; ``nan`` stands for R's NA (no centre, no limit, no value), as in R.
The baseline (``base``) is the points of the frozen baseline that are not excluded.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from typing import NamedTuple

from diffuse.reports.rmath import r_mean, r_median, r_sum

NAN = math.nan
D2 = 1.128  # d2 for moving ranges of two points; Laney (2002) uses it for z too
MR_UCL_FACTOR = 3.267  # D4 for subgroups of two points
T_POWER = 3.6  # Nelson's transformation of times between events to near normality
G_MEDIAN = 0.693  # a user-fixed g-chart centre is moved to the geometric median


class Part(NamedTuple):
    """One part's points as the limit functions take them (after aggregation)."""

    values: tuple[float, ...]  # y: value, proportion, rate, count; subgroup mean for xbar
    nums: tuple[float, ...]  # ratio charts: summed numerators
    dens: tuple[float, ...]  # ratio charts: summed denominators
    sizes: tuple[int, ...]  # xbar and s: subgroup sizes
    sds: tuple[float, ...]  # xbar and s: subgroup standard deviations (nan for one value)
    excluded: tuple[bool, ...]
    base: tuple[bool, ...]

    def pick(self, values: Sequence[float]) -> list[float]:
        return [v for v, b in zip(values, self.base, strict=True) if b]


class Limits(NamedTuple):
    values: tuple[float, ...]  # what the chart plots: y, its moving range, its sd ...
    centre: float
    lcl: tuple[float, ...]
    ucl: tuple[float, ...]
    sigma_z: float | None = None  # Laney charts


def _sqrt(x: float) -> float:
    return math.sqrt(x) if x >= 0 else NAN  # nan stays nan; R gives NaN below 0


def _div(a: float, b: float) -> float:
    if b != 0:
        return a / b
    if a == 0 or math.isnan(a):
        return NAN
    return math.copysign(math.inf, a) * math.copysign(1.0, b)


def _pow(x: float, power: float) -> float:
    return NAN if math.isnan(x) or x < 0 else x**power


def _floor_zero(values: Sequence[float]) -> tuple[float, ...]:
    return tuple(0.0 if v < 0 else v for v in values)  # nan < 0 is False: nan stays


def _clip_one(values: Sequence[float]) -> tuple[float, ...]:
    return tuple(1.0 if v > 1 and math.isfinite(v) else v for v in values)


def average_mr(ranges: Sequence[float], screen: bool) -> float:
    """Average moving range; screened (Nelson 1982, qicharts2's ``qic.screenedmr``):
    ranges of at least 3.267 times the average are dropped and the average taken again,
    once. Missing ranges are left out, as ``mean(na.rm = TRUE)`` does."""
    kept = [r for r in ranges if not math.isnan(r)]
    amr = r_mean(kept)
    if screen:
        top = MR_UCL_FACTOR * amr
        amr = r_mean([r for r in kept if r < top])
    return amr


def moving_ranges(values: Sequence[float]) -> list[float]:
    return [abs(b - a) for a, b in itertools.pairwise(values)]


def _same(value: float, part: Part) -> tuple[float, ...]:
    return (value,) * len(part.values)


def run_limits(part: Part, screen: bool, fixed: float | None) -> Limits:
    centre = r_median(part.pick(part.values)) if fixed is None else fixed
    return Limits(part.values, centre, _same(NAN, part), _same(NAN, part))


def i_limits(part: Part, screen: bool, fixed: float | None) -> Limits:
    base = part.pick(part.values)
    centre = r_mean(base) if fixed is None else fixed
    stdev = average_mr(moving_ranges([v - centre for v in base]), screen) / D2
    lcl, ucl = centre - 3 * stdev, centre + 3 * stdev
    return Limits(part.values, centre, _same(lcl, part), _same(ucl, part))


def mr_values(values: Sequence[float]) -> tuple[float, ...]:
    """Each point's moving range from the point before it, excluded or not (qic.mr)."""
    return (NAN, *moving_ranges(values))


def mr_limits(part: Part, screen: bool, fixed: float | None) -> Limits:
    values = mr_values(part.values)
    centre = r_mean([v for v in part.pick(values) if not math.isnan(v)])
    if fixed is not None:
        centre = fixed
    return Limits(values, centre, _same(0.0, part), _same(MR_UCL_FACTOR * centre, part))


def t_limits(part: Part, screen: bool, fixed: float | None) -> Limits:
    # Times between events, raised to 1/3.6, are close to normal: an I chart of the
    # transformed values, its lines transformed back (qicharts2 takes a fixed centre on
    # the transformed scale). A lower limit below 0 has no back-transform: 0.
    shrunk = tuple(v ** (1 / T_POWER) for v in part.values)
    inner = i_limits(Part(shrunk, (), (), (), (), part.excluded, part.base), screen, fixed)
    lcl = tuple(0.0 if math.isnan(x) else x for x in (_pow(v, T_POWER) for v in inner.lcl))
    return Limits(
        tuple(v**T_POWER for v in shrunk),
        _pow(inner.centre, T_POWER),
        lcl,
        tuple(_pow(v, T_POWER) for v in inner.ucl),
    )


def g_limits(part: Part, screen: bool, fixed: float | None) -> Limits:
    # Geometric distribution of cases between events: sigma = sqrt(mean * (mean + 1))
    # from the mean; the centre line drawn is the median (Provost & Murray).
    base = part.pick(part.values)
    mean = r_mean(base) if fixed is None else fixed
    stdev = _sqrt(mean * (mean + 1))
    centre = r_median(base) if fixed is None else G_MEDIAN * fixed
    lcl = _floor_zero(_same(mean - 3 * stdev, part))
    return Limits(part.values, centre, lcl, _same(mean + 3 * stdev, part))


def c_limits(part: Part, screen: bool, fixed: float | None) -> Limits:
    centre = r_mean(part.pick(part.values)) if fixed is None else fixed
    stdev = _sqrt(centre)
    lcl = _floor_zero(_same(centre - 3 * stdev, part))
    return Limits(part.values, centre, lcl, _same(centre + 3 * stdev, part))


def ratio_limits(
    part: Part, screen: bool, fixed: float | None, proportion: bool, laney: bool
) -> Limits:
    # Pooled centre: sum of numerators over sum of denominators (each point weighs
    # as much as its denominator). Laney's p'/u' widen sigma_i by sigma_z, the
    # moving-range spread of the baseline's z-scores.
    centre = _div(r_sum(part.pick(part.nums)), r_sum(part.pick(part.dens)))
    if fixed is not None:
        centre = fixed
    spread = centre * (1 - centre) if proportion else centre
    stdev = [_sqrt(_div(spread, n)) for n in part.dens]
    sigma_z = None
    if laney:
        base = [k for k, b in enumerate(part.base) if b]
        z = [_div(part.values[k] - centre, stdev[k]) for k in base]
        sigma_z = average_mr(moving_ranges(z), screen) / D2
        stdev = [s * sigma_z for s in stdev]
    lcl = _floor_zero([centre - 3 * s for s in stdev])
    ucl = tuple(centre + 3 * s for s in stdev)
    if proportion:
        ucl = _clip_one(ucl)
    z_out = None if sigma_z is None or math.isnan(sigma_z) else sigma_z
    return Limits(part.values, centre, lcl, ucl, z_out)


def _c4(n: int) -> float:
    if n <= 1:
        return NAN
    return math.sqrt(2 / (n - 1)) * math.exp(math.lgamma(n / 2) - math.lgamma((n - 1) / 2))


def _pooled_sd(part: Part) -> float:
    # Constant subgroup size: the mean of the sds; varying: the pooled sd (Montgomery
    # 6.29 and 6.31). The size counts over the whole part, excluded points too.
    sizes, sds = part.pick(part.sizes), part.pick(part.sds)
    if len(set(part.sizes)) > 1:
        weighted = [(n - 1) * (s * s) for n, s in zip(sizes, sds, strict=True) if not math.isnan(s)]
        return _sqrt(_div(r_sum(weighted), r_sum([n - 1.0 for n in sizes])))
    return r_mean([s for s in sds if not math.isnan(s)])


def xbar_limits(part: Part, screen: bool, fixed: float | None) -> Limits:
    sizes = part.pick(part.sizes)
    weighted = [n * m for n, m in zip(sizes, part.pick(part.values), strict=True)]
    centre = _div(r_sum(weighted), r_sum([float(n) for n in sizes]))
    if fixed is not None:
        centre = fixed
    stdev = _pooled_sd(part)
    a3 = [_div(3, _c4(n) * math.sqrt(n)) if n > 1 else NAN for n in part.sizes]
    lcl = tuple(centre - a * stdev for a in a3)
    return Limits(part.values, centre, lcl, tuple(centre + a * stdev for a in a3))


def s_limits(part: Part, screen: bool, fixed: float | None) -> Limits:
    centre = _pooled_sd(part) if fixed is None else fixed
    lcl, ucl = [], []
    for n in part.sizes:
        c4 = _c4(n)
        width = 3 * _sqrt(1 - c4 * c4) / c4
        lcl.append(max(0.0, 1 - width) * centre if not math.isnan(width) else NAN)
        ucl.append((1 + width) * centre)
    return Limits(part.sds, centre, tuple(lcl), tuple(ucl))


def _ratio(proportion: bool, laney: bool) -> Callable[[Part, bool, float | None], Limits]:
    def limits(part: Part, screen: bool, fixed: float | None) -> Limits:
        return ratio_limits(part, screen, fixed, proportion, laney)

    return limits


LIMITS: dict[str, Callable[[Part, bool, float | None], Limits]] = {
    "run": run_limits,
    "i": i_limits,
    "mr": mr_limits,
    "t": t_limits,
    "g": g_limits,
    "c": c_limits,
    "p": _ratio(True, False),
    "pp": _ratio(True, True),
    "u": _ratio(False, False),
    "up": _ratio(False, True),
    "xbar": xbar_limits,
    "s": s_limits,
}
