"""Everything the user reads: the grid, problem lists, gate reports, practice and project views.

Rich is imported only in this package, and only by the views that draw with it
(`render.terminal` and the views built on it); the plain-text views here load none of it,
so `validate` and `check` start fast. Text from YAML files is always passed as
`rich.text.Text` (never parsed as markup) after control characters are made visible
(`escape.clean`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from diffuse.errors import Problem
from diffuse.escape import clean as clean  # re-exported: every view escapes with it
from diffuse.render.csvtext import csv_text
from diffuse.vocab import Health, SiteStatus, output_schema_version

if TYPE_CHECKING:
    from diffuse.models import Workflow
    from diffuse.reports.status.grid import Cell, Grid, Row
    from diffuse.rules.gates import GateReport

STATUS_SYMBOL = {
    SiteStatus.NOT_STARTED: ("·", "dim"),
    SiteStatus.PLANNING: ("◔", "cyan"),
    SiteStatus.IMPLEMENTING: ("◑", "blue"),
    SiteStatus.LIVE: ("●", "green"),
    SiteStatus.SUSTAINED: ("★", "bold green"),
    SiteStatus.NOT_APPLICABLE: ("–", "dim"),
}
HEALTH_SYMBOL = {
    Health.ON_TRACK: ("✓", "green"),
    Health.AT_RISK: ("!", "yellow"),
    Health.OFF_TRACK: ("✗", "bold red"),
}


def colour_off() -> bool:
    """NO_COLOR turns colour off when it is set and not empty (no-color.org)."""
    return bool(os.environ.get("NO_COLOR"))


def colour_forced() -> bool:
    """Colour even when piped: FORCE_COLOR set and not empty, or CLICOLOR_FORCE not 0."""
    force = os.environ.get("CLICOLOR_FORCE", "")
    return bool(os.environ.get("FORCE_COLOR")) or (force != "" and force != "0")


# -- problems ---------------------------------------------------------------------------


def problems_text(problems: Iterable[Problem]) -> str:
    return "\n".join(clean(p) for p in problems)


def problems_summary(problems: list[Problem], files: int) -> str:
    if not problems:
        return f"ok: {files} file(s) valid"
    broken = len({p.location.path for p in problems})
    return f"{len(problems)} problem(s) in {broken} of {files} file(s)"


# -- the grid ---------------------------------------------------------------------------


def cell_label(cell: Cell, grouped: bool) -> str:
    health = HEALTH_SYMBOL[cell.health][0]
    if cell.in_scope == 0:
        return STATUS_SYMBOL[SiteStatus.NOT_APPLICABLE][0]
    if grouped:
        return f"{cell.live}/{cell.in_scope}{health}"
    return f"{STATUS_SYMBOL[cell.status][0]}{health}"


def health_label(health: Health) -> str:
    return f"{HEALTH_SYMBOL[health][0]} {health.value}"


def days_label(row: Row) -> str:
    if row.days is None or row.target is None or row.approved is None:
        return "-"
    return f"{row.days}/{(row.target - row.approved).days}"


def forecast_label(row: Row) -> str:
    return row.forecast.label if row.forecast else "n/a"


def legend(grouped: bool, width: int | None = None) -> str:
    """The key to the grid's symbols; with `width`, its lists wrap between entries, so a
    symbol never ends a line apart from its word."""
    # A site excepted by diffusion oversight is out of scope too: shown alike, counted by neither.
    statuses = [
        f"{sym} {status.value}" + (" or excepted" if status is SiteStatus.NOT_APPLICABLE else "")
        for status, (sym, _) in STATUS_SYMBOL.items()
    ]
    health = [f"{sym} {h.value}" for h, (sym, _) in HEALTH_SYMBOL.items()]
    cells = "cells: live/in-scope sites and worst health" if grouped else None
    lines = [cells] if cells else _entries("sites: ", statuses, width)
    lines += _entries("health: ", health, width)
    return "\n".join(
        [
            *lines,
            "Days: since approval / to the target date",
            "Forecast: when every site is live at the pace of go-lives so far (n/a: too few)",
        ]
    )


def _entries(head: str, entries: list[str], width: int | None) -> list[str]:
    lines, current = [], head + entries[0]
    for entry in entries[1:]:
        if width is not None and len(current) + 2 + len(entry) > width:
            lines.append(current)
            current = " " * len(head) + entry
        else:
            current += "  " + entry
    return [*lines, current]


def grid_json(grid: Grid) -> str:
    from diffuse.reports.status.jsonform import grid_data  # only the JSON grid needs it

    payload = {"schema_version": output_schema_version("status"), **grid_data(grid)}
    return json.dumps(payload, indent=2, ensure_ascii=False)


def grid_csv(grid: Grid) -> str:
    """One line per cell: the project's columns (`reports.status.row`) with the cell's."""
    from diffuse.reports.status.row import csv_columns, csv_project

    fields = csv_columns()
    rows = []
    for row in grid.rows:
        project = csv_project(row)
        for col, cell in zip(grid.columns, row.cells, strict=True):
            line = {
                **project,
                "column": col.id,
                "status": cell.status.value,
                "health": cell.health.value,
                "live": cell.live,
                "in_scope": cell.in_scope,
            }
            rows.append([line[name] for name in fields])
    return csv_text(fields, rows)


def _md(text: object) -> str:
    return clean(text).replace("|", "\\|").replace("\n", " ")


# How `status --format markdown` shows a field other than as plain text.
_MARKDOWN_LOOK: dict[str, Callable[[Row], str]] = {
    "live": lambda row: f"{row.live}/{row.in_scope}",
    "days": days_label,
    "forecast": forecast_label,
    "health": lambda row: health_label(row.health),
}


def grid_markdown(grid: Grid) -> str:
    from diffuse.reports.status.row import markdown_fields

    grouped = grid.grouped_by is not None
    shown = markdown_fields()
    head = [*(f.markdown.name for f in shown if f.markdown), *(_md(c.label) for c in grid.columns)]
    lines = [
        f"Status tracker as of {grid.as_of.isoformat()}",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for row in grid.rows:
        cells = [
            look(row) if (look := _MARKDOWN_LOOK.get(f.attr)) else _md(f.write(row)) for f in shown
        ]
        cells += [cell_label(c, grouped) for c in row.cells]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", *legend(grouped).splitlines()]
    return "\n".join(lines) + "\n"


# -- gate reports -----------------------------------------------------------------------


SITES_HEADING = "Sites: live, not-applicable with a reason, or excepted by diffusion oversight"


def gate_text(report: GateReport, workflow: Workflow) -> str:
    head = f"{report.project}: {report.current} -> {report.target}"
    if report.passed:
        return f"{head}: gate met"
    lines = [f"{head}: gate NOT met, {len(report.gaps)} item(s) missing"]
    for role, gaps in report.by_role().items():
        heading = workflow.role_name(role) if role else SITES_HEADING
        lines.append(f"  {clean(heading)}:")
        lines += [f"    ✗ [{gap.kind}] {clean(gap.item)}: {clean(gap.text)}" for gap in gaps]
    return "\n".join(lines)


def groupings(group: str, output: str) -> tuple[str | None, ...]:
    """The grids `grid_output` needs for a `--group` choice: with 'auto', text needs the
    grid by region to fall back on when one column per site would not fit."""
    if group == "auto" and output == "text":
        return (None, "region")
    return (None if group in ("auto", "site") else group,)


def advance_text(outcome: Any) -> str:
    lines = [gate_text(outcome.report, outcome.workflow)]
    if outcome.report.passed and outcome.dry_run:
        lines.append("dry run: nothing was changed")
    elif outcome.path is not None:
        lines.append(f"recorded in {clean(outcome.path)}")
        if outcome.practice is not None:
            practice, old, new = outcome.practice
            lines.append(f"practice {clean(practice)}: {old} -> {new}")
    if outcome.commit:
        lines.append(f"committed {outcome.commit}")
    return "\n".join(lines)
