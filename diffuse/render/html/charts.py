"""The charts of a project page: each metric's control charts and the adoption curve,
drawn from the numbers `diffuse metrics` and the forecast compute (none recomputed here).

The display policy a leader can read, applied around `reports.spc` without changing it:
- control limits are drawn only in a part with at least `min_points` counted points (the
  organisation's `settings.min_points_for_limits`); until then the part is a run chart
  around its median, and the caption says so in plain words;
- the value axis is bounded by what the metric can be: 0-100% for a proportion, never
  below 0 for a count or a rate;
- go-lives of the charted site and the metric's dated notes are drawn as numbered markers
  whose text is listed under the chart;
- the caption leads with the headline (where the series stands against its target since
  when, and any sustained shift); the chart's technical detail sits apart, for `<details>`.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from diffuse.models import Project
from diffuse.render.html import svg
from diffuse.reports.measures import CHART_NAMES, RECENT_POINTS, SeriesChart, number
from diffuse.reports.spc import PartResult, PointResult
from diffuse.reports.trend import Trend
from diffuse.vocab import Direction, MetricKind

MIN_POINTS = 12  # the default of settings.min_points_for_limits


@dataclass(frozen=True)
class Figure:
    svg: Markup  # built from escaped parts by `svg`
    caption: str  # the headline a leader reads first
    detail: str = ""  # how the chart was made, for whoever asks
    markers: tuple[str, ...] = ()  # "2026-03-02: go-live at Lakeland Medical Center", numbered 1..


@dataclass(frozen=True)
class Event:
    day: date
    text: str


def chart_events(project: Project, drawn: SeriesChart, names: dict[str, str]) -> list[Event]:
    """The charted site's go-live and the metric's notes for that site or for every site;
    the all-sites chart shows every note and no go-live (there is one per site)."""
    site = drawn.series.site
    events: list[Event] = []
    state = project.sites.get(site) if site else None
    if state is not None and state.go_live_actual is not None:
        events.append(Event(state.go_live_actual, f"go-live at {names.get(site or '', site)}"))
    for note in drawn.metric.notes:
        if site is not None and note.site not in (None, site):
            continue
        where = f" ({names.get(note.site, note.site)})" if site is None and note.site else ""
        events.append(Event(note.date, f"{note.text}{where}"))
    return sorted(events, key=lambda e: e.day)


def metric_figure(
    ident: str,
    drawn: SeriesChart,
    events: Sequence[Event] = (),
    min_points: int = MIN_POINTS,
    names: dict[str, str] | None = None,
) -> Figure:
    metric = drawn.metric
    where = (names or {}).get(drawn.series.site or "", drawn.series.label)
    name = f"{metric.name} ({metric.id}), {drawn.series.label}"
    if drawn.result is None:
        return Figure(Markup(""), f"{name}: no chart yet.", drawn.error or "")
    points = drawn.result.points
    days = [m.date for m in drawn.series.measures]
    limited = [_has_limits(part, min_points) for part in drawn.result.parts]
    marks = [
        svg.Mark(
            p.value,
            p.sigma_signal and limited[_part_of(drawn, p)],
            p.excluded,
            _point_title(days[p.index].isoformat(), p, drawn),
        )
        for p in points
    ]
    lines: list[svg.Line] = []
    for part, shown in zip(drawn.result.parts, limited, strict=True):
        first, last = part.points[0].index, part.points[-1].index
        if shown:
            label = f"CL {_n(part.centre, drawn)}"
            lines.append(svg.Line("centre", part.centre, first, last, label))
            for kind in ("ucl", "lcl"):
                lines += _limit_lines(drawn, part.points, kind)
        else:
            middle = _median(part)
            lines.append(svg.Line("median", middle, first, last, f"median {_n(middle, drawn)}"))
    end = len(points) - 1
    for kind, value in (("baseline", drawn.baseline), ("target", drawn.target)):
        if value is not None:
            lines.append(svg.Line(kind, value, 0, end, f"{kind} {_n(value, drawn)}"))
    starts = [part.points[0].index for part in drawn.result.parts[1:]]
    placed = [(at, e) for e in events if (at := _position(days, e.day)) is not None]
    markers = tuple(
        f"{e.day.isoformat()}: {e.text}"
        + ("" if _position(days, e.day) is not None else " (outside the charted dates)")
        for e in events
    )
    number_of = {id(e): n for n, e in enumerate(events, 1)}
    flags = [
        svg.Flag(at, str(number_of[id(e)]), f"{e.day.isoformat()}: {e.text}") for at, e in placed
    ]
    headline = _headline(drawn, limited, events, min_points)
    detail = _detail(drawn, limited)
    title = f"{metric.name}, {where}"
    svg_text = svg.control_chart(
        ident,
        f"{CHART_NAMES[drawn.chart] if all(limited) else 'run chart'} of {name}",
        f"{headline} {detail}",
        marks,
        lines,
        starts,
        [d.isoformat() for d in days],
        bounds=_bounds(drawn),
        unit="%" if drawn.percent else "",
        flags=flags,
    )
    return Figure(Markup(svg_text), f"{title}: {headline}", detail, markers)


def _has_limits(part: PartResult, min_points: int) -> bool:
    counted = sum(not p.excluded for p in part.points)
    return counted >= min_points and any(p.ucl is not None for p in part.points)


def _part_of(drawn: SeriesChart, point: PointResult) -> int:
    assert drawn.result is not None
    for n, part in enumerate(drawn.result.parts):
        if point in part.points:
            return n
    return 0


def _median(part: PartResult) -> float:
    # A value may be nan where the chart has none (an s chart's one-value subgroup).
    values = [p.value for p in part.points if not math.isnan(p.value)]
    counted = [p.value for p in part.points if not p.excluded and not math.isnan(p.value)]
    return statistics.median(counted or values or [0.0])


def _bounds(drawn: SeriesChart) -> tuple[float | None, float | None]:
    """What the metric can be: 0-100 for a proportion in percent, at least 0 for counts."""
    if drawn.percent:
        return 0.0, 100.0
    if drawn.metric.kind in (MetricKind.PROPORTION, MetricKind.RATE, MetricKind.COUNT):
        return 0.0, None
    return None, None


def _position(days: list[date], day: date) -> float | None:
    """Where `day` falls among the points, as a fractional index; None outside them."""
    if not days or day < days[0] or day > days[-1]:
        return None
    for i in range(len(days) - 1):
        if days[i] <= day <= days[i + 1]:
            span = (days[i + 1] - days[i]).days
            return i + ((day - days[i]).days / span if span else 0.0)
    return float(len(days) - 1)


def _month(day: date) -> str:
    return day.strftime("%B %Y")


def _headline(
    drawn: SeriesChart, limited: list[bool], events: Sequence[Event], min_points: int
) -> str:
    """Where the series stands against its target, and since when; then any signal."""
    assert drawn.result is not None
    days = [m.date for m in drawn.series.measures]
    counted = [p for p in drawn.result.points if not p.excluded]
    said: list[str] = []
    if counted and drawn.target is not None:
        target = drawn.target

        def meets(value: float) -> bool:
            higher = drawn.metric.direction is Direction.HIGHER
            return value >= target if higher else value <= target

        latest = meets(counted[-1].value)
        start = len(counted) - 1
        while start > 0 and meets(counted[start - 1].value) == latest:
            start -= 1
        word = "meeting" if latest else "short of"
        if len(counted) == 1:
            when = f"with its only point ({_month(days[counted[0].index])})"
        elif start == 0:
            when = f"at all {len(counted)} points"
        else:
            when = f"since {_month(days[counted[start].index])}"
        said.append(f"{word} the {_n(target, drawn)} target {when}")
    elif counted:
        said.append(f"latest value {_n(counted[-1].value, drawn)}")
    last_part, shown = drawn.result.parts[-1], limited[-1]
    if shown:
        said.append(_signal(drawn, last_part, events, days))
    else:
        count = sum(not p.excluded for p in last_part.points)
        said.append(
            f"{count} point{'s' * (count != 1)} so far, so a run chart: control limits are "
            f"drawn once there are {min_points}"
        )
    if len(drawn.result.parts) > 1:
        said.append(f"new level from {days[last_part.points[0].index].isoformat()}")
    text = "; ".join(said)
    return text[:1].upper() + text[1:] + "."


def _signal(drawn: SeriesChart, part: PartResult, events: Sequence[Event], days: list[date]) -> str:
    recent = [p for p in part.points[-RECENT_POINTS:] if p.sigma_signal]
    if recent:
        above = recent[-1].ucl is not None and recent[-1].value > recent[-1].ucl
        return f"a recent point outside the limits ({'worse' if drawn.worse(above) else 'better'})"
    if part.runs_signal:
        runs = drawn.runs(part)
        side = runs.longest_above
        better = side is not None and not drawn.worse(side)
        began = days[runs.longest_from]
        after = [e for e in events if e.day <= began and e.text.startswith("go-live")]
        tail = f" after {after[-1].text.split(' at ')[0]}" if after else ""
        return f"sustained shift {'for the better' if better else 'for the worse'}{tail}"
    return "stable: no signal of change"


def _detail(drawn: SeriesChart, limited: list[bool]) -> str:
    assert drawn.result is not None
    name = CHART_NAMES[drawn.chart]
    last = drawn.result.parts[-1]
    limits = ""
    if limited[-1]:
        ucl = next((p.ucl for p in reversed(last.points) if p.ucl is not None), None)
        lcl = next((p.lcl for p in reversed(last.points) if p.lcl is not None), None)
        limits = f"; limits {_n(lcl, drawn)} to {_n(ucl, drawn)}"
    centre = (
        f"latest centre line {_n(last.centre, drawn)}"
        if limited[-1]
        else (f"median {_n(_median(last), drawn)}")
    )
    count = len(drawn.result.points)
    parts = len(drawn.result.parts)
    drawn_as = name if all(limited) else f"run chart until enough points for a {name}"
    return (
        f"Drawn as a {drawn_as} ({drawn.why}); {count} point{'s' * (count != 1)}"
        f"{f' in {parts} parts' if parts > 1 else ''}; {centre}{limits}."
    )


def _n(value: float | None, drawn: SeriesChart) -> str:
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
