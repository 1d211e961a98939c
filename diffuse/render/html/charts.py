"""The charts of a project page: each metric's control charts and the adoption curve,
drawn from the numbers `diffuse metrics` and the forecast compute (none recomputed here)."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from diffuse.render.html import svg
from diffuse.reports.measures import CHART_NAMES, SeriesChart, number
from diffuse.reports.spc import PointResult
from diffuse.reports.trend import Trend


@dataclass(frozen=True)
class Figure:
    svg: Markup  # built from escaped parts by `svg`
    caption: str


def metric_figure(ident: str, drawn: SeriesChart) -> Figure:
    metric = drawn.metric
    name = f"{metric.name} ({metric.id}), {drawn.series.label}"
    if drawn.result is None:
        return Figure(Markup(""), f"{name}: {drawn.error}")
    points = drawn.result.points
    days = [m.date.isoformat() for m in drawn.series.measures]
    marks = [
        svg.Mark(p.value, p.sigma_signal, p.excluded, _point_title(days[p.index], p, drawn))
        for p in points
    ]
    lines: list[svg.Line] = []
    for part in drawn.result.parts:
        first, last = part.points[0].index, part.points[-1].index
        lines.append(svg.Line("centre", part.centre, first, last, f"CL {_n(part.centre, drawn)}"))
        for kind in ("ucl", "lcl"):
            lines += _limit_lines(drawn, part.points, kind)
    end = len(points) - 1
    for kind, value in (("baseline", metric.baseline), ("target", metric.target)):
        if value is not None:
            lines.append(svg.Line(kind, value, 0, end, f"{kind} {_n(value, drawn)}"))
    starts = [part.points[0].index for part in drawn.result.parts[1:]]
    chart_name = CHART_NAMES[drawn.chart]
    summary = _summary(drawn)
    title = f"{chart_name} of {name}"
    svg_text = svg.control_chart(ident, title, summary, marks, lines, starts, days)
    return Figure(Markup(svg_text), f"{title}. {summary}")


def _n(value: float, drawn: SeriesChart) -> str:
    return number(value, drawn.metric)


def _point_title(day: str, point: PointResult, drawn: SeriesChart) -> str:
    notes = [" outside the limits" if point.sigma_signal else "", " (excluded)" * point.excluded]
    return f"{day}: {_n(point.value, drawn)}{''.join(notes)}"


def _limit_lines(drawn: SeriesChart, points: tuple[PointResult, ...], kind: str) -> list[svg.Line]:
    """One line per run of points with the same limit (limits vary with the denominator)."""
    lines: list[svg.Line] = []
    label = kind.upper()
    for point in points:
        value = getattr(point, kind)
        if value is None:
            continue
        if lines and lines[-1].value == value and lines[-1].end == point.index - 1:
            lines[-1] = lines[-1]._replace(end=point.index)
        else:
            lines.append(svg.Line(kind, value, point.index, point.index, ""))
    return [line._replace(label=f"{label} {_n(line.value, drawn)}") for line in lines]


def _summary(drawn: SeriesChart) -> str:
    assert drawn.result is not None
    last = drawn.result.parts[-1]
    ucl = next((p.ucl for p in reversed(last.points) if p.ucl is not None), None)
    lcl = next((p.lcl for p in reversed(last.points) if p.lcl is not None), None)
    limits = (
        f"; limits {_n(lcl, drawn) if lcl is not None else '-'} to "
        f"{_n(ucl, drawn) if ucl is not None else '-'}"
        if ucl is not None or lcl is not None
        else ""
    )
    signals = [
        word
        for word, found in (
            ("a point outside the limits", drawn.result.sigma_signal),
            ("a non-random run", drawn.result.runs_signal),
        )
        if found
    ]
    said = "; signals: " + " and ".join(signals) if signals else "; no signal"
    count = len(drawn.result.points)
    parts = len(drawn.result.parts)
    return (
        f"{count} points in {parts} part(s), chosen because: {drawn.why}; "
        f"latest centre line {_n(last.centre, drawn)}{limits}{said}"
    )


def curve_figure(ident: str, project: str, trend: Trend | None) -> Figure:
    """The adoption curve of `diffuse trend`: sites live week by week since approval."""
    if trend is None:
        return Figure(Markup(""), "No adoption curve: the project has no approval date.")
    outlook = trend.forecast
    ahead = "every site live" if outlook.done else f"forecast {outlook.day or 'n/a'}"
    text = (
        f"{trend.live} of {trend.in_scope} sites live as of {trend.as_of}, "
        f"{len(trend.weeks)} week(s) since approval; target {trend.target}; {ahead}"
    )
    drawn = svg.adoption_chart(
        ident,
        f"Sites live week by week, {project}",
        text,
        [(w.day, w.live) for w in trend.weeks],
        [(trend.approved, 0.0), (trend.target, float(trend.in_scope))],
        trend.in_scope,
        trend.target,
        None if outlook.done else outlook.day,
    )
    return Figure(Markup(drawn), text)
