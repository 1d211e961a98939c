"""The report's SVG drawing: what each chart marks, and that text is escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from diffuse.render.html.svg import Line, Mark, adoption_chart, control_chart

NS = {"s": "http://www.w3.org/2000/svg"}


def _parse(text: str) -> ET.Element:
    return ET.fromstring(text)


def test_a_control_chart_marks_limits_signals_and_exclusions() -> None:
    marks = [
        Mark(1.0, False, False, "2026-01-01: 1"),
        Mark(5.0, True, False, "2026-02-01: 5 outside the limits"),
        Mark(2.0, False, True, "2026-03-01: 2 (excluded)"),
    ]
    lines = [
        Line("centre", 2.0, 0, 2, "CL 2"),
        Line("ucl", 4.5, 0, 2, "UCL 4.5"),
        Line("lcl", 0.0, 0, 2, "LCL 0"),
        Line("target", 1.5, 0, 2, "target 1.5"),
    ]
    days = ["2026-01-01", "2026-02-01", "2026-03-01"]
    svg = _parse(control_chart("c1", "A <chart>", "desc & more", marks, lines, [2], days))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c1-t c1-d"
    assert svg.find("s:title", NS).text == "A <chart>"  # type: ignore[union-attr]
    assert svg.find("s:desc", NS).text == "desc & more"  # type: ignore[union-attr]
    values = {el.get("class"): el.get("data-value") for el in svg.iter(f"{{{NS['s']}}}line")}
    assert values["ucl"] == "4.5" and values["lcl"] == "0" and values["centre"] == "2"
    assert values["target"] == "1.5" and "part" in values
    assert len(svg.findall("s:path[@class='signal']", NS)) == 1
    assert len(svg.findall("s:circle[@class='excluded']", NS)) == 1
    labels = [t.text for t in svg.findall("s:text[@class='label']", NS)]
    assert labels == ["CL 2", "UCL 4.5", "LCL 0", "target 1.5"]


def test_point_titles_are_escaped() -> None:
    marks = [Mark(1.0, False, False, "</title><script>x</script>")]
    text = control_chart("c", "t", "d", marks, [], [], ["d1"])
    assert "<script>" not in text
    assert _parse(text).find("s:circle/s:title", NS).text == "</title><script>x</script>"  # type: ignore[union-attr]


def test_an_adoption_curve_steps_up_at_each_go_live() -> None:
    steps = [(date(2026, 1, 1), 0), (date(2026, 2, 1), 2), (date(2026, 3, 1), 3)]
    plan = [(date(2026, 1, 1), 0.0), (date(2026, 7, 1), 4.0)]
    text = adoption_chart("a", "t", "d", steps, plan, 4, date(2026, 7, 1), date(2026, 5, 1))
    svg = _parse(text)
    series = svg.find("s:polyline[@class='series']", NS)
    points = series.get("points", "").split()  # type: ignore[union-attr]
    assert len(points) == 2 * len(steps) - 1  # a run then a rise from one count to the next
    ys = [float(p.split(",")[1]) for p in points]
    assert ys == sorted(ys, reverse=True)  # never falls (y grows downwards)
    labels = [t.text for t in svg.findall("s:text[@class='label']", NS)]
    assert labels == ["all 4", "target 2026-07-01", "forecast 2026-05-01"]


def test_no_points_draws_an_empty_frame() -> None:
    svg = _parse(control_chart("e", "empty", "no values", [], [], [], []))
    assert svg.find("s:polyline", NS) is None


def test_the_value_axis_stays_within_the_metrics_bounds() -> None:
    marks = [Mark(2.0, False, False, "a"), Mark(99.0, False, False, "b")]
    lines = [Line("lcl", -4.2, 0, 1, "LCL -4.2%"), Line("ucl", 105.0, 0, 1, "UCL 105%")]
    svg = _parse(control_chart("b", "t", "d", marks, lines, [], ["d1", "d2"], bounds=(0, 100)))
    ticks = [t.text or "" for t in svg.findall("s:text[@class='tick']", NS)]
    assert ticks[:3] == ["0", "50", "100"]
    ys = [float(el.get("y1", "0")) for el in svg.iter(f"{{{NS['s']}}}line") if el.get("data-value")]
    assert all(16 <= y <= 240 - 32 for y in ys)  # drawn at the edge, not off the plot
