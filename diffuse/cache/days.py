"""Which days a result checked against one day still holds on: the window of rule
`date-range` (`rules.chrono`) in plain dates, light enough for a read of the result cache
(`spans` finds a file's earliest and latest date).

A result keeps the earliest and latest date it checked and the day it checked them against
(`Validity`). On another day it is the same result when no date was outside the window on
either day: no `date-range` problem then or now, and every other rule ignores the day. A
result with such a problem names its day in the message, and holds on that day alone.
"""

from __future__ import annotations

from datetime import date
from typing import Any

Span = tuple[date, date]  # the earliest and latest date of a file, or of a whole tracker


def years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def inside(span: Span | None, day: date, past_years: int, future_years: int) -> bool:
    """Whether every date of `span` lies in the window around `day`."""
    if span is None:
        return True
    return years_from(day, -past_years) <= span[0] and span[1] <= years_from(day, future_years)


def same_verdict(
    span: Span | None, then: date, now: date, past_years: int, future_years: int
) -> bool:
    """Whether dates checked against `then` give the same problems against `now`."""
    if then == now:
        return True
    return inside(span, then, past_years, future_years) and inside(
        span, now, past_years, future_years
    )


def widest(spans: list[Span | None]) -> Span | None:
    known = [span for span in spans if span is not None]
    if not known:
        return None
    return min(s[0] for s in known), max(s[1] for s in known)


def stored_span(span: Span | None) -> list[str] | None:
    return None if span is None else [span[0].isoformat(), span[1].isoformat()]


def read_span(stored: Any) -> Span | None:
    """A span as `stored_span` keeps it; ValueError or TypeError when it is not one."""
    if stored is None:
        return None
    first, last = stored
    return date.fromisoformat(first), date.fromisoformat(last)


def validity(span: Span | None, day: date, past_years: int, future_years: int) -> dict[str, Any]:
    """What a kept result needs to say on which days it holds."""
    return {
        "day": day.isoformat(),
        "dates": stored_span(span),
        "window": [past_years, future_years],
    }


def holds(stored: Any, today: date) -> bool:
    """Whether a result kept with `validity(...)` is the result for `today`."""
    try:
        past, future = (int(years) for years in stored["window"])
        then = date.fromisoformat(stored["day"])
        return same_verdict(read_span(stored["dates"]), then, today, past, future)
    except (KeyError, TypeError, ValueError):
        return False
