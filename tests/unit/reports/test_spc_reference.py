"""Control limits checked against the reference implementation and textbook examples.

qicharts2: tests/data/spc_reference/qicharts2.json holds seeded random series of every chart
type with the centre, limits, sigma signals and runs analysis that the R package
qicharts2 0.8.1 computes for them (parts, frozen baselines, excluded points, a
multiplier, screening off, one-point parts, constant baselines). diffuse must agree
to 1e-9 on every series. The file is made by tests/data/spc_reference/generate.R; its
README says how to regenerate it. R is not needed to run these tests.

Montgomery: D. C. Montgomery, Introduction to Statistical Quality Control (Wiley): the
orange-juice can p-chart, the printed circuit board c-chart, the personal computer
u-chart and the mortgage loan cost individuals chart. Each test quotes the book's
figures (rounded as printed) and the points it reports out of control.
"""

from __future__ import annotations

from typing import Any

import pytest
from spcref import SERIES, close, expand, reference_call, runs_figures

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
    # and LCL 279.78. No moving range reaches 3.267 x 7.79, so screening changes nothing.
    result = analyse([Point(y=x) for x in LOAN_COSTS], "i")
    (part,) = result.parts
    assert part.mr is not None
    assert (part.centre, part.mr.centre) == pytest.approx((300.5, 7.789), abs=5e-4)
    assert (part.points[0].lcl, part.points[0].ucl) == pytest.approx((279.78, 321.22), abs=0.01)
    assert part.mr.ucl == pytest.approx(25.45, abs=0.01)
    assert outside(result) == []


# --- qicharts2 ------------------------------------------------------------------------


@pytest.mark.parametrize("series", SERIES, ids=[s["id"] for s in SERIES])
def test_agrees_with_qicharts2(series: dict[str, Any]) -> None:
    points, options = reference_call(series)
    result = analyse(points, series["chart"], **options)
    check_result(result, series)


def check_result(result: ChartResult, series: dict[str, Any]) -> None:
    points = result.points
    for name, got in (
        ("cl", [p.centre for p in points]),
        ("lcl", [p.lcl for p in points]),
        ("ucl", [p.ucl for p in points]),
        ("value", [p.value for p in points]),
    ):
        expected = expand(series, name)
        assert len(got) == len(expected)
        pairs = enumerate(zip(got, expected, strict=True), 1)
        wrong = [k for k, (a, b) in pairs if not close(a, b)]
        assert not wrong, f"{name} differs at points {wrong[:5]}: {got[:8]} != {expected[:8]}"
    assert [k for k, p in enumerate(points, 1) if p.sigma_signal] == (series["signal"] or [])
    assert [runs_figures(part) for part in result.parts] == series["runs"]
    if "mr" in series:
        check_mr_chart(result, series["mr"])


def check_mr_chart(result: ChartResult, expected: dict[str, Any]) -> None:
    start = 0
    centres, ucls = expand(expected, "cl"), expand(expected, "ucl")
    for part in result.parts:
        size = len(part.points)
        cl = centres[start]
        if cl is None:  # no baseline moving range: no MR chart
            assert part.mr is None
        else:
            assert part.mr is not None
            got = [*part.mr.values, part.mr.centre, part.mr.ucl]
            want = [*expected["y"][start : start + size], cl, ucls[start]]
            assert all(close(a, b) for a, b in zip(got, want, strict=True)), (got, want)
        start += size


def test_reference_covers_every_case() -> None:
    # The agreement above means something only if the stored series reach every branch.
    assert len(SERIES) >= 900
    charts = {s["chart"] for s in SERIES}
    assert charts == {"run", "i", "mr", "t", "g", "c", "p", "u", "pp", "up", "xbar", "s"}
    for chart in charts:
        of_chart = [s for s in SERIES if s["chart"] == chart]
        assert any(s["part"] for s in of_chart), chart
        assert any(s["freeze"] for s in of_chart), chart
        assert any(s["exclude"] for s in of_chart), chart
        assert any(not s["y_neg"] for s in of_chart), chart
        if chart != "mr":
            assert any(any(r[-1] for r in s["runs"]) for s in of_chart), chart
    lengths = [len(expand(s, "cl")) for s in SERIES]
    assert min(lengths) == 1 and max(lengths) >= 2000
    assert any(s["multiply"] != 1 for s in SERIES)
    assert any(s["cl_fixed"] is not None for s in SERIES)
    assert {s["agg"] for s in SERIES if s["x"]} >= {"mean", "median", "sum"}
    assert sum(not s["screen"] for s in SERIES) >= 50
    # Parts without a centre (every point excluded), parts without limits, one-point
    # parts, points outside their limits.
    assert sum(None in expand(s, "cl") for s in SERIES) >= 10
    assert sum(None in expand(s, "ucl") and s["chart"] != "run" for s in SERIES) >= 20
    assert any(r[0] == 0 for s in SERIES for r in s["runs"])
    assert sum(bool(s["signal"]) for s in SERIES) >= 100
    assert sum("mr" in s for s in SERIES) >= 100
