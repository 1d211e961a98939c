"""Series, chart choice and health from measures, on small data with answers by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from diffuse.models import Metric, Project
from diffuse.reports.measures import (
    ChartOptions,
    chart,
    chart_points,
    choose_chart,
    metric_summary,
    series_of,
    unfavourable_signal,
)
from diffuse.reports.status.health import measure_flags


def metric(
    kind: str = "proportion", values: list[dict[str, Any]] | None = None, **extra: Any
) -> Metric:
    data = {"id": "m", "name": "M", "level": "process", "kind": kind, "direction": "higher"}
    return Metric.model_validate({**data, **extra, "values": values or []})


def months(*values: float, site: str | None = None, start: int = 1) -> list[dict[str, Any]]:
    """One value a month from January 2026 (month `start`) on."""
    return [
        {"date": date(2026 + (start - 1 + i) // 12, (start - 1 + i) % 12 + 1, 1), "value": v}
        | ({"site": site} if site else {})
        for i, v in enumerate(values)
    ]


def ratios(pairs: list[tuple[int, int]], site: str | None = None) -> list[dict[str, Any]]:
    values = months(*([0] * len(pairs)), site=site)
    for value, (num, den) in zip(values, pairs, strict=True):
        del value["value"]
        value.update(numerator=num, denominator=den)
    return values


def project(metrics: list[Metric], sites: dict[str, Any] | None = None) -> Project:
    return Project.model_validate(
        {
            "id": "p",
            "practice": "x",
            "title": "P",
            "phase": "execute",
            "metrics": [m.model_dump(mode="json") for m in metrics],
            "sites": sites or {},
        }
    )


# -- series -------------------------------------------------------------------------------


def test_series_per_site_all_sites_first_in_date_order() -> None:
    values = [*months(3, 1, site="b"), *months(9), *months(5, site="a")][::-1]
    found = series_of(metric("measurement", values))
    assert [s.site for s in found] == [None, "a", "b"]
    assert [m.value for m in found[2].measures] == [3, 1]
    assert series_of(metric("measurement", values), sites=("b",))[0].site == "b"
    (until,) = series_of(metric("measurement", months(1, 2, 3)), until=date(2026, 2, 1))
    assert len(until.measures) == 2


# -- chart choice ---------------------------------------------------------------------------


def _choice(m: Metric, asked: str | None = None) -> tuple[str, str]:
    (series,) = series_of(m)
    return choose_chart(series, asked, (), tuple(v.excluded for v in series.measures))


def test_chart_fits_the_kind_and_the_data() -> None:
    pairs = [(45, 50), (40, 50), (47, 50)]
    assert _choice(metric("proportion", ratios(pairs))) == ("p", "proportion metric")
    assert _choice(metric("rate", ratios(pairs))) == ("u", "rate metric")
    assert _choice(metric("count", months(3, 4, 5))) == ("c", "count metric")
    assert _choice(metric("measurement", months(3.1, 4.2))) == ("i", "measurement metric")
    # A proportion recorded as percentages has no denominators for a p-chart.
    assert _choice(metric("proportion", months(90, 92))) == (
        "run",
        "values without numerator and denominator",
    )
    assert _choice(metric("measurement", months(3.1)))[0] == "run"


def test_recorded_chart_and_asked_chart_win() -> None:
    m = metric("proportion", ratios([(45, 50), (40, 50)]), chart="run")
    assert _choice(m) == ("run", "as the metric records")
    assert _choice(m, "i") == ("i", "as asked")


def test_very_large_denominators_choose_laney() -> None:
    # p = 0.5325; 3 sigma = 3 sqrt(0.2489 / 10000) = 0.015: every point is far outside,
    # and the z-scores (-6.5, 13.5, -10.5, 11.5) move by far more than 1 from one to the next.
    m = metric("proportion", ratios([(5000, 10000), (5600, 10000), (4800, 10000), (5900, 10000)]))
    assert _choice(m)[0] == "pp"
    assert _choice(metric("rate", m.model_dump()["values"]))[0] == "up"


def test_points_in_display_units_with_parts_and_exclusions() -> None:
    m = metric("proportion", ratios([(45, 50), (40, 50), (47, 50)]))
    (series,) = series_of(m)
    points, multiply = chart_points(series, "p", (date(2026, 2, 1),), (None, "audit", None))
    assert multiply == 100.0
    assert [(p.num, p.den, p.part, p.excluded) for p in points] == [
        (45, 50, 0, False),
        (40, 50, 1, True),
        (47, 50, 1, False),
    ]
    rate = metric("rate", ratios([(2, 1000)]), multiplier=1000)
    assert chart_points(series_of(rate)[0], "u", (), (None,))[1] == 1000.0
    plain, scale = chart_points(series_of(metric("proportion", months(90)))[0], "run", (), (None,))
    assert (plain[0].y, scale) == (90, 1.0)


def test_options_replace_recorded_parts_and_freeze_and_add_exclusions() -> None:
    values = months(5, 6, 5, 6, 9, 9, 9, 9)
    values[1]["excluded"] = "data error"
    m = metric("measurement", values, parts=["2026-05-01"], freeze=3)
    (series,) = series_of(m)
    recorded = chart(series)
    assert recorded.chart == "i" and recorded.result is not None
    assert (len(recorded.result.parts), recorded.freeze) == (2, 3)
    assert recorded.excluded[1] == "data error"
    asked = chart(series, ChartOptions(parts=(), freeze=0, exclude=((date(2026, 3, 1), "x"),)))
    assert asked.result is not None and len(asked.result.parts) == 1
    assert asked.freeze is None
    assert asked.excluded[:3] == (None, "data error", "x")


def test_a_chart_that_cannot_be_drawn_says_why() -> None:
    (series,) = series_of(metric("proportion", months(90, 92)))
    drawn = chart(series, ChartOptions(chart="p"))
    assert drawn.result is None
    assert drawn.error == "cannot draw a p-chart: point 0: a p chart needs num and den"


# -- signals read by direction -------------------------------------------------------------------


def _outcome(values: list[float], direction: str, kind: str = "count", **extra: Any) -> Metric:
    return metric(kind, months(*values), level="outcome", direction=direction, **extra)


def test_point_above_the_upper_limit_is_unfavourable_only_when_lower_is_better() -> None:
    # c-chart frozen on ten points: c = 2.5, UCL = 2.5 + 3 sqrt(2.5) = 7.243; 9 is above.
    values = [2, 3] * 5 + [9]
    worse = chart(series_of(_outcome(values, "lower", freeze=10))[0])
    assert unfavourable_signal(worse) == "is above the upper limit on 2026-11-01"
    better = chart(series_of(_outcome(values, "higher", freeze=10))[0])
    assert unfavourable_signal(better) is None


def test_only_the_latest_three_points_count_for_health() -> None:
    values = [2, 3] * 5 + [9, 2, 3, 2]
    drawn = chart(series_of(_outcome(values, "lower", freeze=10))[0])
    assert drawn.result is not None and drawn.result.sigma_signal
    assert unfavourable_signal(drawn) is None


def test_an_excluded_point_outside_the_limits_does_not_count() -> None:
    m = _outcome([2, 3] * 5 + [9], "lower", freeze=10)
    m.values[-1].excluded = "coding change"
    assert unfavourable_signal(chart(series_of(m)[0])) is None


def test_a_shift_of_the_latest_points_to_the_worse_side() -> None:
    # Run chart frozen on (6, 5) x 5: median 5.5. Then nine points at 8: the latest run is
    # 9 long; 19 useful points allow round(log2 19) + 3 = 7.
    values = [6, 5] * 5 + [8] * 9
    worse = chart(series_of(_outcome(values, "lower", "measurement", chart="run", freeze=10))[0])
    assert unfavourable_signal(worse) == (
        "has its latest 9 points above the centre line (a shift: more than 7)"
    )
    better = chart(series_of(_outcome(values, "higher", "measurement", chart="run", freeze=10))[0])
    assert unfavourable_signal(better) is None
    # Seven at 8 is within the limit: round(log2 17) + 3 = 7 and the run is 7.
    short = chart(
        series_of(_outcome([6, 5] * 5 + [8] * 7, "lower", "measurement", chart="run", freeze=10))[0]
    )
    assert unfavourable_signal(short) is None


# -- health from measures ------------------------------------------------------------------------


def _compliance(values: list[dict[str, Any]], direction: str = "higher") -> Metric:
    return metric("proportion", values, id="comp", target=90, direction=direction)


def test_compliance_below_target_after_go_live_flags_the_site() -> None:
    live = {"status": "live", "go_live_actual": "2026-02-15"}
    values = [*months(70, 95, 85, site="nor"), *months(60, 60, 60, site="sou")]
    p = project([_compliance(values)], {"nor": live, "sou": {"status": "planning"}})
    (flag,) = measure_flags(p, date(2026, 12, 31))
    assert (flag.site, flag.metric) == ("nor", "comp")
    assert flag.text == "nor: comp 85% on 2026-03-01 misses the 90% target after go-live"
    # As of February only the January value exists, and it predates go-live.
    assert measure_flags(p, date(2026, 2, 28)) == []


def test_compliance_uses_the_latest_counted_value_and_the_direction() -> None:
    values = months(95, 85, site="nor")
    values[1]["excluded"] = "audit sample of 3"
    p = project([_compliance(values)], {"nor": {"status": "sustained"}})
    assert measure_flags(p, date(2026, 12, 31)) == []
    lower = project([_compliance(months(85, 95, site="nor"), "lower")], {"nor": {"status": "live"}})
    assert [f.text for f in measure_flags(lower, date(2026, 12, 31))] == [
        "nor: comp 95% on 2026-02-01 misses the 90% target after go-live"
    ]


def test_outcome_signal_flags_a_site_or_the_whole_project() -> None:
    values = [2, 3] * 5 + [9]
    at_site = [{**v, "site": "nor"} for v in months(*values)]
    site_metric = metric("count", at_site, level="outcome", direction="lower", freeze=10)
    whole = _outcome(values, "lower", freeze=10)
    p = project([site_metric, whole], {"nor": {"status": "implementing"}})
    flags = measure_flags(p, date(2026, 12, 31))
    assert [(f.site, f.text) for f in flags] == [
        ("nor", "nor: m is above the upper limit on 2026-11-01"),
        (None, "all sites: m is above the upper limit on 2026-11-01"),
    ]
    excluded = project([site_metric], {"nor": {"status": "not-applicable"}})
    assert measure_flags(excluded, date(2026, 12, 31)) == []


def test_metric_summary_names_the_chart_and_the_series_that_signal() -> None:
    m = _outcome([2, 3] * 5 + [9], "lower", freeze=10)
    assert metric_summary(m) == ("c-chart", "all sites (limits)")
    assert metric_summary(metric("count")) == ("-", "-")


@pytest.mark.parametrize("kind", ["proportion", "rate", "count", "measurement"])
def test_every_kind_charts_without_error(kind: str) -> None:
    values = (
        ratios([(4, 50), (6, 50), (5, 50)]) if kind in ("proportion", "rate") else months(4, 6, 5)
    )
    drawn = chart(series_of(metric(kind, values))[0])
    assert drawn.error is None and drawn.result is not None


def test_runs_sides_and_the_latest_of_equal_longest_runs() -> None:
    from diffuse.reports.measures import Runs, _runs

    sides = [False, False, True, True, True, False, True, True, True]
    assert _runs(sides) == Runs(True, True, 3, 6, 8)
    assert _runs([True, True, False]) == Runs(True, False, 1, 0, 1)
    assert _runs([]) == Runs(None, None, 0)
