"""`diffuse portfolio`: time to full diffusion against the target, sites live by month,
projects started and closed by quarter, as text, JSON, CSV or Markdown."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from diffuse.render.csvtext import csv_text
from diffuse.render.plain import fit, fitted_table, md_table, text_width
from diffuse.reports.portfolio import MonthLive, PortfolioOverTime, ProjectTime, QuarterCount
from diffuse.vocab import OUTPUT_SCHEMA_VERSION

PROJECT_HEADS = ("project", "phase", "approved", "every site live", "live", "months", "vs target")
MONTH_HEADS = ("month", "live", "in scope", "share")
QUARTER_HEADS = ("quarter", "started", "closed")


def _full(p: ProjectTime) -> str:
    if p.full is None:
        return "no forecast"
    return f"{p.full} {'actual' if p.actual else 'forecast'}"


def _versus(p: ProjectTime) -> str:
    over = p.months_over_target
    if over is None:
        return "-"
    if over > 0:
        return f"✗ {over:g} over {p.target_months}"
    return f"✓ {-over:g} under {p.target_months}"


def _project_cells(p: ProjectTime) -> list[object]:
    months = "-" if p.months is None else f"{p.months:g}"
    approved = p.approved or "-"
    return [p.project, p.phase, approved, _full(p), f"{p.live}/{p.in_scope}", months, _versus(p)]


def _month_cells(m: MonthLive) -> list[object]:
    share = f"{m.live / m.in_scope:.0%}" if m.in_scope else "-"
    return [m.month.strftime("%Y-%m"), m.live, m.in_scope, share]


def _ids(ids: tuple[str, ...]) -> str:
    return f"{len(ids)} ({', '.join(ids)})" if ids else "0"


def _quarter_cells(q: QuarterCount) -> list[object]:
    return [q.quarter, _ids(q.started), _ids(q.closed)]


def _headline(over: PortfolioOverTime) -> str:
    done = [p for p in over.projects if p.actual and p.months is not None]
    median = over.median_actual_months
    actual = (
        f"median {median:g} months ({len(done)} finished project(s))"
        if median is not None
        else "no project finished yet"
    )
    return (
        f"Time to every site live: {actual}; target {over.target_months} months; "
        f"reported average {over.reported_average_months} months"
    )


Section = tuple[str, tuple[str, ...], list[list[object]], int]  # title, heads, rows, figures


def _sections(over: PortfolioOverTime) -> list[Section]:
    """Each table: its title, heads, rows and how many last columns are figures."""
    return [
        (
            "Time to every in-scope site live (months from approval; actual, or forecast "
            "at the pace of go-lives so far)",
            PROJECT_HEADS,
            [_project_cells(p) for p in over.projects],
            0,
        ),
        (
            "Site rows live across the portfolio, at the end of each month",
            MONTH_HEADS,
            [_month_cells(m) for m in over.months],
            3,
        ),
        (
            "Projects started (approved) and closed, by quarter",
            QUARTER_HEADS,
            [_quarter_cells(q) for q in over.quarters],
            0,
        ),
    ]


def portfolio_text(over: PortfolioOverTime, width: int | None = None) -> str:
    """The report as text; at `width`, prose wraps between words and a table too wide
    becomes one block per row (`fitted_table`)."""
    lines = [f"Portfolio over time as of {over.as_of}", _headline(over)]
    for title, heads, rows, right in _sections(over):
        lines += ["", title, *fitted_table(heads, rows, width, right)]
    lines += ["", "✗ over / ✓ under: months past or short of the project's target"]
    text = "\n".join(lines) + "\n"
    return text if width is None else fit(text, width)


def portfolio_markdown(over: PortfolioOverTime) -> str:
    lines = [f"## Portfolio over time as of {over.as_of}", "", _headline(over)]
    for title, heads, rows, _ in _sections(over):
        lines += ["", f"### {title}", "", *md_table(heads, rows)]
    lines += ["", "✗ over / ✓ under: months past or short of the project's target"]
    return "\n".join(lines) + "\n"


def _day(value: Any) -> Any:
    return value.isoformat() if value is not None else None


def project_record(p: ProjectTime) -> dict[str, Any]:
    return {
        "project": p.project,
        "title": p.title,
        "phase": p.phase,
        "approved": _day(p.approved),
        "target_months": p.target_months,
        "target_date": _day(p.target),
        "full_date": _day(p.full),
        "actual": p.actual,
        "months": p.months,
        "months_over_target": p.months_over_target,
        "live": p.live,
        "in_scope": p.in_scope,
        "note": p.note,
    }


def month_record(m: MonthLive) -> dict[str, Any]:
    return {
        "month": m.month.strftime("%Y-%m"),
        "date": m.month.isoformat(),
        "live": m.live,
        "in_scope": m.in_scope,
    }


def quarter_record(q: QuarterCount) -> dict[str, Any]:
    return {
        "quarter": q.quarter,
        "date": q.start.isoformat(),
        "started": list(q.started),
        "closed": list(q.closed),
    }


def portfolio_json(over: PortfolioOverTime) -> str:
    payload = {
        "schema_version": OUTPUT_SCHEMA_VERSION,
        "as_of": over.as_of.isoformat(),
        "target_months": over.target_months,
        "reported_average_months": over.reported_average_months,
        "median_actual_months": over.median_actual_months,
        "projects": [project_record(p) for p in over.projects],
        "months": [month_record(m) for m in over.months],
        "quarters": [quarter_record(q) for q in over.quarters],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


CSV_FIELDS = (
    "record",
    "project",
    "phase",
    "approved",
    "target_months",
    "target_date",
    "full_date",
    "actual",
    "months",
    "months_over_target",
    "month",
    "quarter",
    "live",
    "in_scope",
    "started",
    "closed",
)


def portfolio_csv(over: PortfolioOverTime) -> str:
    """One table for spreadsheets: a `record` column says whether a line is a project, a
    month or a quarter; each fills the columns that concern it."""
    rows: list[dict[str, Any]] = [{"record": "project", **project_record(p)} for p in over.projects]
    rows += [{"record": "month", **month_record(m)} for m in over.months]
    rows += [
        {
            "record": "quarter",
            "quarter": q.quarter,
            "started": " ".join(q.started),
            "closed": " ".join(q.closed),
        }
        for q in over.quarters
    ]
    return csv_text(CSV_FIELDS, rows)


WRITERS: dict[str, Callable[[PortfolioOverTime], str]] = {
    "text": lambda over: portfolio_text(over, text_width()),
    "json": portfolio_json,
    "csv": portfolio_csv,
    "markdown": portfolio_markdown,
}
