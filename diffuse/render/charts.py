"""Run and control charts in the terminal, and every number behind them as JSON or CSV.

Time runs down the page, one line per point, so a chart of any length fits 80 columns.
Every mark is a symbol, so nothing depends on colour:

    ● point   ◆ point outside the limits   ○ excluded point   ✎ a note on the point
    │ centre line   [ ] lower and upper limits   ┆ target   (B and T on the scale line)
"""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any

from rich.console import Console
from rich.text import Text

from diffuse.escape import clean
from diffuse.render.csvtext import csv_text
from diffuse.reports.measures import CHART_NAMES, SeriesChart, number, sigma_side
from diffuse.reports.spc import PartResult, PointResult
from diffuse.vocab import OUTPUT_SCHEMA_VERSION

POINT, SIGNAL, EXCLUDED, NOTE = "●", "◆", "○", "✎"
CENTRE, LOWER, UPPER, TARGET = "│", "[", "]", "┆"
LEGEND = (
    f"{POINT} point  {SIGNAL} outside the limits  {EXCLUDED} excluded  {NOTE} note\n"
    f"{CENTRE} centre  {LOWER} {UPPER} lower and upper limits  {TARGET} target (T on the "
    "scale)  B baseline"
)
_DATE, _VALUE, _GAPS = 10, 9, 6
_MIN_STRIP, _MAX_STRIP, _NOTE = 20, 60, 20


# -- text -------------------------------------------------------------------------------


def print_charts(console: Console, charts: list[SeriesChart]) -> None:
    for index, drawn in enumerate(charts):
        if index:
            console.print()
        for line in chart_lines(drawn, console.width):
            console.print(line, overflow="fold")
    if charts:
        console.print()
        console.print(Text(LEGEND, style="dim"), overflow="fold")


def chart_lines(drawn: SeriesChart, width: int) -> list[Text]:
    lines = _heading(drawn)
    if drawn.result is None:
        return [*lines, Text(clean(drawn.error or "no values"), style="bold red")]
    strip = max(_MIN_STRIP, min(_MAX_STRIP, width - _DATE - _VALUE - _GAPS - _NOTE))
    scale = _Scale.of(drawn, strip)
    lines += [_scale_line(drawn, scale), _marks_line(drawn, scale)]
    for number_, part in enumerate(drawn.result.parts, start=1):
        lines.append(Text(_part_title(drawn, part, number_, scale), style="bold"))
        lines += [_point_line(drawn, p, scale, width) for p in part.points]
        lines += [Text(line) for line in _part_summary(drawn, part, scale)]
    return lines


def _heading(drawn: SeriesChart) -> list[Text]:
    metric = drawn.metric
    head = f"{metric.id} · {drawn.series.label} · {CHART_NAMES[drawn.chart]} ({drawn.why})"
    facts = [
        metric.unit or metric.kind.value,
        f"{metric.direction.value} is better",
        f"baseline {number(metric.baseline, metric)}",
        f"target {number(metric.target, metric)}",
    ]
    if drawn.freeze:
        facts.append(f"frozen: first {drawn.freeze} point(s) of each part set the limits")
    return [
        Text(clean(head), style="bold"),
        Text(clean(metric.name)),
        Text(clean(" · ".join(facts)), style="dim"),
    ]


class _Scale:
    def __init__(self, low: float, high: float, width: int, percent: bool = False) -> None:
        self.low, self.high, self.width, self.percent = low, high, width, percent
        # One number of decimals for the whole chart: four significant figures at its top.
        top = max(abs(low), abs(high)) or 1.0
        self.decimals = min(6, max(0, 3 - math.floor(math.log10(top))))

    def fmt(self, value: float | None) -> str:
        if value is None or math.isnan(value):
            return "-"
        return f"{value:.{self.decimals}f}" + ("%" if self.percent else "")

    @classmethod
    def of(cls, drawn: SeriesChart, width: int) -> _Scale:
        assert drawn.result is not None
        marks: list[float] = []
        for point in drawn.result.points:
            marks += [v for v in (point.value, point.centre) if not math.isnan(v)]
            marks += [v for v in (point.lcl, point.ucl) if v is not None]
        marks += [v for v in (drawn.target, drawn.baseline) if v is not None]
        low, high = min(marks, default=0.0), max(marks, default=0.0)
        if high == low:
            low, high = low - (abs(low) or 1) * 0.1, high + (abs(high) or 1) * 0.1
        return cls(low, high, width, drawn.percent)

    def at(self, value: float) -> int:
        return round((value - self.low) / (self.high - self.low) * (self.width - 1))


