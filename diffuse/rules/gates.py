"""Phase gates: what must be true before a project may enter its next phase. Pure rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from diffuse.models import (
    Approval,
    Decision,
    DutyStatus,
    Organisation,
    Practice,
    Project,
    SiteState,
    SiteStatus,
    Workflow,
)
from diffuse.rules.scope import oversight, site_state
from diffuse.vocab import LIVE, SITE_PROGRESS

APPROVED_PRACTICE = frozenset({"approved", "diffusing", "diffused"})
# The kinds of gap that say what the project holds on a day; an approval counts only if
# none of them stood on the day it was given.
CONDITIONS = frozenset({"duty", "holder", "role", "practice", "site", "adaptation"})


@dataclass(frozen=True)
class Gap:
    """One unmet condition of a gate, grouped by the role that must act."""

    role: str  # "" for a site, which no one role answers for
    # duty, holder (done by someone not in its role), role, practice, approval, site,
    # adaptation, date (the day asked for is before a decision the move rests on)
    kind: str
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


def conditions(
    workflow: Workflow,
    org: Organisation,
    practice: Practice | None,
    project: Project,
    target: str,
    on: date | None,
    settled: bool = False,
) -> list[Gap]:
    """What the gate asks of the project itself on `on`, apart from its approval.
    `settled` judges a gate already passed: who holds each role now, and whether the
    duties were done by the holders of then, are left to the rules of passed gates."""
    gaps = _duty_gaps(workflow, project, target, on)
    gaps += _done_gaps(workflow, project, target, gaps, on)
    if not settled:
        gaps += holder_gaps(workflow, project, target)
        gaps += _role_gaps(workflow, project, target)
    gaps += practice_gaps(workflow, org, practice, project, target, on)
    gaps += site_gaps(workflow, org, practice, project, target, on)
    gaps += adaptation_gaps(workflow, practice, project, target, on)
    return gaps


def _done_by(record: object, on: date | None) -> bool:
    """Whether a duty's record counts as settled on `on`: done by then, or na."""
    status = getattr(record, "status", DutyStatus.OPEN)
    if status is DutyStatus.NOT_APPLICABLE:
        return True
    if status is not DutyStatus.DONE:
        return False
    done = getattr(record, "date", None)
    return on is None or done is None or done <= on


def _duty_gaps(workflow: Workflow, project: Project, target: str, on: date | None) -> list[Gap]:
    # A duty is due by a phase when the project cannot leave that phase without it.
    limit = workflow.index(target)
    gaps = []
    for duty in workflow.duties:
        if workflow.index(duty.due) >= limit:
            continue
        record = project.checklist.get(duty.id)
        if record is None or not _done_by(record, on):
            gaps.append(Gap(duty.role, "duty", duty.id, duty.text + _later(record, on)))
    return gaps


def _later(record: object, on: date | None) -> str:
    done = getattr(record, "date", None)
    if getattr(record, "status", None) is DutyStatus.DONE and on and done and done > on:
        return f" (done on {done}, after {on})"
    return ""


def _done_gaps(
    workflow: Workflow, project: Project, target: str, found: list[Gap], on: date | None
) -> list[Gap]:
    gate = workflow.gates.get(target)
    if gate is None:
        return []
    listed = {g.item for g in found if g.kind == "duty"}
    gaps = []
    for duty in workflow.duties:
        record = project.checklist.get(duty.id)
        if duty.id not in gate.done or duty.id in listed:
            continue
        if record is None or record.status is not DutyStatus.DONE or not _done_by(record, on):
            text = f"{duty.text} (must be done: marking it na is not enough)"
            gaps.append(Gap(duty.role, "duty", duty.id, text + _later(record, on)))
    return gaps


def holder_gaps(workflow: Workflow, project: Project, target: str | None) -> list[Gap]:
    """Duties this move settles (due by the phase left, or one skipped) marked done (or na)
    by someone who does not hold the duty's role: a duty is done by a holder, or recorded for
    one (`by` the holder, `recorded_by` the person who typed it). Duties of gates passed
    before were judged there, by the holders of then. `target` None: every duty not yet
    settled."""
    if project.phase not in workflow.phases:
        return []
    end = len(workflow.phases) if target is None else workflow.index(target)
    due = range(workflow.index(project.phase), end)
    gaps = []
    for duty in workflow.duties:
        record = project.checklist.get(duty.id)
        if record is None or record.status is DutyStatus.OPEN or record.by is None:
            continue
        if workflow.index(duty.due) not in due:
            continue
        holders = project.roles.get(duty.role, [])
        if record.by not in holders:
            text = (
                f"marked {record.status} by '{record.by}', who does not hold the role "
                f"'{workflow.role_name(duty.role)}' (held by {', '.join(holders) or 'nobody'})"
            )
            gaps.append(Gap(duty.role, "holder", duty.id, text))
    return gaps


