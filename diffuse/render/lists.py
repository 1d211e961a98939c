"""Plain lists for the terminal and for tools: practice search hits and portfolio risks."""

from __future__ import annotations

import json
import textwrap
from datetime import date
from typing import Any

from diffuse.render import clean
from diffuse.render.plain import fit
from diffuse.reports.practices import Entry
from diffuse.reports.risks import RiskLine, by_category
from diffuse.vocab import output_schema_version


def search_text(entries: list[Entry], query: str, width: int = 80) -> str:
    """The hits, each line wrapped between words at `width`."""
    if not entries:
        return f"no practice matches {clean(query)!r}\n"
    lines = []
    for e in entries:
        p = e.practice
        lines.append(f"{clean(p.id)}  [{p.status.value}]  {clean(p.title)}")
        due = e.review_due.isoformat() if e.review_due else "-"
        lines.append(f"    owner {clean(e.owner or '-')} · {clean(e.body)} · review due {due}")
        if p.summary:
            lines += textwrap.wrap(
                clean(p.summary),
                width,
                initial_indent="    ",
                subsequent_indent="    ",
                break_long_words=False,
                break_on_hyphens=False,
            )
    lines.append(f"{len(entries)} practice(s) match")
    return fit("\n".join(lines), width)


def search_json(entries: list[Entry], query: str, statuses: tuple[str, ...]) -> str:
    records = [
        {
            "practice": e.practice.id,
            "title": e.practice.title,
            "status": e.practice.status.value,
            "summary": e.practice.summary,
            "owner": e.owner or None,
            "approving_body": e.body,
            "review_due": e.review_due.isoformat() if e.review_due else None,
        }
        for e in entries
    ]
    payload = {
        "schema_version": output_schema_version("search"),
        "query": query,
        "statuses": list(statuses),
        "practices": records,
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _risk_line(r: RiskLine) -> str:
    text = " ".join((r.description or r.mitigation or "-").split())
    return (
        f"{r.score:>3}  {r.rating}  {clean(r.project)} R{r.number}  "
        f"{r.category}  owner {clean(r.owner or '-')}: {clean(text)}"
    )


def risks_text(lines: list[RiskLine], grouped: bool, width: int = 80) -> str:
    """The risks, each line wrapped between words at `width`."""
    if not lines:
        return "no open risk in an active project\n"
    out: list[str] = []
    if grouped:
        for number, name, found in by_category(lines):
            out.append(f"{number if number < 8 else '-'}. {name}: {len(found)} open")
            out += [f"  {_risk_line(r)}" for r in found]
    else:
        out.append("score L×I  project risk  category  owner: description")
        out += [_risk_line(r) for r in lines]
    out.append(f"{len(lines)} open risk(s)")
    return fit("\n".join(out), width)


def risks_json(lines: list[RiskLine], as_of: date) -> str:
    records: list[dict[str, Any]] = [
        {**vars(r), "standard_risk": r.group[0] if r.group[0] < 8 else None} for r in lines
    ]
    payload = {
        "schema_version": output_schema_version("risks"),
        "as_of": as_of.isoformat(),
        "risks": records,
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
