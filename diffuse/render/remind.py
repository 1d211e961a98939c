"""`diffuse remind` for people (text), for tools (JSON) and for an issue or a chat (markdown)."""

from __future__ import annotations

import json
from typing import Any

from diffuse.escape import clean
from diffuse.reports.remind import Item, RemindReport
from diffuse.reports.remindplan import Step, issue_body, issue_title
from diffuse.vocab import OUTPUT_SCHEMA_VERSION


def remind_text(report: RemindReport) -> str:
    lines = [f"Reminders as of {report.as_of}"]
    if not report.people and not report.unassigned:
        lines.append("  nothing is due")
    for person in report.people:
        handle = f" @{person.github}" if person.github else ""
        lines += ["", clean(f"{person.name} ({person.person}){handle}: {len(person.items)}")]
        lines += [_text_line(item) for item in person.items]
    if report.unassigned:
        lines += ["", f"Nobody holds these ({len(report.unassigned)}): name an owner or leader"]
        lines += [_text_line(item) for item in report.unassigned]
    return "\n".join(lines) + "\n"


def _text_line(item: Item) -> str:
    late = f" [{item.days_overdue} days overdue]" if item.days_overdue else ""
    due = f" [due {item.due}]" if item.due and not item.days_overdue else ""
    return clean(f"  - {item.kind}: {item.text}{due}{late}\n      {item.command}")


def remind_markdown(report: RemindReport) -> str:
    parts = []
    for person in report.people:
        parts.append(f"## {issue_title(person)}\n\n{issue_body(person, report)}")
    if not parts:
        parts.append(f"Nothing is due as of {report.as_of}.\n")
    return "\n".join(parts)


def remind_json(report: RemindReport, steps: list[Step] | None) -> str:
    payload: dict[str, Any] = {
        "schema_version": OUTPUT_SCHEMA_VERSION,
        "as_of": report.as_of.isoformat(),
        "escalate_weeks": report.escalate_weeks,
        "people": [
            {
                "person": person.person,
                "name": person.name,
                "github": person.github,
                "items": [_item(item) for item in person.items],
            }
            for person in report.people
        ],
        "unassigned": [_item(item) for item in report.unassigned],
    }
    if steps is not None:
        payload["plan"] = [step.as_json() for step in steps]
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _item(item: Item) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "subject": item.subject,
        "site": item.site,
        "text": item.text,
        "command": item.command,
        "due": item.due.isoformat() if item.due else None,
        "days_overdue": item.days_overdue,
    }
