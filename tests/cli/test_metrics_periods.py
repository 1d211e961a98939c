"""`diffuse metrics show` on rare events (t and g charts), subgroups, several values on
one date, notes on points, a fixed centre line and y.neg; `validate` on ambiguous dates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import Run

DAYS_BETWEEN = """metrics:
  - id: days-between-falls
    name: Days between patient falls
    level: outcome
    kind: time-between
    direction: higher
    notes:
      - {date: 2026-03-20, text: "bed alarms on every ward"}
      - {date: 2026-03-05, text: "only nor", site: nor}
    values:
      - {date: 2026-01-04, value: 12}
      - {date: 2026-01-20, value: 16}
      - {date: 2026-02-01, value: 12}
      - {date: 2026-02-23, value: 22}
      - {date: 2026-03-06, value: 11}
      - {date: 2026-04-02, value: 27}
      - {date: 2026-05-09, value: 37}
      - {date: 2026-06-30, value: 52}
"""

SAME_DAY = """metrics:
  - id: wait
    name: Minutes to triage
    level: process
    kind: measurement
    direction: lower
    values:
      - {date: 2026-01-01, value: 10}
      - {date: 2026-01-01, value: 20}
      - {date: 2026-01-01, value: 60}
      - {date: 2026-01-02, value: 12}
      - {date: 2026-01-02, value: 14}
      - {date: 2026-01-03, value: 11}
      - {date: 2026-01-03, value: 13}
