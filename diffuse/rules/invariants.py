"""Rules every tracker must keep at any moment, whatever its history in git.

- an approved practice (approved, diffusing, diffused) meets its readiness criteria;
- a practice's status agrees with its projects (`rules.following`);
- a project's phase is where its transition history leads, one declared step at a time;
- a project left its first phase only with its practice approved by then;
- a project holds, for every gate it has passed that asks for one, an approval dated by
  the move and given on a day the gate was met (duties done, sites live, adaptations
  decided by then), and still meets the site and done-duty conditions of every gate it
  has passed (a closed project has an in-scope site live, and every one live or excepted;
  a sustaining one has handed measurement over);
- the roles a passed gate required are still held, and a duty not yet settled by a gate
  is done by a holder of its role.

Who changed what, and whether they could, needs a base to compare with: `pr.check`.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from diffuse.errors import Problem
from diffuse.files.loading import Document
from diffuse.models import DutyStatus, Organisation, Practice, Project, Workflow
from diffuse.rules import gates
from diffuse.rules import lifecycle as lc
from diffuse.rules.following import FOLLOWING, Phased, allowed_statuses
from diffuse.rules.gates import site_gaps
from diffuse.rules.tracker.model import Tracker


def check_invariants(catalog: Tracker) -> list[Problem]:
    org = catalog.organisation
    if org is None:
        return []
    workflow = catalog.workflow
    found: list[Problem] = []
    # Each project's phase, known without building its model (see `Tracker.phase_of`).
    by_practice: dict[str, list[Phased]] = {}
    for project_id in catalog.projects:
        phased = _Phased(project_id, catalog.phase_of[project_id])
        by_practice.setdefault(catalog.practice_of[project_id], []).append(phased)
    for practice in catalog.practices.values():
        doc = catalog.document("practice", practice.id)
        projects = by_practice.get(practice.id, [])
        found += _practice(
            workflow, practice, projects, doc, catalog.projects_complete(practice.id)
        )
    for project_id in catalog.projects:
        if project_id not in catalog.checked:  # else found with its cross-file problems
            found += project_invariants(catalog, catalog.projects[project_id])
    return found


class _Phased(NamedTuple):
    id: str
    phase: str


def project_invariants(catalog: Tracker, project: Project) -> list[Problem]:
    """The rules one project keeps at any moment: its history, and the gates it passed."""
    org = catalog.organisation
    if org is None:
        return []
    doc = catalog.document("project", project.id)
    found = _history(catalog.workflow, project, doc)
    owner = catalog.practices.get(project.practice)
    if owner is not None:
        found += _passed_gates(catalog.workflow, org, owner, project, doc)
    return found


def _at(doc: Document, gap: lc.Gap) -> Problem:
    return Problem(doc.locate(gap.loc), gap.rule, gap.message, fix=gap.fix)


def _practice(
    workflow: Workflow, practice: Practice, projects: list[Phased], doc: Document, complete: bool
) -> list[Problem]:
    """Its readiness, and, when all its projects were read (`complete`), whether its status
    follows their phases."""
    found = []
    if practice.status in lc.APPROVED_STATES:
        present = set(doc.data) if isinstance(doc.data, dict) else set()
        found += [_at(doc, gap) for gap in lc.readiness_gaps(practice, present)]
    allowed = allowed_statuses(workflow, projects)
    if practice.status in FOLLOWING and complete and practice.status not in allowed:
        phases = ", ".join(f"{p.id} in '{p.phase}'" for p in sorted(projects, key=lambda p: p.id))
        want = " or ".join(sorted(allowed))
        message = f"status is '{practice.status}' but its projects ({phases}) make it {want}"
        fix = f"set status: {want}; 'diffuse advance' keeps it in step from then on"
        found.append(_at(doc, lc.Gap(("status",), "practice-status", message, fix)))
    return found


def _history(workflow: Workflow, project: Project, doc: Document) -> list[Problem]:
    phases = workflow.phases
    current, found = phases[0], list[Problem]()
    for index, step in enumerate(project.history):
        if step.from_phase not in phases or step.to not in phases:
            return found  # an unknown phase is reported with the references
        gap = _step_gap(workflow, index, current, step.from_phase, step.to, step.reason)
        if gap is not None:
            found.append(_at(doc, gap))
        current = step.to
    if not project.history and project.phase in phases and project.phase != phases[0]:
        message = f"phase is '{project.phase}' but the history records no move from '{phases[0]}'"
        fix = f"record each move in turn with 'diffuse advance {project.id}'"
        found.append(_at(doc, lc.Gap(("phase",), "phase-history", message, fix)))
    return found


def _step_gap(
    workflow: Workflow, index: int, current: str, frm: str, to: str, reason: str | None
) -> lc.Gap | None:
    loc: lc.Loc = ("history", index)
    if frm != current:
        return lc.Gap(
            (*loc, "from"),
            "phase-history",
            f"history entry moves from '{frm}', but the phase was then '{current}'",
            "record each move in order with 'diffuse advance'",
        )
    if workflow.index(to) < workflow.index(frm):
        if reason:
            return None
        return lc.Gap(
            loc,
            "phase-backward",
            f"phase moves back from '{frm}' to '{to}' without a reason",
            "give the history entry a 'reason' (diffuse advance --to PHASE --reason)",
        )
    if to not in workflow.successors(frm):
        allowed = ", ".join(workflow.successors(frm)) or "none"
        return lc.Gap(
            loc,
            "phase-transition",
            f"phase moves from '{frm}' to '{to}', which the workflow does not allow "
            f"(allowed next: {allowed})",
            "move one phase at a time with 'diffuse advance'",
        )
    return None


def _passed_gates(
    workflow: Workflow, org: Organisation, practice: Practice, project: Project, doc: Document
) -> list[Problem]:
    """Each forward move in the history rests on a practice approved by then (leaving the
    first phase) and on an approval dated by the move, given on a day its gate was met."""
    body = org.body(practice.approving_body)
    who = f"a member of {body.name}" if body else "a member of its approving body"
    phases, found = workflow.phases, list[Problem]()
    for index, step in enumerate(project.history):
        if step.from_phase not in phases or step.to not in phases:
            continue
        if workflow.index(step.to) <= workflow.index(step.from_phase):
            continue
        before = project.model_copy(
            update={"phase": step.from_phase, "history": project.history[:index]}
        )
        if step.from_phase == phases[0]:
            found += _practice_then(org, practice, project, step.date, who, doc)
        gate = workflow.gates.get(step.to)
        if gate is None or not gate.approval:
            continue
        since = gates.entered(before)
        approval, why = gates.gate_approval(
            workflow, org, practice, before, step.to, step.date, since, settled=True
        )
        if approval is None:
            message = f"entered '{step.to}' on {step.date} with no approval to enter it by {who}"
            message += f" that counts: {why}" if why else ""
            fix = (
                f"a member runs 'diffuse approve {project.id} --gate {step.to} --date DAY' "
                f"for a day the gate was met, on or before {step.date}"
            )
            found.append(_at(doc, lc.Gap(("approvals",), "gate-approval", message, fix)))
    found += _roles_kept(workflow, project, doc)
    found += _holders(workflow, project, doc)
    return found + _site_conditions(workflow, org, practice, project, doc)


def _practice_then(
    org: Organisation, practice: Practice, project: Project, day: date, who: str, doc: Document
) -> list[Problem]:
    if practice.status in lc.APPROVED_STATES | lc.ENDED and gates.practice_approval(
        org, practice, day
    ):
        return []
    message = (
        f"the project left its first phase on {day}, but its practice '{practice.id}' "
        f"is '{practice.status}'"
        if practice.status not in lc.APPROVED_STATES | lc.ENDED
        else f"the project left its first phase on {day}, before any approval of its "
        f"practice '{practice.id}' by {who}"
    )
    fix = f"the practice is approved first ('diffuse approve {practice.id}' by {who})"
    return [_at(doc, lc.Gap(("practice",), "practice-not-approved", message, fix))]


def _roles_kept(workflow: Workflow, project: Project, doc: Document) -> list[Problem]:
    """A role a passed gate required stays held: emptying it leaves nobody to answer."""
    if project.phase not in workflow.phases:
        return []
    found, seen = [], set()
    for phase in workflow.phases[1 : workflow.index(project.phase) + 1]:
        gate = workflow.gates.get(phase)
        for role in gate.roles if gate else []:
            if role in seen or project.roles.get(role):
                continue
            seen.add(role)
            loc: lc.Loc = ("roles", role) if role in project.roles else ("roles",)
            message = (
                f"the project passed '{phase}', which needs someone in the role "
                f"'{workflow.role_name(role)}', and nobody holds it now"
            )
            fix = f"assign someone: 'diffuse role {project.id} {role} PERSON'"
            found.append(_at(doc, lc.Gap(loc, "role-emptied", message, fix)))
    return found


def _holders(workflow: Workflow, project: Project, doc: Document) -> list[Problem]:
    """Duties not yet settled by a gate are done by a holder of their role."""
    found = []
    for gap in gates.holder_gaps(workflow, project, None):
        fix = (
            f"the holder marks it done, or it is recorded for them: 'diffuse duty "
            f"{project.id} {gap.item} --done --for PERSON'"
        )
        loc: lc.Loc = ("checklist", gap.item, "by")
        found.append(_at(doc, lc.Gap(loc, "duty-holder", f"{gap.item} is {gap.text}", fix)))
    return found


def _site_conditions(
    workflow: Workflow, org: Organisation, practice: Practice, project: Project, doc: Document
) -> list[Problem]:
    if project.phase not in workflow.phases:
        return []
    passed = workflow.phases[1 : workflow.index(project.phase) + 1]
    found = []
    for phase in passed:
        for duty in workflow.gates[phase].done if phase in workflow.gates else []:
            record = project.checklist.get(duty)
            if record is None or record.status is not DutyStatus.DONE:
                loc: lc.Loc = ("checklist", duty) if record else ("checklist",)
                message = f"the project is past '{phase}' but duty {duty} is not done"
                fix = f"mark {duty} done with its date (na is not enough to enter '{phase}')"
                found.append(_at(doc, lc.Gap(loc, "gate-duty", message, fix)))
        for gap in site_gaps(workflow, org, practice, project, phase):
            loc = ("sites", gap.item) if gap.item in project.sites else ("sites",)
            message = f"the project is past '{phase}' but site {gap.item} is {gap.text}"
            fix = (
                "take the site live, mark it not-applicable with a reason, or record an "
                "exception approved by diffusion oversight"
            )
            if gap.item == "scope":  # no site at all is in scope and live
                message = f"the project is past '{phase}' but {gap.text}"
                fix = "take a site live; a project that reached no site diffused nothing"
            found.append(_at(doc, lc.Gap(loc, "gate-sites", message, fix)))
    return found