def practice_gaps(
    workflow: Workflow,
    org: Organisation,
    practice: Practice | None,
    project: Project,
    target: str,
    on: date | None,
) -> list[Gap]:
    """Leaving the first phase needs the practice approved: its status, and an approval
    by a member of its approving body dated by `on`. Ticked readiness duties do not
    stand in for that decision."""
    if project.phase != workflow.phases[0] or target == workflow.phases[0]:
        return []
    if workflow.index(target) < workflow.index(project.phase):
        return []
    if practice is None:
        return [Gap("sponsor-oversight", "practice", project.practice, "the practice is not valid")]
    gaps = []
    if practice.status.value not in APPROVED_PRACTICE:
        gaps.append(
            Gap(
                "sponsor-oversight",
                "practice",
                practice.id,
                f"the practice is '{practice.status}', not approved: its approving body "
                f"approves it first ('diffuse practice {practice.id} --status approved' "
                f"and 'diffuse approve {practice.id}')",
            )
        )
    elif not practice_approval(org, practice, on):
        when = f" dated on or before {on}" if on else ""
        gaps.append(
            Gap(
                "sponsor-oversight",
                "practice",
                practice.id,
                f"the practice has no approval by a member of its approving body{when} "
                f"('diffuse approve {practice.id}')",
            )
        )
    return gaps


def practice_approval(org: Organisation, practice: Practice, on: date | None) -> Approval | None:
    """An approval of the practice by a member of the body it names (the practice's body
    when it was given, which may since have passed it to another), dated by `on`."""
    for approval in practice.approvals:
        body = org.body(approval.body)
        if (
            approval.gate is None
            and approval.decision is Decision.APPROVED
            and body is not None
            and approval.by in body.members
            and (on is None or approval.date <= on)
        ):
            return approval
    return None


def site_gaps(
    workflow: Workflow,
    org: Organisation,
    practice: Practice | None,
    project: Project,
    target: str,
    on: date | None = None,
) -> list[Gap]:
    """The sites that keep a project out of `target`: in scope and not yet as far as the
    gate asks (on `on`), not-applicable without a reason, or excepted by a non-member; and
    a gate on sites with no in-scope site that far, as an emptied scope is no diffusion."""
    gate = workflow.gates.get(target)
    if gate is None or gate.sites is None:
        return []
    need = SITE_PROGRESS.index(gate.sites)
    members = oversight(org, practice)
    gaps, reached = [], 0
    for site in org.sites:
        state = site_state(project, site.id)
        text = _site_shortfall(state, need, gate.sites, members, on)
        if text:
            gaps.append(Gap("", "site", site.id, text))
        elif _far_enough(state, need, on):
            reached += 1
    if not reached and not gaps:
        gaps.append(
            Gap(
                "",
                "site",
                "scope",
                f"no in-scope site is {gate.sites}: every site is not-applicable or "
                "excepted, so nothing was diffused",
            )
        )
    return gaps


def _far_enough(state: SiteState, need: int, on: date | None) -> bool:
    if state.status is SiteStatus.NOT_APPLICABLE or SITE_PROGRESS.index(state.status) < need:
        return False
    live = state.go_live_actual
    return not (on and state.status in LIVE and live and live > on)


def _site_shortfall(
    state: SiteState, need: int, wanted: str, members: frozenset[str], on: date | None
) -> str | None:
    if state.status is SiteStatus.NOT_APPLICABLE:
        return None if (state.reason or "").strip() else "not-applicable without a 'reason'"
    if _far_enough(state, need, on):
        return None
    exception = state.exception
    if exception is not None and state.status not in LIVE:
        if exception.approved_by not in members:
            return (
                f"{state.status}; its exception is approved by '{exception.approved_by}', "
                "who is not a member of the approving body"
            )
        if on is None or exception.date <= on:
            return None
        return f"{state.status}; its exception is dated {exception.date}, after {on}"
    if SITE_PROGRESS.index(state.status) >= need:
        return f"{state.status} from {state.go_live_actual}, not {wanted} on {on}"
    return f"{state.status}, not {wanted}"


def adaptation_gaps(
    workflow: Workflow, practice: Practice | None, project: Project, target: str, on: date | None
) -> list[Gap]:
    """At the gate on sites (close), every local adaptation that departs from a fixed
    principle is decided, approved or refused, by the practice's owner."""
    gate = workflow.gates.get(target)
    if gate is None or gate.sites is None:
        return []
    owner = practice.owner if practice else None
    gaps = []
    for site_id, state in project.sites.items():
        for number, adaptation in enumerate(state.adaptations, 1):
            if not adaptation.principle:
                continue
            item = f"{site_id} #{number}"
            decider = adaptation.decided_by
            decided = adaptation.date
            if decider is None or (on and decided and decided > on):
                text = (
                    f"'{adaptation.description}' departs from the fixed principle "
                    f"'{adaptation.principle}' and is not decided; the practice owner "
                    f"({owner or 'none named'}) approves or refuses it"
                )
                gaps.append(Gap("practice-owner", "adaptation", item, text))
            elif decider != owner:
                text = (
                    f"'{adaptation.description}' departs from a fixed principle and was "
                    f"decided by '{decider}', not the practice owner ({owner or 'none named'})"
                )
                gaps.append(Gap("practice-owner", "adaptation", item, text))
    return gaps


def _role_gaps(workflow: Workflow, project: Project, target: str) -> list[Gap]:
    gate = workflow.gates.get(target)
    if gate is None:
        return []
    return [
        Gap(role, "role", role, f"assign someone to the role '{workflow.role_name(role)}'")
        for role in gate.roles
        if not project.roles.get(role)
    ]


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
