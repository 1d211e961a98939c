"""Phase gates: what must be true before a project may enter its next phase, and which
decisions open it, each judged on its day. Pure rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from diffuse.models import (
    Approval,
    Decision,
    Organisation,
    Practice,
    Project,
    Workflow,
    project_workflow,
)
from diffuse.rules.conditions import (
    Gap,
    conditions,
    holder_gaps,
    practice_approval,
    site_gaps,
)
from diffuse.rules.scope import oversight
from diffuse.vocab import LIVE

__all__ = [
    "Gap",
    "GateError",
    "GateReport",
    "approvable",
    "conditions",
    "entered",
    "evaluate",
    "gate_approval",
    "gate_substance",
    "holder_gaps",
    "practice_approval",
    "site_gaps",
    "target_phase",
]


@dataclass
class GateReport:
    """What stands between a project and its next phase: every unmet condition of the gate."""

    project: str
    current: str
    target: str
    gaps: list[Gap] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.gaps

    def by_role(self) -> dict[str, list[Gap]]:
        grouped: dict[str, list[Gap]] = {}
        for gap in self.gaps:
            grouped.setdefault(gap.role, []).append(gap)
        return grouped


class GateError(ValueError):
    """The requested move is not a transition the workflow allows."""


def target_phase(workflow: Workflow, project: Project, requested: str | None) -> str:
    allowed = workflow.successors(project.phase)
    if requested is None:
        if not allowed:
            raise GateError(f"'{project.id}' is in its last phase ('{project.phase}')")
        return allowed[0]
    if requested not in workflow.phases:
        raise GateError(f"no phase '{requested}'; phases are: {', '.join(workflow.phases)}")
    if requested not in allowed:
        nxt = ", ".join(allowed) or "none"
        raise GateError(
            f"'{project.id}' cannot move from '{project.phase}' to '{requested}'; "
            f"allowed next: {nxt}"
        )
    return requested


def evaluate(
    workflow: Workflow,
    org: Organisation,
    practice: Practice | None,
    project: Project,
    target: str,
    on: date | None = None,
) -> GateReport:
    """Every gap between `project` and entry into `target` on the day `on` (None: as the
    files stand, whatever the dates), in checklist order.

    On a day, a duty counts as done, a site as live or excepted, an adaptation as decided
    only from the date recorded for it; an approval counts only if it is dated on or
    before that day, after the project entered the phase it leaves, and the gate's
    conditions were met on its own date."""
    report = GateReport(project.id, project.phase, target)
    report.gaps += conditions(workflow, org, practice, project, target, on)
    report.gaps += _approval_gaps(workflow, org, practice, project, target, on)
    report.gaps += _date_gaps(project, on)
    order = ["duty", "holder", "role", "practice", "approval", "date", "adaptation", "site"]
    report.gaps.sort(key=lambda g: order.index(g.kind))
    return report


def entered(project: Project) -> date | None:
    """The day the project entered its phase, from its history; None for the first phase
    never re-entered."""
    days = [step.date for step in project.history if step.to == project.phase]
    return days[-1] if days else None


def gate_approval(
    workflow: Workflow,
    org: Organisation,
    practice: Practice | None,
    project: Project,
    target: str,
    on: date | None,
    since: date | None,
    settled: bool = False,
) -> tuple[Approval | None, str]:
    """The approval that opens `target`, and else why none does: one to enter it, by a
    member of the body it names, dated between `since` (the day the project entered the
    phase it leaves) and `on`, given on a day the gate's conditions were met."""
    members = oversight(org, practice)
    why = ""
    for approval in project.approvals:
        if approval.gate != target or approval.decision is not Decision.APPROVED:
            continue
        body = org.body(approval.body)
        if approval.by not in (body.members if body else members):
            continue
        if on is not None and approval.date > on:
            why = f"the approval by '{approval.by}' is dated {approval.date}, after {on}"
            continue
        if since is not None and approval.date < since:
            why = (
                f"the approval by '{approval.by}' is dated {approval.date}, before the "
                f"project entered '{project.phase}' on {since}"
            )
            continue
        unmet = conditions(workflow, org, practice, project, target, approval.date, settled)
        if unmet:
            first = unmet[0]
            why = (
                f"the approval by '{approval.by}' on {approval.date} counts for nothing: "
                f"the gate was not met that day ({first.item}: {first.text})"
            )
            continue
        return approval, ""
    return None, why


