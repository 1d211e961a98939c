"""Control limits checked against published textbook examples.

Source: D. C. Montgomery, Introduction to Statistical Quality Control (Wiley): the
orange-juice can p-chart, the printed circuit board c-chart, the personal computer
u-chart and the mortgage loan cost individuals chart. Each test quotes the book's
figures (rounded as printed) and the points it reports out of control.
"""

from __future__ import annotations

import pytest

from diffuse.reports.spc import ChartResult, Point, analyse

# 30 samples of 50 cans, nonconforming cans per sample (347 in all).
CANS = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11, 20, 18, 24]
CANS += [15, 9, 12, 7, 13, 9, 6]
# 26 samples of 100 boards, nonconformities per sample (516 in all).
BOARDS = [21, 24, 16, 12, 15, 5, 28, 20, 31, 25, 20, 24, 16, 19, 10, 17, 13, 22, 18, 39, 30]
BOARDS += [24, 16, 19, 17, 15]
# 20 samples of 5 computers, nonconformities per sample (193 in all).
COMPUTERS = [10, 12, 8, 14, 10, 16, 11, 7, 10, 15, 9, 5, 7, 11, 12, 6, 8, 10, 7, 5]
# 20 weekly average processing costs of mortgage loan applications.
LOAN_COSTS = [310, 288, 297, 298, 307, 303, 294, 297, 308, 306, 294, 299, 297, 299, 314, 295]
LOAN_COSTS += [293, 306, 301, 304]


def outside(result: ChartResult) -> list[int]:
    return [p.index + 1 for p in result.points if p.sigma_signal]


def test_p_chart_orange_juice_cans() -> None:
    # p-bar = 347 / 1500 = 0.2313; UCL 0.4102, LCL 0.0524; samples 15 and 23 above.
    result = analyse([Point(num=x, den=50) for x in CANS], "p")
    (part,) = result.parts
    assert part.centre == pytest.approx(0.2313, abs=5e-5)
    assert (part.points[0].lcl, part.points[0].ucl) == pytest.approx((0.0524, 0.4102), abs=5e-5)
    assert outside(result) == [15, 23]


def test_c_chart_printed_circuit_boards() -> None:
    # c-bar = 516 / 26 = 19.85; UCL 33.22, LCL 6.48; sample 6 below, sample 20 above.
    # The book works from c-bar rounded to 19.85; unrounded (19.846) the UCL is 33.211.
    result = analyse([Point(y=x) for x in BOARDS], "c")
    (part,) = result.parts
    assert part.centre == pytest.approx(19.85, abs=5e-3)
    assert (part.points[0].lcl, part.points[0].ucl) == pytest.approx((6.48, 33.22), abs=0.01)
    assert outside(result) == [6, 20]


def test_u_chart_personal_computers() -> None:
    # u-bar = 193 / 100 = 1.93; UCL 3.79, LCL 0.07 for n = 5; no point out of control.
    result = analyse([Point(num=x, den=5) for x in COMPUTERS], "u")
    (part,) = result.parts
    assert part.centre == pytest.approx(1.93)
    assert (part.points[0].lcl, part.points[0].ucl) == pytest.approx((0.07, 3.79), abs=5e-3)
    assert outside(result) == []


def test_individuals_chart_mortgage_loan_costs() -> None:
    # x-bar = 300.5, average moving range 7.79; with 3 / 1.128 the book prints UCL 321.22
    # and LCL 279.78. The 2.66 constant gives 321.22 and 279.78 as well (to 0.01), and no
    # moving range reaches 3.267 x 7.79, so screening changes nothing.
    result = analyse([Point(y=x) for x in LOAN_COSTS], "i")
    (part,) = result.parts
    assert part.mr is not None
    assert (part.centre, part.mr.centre) == pytest.approx((300.5, 7.789), abs=5e-4)
    assert (part.points[0].lcl, part.points[0].ucl) == pytest.approx((279.78, 321.22), abs=0.01)
    assert part.mr.ucl == pytest.approx(25.45, abs=0.01)
    assert outside(result) == []
