"""What a gate asks of a project on a day, apart from its approval: duties done (by the
holders of their roles), roles held, the practice approved (leaving the first phase),
sites live or out of scope, adaptations of fixed principles decided. Pure rules."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

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
    project_workflow,
)
from diffuse.rules.scope import oversight, site_state
from diffuse.vocab import LIVE, SITE_PROGRESS

APPROVED_PRACTICE = frozenset({"approved", "diffusing", "diffused"})


class Gap(NamedTuple):
    """One unmet condition of a gate, grouped by the role that must act."""

    role: str  # "" for a site, which no one role answers for
    # duty, holder (done by someone not in its role), role, practice, approval, site,
    # adaptation, date (the day asked for is before a decision the move rests on)
    kind: str
    item: str
    text: str


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
    workflow = project_workflow(workflow, project)
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
    workflow = project_workflow(workflow, project)
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
    # Judged on a day, a live site counts from the day it went live, which must be known.
    return not (on and state.status in LIVE and (live is None or live > on))


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
    if SITE_PROGRESS.index(state.status) >= need and state.go_live_actual is None:
        return f"{state.status}, with no go_live_actual to say since when"
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
