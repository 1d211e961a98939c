"""Tests for diffuse.reports.spc: hand-computed answers for each formula, Anhøj's limits."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import pytest

from diffuse.reports.spc import (
    ChartResult,
    Point,
    SPCError,
    analyse,
    anhoej,
    has_large_denominators,
    runs_limits,
    suggest_chart,
)


def ys(*values: float) -> list[Point]:
    return [Point(y=v) for v in values]


def ratios(nums: Sequence[float], dens: Sequence[float]) -> list[Point]:
    return [Point(num=n, den=d) for n, d in zip(nums, dens, strict=True)]


def binomial_cdf(trials: int, c: int) -> Fraction:
    """P(X <= c) for X ~ Binomial(trials, 1/2), as an exact fraction."""
    return Fraction(sum(math.comb(trials, k) for k in range(c + 1)), 2**trials)


def single(result: ChartResult) -> tuple[float, list[float | None], list[float | None]]:
    (part,) = result.parts
    return part.centre, list(part.lcl), list(part.ucl)


# --- Anhøj runs analysis -----------------------------------------------------


@pytest.mark.parametrize(
    ("n", "longest_max", "crossings_min"),
    [
        # round(log2 10) + 3 = round(3.32) + 3 = 6; Binomial(9, .5):
        # P(X <= 1) = 10/512 = 0.020, P(X <= 2) = 46/512 = 0.090 -> 2.
        (10, 6, 2),
        # round(4.32) + 3 = 7; Binomial(19): P(X <= 5) = 0.032, P(X <= 6) = 0.084.
        (20, 7, 6),
        # round(4.58) + 3 = 8; Binomial(23): P(X <= 7) = 0.047, P(X <= 8) = 0.105.
        (24, 8, 8),
        # round(4.91) + 3 = 8; Binomial(29): P(X <= 9) = 0.031, P(X <= 10) = 0.068.
        (30, 8, 10),
        # round(5.64) + 3 = 9; Binomial(49): P(X <= 18) = 0.0427, P(X <= 19) = 0.0762,
        # so the minimum is 19. A value of 20 sometimes quoted for N = 50 does not
        # follow from the rule (P(X <= 19) already exceeds 0.05).
        (50, 9, 19),
        # round(6.64) + 3 = 10; Binomial(99): P(X <= 40) = 0.0350, P(X <= 41) = 0.0537,
        # so the minimum is 41, not 44 (P(X <= 43) = 0.114 is far past 5 %).
        (100, 10, 41),
    ],
)
def test_runs_limits_reference_table(n: int, longest_max: int, crossings_min: int) -> None:
    assert runs_limits(n) == (longest_max, crossings_min)


def test_runs_limits_small_n_by_hand() -> None:
    # N = 1: log2 1 = 0 -> 3; Binomial(0) puts all mass on 0 -> 0.
    assert runs_limits(1) == (3, 0)
    # N = 2: log2 2 = 1 -> 4; Binomial(1): P(X <= 0) = 0.5 -> 0.
    assert runs_limits(2) == (4, 0)
    # N = 7: round(2.81) + 3 = 6; Binomial(6): P(X <= 0) = 1/64, P(X <= 1) = 7/64 -> 1.
    assert runs_limits(7) == (6, 1)


@pytest.mark.parametrize("n", range(10, 101))
def test_runs_limits_match_the_definitions(n: int) -> None:
    longest_max, crossings_min = runs_limits(n)
    # The 5th percentile: the CDF of Binomial(N - 1, 0.5) reaches 0.05 at crossings_min.
    assert binomial_cdf(n - 1, crossings_min) >= Fraction(1, 20)
    assert crossings_min == 0 or binomial_cdf(n - 1, crossings_min - 1) < Fraction(1, 20)
    # round(log2 N) + 3 == L  <=>  2**(L - 3.5) < N < 2**(L - 2.5) (no ties exist).
    assert 2 ** (longest_max - 3.5) < n < 2 ** (longest_max - 2.5)


def test_runs_limits_reject_no_points() -> None:
    with pytest.raises(SPCError):
        runs_limits(0)


def test_anhoej_drops_points_on_the_centre() -> None:
    # Sides around 5: - - - (5) (5) - + + +  ->  7 useful points, runs "----" "+++".
    runs = anhoej([1, 3, 2, 5, 5, 4, 6, 7, 8], 5)
    assert (runs.n_useful, runs.longest_run, runs.n_crossings) == (7, 4, 1)
    assert (runs.longest_run_max, runs.n_crossings_min) == (6, 1)
    assert not runs.runs_signal


def test_anhoej_long_run_signal() -> None:
    # Seven below then three above: L = 7 > 6 (N = 10), and C = 1 < 2.
    runs = anhoej([1] * 7 + [3] * 3, 2)
    assert (runs.longest_run, runs.n_crossings, runs.runs_signal) == (7, 1, True)


def test_anhoej_too_few_crossings_alone_signal() -> None:
    # 5 below, 5 above: L = 5 <= 6 but C = 1 < 2 for N = 10.
    runs = anhoej([1] * 5 + [3] * 5, 2)
    assert runs.longest_run <= (runs.longest_run_max or 0)
    assert runs.n_crossings < (runs.n_crossings_min or 0)
    assert runs.runs_signal


def test_anhoej_alternating_series_is_random() -> None:
    runs = anhoej([1, 3] * 5, 2)
    assert (runs.longest_run, runs.n_crossings, runs.runs_signal) == (1, 9, False)


def test_anhoej_without_useful_points() -> None:
    runs = anhoej([2, 2], 2)
    assert runs.n_useful == 0
    assert runs.longest_run_max is None and runs.n_crossings_min is None
    assert not runs.runs_signal


# --- run chart ----------------------------------------------------------------


def test_run_chart_uses_the_median_and_has_no_limits() -> None:
    result = analyse(ys(1, 9, 3, 4, 2, 8))
    # Sorted 1 2 3 4 8 9 -> median (3 + 4) / 2 = 3.5.
    assert single(result) == (3.5, [None] * 6, [None] * 6)
    assert not result.sigma_signal


def test_run_chart_of_proportions_from_num_and_den() -> None:
    # 1/4 = 0.25, 3/4 = 0.75, 2/4 = 0.5 -> median 0.5; shown as percentages.
    result = analyse(ratios([1, 3, 2], [4, 4, 4]), multiply=100)
    assert result.parts[0].centre == pytest.approx(50.0)
    assert [p.value for p in result.points] == pytest.approx([25.0, 75.0, 50.0])


# --- I chart --------------------------------------------------------------------


def test_i_chart_by_hand() -> None:
    result = analyse(ys(5, 7, 6, 8, 7), "i")
    centre, lcl, ucl = single(result)
    # Mean 33 / 5 = 6.6; moving ranges 2 1 2 1 -> AMR 1.5 (none >= 3.267 * 1.5).
    # Limits 6.6 -+ 3 / 1.128 * 1.5 = 6.6 -+ 3.989362 -> 2.610638 and 10.589362.
    assert centre == pytest.approx(6.6)
    assert lcl == pytest.approx([2.610638] * 5)
    assert ucl == pytest.approx([10.589362] * 5)
    mr = result.parts[0].mr
    assert mr is not None
    assert mr.values == (None, 2.0, 1.0, 2.0, 1.0)
    # MR chart: centre AMR 1.5, UCL 3.267 * 1.5 = 4.9005.
    assert (mr.centre, mr.ucl) == pytest.approx((1.5, 4.9005))
    assert not any(mr.signals)
    # Sides around 6.6: - + - + +  -> N = 5, L = 2, C = 3; limits (5, 0).
    part = result.parts[0]
    assert (part.n_useful, part.longest_run, part.n_crossings) == (5, 2, 3)
    assert (part.longest_run_max, part.n_crossings_min) == (5, 0)


def test_i_chart_screens_large_moving_ranges_once() -> None:
    values = (10, 11, 10, 11, 10, 11, 10, 11, 10, 30)
    # Mean (5*10 + 4*11 + 30) / 10 = 12.4. Moving ranges: eight 1s and one 20.
    # AMR = 28 / 9 = 3.111; 3.267 * 3.111 = 10.16, so 20 is dropped -> AMR = 1.
    centre, lcl, ucl = single(analyse(ys(*values), "i"))
    assert centre == pytest.approx(12.4)
    assert lcl[0] == pytest.approx(12.4 - 3 / 1.128)  # 9.740426
    assert ucl[0] == pytest.approx(12.4 + 3 / 1.128)  # 15.059574
    # Unscreened: 12.4 -+ 3 / 1.128 * 28 / 9 = 12.4 -+ 8.274232.
    _, lcl, ucl = single(analyse(ys(*values), "i", screen_mr=False))
    assert (lcl[0], ucl[0]) == pytest.approx((4.125768, 20.674232))


def test_mr_chart_is_not_screened() -> None:
    # As qicharts2's MR chart: centre the plain AMR 28 / 9 = 3.111, UCL 3.267 times
    # that = 10.164, whether or not the I chart's limits screen the range 20.
    for screen in (True, False):
        result = analyse(ys(10, 11, 10, 11, 10, 11, 10, 11, 10, 30), "i", screen_mr=screen)
        mr = result.parts[0].mr
        assert mr is not None
        assert (mr.centre, mr.ucl) == pytest.approx((28 / 9, 3.267 * 28 / 9))
        assert mr.signals == (False,) * 9 + (True,)
        # The I chart signals the last point either way (UCL 15.06 screened, 20.67 not).
        assert [p.sigma_signal for p in result.points] == [False] * 9 + [True]


def test_i_chart_excluded_point_is_removed_before_differencing() -> None:
    points = ys(5, 7, 50, 6, 8, 7)
    points[2] = Point(y=50, excluded=True)
    result = analyse(points, "i")
    # Same arithmetic as test_i_chart_by_hand: ranges |7-5| |6-7| |8-6| |7-8|.
    centre, lcl, ucl = single(result)
    assert (centre, lcl[0], ucl[0]) == pytest.approx((6.6, 2.610638, 10.589362))
    flagged = result.points[2]
    assert flagged.excluded and not flagged.baseline and flagged.sigma_signal
    # Runs analysis ignores the excluded point: still N = 5.
    assert result.parts[0].n_useful == 5
    mr = result.parts[0].mr
    assert mr is not None
    # As qicharts2 draws it, each point is paired with the point before it, excluded
    # or not: 6 is compared with the excluded 50. The centre averages the ranges that
    # end at a baseline point (2, 44, 2, 1), unscreened; the limits still come from
    # consecutive baseline points (above).
    assert mr.values == (None, 2.0, 43.0, 44.0, 2.0, 1.0)
    assert (mr.centre, mr.ucl) == pytest.approx((49 / 4, 3.267 * 49 / 4))


def test_mr_chart_pairs_each_point_with_the_one_before() -> None:
    # qicharts2: y = 10 12 30 11 13, point 3 excluded: ranges 2 18 19 2 at points
    # 2 to 5; the range at the excluded point is left out: centre 23 / 3, limit x 3.267.
    points = ys(10, 12, 30, 11, 13)
    points[2] = Point(y=30, excluded=True)
    (part,) = analyse(points, "mr").parts
    assert math.isnan(part.points[0].value)
    assert [p.value for p in part.points[1:]] == [2, 18, 19, 2]
    assert part.centre == pytest.approx(7.6667, abs=1e-4)
    assert part.ucl[1] == pytest.approx(25.047, abs=1e-3) and part.lcl[1] == 0
    assert not part.runs_signal


def test_i_chart_part_of_one_point_has_no_limits() -> None:
    # A split on the last date: part 1 is charted as usual, part 2 has no spread to
    # estimate, so no limits, no moving-range chart and no useful point (y = centre).
    points = [*ys(5, 7, 6, 8, 7), Point(y=30, part=1)]
    first, last = analyse(points, "i").parts
    assert first.lcl[0] == pytest.approx(2.610638) and first.mr is not None
    assert (last.centre, last.lcl, last.ucl, last.mr) == (30.0, (None,), (None,), None)
    assert not last.points[0].sigma_signal
    assert (last.n_useful, last.longest_run_max, last.runs_signal) == (0, None, False)
    # One baseline point left by an exclusion, or by freeze=1: no limits either.
    one = analyse([Point(y=4), Point(y=5, excluded=True)], "i")
    assert one.parts[0].ucl == (None, None)
    frozen = analyse(ys(4, 9, 1), "i", freeze=1)
    assert frozen.parts[0].lcl == (None, None, None) and not frozen.sigma_signal


def test_i_chart_constant_baseline_has_no_limits() -> None:
    # Every baseline moving range is 0: screening drops them all (0 is not below
    # 3.267 x 0), so no limits; the MR chart keeps its centre 0.
    result = analyse(ys(5, 5, 5, 5, 9, 1), "i", freeze=4)
    centre, lcl, ucl = single(result)
    assert (centre, lcl, ucl) == (5.0, [None] * 6, [None] * 6)
    assert not result.sigma_signal
    mr = result.parts[0].mr
    assert mr is not None and (mr.centre, mr.ucl) == (0.0, 0.0)


def test_i_chart_constant_baseline_unscreened_has_zero_width_limits() -> None:
    # Screening off: AMR 0, limits on the centre, and the points off it are outside.
    result = analyse(ys(5, 5, 5, 5, 9, 1), "i", freeze=4, screen_mr=False)
    assert single(result) == (5.0, [5.0] * 6, [5.0] * 6)
    assert [p.sigma_signal for p in result.points] == [False] * 4 + [True, True]


def test_part_with_every_point_excluded_is_charted_without_a_centre() -> None:
    # qicharts2: y = 10 12 11 30 13 9 11 12, a part after point 3, points 1-3 excluded:
    # part 1 has no centre and no limits, part 2 is charted as usual.
    points = [
        Point(y=v, part=int(k >= 3), excluded=k < 3)
        for k, v in enumerate((10, 12, 11, 30, 13, 9, 11, 12))
    ]
    first, second = analyse(points, "i").parts
    assert not first.has_centre and first.ucl == (None,) * 3 and first.n_useful == 0
    assert second.centre == 15 and second.ucl[0] is not None


def test_i_chart_screened_to_zero_keeps_zero_width_limits() -> None:
    # Not constant: ranges 0 0 0 0 0 5, AMR 5/6; 5 >= 3.267 * 5/6 is screened out and
    # the screened AMR is 0. qicharts2 then draws limits on the centre, 40 / 7.
    result = analyse(ys(5, 5, 5, 5, 5, 5, 10, 6), "i", freeze=7)
    _, lcl, ucl = single(result)
    assert lcl == ucl == [pytest.approx(40 / 7)] * 8
    assert [p.sigma_signal for p in result.points] == [True] * 8


# --- p chart ----------------------------------------------------------------------


def test_p_chart_pooled_centre_and_varying_limits() -> None:
    result = analyse(ratios([5, 10, 3], [10, 100, 50]), "p")
    centre, lcl, ucl = single(result)
    # p-bar = 18 / 160 = 0.1125, not the mean of 0.5, 0.1, 0.06 (= 0.22).
    assert centre == pytest.approx(0.1125)
    # p-bar (1 - p-bar) = 0.1125 * 0.8875 = 0.09984375.
    # n = 10:  sigma = 0.0999219, 3 sigma = 0.2997657 -> (0 after clipping, 0.4122657)
    # n = 100: sigma = 0.0315981, 3 sigma = 0.0947943 -> (0.0177057, 0.2072943)
    # n = 50:  sigma = 0.0446866, 3 sigma = 0.1340597 -> (0 after clipping, 0.2465597)
    assert lcl == pytest.approx([0.0, 0.0177057, 0.0], abs=1e-6)
    assert ucl == pytest.approx([0.4122657, 0.2072943, 0.2465597], abs=1e-6)
    # 5/10 = 0.5 > 0.4122657.
    assert [p.sigma_signal for p in result.points] == [True, False, False]


def test_p_chart_clips_limits_to_zero_and_one() -> None:
    # p-bar = 0.5, n = 2: 3 * sqrt(0.25 / 2) = 1.0607 -> raw limits -0.56, 1.56.
    _, lcl, ucl = single(analyse(ratios([1, 1], [2, 2]), "p"))
    assert (lcl, ucl) == ([0.0, 0.0], [1.0, 1.0])


def test_p_chart_display_multiplier() -> None:
    # Same data as above, in percent: p-bar 11.25 %, UCL at n = 100 20.72943 %.
    result = analyse(ratios([5, 10, 3], [10, 100, 50]), "p", multiply=100)
    assert result.parts[0].centre == pytest.approx(11.25)
    assert result.points[1].ucl == pytest.approx(20.72943, abs=1e-4)
    assert [p.sigma_signal for p in result.points] == [True, False, False]


# --- u chart ----------------------------------------------------------------------


def test_u_chart_clabsi_per_1000_line_days() -> None:
    infections = [2, 1, 3, 0, 9]
    line_days = [1000, 800, 1200, 1000, 1000]
    result = analyse(ratios(infections, line_days), "u", multiply=1000)
    centre, lcl, ucl = single(result)
    # u-bar = 15 / 5000 = 0.003 per line-day = 3.0 per 1,000 line-days.
    assert centre == pytest.approx(3.0)
    assert [p.value for p in result.points] == pytest.approx([2.0, 1.25, 2.5, 0.0, 9.0])
    # a = 1000: sqrt(0.003/1000) = 0.00173205 -> UCL (0.003 + 0.00519615) * 1000
    # a =  800: sqrt(0.003/800)  = 0.00193649 -> UCL 8.809475
    # a = 1200: sqrt(0.003/1200) = 0.00158114 -> UCL 7.743416
    assert ucl == pytest.approx([8.196152, 8.809475, 7.743416, 8.196152, 8.196152])
    # Lower limits 0.003 - 3 sigma < 0 everywhere -> clipped at 0.
    assert lcl == [0.0] * 5
    # 9 infections in 1,000 line-days: 9.0 > 8.196152.
    assert [p.sigma_signal for p in result.points] == [False] * 4 + [True]


def test_u_chart_allows_counts_above_exposure() -> None:
    # Rates are not proportions: 3 events in 2 units of exposure is valid.
    centre, _, _ = single(analyse(ratios([3, 1], [2, 2]), "u"))
    assert centre == pytest.approx(1.0)


# --- c chart ----------------------------------------------------------------------


def test_c_chart_by_hand() -> None:
    # c-bar = 25 / 5 = 5; 3 sqrt(5) = 6.7082 -> LCL 5 - 6.7082 < 0 -> 0, UCL 11.7082.
    centre, lcl, ucl = single(analyse(ys(4, 2, 6, 4, 9), "c"))
    assert centre == pytest.approx(5.0)
    assert lcl == [0.0] * 5
    assert ucl == pytest.approx([11.708204] * 5)


def test_c_chart_excluded_point_is_still_tested() -> None:
    points = [*ys(9, 11, 10, 10), Point(num=25, excluded=True), Point(num=10)]
    result = analyse(points, "c")
    centre, lcl, ucl = single(result)
    # c-bar from 9 11 10 10 10 = 10; 10 -+ 3 sqrt(10) = 10 -+ 9.4868.
    assert centre == pytest.approx(10.0)
    assert (lcl[0], ucl[0]) == pytest.approx((0.513167, 19.486833))
    assert [p.sigma_signal for p in result.points] == [False] * 4 + [True, False]
    # Runs: 9 below, 11 above, the 10s on the line, 25 excluded -> N = 2, C = 1.
    part = result.parts[0]
    assert (part.n_useful, part.longest_run, part.n_crossings) == (2, 1, 1)


# --- Laney p' and u' ---------------------------------------------------------------


def test_laney_p_prime_by_hand() -> None:
    result = analyse(ratios([10, 30, 20], [100, 200, 100]), "pp")
    centre, lcl, ucl = single(result)
    # p-bar = 60 / 400 = 0.15; sigma_i = sqrt(0.1275 / n): 0.0357071 (n = 100),
    # 0.0252488 (n = 200). z = (-0.05 / 0.0357071, 0, 0.05 / 0.0357071)
    # = (-1.400280, 0, 1.400280); AMR(z) = 1.400280; sigma_z = 1.400280 / 1.128
    # = 1.241383. n = 100: 3 sigma_i sigma_z = 3 * 0.05 / 1.128 = 0.132979;
    # n = 200: 0.132979 / sqrt 2 = 0.094030.
    assert centre == pytest.approx(0.15)
    assert result.parts[0].sigma_z == pytest.approx(1.241383)
    assert lcl == pytest.approx([0.017021, 0.055970, 0.017021], abs=1e-6)
    assert ucl == pytest.approx([0.282979, 0.244030, 0.282979], abs=1e-6)


def test_laney_u_prime_by_hand() -> None:
    result = analyse(ratios([10, 30, 20], [100, 200, 100]), "up", multiply=1000)
    centre, lcl, ucl = single(result)
    # u-bar = 0.15; sigma_i = sqrt(0.15 / n); z_1 = -0.05 / 0.0387298 = -1.290994;
    # sigma_z = 1.290994 / 1.128 = 1.144499. sigma_i sigma_z again reduces to
    # 0.05 / 1.128 for n = 100, so the limits equal the p' ones, times 1000.
    assert centre == pytest.approx(150.0)
    assert result.parts[0].sigma_z == pytest.approx(1.144499)
    assert lcl == pytest.approx([17.021277, 55.969843, 17.021277])
    assert ucl == pytest.approx([282.978723, 244.030157, 282.978723])


def test_laney_screens_z_moving_ranges() -> None:
    points = ratios([10, 11, 10, 11, 10, 11, 10, 11, 10, 30], [100] * 10)
    # Equal n: z ranges are p ranges / sigma, so 3 sigma sigma_z = 3 AMR(p) / 1.128.
    # p-bar = 124 / 1000 = 0.124. p ranges: eight 0.01 and one 0.20.
    # Screened (0.20 >= 3.267 * 0.28/9): AMR 0.01 -> half width 0.026596.
    _, lcl, ucl = single(analyse(points, "pp"))
    assert (lcl[0], ucl[0]) == pytest.approx((0.097404, 0.150596), abs=1e-6)
    # Unscreened: AMR 0.28 / 9 = 0.031111 -> half width 0.082742.
    _, lcl, ucl = single(analyse(points, "pp", screen_mr=False))
    assert (lcl[0], ucl[0]) == pytest.approx((0.041258, 0.206742), abs=1e-6)


def test_laney_without_an_estimate_of_sigma_z_has_no_limits() -> None:
    # p-bar 0: every sigma_i is 0 and z undefined; a constant p (z all equal); a part
    # of one point. Each part has no limits; the plain p chart keeps its limits.
    for nums, dens in (([0, 0, 0], [10, 20, 30]), ([10, 20, 30], [100, 200, 300])):
        result = analyse(ratios(nums, dens), "pp")
        assert result.parts[0].sigma_z is None
        assert single(result)[1:] == ([None] * 3, [None] * 3)
    assert single(analyse(ratios([10, 20, 30], [100, 200, 300]), "p"))[1][0] is not None
    points = [*ratios([10, 14, 9], [100] * 3), Point(num=5, den=100, part=1)]
    first, last = analyse(points, "up").parts
    assert first.sigma_z is not None and first.ucl[0] is not None
    assert (last.sigma_z, last.ucl) == (None, (None,))


# --- parts and frozen baseline -----------------------------------------------------


def test_parts_are_computed_separately() -> None:
    points = [*ys(1, 2, 3, 4, 5), *(Point(y=v, part=1) for v in (10, 11, 12))]
    result = analyse(points)
    first, second = result.parts
    assert (first.part, first.centre, second.part, second.centre) == (0, 3, 1, 11)
    # Part 0 around 3: - - (3) + +  -> N = 4, L = 2, C = 1; limits (5, 0).
    assert (first.n_useful, first.longest_run, first.n_crossings) == (4, 2, 1)
    assert (first.longest_run_max, first.n_crossings_min) == (5, 0)
    # Part 1 around 11: - (11) +  -> N = 2.
    assert second.n_useful == 2
    assert [p.index for p in result.points] == list(range(8))


def test_p_chart_parts_have_their_own_centre() -> None:
    points = [
        Point(num=1, den=10),
        Point(num=3, den=10),
        Point(num=6, den=10, part=1),
        Point(num=8, den=10, part=1),
    ]
    result = analyse(points, "p")
    # 4 / 20 = 0.2 and 14 / 20 = 0.7.
    assert [part.centre for part in result.parts] == pytest.approx([0.2, 0.7])


def test_parts_must_be_in_time_order() -> None:
    with pytest.raises(SPCError, match="time order"):
        analyse([Point(y=1, part=1), Point(y=2, part=0)])


def test_frozen_baseline_i_chart() -> None:
    result = analyse(ys(5, 7, 6, 8, 7, 20, 21, 22), "i", freeze=5)
    centre, lcl, ucl = single(result)
    # Baseline 5 7 6 8 7: as in test_i_chart_by_hand, applied to all 8 points.
    assert centre == pytest.approx(6.6)
    assert lcl == pytest.approx([2.610638] * 8)
    assert ucl == pytest.approx([10.589362] * 8)
    assert [p.baseline for p in result.points] == [True] * 5 + [False] * 3
    assert [p.sigma_signal for p in result.points] == [False] * 5 + [True] * 3
    # Runs against 6.6 over all 8 points: - + - + + + + +  -> L = 5, C = 3.
    part = result.parts[0]
    assert (part.n_useful, part.longest_run, part.n_crossings) == (8, 5, 3)
    assert (part.longest_run_max, part.n_crossings_min) == (6, 1)


def test_frozen_baseline_run_chart() -> None:
    result = analyse(ys(*range(1, 13)), freeze=5)
    part = result.parts[0]
    # Median of 1..5 = 3; 3 is dropped, 1 2 below, 4..12 above -> N = 11, L = 9,
    # C = 1. N = 11: round(3.46) + 3 = 6; Binomial(10): P(X <= 1) = 11/1024,
    # P(X <= 2) = 56/1024 = 0.055 -> 2.
    assert part.centre == 3
    assert (part.n_useful, part.longest_run, part.n_crossings) == (11, 9, 1)
    assert (part.longest_run_max, part.n_crossings_min) == (6, 2)
    assert part.runs_signal and result.runs_signal


def test_freeze_applies_within_each_part() -> None:
    points = [*ys(1, 2, 9), *(Point(y=v, part=1) for v in (10, 20, 90))]
    result = analyse(points, freeze=2)
    # Medians of the first two points of each part: 1.5 and 15.
    assert [part.centre for part in result.parts] == [1.5, 15]


def test_frozen_p_chart_uses_own_denominators() -> None:
    result = analyse(ratios([1, 3, 40], [10, 10, 100]), "p", freeze=2)
    # p-bar from the baseline: 4 / 20 = 0.2; point 3: 0.2 + 3 sqrt(0.16 / 100) = 0.32.
    assert result.parts[0].centre == pytest.approx(0.2)
    assert result.points[2].ucl == pytest.approx(0.32)
    assert result.points[2].sigma_signal  # 0.4 > 0.32


# --- chart choice -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "large", "chart"),
    [
        ("proportion", False, "p"),
        ("proportion", True, "pp"),
        ("rate", False, "u"),
        ("rate", True, "up"),
        ("count", False, "c"),
        ("count", True, "c"),
        ("measurement", False, "i"),
        ("Measurement", False, "i"),
        ("score", False, "run"),
        ("score", True, "run"),
    ],
)
def test_suggest_chart(kind: str, large: bool, chart: str) -> None:
    assert suggest_chart(kind, large_denominators=large) == chart


def test_large_denominators_flagged_when_most_points_signal() -> None:
    big = ratios([10000, 11000, 9500, 10500, 10200, 9800], [100000] * 6)
    # p-bar = 0.101667, sigma = 0.000956 -> limits 0.0988 and 0.1045: 0.11, 0.095,
    # 0.105 and 0.098 are outside (4 of 6), and sigma_z is about 7.8 > 1.
    assert has_large_denominators(big)
    # Same proportions with n = 1000: sigma = 0.0096, every point inside.
    small = ratios([100, 110, 95, 105, 102, 98], [1000] * 6)
    assert not has_large_denominators(small)


def test_large_denominators_not_flagged_for_a_shift() -> None:
    # Every point is outside, but z only jumps once: screened sigma_z = 0 <= 1.
    shift = ratios([10000] * 3 + [20000] * 3, [100000] * 6)
    assert not has_large_denominators(shift)


def test_large_denominators_rate_chart_and_bad_chart() -> None:
    big = ratios([10000, 11000, 9500, 10500, 10200, 9800], [100000] * 6)
    assert has_large_denominators(big, "u")
    with pytest.raises(SPCError):
        has_large_denominators(big, "c")


# --- invalid input ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("points", "chart", "message"),
    [
        ([Point(num=1, den=0)], "p", "den must be positive"),
        ([Point(num=1, den=-5)], "u", "den must be positive"),
        ([Point(num=6, den=5)], "p", "exceeds den"),
        ([Point(num=6, den=5), Point(num=1, den=5)], "pp", "exceeds den"),
        ([Point(num=-1, den=5)], "u", "negative"),
        ([Point(y=1)], "p", "needs num and den"),
        ([Point(num=1)], "i", "needs y"),
        ([Point(y=-1)], "c", "negative"),
        ([Point(y=math.nan)], "run", "finite"),
        ([Point(y=1)], "np", "unknown chart type"),
        ([], "run", "no points"),
        ([Point(y=0)], "t", "greater than 0"),
        ([Point(y=-1)], "g", "negative"),
        ([Point()], "xbar", "subgroup"),
    ],
)
def test_invalid_input(points: list[Point], chart: str, message: str) -> None:
    with pytest.raises(SPCError, match=message):
        analyse(points, chart)


def test_error_numbers_parts_from_1() -> None:
    # The part labels 0 and 7 are the caller's; messages count parts as charted.
    points = [Point(y=1), Point(y=2), Point(y=-3, part=7)]
    with pytest.raises(SPCError, match=r"^part 2: times between events"):
        analyse(points, "t")


def test_invalid_options() -> None:
    with pytest.raises(SPCError, match="freeze"):
        analyse(ys(1, 2), freeze=0)
    with pytest.raises(SPCError, match="multiply"):
        analyse(ys(1, 2), multiply=0)


def test_spc_error_is_a_value_error() -> None:
    assert issubclass(SPCError, ValueError)