"""


def _with(tracker: Path, text: str) -> Path:
    path = tracker / "projects" / "hh-spread.yaml"
    path.write_text(path.read_text() + text)
    return path


def _chart(run: Run, tracker: Path, *args: str) -> dict[str, Any]:
    result = run("metrics", "hh-spread", *args, "--format", "json", cwd=tracker)
    assert result.exit_code == 0, result.stdout + result.stderr
    (chart,) = json.loads(result.stdout)["charts"]
    return chart  # type: ignore[no-any-return]


def test_time_between_events_is_a_t_chart(tracker: Path, run: Run) -> None:
    _with(tracker, DAYS_BETWEEN)
    chart = _chart(run, tracker)
    assert (chart["chart"], chart["chart_reason"]) == ("t", "time-between metric")
    # qicharts2: an I chart of y^(1/3.6), its centre and limits raised to 3.6.
    transformed = [v ** (1 / 3.6) for v in (12, 16, 12, 22, 11, 27, 37, 52)]
    mean = sum(transformed) / 8
    assert chart["parts"][0]["centre"] == mean**3.6
    assert 0 < chart["points"][0]["lcl"] < mean**3.6 < chart["points"][0]["ucl"]


def test_cases_between_events_is_a_g_chart_with_the_median_as_centre(
    tracker: Path, run: Run
) -> None:
    _with(tracker, DAYS_BETWEEN.replace("time-between", "count-between"))
    chart = _chart(run, tracker)
    assert chart["chart"] == "g"
    assert chart["parts"][0]["centre"] == 19.0  # the median of the eight counts
    mean = (12 + 16 + 12 + 22 + 11 + 27 + 37 + 52) / 8
    assert chart["points"][0]["ucl"] == mean + 3 * (mean * (mean + 1)) ** 0.5


def test_notes_are_attached_to_the_point_of_their_period(tracker: Path, run: Run) -> None:
    _with(tracker, DAYS_BETWEEN)
    chart = _chart(run, tracker)
    notes = {p["date"]: p["notes"] for p in chart["points"] if p["notes"]}
    # A note for site nor does not belong on the all-sites chart.
    assert notes == {"2026-03-06": ["bed alarms on every ward"]}
    text = run("metrics", "hh-spread", cwd=tracker, env={"COLUMNS": "120"})
    row = next(line for line in text.lines if line.startswith("2026-03-06"))
    assert row.endswith("✎ bed alarms on every ward")


def test_values_of_one_date_are_one_point(tracker: Path, run: Run) -> None:
    _with(tracker, SAME_DAY)
    chart = _chart(run, tracker)
    assert [p["value"] for p in chart["points"]] == [30.0, 13.0, 12.0]
    path = tracker / "projects" / "hh-spread.yaml"
    path.write_text(
        path.read_text().replace("direction: lower\n", "direction: lower\n    aggregate: median\n")
    )
    assert [p["value"] for p in _chart(run, tracker)["points"]] == [20.0, 13.0, 12.0]


def test_values_of_one_date_form_the_subgroup_of_an_xbar_chart(tracker: Path, run: Run) -> None:
    _with(tracker, SAME_DAY)
    xbar = _chart(run, tracker, "--chart", "xbar")
    assert [p["value"] for p in xbar["points"]] == [30.0, 13.0, 12.0]
    s = _chart(run, tracker, "--chart", "s")
    assert [round(p["value"], 6) for p in s["points"]] == [26.457513, 1.414214, 1.414214]


def test_validate_warns_where_the_aggregate_is_not_declared(tracker: Path, run: Run) -> None:
    _with(tracker, SAME_DAY)
    result = run("validate", cwd=tracker)
    assert result.exit_code == 0, result.stdout
    warning = next(line for line in result.stdout.splitlines() if "ambiguous-aggregate" in line)
    assert "projects/hh-spread.yaml:57:9: " in warning
    assert "warning[ambiguous-aggregate]" in warning and "'aggregate: mean'" in warning
    path = tracker / "projects" / "hh-spread.yaml"
    path.write_text(
        path.read_text().replace("direction: lower\n", "direction: lower\n    aggregate: mean\n")
    )
    assert "ambiguous-aggregate" not in run("validate", cwd=tracker).stdout


def test_fixed_centre_and_no_negative_limits(tracker: Path, run: Run) -> None:
    _with(tracker, SAME_DAY)
    chart = _chart(run, tracker, "--chart", "i", "--cl", "15", "--no-screen-mr")
    assert chart["parts"][0]["centre"] == 15.0
    assert chart["points"][0]["lcl"] < 0
    raised = _chart(run, tracker, "--chart", "i", "--cl", "15", "--no-screen-mr", "--no-y-neg")
    assert raised["points"][0]["lcl"] == 0.0


def test_a_centre_that_is_not_a_number_is_refused(tracker: Path, run: Run) -> None:
    _with(tracker, SAME_DAY)
    result = run("metrics", "hh-spread", "--cl", "nan", cwd=tracker)
    assert result.exit_code == 2
    assert "--cl" in result.stdout + result.stderr


def test_the_metric_can_fix_its_centre_and_keep_limits_above_zero(tracker: Path, run: Run) -> None:
    path = _with(tracker, SAME_DAY)
    text = path.read_text().replace(
        "direction: lower\n", "direction: lower\n    cl: 15\n    y_neg: false\n"
    )
    path.write_text(text)
    chart = _chart(run, tracker, "--chart", "i", "--no-screen-mr")
    assert (chart["parts"][0]["centre"], chart["points"][0]["lcl"]) == (15.0, 0.0)
    # The command line replaces the metric's settings.
    asked = _chart(run, tracker, "--chart", "i", "--no-screen-mr", "--cl", "16", "--y-neg")
    assert asked["parts"][0]["centre"] == 16.0 and asked["points"][0]["lcl"] < 0


def test_a_time_between_events_of_zero_cannot_be_charted(tracker: Path, run: Run) -> None:
    _with(tracker, DAYS_BETWEEN.replace("value: 11}", "value: 0}"))
    result = run("metrics", "hh-spread", cwd=tracker)
    assert result.exit_code == 1
    assert "cannot draw a t-chart (time between events): part 1: times between events" in (
        result.stdout.replace("\n", " ")
    )


def test_a_period_is_per_site_and_excluded_with_any_of_its_values(tracker: Path, run: Run) -> None:
    text = SAME_DAY.replace(
        "      - {date: 2026-01-02, value: 14}",
        "      - {date: 2026-01-02, value: 14, excluded: clock wrong}\n"
        "      - {date: 2026-01-02, site: nor, value: 99}",
    )
    _with(tracker, text)
    result = run("metrics", "hh-spread", "--format", "json", cwd=tracker)
    assert result.exit_code == 0, result.stdout
    everyone, nor = json.loads(result.stdout)["charts"]
    assert (everyone["site"], nor["site"]) == (None, "nor")
    assert [p["value"] for p in everyone["points"]] == [30.0, 13.0, 12.0]
    assert [p["excluded"] for p in everyone["points"]] == [None, "clock wrong", None]
    assert [p["value"] for p in nor["points"]] == [99.0]
