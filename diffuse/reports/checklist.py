"""A project's checklist by role: each duty done, n/a, open, or overdue.

A duty is overdue when it is still open although the project has already entered a phase
after the one it was due by (a gate passed with `--to`, or a duty added later).
"""

from __future__ import annotations

from dataclasses import dataclass

from diffuse.models import Project, Workflow, project_workflow
from diffuse.vocab import DutyStatus


@dataclass(frozen=True)
class DutyLine:
    id: str
    text: str
    due: str
    state: str  # done, n/a, open or overdue
    note: str  # the date done or the reason it does not apply


@dataclass(frozen=True)
class RoleLines:
    id: str
    name: str
    people: tuple[str, ...]
    duties: tuple[DutyLine, ...]

    def count(self, state: str) -> int:
        return sum(d.state == state for d in self.duties)


def checklist(project: Project, workflow: Workflow) -> list[RoleLines]:
    workflow = project_workflow(workflow, project)
    current = workflow.index(project.phase) if project.phase in workflow.phases else 0
    roles = []
    for role in workflow.roles:
        lines = []
        for duty in (d for d in workflow.duties if d.role == role.id):
            record = project.checklist.get(duty.id)
            status = record.status if record else DutyStatus.OPEN
            if status is DutyStatus.DONE:
                state, note = "done", str(record.date if record else "")
            elif status is DutyStatus.NOT_APPLICABLE:
                state, note = "n/a", (record.reason or "") if record else ""
            else:
                late = duty.due in workflow.phases and workflow.index(duty.due) < current
                state, note = ("overdue" if late else "open"), ""
            lines.append(DutyLine(duty.id, duty.text, duty.due, state, note))
        people = tuple(project.roles.get(role.id, []))
        roles.append(RoleLines(role.id, role.name, people, tuple(lines)))
    return roles
