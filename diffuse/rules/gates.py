"""Phase gates: what must be true before a project may enter its next phase. Pure rules."""

from __future__ import annotations

from dataclasses import dataclass, field

from diffuse.models import (
    Decision,
    DutyStatus,
    Organisation,
    Practice,
    Project,
    SiteState,
    SiteStatus,
    Workflow,
)
from diffuse.rules.scope import excepted, oversight, site_state
from diffuse.vocab import SITE_PROGRESS


@dataclass(frozen=True)
class Gap:
    """One unmet condition of a gate, grouped by the role that must act."""

    role: str  # "" for a site, which no one role answers for
    kind: str  # "duty", "role", "approval" or "site"
    item: str
    text: str


@dataclass
class GateReport:
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
    workflow: Workflow, org: Organisation, practice: Practice | None, project: Project, target: str
) -> GateReport:
    """Every gap between `project` and entry into `target`, in checklist order."""
    report = GateReport(project.id, project.phase, target)
    report.gaps += _duty_gaps(workflow, project, target)
    report.gaps += _done_gaps(workflow, project, target, report.gaps)
    report.gaps += _role_gaps(workflow, project, target)
    report.gaps += _approval_gaps(workflow, org, practice, project, target)
    report.gaps += site_gaps(workflow, org, practice, project, target)
    return report


def _duty_gaps(workflow: Workflow, project: Project, target: str) -> list[Gap]:
    # A duty is due by a phase when the project cannot leave that phase without it.
    limit = workflow.index(target)
    gaps = []
    for duty in workflow.duties:
        if workflow.index(duty.due) >= limit:
            continue
        record = project.checklist.get(duty.id)
        if record is None or record.status is DutyStatus.OPEN:
            gaps.append(Gap(duty.role, "duty", duty.id, duty.text))
    return gaps


def _done_gaps(workflow: Workflow, project: Project, target: str, found: list[Gap]) -> list[Gap]:
    gate = workflow.gates.get(target)
    if gate is None:
        return []
    listed = {g.item for g in found if g.kind == "duty"}
    gaps = []
    for duty in workflow.duties:
        record = project.checklist.get(duty.id)
        if duty.id not in gate.done or duty.id in listed:
            continue
        if record is None or record.status is not DutyStatus.DONE:
            text = f"{duty.text} (must be done: marking it na is not enough)"
            gaps.append(Gap(duty.role, "duty", duty.id, text))
    return gaps


def site_gaps(
    workflow: Workflow, org: Organisation, practice: Practice | None, project: Project, target: str
) -> list[Gap]:
    """The sites that keep a project out of `target`: in scope and not yet as far as the
    gate asks, not-applicable without a reason, or excepted by a non-member."""
    gate = workflow.gates.get(target)
    if gate is None or gate.sites is None:
        return []
    need = SITE_PROGRESS.index(gate.sites)
    members = oversight(org, practice)
    gaps = []
    for site in org.sites:
        state = site_state(project, site.id)
        text = _site_shortfall(state, need, gate.sites, members)
        if text:
            gaps.append(Gap("", "site", site.id, text))
    return gaps


def _site_shortfall(
    state: SiteState, need: int, wanted: str, members: frozenset[str]
) -> str | None:
    if state.status is SiteStatus.NOT_APPLICABLE:
        return None if (state.reason or "").strip() else "not-applicable without a 'reason'"
    if SITE_PROGRESS.index(state.status) >= need or excepted(state, members):
        return None
    if state.exception is None:
        return f"{state.status}, not {wanted}"
    return (
        f"{state.status}; its exception is approved by '{state.exception.approved_by}', who "
        "is not a member of the approving body"
    )


def _role_gaps(workflow: Workflow, project: Project, target: str) -> list[Gap]:
    gate = workflow.gates.get(target)
    if gate is None:
        return []
    return [
        Gap(role, "role", role, f"assign someone to the role '{workflow.role_name(role)}'")
        for role in gate.roles
        if not project.roles.get(role)
    ]


def _approval_gaps(
    workflow: Workflow, org: Organisation, practice: Practice | None, project: Project, target: str
) -> list[Gap]:
    gate = workflow.gates.get(target)
    if gate is None or not gate.approval:
        return []
    body = org.body(practice.approving_body) if practice else None
    members = oversight(org, practice)
    approved = any(
        a.gate == target and a.decision is Decision.APPROVED and a.by in members
        for a in project.approvals
    )
    if approved:
        return []
    who = body.name if body else "the practice's approving body"
    return [
        Gap(
            "sponsor-oversight",
            "approval",
            target,
            f"record an approval to enter '{target}' by a member of {who}",
        )
    ]