def _approval_gaps(
    workflow: Workflow,
    org: Organisation,
    practice: Practice | None,
    project: Project,
    target: str,
    on: date | None,
) -> list[Gap]:
    gate = workflow.gates.get(target)
    if gate is None or not gate.approval:
        return []
    found, why = gate_approval(workflow, org, practice, project, target, on, entered(project))
    if found is not None:
        return []
    body = org.body(practice.approving_body) if practice else None
    who = body.name if body else "the practice's approving body"
    text = f"record an approval to enter '{target}' by a member of {who}"
    text += f"; {why}" if why else ""
    return [Gap("sponsor-oversight", "approval", target, text)]


def _date_gaps(project: Project, on: date | None) -> list[Gap]:
    if on is None:
        return []
    gaps = []
    if project.approved is not None and on < project.approved:
        text = f"{on} is before the project was approved ({project.approved})"
        gaps.append(Gap("diffusion-manager", "date", "approved", text))
    if project.history and on < project.history[-1].date:
        last = project.history[-1]
        move = f"{last.from_phase} -> {last.to} on {last.date}"
        text = f"{on} is before the project's last move ({move})"
        gaps.append(Gap("diffusion-manager", "date", "history", text))
    return gaps


def approvable(
    workflow: Workflow,
    org: Organisation,
    practice: Practice | None,
    project: Project,
    target: str,
    on: date,
) -> list[Gap]:
    """Why an approval to enter `target` dated `on` would count for nothing: the gate's
    conditions unmet that day, or a day outside the time the project stood before it
    (before it entered the phase it leaves; after it entered `target`)."""
    steps = [i for i, step in enumerate(project.history) if step.to == target]
    passed = bool(steps) and workflow.index(project.phase) >= workflow.index(target)
    before = project
    gaps = []
    if passed:
        step = project.history[steps[-1]]
        before = project.model_copy(
            update={"phase": step.from_phase, "history": project.history[: steps[-1]]}
        )
        if on > step.date:
            text = f"the project entered '{target}' on {step.date}, before {on}"
            gaps.append(Gap("", "date", target, text))
    since = entered(before)
    if since is not None and on < since:
        text = f"the project entered '{before.phase}' on {since}, after {on}"
        gaps.append(Gap("", "date", before.phase, text))
    return gaps + conditions(workflow, org, practice, before, target, on, settled=passed)


def gate_substance(workflow: Workflow, project: Project, target: str) -> dict[str, Any]:
    """What the gate into `target` judges, as data: an approval of that gate covers these
    as they were when it was given, and a change to any of them needs it given again."""
    workflow = project_workflow(workflow, project)
    gate = workflow.gates.get(target)
    limit = workflow.index(target) if target in workflow.phases else 0
    named = set(gate.done) if gate else set()
    due = {d.id for d in workflow.duties if workflow.index(d.due) < limit} | named
    data: dict[str, Any] = {
        "checklist": {
            k: v.model_dump(mode="json") for k, v in sorted(project.checklist.items()) if k in due
        },
        "roles": {r: project.roles.get(r, []) for r in (gate.roles if gate else [])},
    }
    if gate is not None and gate.sites is not None:
        data["sites"] = {
            site: (
                "live" if state.status in LIVE else state.status.value,
                state.reason,
                state.exception.model_dump(mode="json") if state.exception else None,
                str(state.go_live_actual),
                [a.model_dump(mode="json") for a in state.adaptations],
            )
            for site, state in sorted(project.sites.items())
        }
    return data
