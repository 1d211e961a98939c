"""Means, sums, medians and standard deviations computed bit for bit as R computes them.

qicharts2 runs on R, and R's `mean()` of doubles is not the correctly rounded mean:
it sums in long double (the x87 80-bit format, a 64-bit significand, on the x86-64
machines where R and qicharts2 are used), divides by n, then adds the mean of the
residuals, again in long double, and rounds the result to a double. `math.fsum(x) / n`
can land one unit in the last place away, and a point equal to the mean then falls
above or below the centre line: the runs analysis (and its signal) changes. So every
average that decides a centre line here is R's, step for step:

* ``r_sum``: long-double accumulation, rounded to a double once at the end (R's rsum);
* ``r_mean``: ``s = sum/n; s += sum(x - s)/n`` in long double (R's summary.c);
* ``r_median``: the middle value, or ``r_mean`` of the two middle values;
* ``r_sd``: R's ``var()`` (residuals, squares and sums in long double), then its root.

Long doubles are emulated exactly with integers: a value is ``m * 2**e`` and every
operation rounds the exact result to 64 significant bits, half to even. Subnormal long
doubles (below 2**-16382) cannot arise from the doubles of a chart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

_LONG = 64  # significand bits of an x87 long double
_DOUBLE = 53

# (mantissa, exponent): the value mantissa * 2**exponent; mantissa carries the sign.
_Ld = tuple[int, int]
_ZERO: _Ld = (0, 0)


def _of(x: float) -> _Ld:
    num, den = x.as_integer_ratio()
    return num, 1 - den.bit_length()


def _round(m: int, e: int, bits: int, sticky: bool = False) -> _Ld:
    """``m * 2**e`` rounded to ``bits`` significant bits, half to even; ``sticky``
    says that nonzero bits below ``m`` were already dropped (they break a tie upward)."""
    sign = -1 if m < 0 else 1
    m = abs(m)
    drop = m.bit_length() - bits
    if drop <= 0:
        return sign * m, e
    low = m & ((1 << drop) - 1)
    m >>= drop
    half = 1 << (drop - 1)
    if low > half or (low == half and (sticky or m & 1)):
        m += 1
    return sign * m, e + drop


def _add(a: _Ld, b: _Ld) -> _Ld:
    (ma, ea), (mb, eb) = a, b
    if ma == 0:
        return _round(mb, eb, _LONG)
    if mb == 0:
        return _round(ma, ea, _LONG)
    e = min(ea, eb)
    return _round((ma << (ea - e)) + (mb << (eb - e)), e, _LONG)


def _div(a: _Ld, n: int) -> _Ld:
    m, e = a
    if m == 0:
        return _ZERO
    shift = max(0, _LONG + 2 + n.bit_length() - abs(m).bit_length())
    q, r = divmod(abs(m) << shift, n)
    rounded, exponent = _round(q, e - shift, _LONG, sticky=r != 0)
    return (rounded if m > 0 else -rounded), exponent


def _to_double(a: _Ld) -> float:
    m, e = _round(*a, _DOUBLE)
    try:
        return math.ldexp(float(m), e)
    except OverflowError:
        return math.copysign(math.inf, m)


def r_sum(values: Sequence[float]) -> float:
    """R's ``sum()`` of finite doubles."""
    total = _ZERO
    for x in values:
        total = _add(total, _of(x))
    return _to_double(total)


def r_mean(values: Sequence[float]) -> float:
    """R's ``mean()`` of finite doubles; NaN for no values, as R gives."""
    n = len(values)
    if n == 0:
        return math.nan
    parts = [_of(x) for x in values]
    total = _ZERO
    for x in parts:
        total = _add(total, x)
    mean = _div(total, n)
    if not math.isfinite(_to_double(mean)):
        return _to_double(mean)
    residual = _ZERO
    negated = (-mean[0], mean[1])
    for x in parts:
        residual = _add(residual, _add(x, negated))
    return _to_double(_add(mean, _div(residual, n)))


def r_median(values: Sequence[float]) -> float:
    """R's ``median()``: the middle value, or the R mean of the two middle values."""
    n = len(values)
    if n == 0:
        return math.nan
    ordered = sorted(values)
    half = (n + 1) // 2
    if n % 2:
        return ordered[half - 1]
    return r_mean(ordered[half - 1 : half + 1])


def r_sd(values: Sequence[float]) -> float:
    """R's ``sd()``: NaN for fewer than two values (R's NA)."""
    n = len(values)
    if n < 2:
        return math.nan
    negated = _of(-r_mean(values))
    total = _ZERO
    for x in values:
        d = _add(_of(x), negated)
        total = _add(total, _round(d[0] * d[0], 2 * d[1], _LONG))
    return math.sqrt(_to_double(_div(total, n - 1)))


def binomial_half_quantile_05(trials: int) -> int:
    """R's ``qbinom(0.05, trials, 0.5)``: the smallest c with P(X <= c) >= 0.05.

    The tail is summed in floating point from a normal-approximation start, so the
    cost grows with the square root of ``trials``; where the sum comes within 1e-9 of
    0.05 the comparison is redone exactly with integers (20 * sum C(m, k) >= 2**m).
    """
    if trials < 0:
        raise ValueError(f"trials must not be negative, got {trials}")
    if trials < 60:
        return _exact_quantile(trials)
    c = max(0, int(trials / 2 - 0.8224268134757361 * math.sqrt(trials)))
    while c > 0 and _tail_reaches(trials, c - 1):
        c -= 1
    while not _tail_reaches(trials, c):
        c += 1
    return c


def _exact_quantile(trials: int) -> int:
    total, cumulative = 1 << trials, 0
    for c in range(trials + 1):
        cumulative += math.comb(trials, c)
        if 20 * cumulative >= total:
            return c
    return trials


def _tail_reaches(trials: int, c: int) -> bool:
    """Whether P(X <= c) >= 0.05 for X ~ Binomial(trials, 1/2)."""
    log_top = (
        math.lgamma(trials + 1)
        - math.lgamma(c + 1)
        - math.lgamma(trials - c + 1)
        - trials * math.log(2)
    )
    term, total, k = 1.0, 1.0, c
    while k > 0 and term > 1e-18 * total:
        term *= k / (trials - k + 1)
        total += term
        k -= 1
    tail = math.exp(log_top) * total
    if abs(tail - 0.05) > 1e-9:
        return tail > 0.05
    exact = sum(math.comb(trials, k) for k in range(c + 1))
    return 20 * exact >= 1 << trials
