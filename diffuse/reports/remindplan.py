"""One open reminder issue per person: its markdown body, and the plan that brings the open
issues in line with `remind` (open, update in place, close, or keep as it is).

Each body starts with a hidden marker naming the person, so the issue is found again
whatever its title became; running the plan twice on the same tracker changes nothing the
second time.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diffuse.errors import DiffuseError
from diffuse.reports.remind import Item, PersonItems, RemindReport

LABEL = "diffuse-reminder"
_MARKER = re.compile(r"<!-- diffuse-remind person=([a-z0-9-]+) -->")
_MARKDOWN = re.compile(r"([\\`*_\[\]#|<>~])")
_HEADINGS = {
    "review": "Practice reviews",
    "stale-site": "Site rows to update",
    "duty": "Checklist duties",
    "barrier": "Barriers escalated to oversight",
    "approval": "Approvals awaited",
}


@dataclass(frozen=True)
class Step:
    action: str  # open, update, close or keep
    person: str | None
    number: int | None
    title: str
    body: str
    assignee: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "person": self.person,
            "number": self.number,
            "title": self.title,
            "body": self.body,
            "assignee": self.assignee,
        }


def plain(text: str) -> str:
    """Text from a tracker file, shown as itself in markdown: no markup, no @-mention."""
    return _MARKDOWN.sub(r"\\\1", text).replace("@", "@\u200b")


def issue_title(person: PersonItems) -> str:
    return f"Reminders for {person.name}"


def issue_body(person: PersonItems, report: RemindReport) -> str:
    lines = [
        f"<!-- diffuse-remind person={person.person} -->",
        f"What the diffusion tracker holds for {plain(person.name)}"
        + (f" (@{person.github})" if person.github else "")
        + f", as of {report.as_of}. This issue is updated every week and closed when "
        "nothing is left.",
    ]
    for kind, heading in _HEADINGS.items():
        items = [item for item in person.items if item.kind == kind]
        if items:
            lines += ["", f"### {heading}", ""]
            lines += [f"- [ ] {_line(item)}" for item in items]
    return "\n".join(lines) + "\n"


def _line(item: Item) -> str:
    late = f" **{item.days_overdue} days overdue**" if item.days_overdue else ""
    due = f" (due {item.due})" if item.due and not item.days_overdue else ""
    return f"{plain(item.text)}{due}{late}: `{item.command}`"


def read_open_issues(path: Path) -> list[dict[str, Any]]:
    """The open issues as `gh issue list --json number,title,body` writes them."""
    where = f"--open-issues {path}"
    try:
        if path.stat().st_size > 50_000_000:
            raise DiffuseError(f"{where}: larger than 50 MB; not a list of open issues")
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DiffuseError(f"{where}: cannot read it: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise DiffuseError(f"{where}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise DiffuseError(f"{path}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from None
    if not isinstance(data, list):
        raise DiffuseError(
            f"{where}: expected a JSON list of issues, as 'gh issue list "
            "--json number,title,body' writes it"
        )
    problems = []
    for index, issue in enumerate(data):
        number = issue.get("number") if isinstance(issue, dict) else None
        if not isinstance(number, int) or isinstance(number, bool):
            problems.append(f"  [{index}]: expected an object with a whole 'number'")
        elif not all(isinstance(issue.get(key, ""), str) for key in ("title", "body")):
            problems.append(f"  [{index}]: expected 'title' and 'body' to be text")
    if problems:
        raise DiffuseError(f"{where}: not a list of issues:\n" + "\n".join(problems))
    return data


def plan(report: RemindReport, open_issues: list[dict[str, Any]]) -> list[Step]:
    """What to do so each person with items has one open issue holding them, and nobody
    else has one."""
    owned: dict[str, list[dict[str, Any]]] = {}
    steps: list[Step] = []
    for issue in sorted(open_issues, key=lambda i: int(i["number"])):
        found = _MARKER.search(str(issue.get("body") or ""))
        if found:
            owned.setdefault(found.group(1), []).append(issue)
    people = {person.person: person for person in report.people}
    for person in report.people:
        title, body = issue_title(person), issue_body(person, report)
        mine = owned.get(person.person, [])
        if not mine:
            steps.append(Step("open", person.person, None, title, body, person.github))
            continue
        first = mine[0]
        same = first.get("body") == body and first.get("title") == title
        action = "keep" if same else "update"
        steps.append(Step(action, person.person, int(first["number"]), title, body, person.github))
    for person_id, issues in owned.items():
        extra = issues if person_id not in people else issues[1:]
        for issue in extra:
            title = str(issue.get("title") or "")
            steps.append(Step("close", person_id, int(issue["number"]), title, "", None))
    return steps