def _indent() -> str:
    return " " * (_DATE + 2 + _VALUE + 2)


def _scale_line(drawn: SeriesChart, scale: _Scale) -> Text:
    low, high = scale.fmt(scale.low), scale.fmt(scale.high)
    middle = scale.fmt((scale.low + scale.high) / 2)
    gap = scale.width - len(low) - len(high)
    inner = middle.center(gap) if gap >= len(middle) + 2 else " " * max(gap, 1)
    return Text(_indent() + low + inner + high, style="dim")


def _marks_line(drawn: SeriesChart, scale: _Scale) -> Text:
    cells = ["─"] * scale.width
    for value, mark in ((drawn.baseline, "B"), (drawn.target, "T")):
        if value is not None:
            cells[scale.at(value)] = mark
    return Text("date".ljust(_DATE + 2) + "value".rjust(_VALUE) + "  " + "".join(cells))


def _part_title(drawn: SeriesChart, part: PartResult, number_: int, scale: _Scale) -> str:
    dates = [drawn.series.measures[p.index].date for p in part.points]
    return (
        f"part {number_} · {dates[0]} to {dates[-1]} · {len(dates)} point(s) · "
        f"centre {scale.fmt(part.centre) if part.has_centre else 'none'}"
    )


def _point_line(drawn: SeriesChart, point: PointResult, scale: _Scale, width: int) -> Text:
    cells = [" "] * scale.width
    target = drawn.target
    if target is not None:
        cells[scale.at(target)] = TARGET
    if not math.isnan(point.centre):
        cells[scale.at(point.centre)] = CENTRE
    for limit, mark in ((point.lcl, LOWER), (point.ucl, UPPER)):
        if limit is not None:
            cells[scale.at(limit)] = mark
    symbol = EXCLUDED if point.excluded else SIGNAL if point.sigma_signal else POINT
    if not math.isnan(point.value):
        cells[scale.at(point.value)] = symbol
    measure = drawn.series.measures[point.index]
    value = scale.fmt(point.value).rjust(_VALUE)
    note = _note(drawn, point)
    room = max(0, width - _DATE - _VALUE - scale.width - 6)
    if len(note) > room:
        note = note[: max(0, room - 1)] + "…" if room else ""
    strip = "".join(cells)
    line = Text(f"{measure.date}  {value}  ")
    line.append(strip if note else strip.rstrip(), style="red" if point.sigma_signal else None)
    return line.append(f"  {note}" if note else "", style="dim" if point.excluded else "bold")


def _note(drawn: SeriesChart, point: PointResult) -> str:
    said = [f"{NOTE} {text}" for text in (drawn.notes[point.index] if drawn.notes else ())]
    if point.excluded:
        reason = drawn.excluded[point.index] or ""
        return clean("  ".join([f"{EXCLUDED} excluded: {reason}", *said]))
    side = sigma_side(point)
    if side is not None:
        worse = "worse" if drawn.worse(side) else "better"
        said.insert(0, f"{SIGNAL} {'high' if side else 'low'}, {worse}")
    return clean("  ".join(said))


