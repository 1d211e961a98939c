"""`diffuse trend`: the adoption curve as text, JSON or CSV."""

from __future__ import annotations

import json
import math
from typing import Any

from diffuse.escape import clean
from diffuse.render.csvtext import csv_text
from diffuse.render.plain import fit
from diffuse.reports.status.row import forecast_record
from diffuse.reports.trend import Trend, Week
from diffuse.vocab import OUTPUT_SCHEMA_VERSION

LEGEND = (
    "live: in-scope sites live at the end of that day  █ live  · not yet  ┆ target line\n"
    "target line: sites live by then on a straight line from approval to every site on "
    "the target date"
)


def trend_text(trend: Trend, width: int | None = None) -> str:
    """The curve as text; at `width`, prose wraps between words and, when a week's line
    would not fit, the 'target line' column is headed 'target' to make room."""
    room = 4 + 2 + 10 + 2 + 4 + 2 + 11 + 2 + trend.in_scope
    column = 11 if width is None or room <= width else 6
    lines = [
        f"{clean(trend.project)}: sites live week by week since approval on {trend.approved}",
        f"as of {trend.as_of}: {trend.live} of {trend.in_scope} in-scope site(s) live",
        f"target: every site live by {trend.target} ({trend.target_months} months)",
        *_forecast(trend),
        "",
        f"{'week':>4}  {'ending':<10}  {'live':>4}  {'target line'[:column].strip():>{column}}",
    ]
    marks = [(trend.target, f"target date {trend.target}")]
    day = trend.forecast.day
    if day is not None and not trend.forecast.done and day <= trend.weeks[-1].day:
        marks = sorted([*marks, (day, f"forecast {day}")])
    for week in trend.weeks:
        while marks and marks[0][0] <= week.day:
            lines.append(f"{'':>4}  ── {marks.pop(0)[1]} ──")
        lines.append(_week_line(trend, week, column))
    lines += ["", LEGEND]
    text = "\n".join(lines) + "\n"
    return text if width is None else fit(text, width, hang=2)


def _week_line(trend: Trend, week: Week, column: int = 11) -> str:
    line = math.floor(week.target_line + 1e-9)
    bar = ["█"] * week.live + ["·"] * (trend.in_scope - week.live)
    if line > week.live:
        bar[line - 1] = "┆"  # the last site the target line says should be live by now
    return f"{week.week:>4}  {week.day}  {week.live:>4}  {line:>{column}}  {''.join(bar)}"


def _forecast(trend: Trend) -> list[str]:
    outlook = trend.forecast
    if outlook.done:
        return ["forecast: done, every in-scope site is live"]
    if outlook.day is None:
        return [f"forecast: n/a, {outlook.note}"]
    after = outlook.days_after(trend.target) or 0
    when = f"{abs(after)} day(s) {'after' if after > 0 else 'before'} the target"
    return [
        f"forecast: {outlook.day}, {when if after else 'on the target date'}",
        f"  ({outlook.note})",
    ]


def trend_record(trend: Trend) -> dict[str, Any]:
    return {
        "project": trend.project,
        "title": trend.title,
        "approved": trend.approved.isoformat(),
        "as_of": trend.as_of.isoformat(),
        "in_scope": trend.in_scope,
        "live": trend.live,
        "target_months": trend.target_months,
        "target_date": trend.target.isoformat(),
        "forecast": forecast_record(trend.forecast, trend.target),
        "weeks": [
            {
                "week": w.week,
                "date": w.day.isoformat(),
                "live": w.live,
                "target_line": round(w.target_line, 2),
            }
            for w in trend.weeks
        ],
    }


def trend_json(trend: Trend) -> str:
    payload = {"schema_version": OUTPUT_SCHEMA_VERSION, **trend_record(trend)}
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def trend_csv(trend: Trend) -> str:
    rows = [
        [w.week, w.day.isoformat(), w.live, trend.in_scope, f"{w.target_line:.2f}"]
        for w in trend.weeks
    ]
    return csv_text(["week", "date", "live", "in_scope", "target_line"], rows)
