"""Inline SVG charts for the HTML report: control charts and adoption curves.

Plain strings from numbers already computed elsewhere (`reports.spc`, `reports.portfolio`);
every piece of text is escaped here. Each chart is an `<svg role="img">` with a title and a
description, so a screen reader hears what the picture shows. Colour is never the only
signal: limits are dashed, signals are diamonds, excluded points are hollow.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape
from typing import NamedTuple

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 96, 16, 32


class Line(NamedTuple):
    """A horizontal line from point `start` to point `end` (indices), labelled at its end."""

    kind: str  # centre, ucl, lcl, baseline, target
    value: float
    start: int
    end: int
    label: str


class Flag(NamedTuple):
    """A dated event at a fractional point index: a numbered marker with its text."""

    at: float
    number: str
    text: str


class Mark(NamedTuple):
    value: float
    signal: bool
    excluded: bool
    title: str


def _scale(value: float, low: float, high: float, out_low: float, out_high: float) -> float:
    if high == low:
        return (out_low + out_high) / 2
    return out_low + (value - low) * (out_high - out_low) / (high - low)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _frame(title: str, desc: str, ident: str, body: list[str]) -> str:
    ident = escape(ident)
    return "".join(
        [
            f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
            f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">',
            f'<title id="{ident}-t">{escape(title)}</title>',
            f'<desc id="{ident}-d">{escape(desc)}</desc>',
            *body,
            "</svg>",
        ]
    )


def _axis(
    low: float, high: float, labels: Sequence[tuple[float, str]], unit: str = ""
) -> list[str]:
    bottom = HEIGHT - BOTTOM
    parts = [
        f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}"/>',
        f'<line class="axis" x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}"/>',
    ]
    for value in (low, (low + high) / 2, high):
        y = _scale(value, low, high, bottom, TOP)
        parts.append(
            f'<text class="tick" x="{LEFT - 6}" y="{y:.1f}" text-anchor="end" '
            f'dominant-baseline="middle">{escape(_num(value))}{escape(unit)}</text>'
        )
    for x, text in labels:
        parts.append(
            f'<text class="tick" x="{x:.1f}" y="{bottom + 18}" text-anchor="middle">'
            f"{escape(text)}</text>"
        )
    return parts


def control_chart(
    ident: str,
    title: str,
    desc: str,
    marks: Sequence[Mark],
    lines: Sequence[Line],
    parts: Sequence[int],
    dates: Sequence[str],
    bounds: tuple[float | None, float | None] = (None, None),
    unit: str = "",
    flags: Sequence[Flag] = (),
) -> str:
    """Points in order, evenly spaced; `lines` span points; `parts` are the first index of
    each new part; `flags` mark dated events. Limit lines carry their value in `data-value`.
    The value axis never leaves `bounds` (what the metric can be: 0-100 for a percentage);
    a line beyond them is drawn at the edge, its label keeping its value."""
    values = [m.value for m in marks] + [line.value for line in lines]
    if not marks:
        return _frame(title, desc, ident, [])
    low, high = min(values), max(values)
    pad = (high - low) * 0.05 or 1.0
    low, high = low - pad, high + pad
    floor, ceiling = bounds
    if floor is not None:
        low = max(low, floor)
    if ceiling is not None:
        high = min(high, ceiling)
    if high <= low:
        high = low + 1.0
    count = len(marks)

    def x(index: float) -> float:
        return _scale(index, 0, max(count - 1, 1), LEFT + 8, WIDTH - RIGHT - 8)

    def y(value: float) -> float:
        return _scale(min(max(value, low), high), low, high, HEIGHT - BOTTOM, TOP)

    step = max(1, -(-count // 5))  # at most five date labels
    ticks = [(x(i), dates[i]) for i in range(0, count, step)]
    body = _axis(low, high, ticks, unit)
    for start in parts:
        body.append(
            f'<line class="part" x1="{x(start - 0.5):.1f}" y1="{TOP}" '
            f'x2="{x(start - 0.5):.1f}" y2="{HEIGHT - BOTTOM}"/>'
        )
    labels: list[tuple[float, str]] = []
    for line in lines:
        # Half a step either side, so limits that change from point to point join up.
        x1, x2 = max(LEFT, x(line.start - 0.5)), min(WIDTH - RIGHT, x(line.end + 0.5))
        body.append(
            f'<line class="{line.kind}" data-value="{line.value:.6g}" x1="{x1:.1f}" '
            f'y1="{y(line.value):.1f}" x2="{x2:.1f}" y2="{y(line.value):.1f}"/>'
        )
        if line.end == count - 1:
            labels.append((y(line.value), line.label))
    for at, text in _spread(labels):
        body.append(
            f'<text class="label" x="{WIDTH - RIGHT + 4}" y="{at:.1f}" '
            f'dominant-baseline="middle">{escape(text)}</text>'
        )
    for flag in flags:
        at = x(flag.at)
        body.append(
            f'<g class="flag"><title>{escape(flag.number)}. {escape(flag.text)}</title>'
            f'<line class="event" x1="{at:.1f}" y1="{TOP + 10}" x2="{at:.1f}" '
            f'y2="{HEIGHT - BOTTOM}"/><text class="label" x="{at:.1f}" y="{TOP + 6}" '
            f'text-anchor="middle">{escape(flag.number)}</text></g>'
        )
    path = " ".join(f"{x(i):.1f},{y(m.value):.1f}" for i, m in enumerate(marks))
    body.append(f'<polyline class="series" points="{path}"/>')
    for i, mark in enumerate(marks):
        body.append(_mark(x(i), y(mark.value), mark))
    return _frame(title, desc, ident, body)


def _spread(labels: list[tuple[float, str]], gap: float = 12.0) -> list[tuple[float, str]]:
    """Labels in their given order, moved down just enough that none overlaps the one above."""
    placed: list[tuple[float, str]] = []
    for at, text in sorted(labels, key=lambda item: item[0]):
        if placed and at < placed[-1][0] + gap:
            at = placed[-1][0] + gap
        placed.append((at, text))
    order = {text: n for n, (_, text) in enumerate(labels)}
    return sorted(placed, key=lambda item: order[item[1]])


def _mark(cx: float, cy: float, mark: Mark) -> str:
    tip = f"<title>{escape(mark.title)}</title>"
    if mark.signal:
        corners = [(cx, cy - 6), (cx + 6, cy), (cx, cy + 6), (cx - 6, cy)]
        d = "M" + " L".join(f"{a:.1f},{b:.1f}" for a, b in corners) + " Z"
        return f'<path class="signal" d="{d}">{tip}</path>'
    kind = "excluded" if mark.excluded else "point"
    return f'<circle class="{kind}" cx="{cx:.1f}" cy="{cy:.1f}" r="3.5">{tip}</circle>'


def adoption_chart(
    ident: str,
    title: str,
    desc: str,
    steps: Sequence[tuple[date, int]],
    plan: Sequence[tuple[date, float]],
    in_scope: int,
    target: date | None,
    forecast: date | None,
) -> str:
    """Sites live over time as a step line, against the planned line to every site live by
    the target (dotted), every site (the ceiling), the target date and the forecast."""
    if not steps:
        return _frame(title, desc, ident, [])
    days = [d for d, _ in steps] + [d for d, _ in plan] + [d for d in (target, forecast) if d]
    first, last = min(days).toordinal(), max(days).toordinal()

    def x(day: date) -> float:
        return _scale(day.toordinal(), first, last, LEFT + 8, WIDTH - RIGHT - 8)

    def y(count: float) -> float:
        return _scale(count, 0, max(in_scope, 1), HEIGHT - BOTTOM, TOP)

    ends = [(x(min(days)), min(days).isoformat()), (x(max(days)), max(days).isoformat())]
    body = _axis(0, max(in_scope, 1), ends)
    coords, previous = [], None
    for day, count in steps:
        if previous is not None:
            coords.append(f"{x(day):.1f},{y(previous):.1f}")
        coords.append(f"{x(day):.1f},{y(count):.1f}")
        previous = count
    body.append(
        f'<line class="target" data-value="{in_scope}" x1="{LEFT}" y1="{y(in_scope):.1f}" '
        f'x2="{WIDTH - RIGHT}" y2="{y(in_scope):.1f}"/>'
        f'<text class="label" x="{WIDTH - RIGHT + 4}" y="{y(in_scope):.1f}" '
        f'dominant-baseline="middle">all {in_scope}</text>'
    )
    if plan:
        line = " ".join(f"{x(d):.1f},{y(n):.1f}" for d, n in plan)
        body.append(f'<polyline class="plan" points="{line}"/>')
    lines: list[tuple[str, date | None, str]] = [
        ("due", target, "target"),
        ("forecast", forecast, "forecast"),
    ]
    for kind, when, word in lines:
        if when:
            # Labels sit left of their line, inside the plot, so the right edge never cuts them.
            body.append(
                f'<line class="{kind}" x1="{x(when):.1f}" y1="{TOP}" x2="{x(when):.1f}" '
                f'y2="{HEIGHT - BOTTOM}"/><text class="label" x="{x(when) - 3:.1f}" '
                f'y="{TOP + (12 if kind == "due" else 26)}" text-anchor="end">'
                f"{word} {when.isoformat()}</text>"
            )
    body.append(f'<polyline class="series" points="{" ".join(coords)}"/>')
    return _frame(title, desc, ident, body)


def month_chart(ident: str, title: str, desc: str, months: Sequence[tuple[str, int, int]]) -> str:
    """Columns of site rows live per month under a stepped line of the rows in scope."""
    if not months:
        return _frame(title, desc, ident, [])
    top = max(max(n for _, _, n in months), 1)
    count = len(months)
    slot = (WIDTH - RIGHT - LEFT - 8) / count

    def x(index: float) -> float:
        return LEFT + 4 + index * slot

    def y(value: float) -> float:
        return _scale(value, 0, top, HEIGHT - BOTTOM, TOP)

    step = max(1, -(-count // 6))
    body = _axis(0, top, [(x(i + 0.5), months[i][0]) for i in range(0, count, step)])
    scope = []
    for i, (label, live, in_scope) in enumerate(months):
        body.append(
            f'<rect class="bar" x="{x(i) + 1:.1f}" y="{y(live):.1f}" width="{slot - 2:.1f}" '
            f'height="{y(0) - y(live):.1f}"><title>{escape(label)}: {live} of {in_scope} '
            "live</title></rect>"
        )
        scope += [f"{x(i):.1f},{y(in_scope):.1f}", f"{x(i + 1):.1f},{y(in_scope):.1f}"]
    body.append(f'<polyline class="plan" points="{" ".join(scope)}"/>')
    last = months[-1]
    body.append(
        f'<text class="label" x="{WIDTH - RIGHT + 4}" y="{y(last[2]):.1f}" '
        f'dominant-baseline="middle">in scope {last[2]}</text>'
    )
    return _frame(title, desc, ident, body)


def duration_chart(
    ident: str,
    title: str,
    desc: str,
    bars: Sequence[tuple[str, float | None, bool]],
    target: float,
    average: float,
) -> str:
    """Horizontal bars of months per item (hollow: forecast), with the target and the
    average as labelled vertical lines."""
    height = TOP + BOTTOM + 18 * max(len(bars), 1)
    longest = max([average, target, *(m for _, m, _ in bars if m is not None)]) * 1.05
    left = 190

    def x(months: float) -> float:
        return _scale(months, 0, longest, left, WIDTH - RIGHT)

    body = [
        f'<line class="axis" x1="{left}" y1="{TOP}" x2="{left}" y2="{height - BOTTOM}"/>',
        f'<line class="axis" x1="{left}" y1="{height - BOTTOM}" x2="{WIDTH - RIGHT}" '
        f'y2="{height - BOTTOM}"/>',
    ]
    for n, (name, months, actual) in enumerate(bars):
        top = TOP + 18 * n + 3
        body.append(
            f'<text class="tick" x="{left - 6}" y="{top + 6:.1f}" text-anchor="end" '
            f'dominant-baseline="middle">{escape(name)}</text>'
        )
        if months is None:
            body.append(
                f'<text class="label" x="{left + 4}" y="{top + 6:.1f}" '
                'dominant-baseline="middle">no forecast</text>'
            )
            continue
        kind = "bar" if actual else "bar forecast-bar"
        said = "took" if actual else "forecast"
        body.append(
            f'<rect class="{kind}" x="{left}" y="{top:.1f}" width="{x(months) - left:.1f}" '
            f'height="12"><title>{escape(name)}: {said} {months:.1f} months</title></rect>'
            f'<text class="label" x="{x(months) + 4:.1f}" y="{top + 6:.1f}" '
            f'dominant-baseline="middle">{months:.1f}{"" if actual else " (forecast)"}</text>'
        )
    for kind, value, word in (("target", target, "target"), ("due", average, "average")):
        body.append(
            f'<line class="{kind}" data-value="{value:g}" x1="{x(value):.1f}" y1="{TOP}" '
            f'x2="{x(value):.1f}" y2="{height - BOTTOM}"/><text class="tick" '
            f'x="{x(value):.1f}" y="{height - BOTTOM + 14}" text-anchor="middle">'
            f"{word} {value:g} mo</text>"
        )
    text = _frame(title, desc, ident, body)
    return text.replace(f'viewBox="0 0 {WIDTH} {HEIGHT}"', f'viewBox="0 0 {WIDTH} {height}"', 1)