def _part_summary(drawn: SeriesChart, part: PartResult, scale: _Scale) -> list[str]:
    lines = [f"  {line}" for line in _runs_text(drawn, part)]
    lines.append(f"  {_sigma_text(drawn, part, scale)}")
    if part.mr is not None:
        above = [
            str(drawn.series.measures[p.index].date)
            for p, hit in zip(part.points, part.mr.signals, strict=True)
            if hit
        ]
        lines.append(
            f"  moving ranges: average {scale.fmt(part.mr.centre)}, upper limit "
            f"{scale.fmt(part.mr.ucl)}; above it: {', '.join(above) or 'none'}"
        )
    if part.sigma_z is not None:
        lines.append(f"  Laney: sigma_z {part.sigma_z:.3f} scales the limits")
    return lines


def _runs_text(drawn: SeriesChart, part: PartResult) -> list[str]:
    runs = part.runs
    if runs.longest_run_max is None or runs.n_crossings_min is None:
        return ["runs: no useful points (all on the centre line or excluded)"]
    long_bad = runs.longest_run > runs.longest_run_max
    few_bad = runs.n_crossings < runs.n_crossings_min
    text = (
        f"runs: longest {runs.longest_run} (limit {runs.longest_run_max}) "
        f"{'✗' if long_bad else '✓'} · crossings {runs.n_crossings} "
        f"(minimum {runs.n_crossings_min}) {'✗' if few_bad else '✓'} · "
        f"{runs.n_useful} useful point(s)"
    )
    if not runs.runs_signal:
        return [text, "  no runs signal: random variation only"]
    found = drawn.runs(part)
    above = found.longest_above
    side = "above" if above else "below"
    verdict = "worse" if above is not None and drawn.worse(above) else "better"
    first, last = (drawn.series.measures[i].date for i in (found.longest_from, found.longest_to))
    return [
        text,
        "  RUNS SIGNAL: non-random variation",
        f"  longest run {first} to {last}: {side} the centre (the {verdict} side)",
    ]


def _sigma_text(drawn: SeriesChart, part: PartResult, scale: _Scale) -> str:
    lows, highs = {p.lcl for p in part.points}, {p.ucl for p in part.points}
    if not part.has_centre:
        return "no centre and no limits: every point of the baseline is excluded"
    if highs == {None} and drawn.chart == "run":
        return "limits: none on a run chart (centre: the median)"
    if highs == {None}:
        return "limits: none (the baseline has fewer than two points or does not vary)"
    if len(lows) == 1 and len(highs) == 1:
        span = f"limits {scale.fmt(next(iter(lows)))} to {scale.fmt(next(iter(highs)))}"
    else:
        span = "limits vary with the denominator"
    hits = [p for p in part.points if p.sigma_signal]
    if not hits:
        return f"{span} · no point outside ✓"
    days = ", ".join(str(drawn.series.measures[p.index].date) for p in hits)
    return f"{span} · {len(hits)} point(s) outside ✗: {days}"


# -- json and csv ---------------------------------------------------------------------------


