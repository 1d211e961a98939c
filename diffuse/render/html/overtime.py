"""The portfolio over time and the capacity for change, as template values and inline SVG:
each project's time to full diffusion against the target and the reported average, sites
live across the portfolio by month, projects started and closed by quarter, and the
capacity heat map (sites by month, a month over the limit marked by a symbol and a word)."""

from __future__ import annotations

from datetime import date
from typing import Any

from markupsafe import Markup

from diffuse.render.capacity import OVER
from diffuse.render.html import svg
from diffuse.reports.capacity import Capacity, SiteLoad, SiteMonth
from diffuse.reports.portfolio import PortfolioOverTime, ProjectTime


def over_time_values(over: PortfolioOverTime) -> dict[str, Any]:
    times = [_time(p, over) for p in over.projects]
    months = [(m.month.strftime("%b %Y"), m.live, m.in_scope) for m in over.months]
    live_chart = svg.month_chart(
        "live-by-month",
        "Sites live across the portfolio, month by month",
        _months_desc(over),
        months,
    )
    bars = svg.duration_chart(
        "time-to-full",
        "Months from approval to every site live, per project",
        f"Each project's months to full diffusion (actual, or forecast when hatched) beside "
        f"the {over.target_months}-month target and the {over.reported_average_months}-month "
        "reported average",
        [(p.project, p.months, p.actual) for p in over.projects],
        over.target_months,
        over.reported_average_months,
    )
    return {
        "over": over,
        "times": times,
        "live_chart": Markup(live_chart),
        "time_chart": Markup(bars),
        "quarters": [q for q in over.quarters if q.started or q.closed] or over.quarters[-1:],
    }


def _months_desc(over: PortfolioOverTime) -> str:
    if not over.months:
        return "No months to show."
    first, last = over.months[0], over.months[-1]
    return (
        f"{last.live} of {last.in_scope} site rows live in {last.month.strftime('%B %Y')}, "
        f"from {first.live} of {first.in_scope} in {first.month.strftime('%B %Y')}"
    )


def _time(p: ProjectTime, over: PortfolioOverTime) -> dict[str, Any]:
    months = p.months
    if months is None:
        verdict = "not known yet"
    elif months <= p.target_months:
        verdict = f"✓ within the {p.target_months}-month target"
    elif months <= over.reported_average_months:
        verdict = f"! {months - p.target_months:.1f} months past target, within the average"
    else:
        verdict = f"✗ {months - over.reported_average_months:.1f} months past the average"
    return {
        "t": p,
        "months": "-" if months is None else f"{months:.1f}",
        "kind": "done" if p.actual else ("forecast" if p.full else "no forecast"),
        "verdict": verdict,
    }


def capacity_values(capacity: Capacity) -> dict[str, Any]:
    return {
        "capacity": capacity,
        "months": [m.strftime("%b %y") for m in capacity.months],
        "rows": [capacity_row(s, capacity.limit) for s in capacity.sites],
        "limit": capacity.limit,
        "over": OVER,
    }


def capacity_row(load: SiteLoad, limit: int) -> dict[str, Any]:
    return {"load": load, "cells": [_cell(m, limit) for m in load.months]}


def _cell(month: SiteMonth, limit: int) -> dict[str, Any]:
    count = month.count
    level = (
        "over" if month.flagged else ("full" if count and count >= limit else f"c{min(count, 1)}")
    )
    listed = "; ".join(
        f"{g.project} {g.day.isoformat()} ({'live' if g.actual else 'planned'})"
        for g in month.go_lives
    )
    words = f"{count} go-live{'s' * (count != 1)}" + (", over the limit" if month.flagged else "")
    return {
        "text": f"{OVER} {count}" if month.flagged else (str(count) if count else ""),
        "css": level,
        "title": f"{month.month.strftime('%B %Y')}: {words}" + (f": {listed}" if listed else ""),
        "words": words,
    }


def barrier_age(since: date | None, source: str, days: int | None) -> str:
    """How long a barrier has been open, and what the day rests on."""
    if since is None or days is None:
        return "open since: not known"
    basis = "first named in an update" if source == "update" else "the row's last update"
    return f"open {days} days, since {since.isoformat()} ({basis})"
