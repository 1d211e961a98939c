"""`diffuse sites`: each site's projects in flight and go-lives by month, months above the
limit marked with a symbol and a word; with a site, its row in every project."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from diffuse.escape import clean
from diffuse.render.colour import HEALTH_SYMBOL, STATUS_SYMBOL
from diffuse.render.csvtext import csv_text
from diffuse.render.plain import fit, fitted_table, md_table, plain_table, text_width
from diffuse.reports.capacity import Barrier, Capacity, SiteDetail, SiteLoad, SiteMonth, SiteProject
from diffuse.vocab import OUTPUT_SCHEMA_VERSION

OVER = "▲"  # a month above the limit; always followed by the word in the list below it


def _cell(month: SiteMonth) -> str:
    if not month.count:
        return "·"
    return f"{month.count}{OVER}" if month.flagged else str(month.count)


def _heads(months: list[date]) -> list[str]:
    return ["site", "in flight", *(m.strftime("%Y-%m") for m in months)]


def _grid_lines(capacity: Capacity, width: int | None = None) -> list[str]:
    """The table with months headed by their names under a line of years, so sixteen
    months fit in 80 columns; narrower than that, the months run on in further grids,
    each as many months as fit `width`, every grid with its sites and years."""
    months = capacity.months
    rows = _rows(capacity)
    lines = _grid(months, rows, 0, len(months))
    if width is None or not months or max(len(line) for line in lines) <= width:
        return lines
    first = len(lines[1]) - 4 * len(months)  # site and in-flight columns, and their gaps
    step = max(1, (width - first) // 4)
    lines = []
    for start in range(0, len(months), step):
        lines += ([""] if start else []) + _grid(months, rows, start, start + step)
    return lines


def _grid(months: list[date], rows: list[list[object]], start: int, end: int) -> list[str]:
    shown = months[start:end]
    heads = ["site", "in flight", *(m.strftime("%b") for m in shown)]
    cells = [[*row[:2], *row[2 + start : 2 + start + len(shown)]] for row in rows]
    table = plain_table(heads, cells, right=len(shown) + 1, gap=1)
    first = table[0].index(heads[2]) if shown else 0
    years = [" "] * len(table[0])
    for index, month in enumerate(shown):
        if index == 0 or month.month == 1:
            at = first + index * 4
            years[at : at + 4] = list(str(month.year))
    return ["".join(years).rstrip(), *table]


def _rows(capacity: Capacity) -> list[list[object]]:
    return [[s.site, len(s.in_flight), *(_cell(m) for m in s.months)] for s in capacity.sites]


def _flag_lines(loads: list[SiteLoad], limit: int) -> list[str]:
    lines = []
    for load in loads:
        for month in load.flagged:
            projects = ", ".join(g.project for g in month.go_lives)
            lines.append(
                f"{OVER} over the limit: {load.site} in {month.month:%Y-%m}, "
                f"{month.count} go-lives ({projects})"
            )
    return lines or [f"no site has more than {limit} go-lives in a month"]


def _legend(limit: int) -> str:
    return (
        f"cells: go-lives in the month (done, or planned for sites not yet live); "
        f"· none; {OVER} over the limit of {limit} a month"
    )


def sites_text(capacity: Capacity, width: int | None = None) -> str:
    """The grid as text; at `width`, prose wraps between words and the months run on in
    further grids when one does not fit."""
    lines = [
        f"Capacity for change as of {capacity.as_of}: go-lives per site and month "
        f"(limit {capacity.limit})",
        "",
        *_grid_lines(capacity, width),
        "",
        *_flag_lines(capacity.sites, capacity.limit),
        _legend(capacity.limit),
        "in flight: active projects whose site row is not live yet",
    ]
    text = "\n".join(lines) + "\n"
    return text if width is None else fit(text, width)


def sites_markdown(capacity: Capacity) -> str:
    lines = [
        f"## Capacity for change as of {capacity.as_of}",
        "",
        *md_table(_heads(capacity.months), _rows(capacity)),
        "",
        *(f"- {line}" for line in _flag_lines(capacity.sites, capacity.limit)),
        "",
        _legend(capacity.limit),
    ]
    return "\n".join(lines) + "\n"


def _month_record(month: SiteMonth) -> dict[str, Any]:
    return {
        "month": month.month.strftime("%Y-%m"),
        "date": month.month.isoformat(),
        "go_lives": month.count,
        "flagged": month.flagged,
        "projects": [
            {"project": g.project, "date": g.day.isoformat(), "actual": g.actual}
            for g in month.go_lives
        ],
    }


def load_record(load: SiteLoad) -> dict[str, Any]:
    return {
        "site": load.site,
        "name": load.name,
        "region": load.region,
        "in_flight": list(load.in_flight),
        "flagged_months": [m.month.strftime("%Y-%m") for m in load.flagged],
        "months": [_month_record(m) for m in load.months],
    }


def _payload(as_of: date, limit: int, months: list[date], sites: list[dict[str, Any]]) -> str:
    payload = {
        "schema_version": OUTPUT_SCHEMA_VERSION,
        "as_of": as_of.isoformat(),
        "limit": limit,
        "months": [m.strftime("%Y-%m") for m in months],
        "sites": sites,
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def sites_json(capacity: Capacity) -> str:
    return _payload(
        capacity.as_of, capacity.limit, capacity.months, [load_record(s) for s in capacity.sites]
    )


def sites_csv(capacity: Capacity) -> str:
    fields = ["site", "name", "region", "in_flight", "month", "go_lives", "flagged", "projects"]
    rows = [
        {
            "site": s.site,
            "name": s.name,
            "region": s.region,
            "in_flight": len(s.in_flight),
            "month": m.month.strftime("%Y-%m"),
            "go_lives": m.count,
            "flagged": m.flagged,
            "projects": " ".join(g.project for g in m.go_lives),
        }
        for s in capacity.sites
        for m in s.months
    ]
    return csv_text(fields, rows)


# -- one site -------------------------------------------------------------------------------


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _barrier_age(b: Barrier) -> str:
    if b.since is None:
        return "open, since when unknown"
    said = "named in an update" if b.source == "update" else "row last updated"
    return f"open {b.days_open} days (since {b.since}, {said})"


def _leader(p: SiteProject) -> str:
    if p.leader is None:
        return "-"
    return f"{p.leader_name} ({p.leader})" if p.leader_name else p.leader


def _status(p: SiteProject) -> str:
    scope = "" if p.in_scope or p.status.value == "not-applicable" else " (excepted)"
    return f"{STATUS_SYMBOL[p.status][0]} {p.status.value}{scope}"


def _health(p: SiteProject) -> str:
    if not p.in_scope:
        return "-"
    return f"{HEALTH_SYMBOL[p.health][0]} {p.health.value}"


DETAIL_HEADS = ("project", "phase", "status", "health", "go-live planned", "actual", "leader")


def _detail_cells(p: SiteProject) -> list[object]:
    planned, actual = p.go_live_planned or "-", p.go_live_actual or "-"
    return [p.project, p.phase, _status(p), _health(p), planned, actual, _leader(p)]


def _facts(p: SiteProject) -> list[str]:
    facts = [f"ADKAR: {p.adkar.value}"] if p.adkar else []
    facts += [f"barrier, {_barrier_age(b)}: {b.text}" for b in p.barriers]
    for a in p.adaptations:
        approved = f"approved by {a.approved_by} on {a.date}" if a.approved_by else "not approved"
        facts.append(f"adaptation ({approved}): {' '.join(a.description.split())}")
    if p.note:
        facts.append(f"note: {' '.join(p.note.split())}")
    return [clean(f) for f in facts]


def _month_line(load: SiteLoad) -> str:
    busy = [
        f"{m.month:%Y-%m} {m.count}" + (f" {OVER} over the limit" if m.flagged else "")
        for m in load.months
        if m.count
    ]
    return ", ".join(busy) if busy else "none"


def _detail_head(detail: SiteDetail) -> list[str]:
    return [
        clean(
            f"{detail.site}: {detail.name} ({detail.region or 'no region'}, {detail.kind}) "
            f"as of {detail.as_of}"
        ),
        f"in flight: {', '.join(detail.load.in_flight) or 'none'}",
        f"go-lives by month (limit {detail.limit}): {_month_line(detail.load)}",
    ]


def site_text(detail: SiteDetail, width: int | None = None) -> str:
    """The site as text; at `width`, prose wraps between words and the project table,
    when too wide, becomes one block per project (`fitted_table`)."""
    lines = [*_detail_head(detail), ""]
    if not detail.projects:
        lines.append("no project approved by then includes this site")
    else:
        lines += fitted_table(DETAIL_HEADS, [_detail_cells(p) for p in detail.projects], width)
    for p in detail.projects:
        facts = _facts(p)
        if facts:
            lines += ["", f"{p.project}:", *(f"  {fact}" for fact in facts)]
    text = "\n".join(lines) + "\n"
    return text if width is None else fit(text, width)


def site_markdown(detail: SiteDetail) -> str:
    lines = [f"## {line}" if i == 0 else line for i, line in enumerate(_detail_head(detail))]
    lines = [lines[0], "", *(f"- {line}" for line in lines[1:]), ""]
    lines += md_table(DETAIL_HEADS, [_detail_cells(p) for p in detail.projects])
    for p in detail.projects:
        facts = _facts(p)
        if facts:
            lines += ["", f"**{p.project}**", "", *(f"- {f}" for f in facts)]
    return "\n".join(lines) + "\n"


def site_project_record(p: SiteProject) -> dict[str, Any]:
    return {
        "project": p.project,
        "title": p.title,
        "phase": p.phase,
        "active": p.active,
        "in_scope": p.in_scope,
        "status": p.status.value,
        "health": p.health.value,
        "go_live_planned": _day(p.go_live_planned),
        "go_live_actual": _day(p.go_live_actual),
        "leader": p.leader,
        "leader_name": p.leader_name,
        "adkar": p.adkar.value if p.adkar else None,
        "barriers": [
            {
                "text": b.text,
                "since": _day(b.since),
                "source": b.source or None,
                "days_open": b.days_open,
            }
            for b in p.barriers
        ],
        "adaptations": [
            {
                "description": a.description,
                "requested": _day(a.requested),
                "approved_by": a.approved_by,
                "date": _day(a.date),
            }
            for a in p.adaptations
        ],
        "updated": _day(p.updated),
        "note": p.note,
    }


def site_json(detail: SiteDetail) -> str:
    """The shape of `sites_json`, its one site carrying `kind` and its `projects`."""
    record = {
        **load_record(detail.load),
        "kind": detail.kind,
        "projects": [site_project_record(p) for p in detail.projects],
    }
    months = [m.month for m in detail.load.months]
    return _payload(detail.as_of, detail.limit, months, [record])


def site_csv(detail: SiteDetail) -> str:
    fields = [
        "project",
        "phase",
        "in_scope",
        "status",
        "health",
        "go_live_planned",
        "go_live_actual",
        "leader",
        "leader_name",
        "adkar",
        "barriers",
        "longest_barrier_days",
        "adaptations",
        "updated",
    ]
    rows = []
    for p in detail.projects:
        record = site_project_record(p)
        days = [b.days_open for b in p.barriers if b.days_open is not None]
        record |= {
            "barriers": "; ".join(b.text for b in p.barriers),
            "longest_barrier_days": max(days) if days else None,
            "adaptations": len(p.adaptations),
        }
        rows.append(record)
    return csv_text(fields, rows)


SITES_WRITERS: dict[str, Callable[[Capacity], str]] = {
    "text": lambda capacity: sites_text(capacity, text_width()),
    "json": sites_json,
    "csv": sites_csv,
    "markdown": sites_markdown,
}
SITE_WRITERS: dict[str, Callable[[SiteDetail], str]] = {
    "text": lambda detail: site_text(detail, text_width()),
    "json": site_json,
    "csv": site_csv,
    "markdown": site_markdown,
}