def charts_json(project: str, charts: list[SeriesChart], as_of: date | None = None) -> str:
    payload = {
        "schema_version": OUTPUT_SCHEMA_VERSION,
        "project": project,
        "as_of": as_of.isoformat() if as_of else None,
        "charts": [chart_record(c) for c in charts],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def chart_record(drawn: SeriesChart) -> dict[str, Any]:
    metric = drawn.metric
    record: dict[str, Any] = {
        "metric": metric.id,
        "name": metric.name,
        "site": drawn.series.site,
        "chart": drawn.chart,
        "chart_name": CHART_NAMES[drawn.chart],
        "chart_reason": drawn.why,
        "unit": metric.unit,
        "direction": metric.direction.value,
        "baseline": metric.baseline,
        "target": metric.target,
        "parts_from": [d.isoformat() for d in drawn.parts],
        "freeze": drawn.freeze,
        "multiplier": drawn.result.multiply if drawn.result else None,
        "error": drawn.error,
        "signals": _signals(drawn),
        "parts": [],
        "points": [],
    }
    if drawn.result is not None:
        record["parts"] = [_part_record(drawn, p, n) for n, p in enumerate(drawn.result.parts, 1)]
        record["points"] = [_point_record(drawn, p, n) for p, n in _numbered_points(drawn)]
    return record


def _signals(drawn: SeriesChart) -> dict[str, Any]:
    from diffuse.reports.measures import unfavourable_signal

    if drawn.result is None:
        return {"runs": False, "sigma": 0, "unfavourable": None}
    return {
        "runs": drawn.result.runs_signal,
        "sigma": sum(p.sigma_signal for p in drawn.result.points),
        "unfavourable": unfavourable_signal(drawn),
    }


def _numbered_points(drawn: SeriesChart) -> list[tuple[PointResult, int]]:
    assert drawn.result is not None
    return [(p, n) for n, part in enumerate(drawn.result.parts, 1) for p in part.points]


def _part_record(drawn: SeriesChart, part: PartResult, number_: int) -> dict[str, Any]:
    runs = part.runs
    found = drawn.runs(part)
    side = found.longest_above
    dates = [m.date for m in drawn.series.measures]
    return {
        "part": number_,
        "start": str(drawn.series.measures[part.points[0].index].date),
        "centre": _number(part.centre),
        "n_useful": runs.n_useful,
        "longest_run": runs.longest_run,
        "longest_run_max": runs.longest_run_max,
        "longest_run_side": None if side is None else ("above" if side else "below"),
        "longest_run_from": None if side is None else str(dates[found.longest_from]),
        "longest_run_to": None if side is None else str(dates[found.longest_to]),
        "n_crossings": runs.n_crossings,
        "n_crossings_min": runs.n_crossings_min,
        "runs_signal": runs.runs_signal,
        "sigma_z": part.sigma_z,
        "mr_centre": part.mr.centre if part.mr else None,
        "mr_ucl": part.mr.ucl if part.mr else None,
    }


def _point_record(drawn: SeriesChart, point: PointResult, number_: int) -> dict[str, Any]:
    measure = drawn.series.measures[point.index]
    side = sigma_side(point)
    part = drawn.result.parts[number_ - 1] if drawn.result else None
    mr = part.mr if part else None
    offset = point.index - part.points[0].index if part else 0
    return {
        "date": measure.date.isoformat(),
        "site": measure.site,
        "part": number_,
        "value": _number(point.value),
        "numerator": measure.numerator,
        "denominator": measure.denominator,
        "centre": _number(point.centre),
        "lcl": point.lcl,
        "ucl": point.ucl,
        "baseline": point.baseline,
        "excluded": drawn.excluded[point.index],
        "sigma_signal": point.sigma_signal,
        "signal_side": None if side is None else ("above" if side else "below"),
        "mr": mr.values[offset] if mr else None,
        "mr_signal": mr.signals[offset] if mr else None,
        "notes": list(drawn.notes[point.index]) if drawn.notes else [],
    }


def _number(value: float) -> float | None:
    return None if math.isnan(value) else value  # JSON has no nan: null, as qicharts2's NA


CSV_FIELDS = [
    "metric",
    "site",
    "chart",
    "date",
    "part",
    "value",
    "numerator",
    "denominator",
    "centre",
    "lcl",
    "ucl",
    "baseline",
    "excluded",
    "sigma_signal",
    "signal_side",
    "mr",
    "mr_signal",
    "runs_signal",
    "longest_run",
    "longest_run_max",
    "n_crossings",
    "n_crossings_min",
]


def charts_csv(charts: list[SeriesChart]) -> str:
    """One line per point; each line repeats its part's runs figures."""
    rows = []
    for drawn in charts:
        record = chart_record(drawn)
        parts = {p["part"]: p for p in record["parts"]}
        for point in record["points"]:
            row = {**parts[point["part"]], **point, "metric": drawn.metric.id}
            rows.append({**row, "chart": drawn.chart, "site": drawn.series.site or ""})
    return csv_text(CSV_FIELDS, rows)
