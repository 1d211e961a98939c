"""Pure rules of a record's life: practice status moves, readiness, what counts as substance.

A practice moves discovery -> proposed -> approved -> diffusing -> diffused, one step at a
time, and from any status to retired or superseded. Moving back (or out of retired or
superseded) is a decision of its approving body: it needs a new approval with a `reason`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, NamedTuple

from diffuse.models import (
    Approval,
    Decision,
    Organisation,
    Practice,
    PracticeStatus,
    Project,
    Workflow,
    project_workflow,
)

Loc = tuple[str | int, ...]

LIFECYCLE = [
    PracticeStatus.DISCOVERY,
    PracticeStatus.PROPOSED,
    PracticeStatus.APPROVED,
    PracticeStatus.DIFFUSING,
    PracticeStatus.DIFFUSED,
]
ENDED = {PracticeStatus.RETIRED, PracticeStatus.SUPERSEDED}
APPROVED_STATES = {PracticeStatus.APPROVED, PracticeStatus.DIFFUSING, PracticeStatus.DIFFUSED}
TEMPLATE_PRINCIPLE = "State each fixed principle here."

# What a practice *is*: changing any of these after approval needs a new approval.
PRACTICE_SUBSTANCE = ("title", "summary", "goal", "key_principles", "approving_body", "decision")
# What a project promised: its practice, title, approval date, target and the sites in scope.
PROJECT_SUBSTANCE = ("practice", "title", "approved", "target_months")


class Gap(NamedTuple):
    """One unmet rule: where it is, its rule id, what is wrong and what would fix it."""

    loc: Loc
    rule: str
    message: str
    fix: str


class Move(NamedTuple):
    kind: str  # same, start, forward, skip, back, end
    old: PracticeStatus | None
    new: PracticeStatus

    @property
    def reaches_approved(self) -> bool:
        """Whether the practice becomes approved (or arrives already past it) here."""
        entering = self.kind in ("start", "forward") and self.old not in APPROVED_STATES
        return entering and self.new in APPROVED_STATES


def practice_move(old: PracticeStatus | None, new: PracticeStatus) -> Move:
    if old == new:
        return Move("same", old, new)
    if old is None:
        return Move("start", old, new)
    if new in ENDED:
        return Move("end", old, new)
    if old in ENDED:
        return Move("back", old, new)
    step = LIFECYCLE.index(new) - LIFECYCLE.index(old)
    return Move("forward" if step == 1 else "skip" if step > 1 else "back", old, new)


def skipped(move: Move) -> list[str]:
    assert move.old is not None
    return [s.value for s in LIFECYCLE[LIFECYCLE.index(move.old) + 1 : LIFECYCLE.index(move.new)]]


def readiness_gaps(practice: Practice, present: set[str]) -> list[Gap]:
    """The Sponsoring Body's readiness duties, as far as the practice file records them.

    `present` holds the top-level keys written in the file: a missing key is reported at
    the `status` line, a present but empty one at its own line."""

    def at(name: str) -> Loc:
        return (name,) if name in present else ("status",)

    gaps = []
    if not practice.evidence:
        gaps.append(
            Gap(
                at("evidence"),
                "readiness-proven",
                "no evidence that the practice worked at a site",
                "add an 'evidence' entry: {site: ID, summary: what improved}",
            )
        )
    if not practice.vetted_by:
        gaps.append(
            Gap(
                at("vetted_by"),
                "readiness-vetted",
                "no site has vetted the practice",
                "list the sites that reviewed it in 'vetted_by'",
            )
        )
    if not (practice.goal or "").strip():
        gaps.append(
            Gap(at("goal"), "readiness-goal", "no goal and aim statement", "write the 'goal'")
        )
    gaps += _principle_gaps(practice, at("key_principles"))
    if practice.owner is None:
        gaps.append(
            Gap(
                at("owner"),
                "readiness-owner",
                "no Best Practice Owner",
                "set 'owner' to the person id who will own it",
            )
        )
    if not any(e.kind.value == "measurement" for e in practice.support_elements):
        gaps.append(
            Gap(
                at("support_elements"),
                "readiness-metrics",
                "no measurement plan among the support elements, so nothing shows the "
                "metrics can be attained and sustained",
                "add a support element of kind 'measurement' (the measurement plan)",
            )
        )
    missing = [role for role, person in practice.leaders if person is None]
    if missing:
        gaps.append(
            Gap(
                at("leaders"),
                "readiness-leaders",
                f"leaders not assigned: {', '.join(missing)}",
                "name the champion, administrative and physician leaders under 'leaders'",
            )
        )
    return gaps


def _principle_gaps(practice: Practice, loc: Loc) -> list[Gap]:
    fixed = practice.key_principles.fixed if practice.key_principles else []
    if fixed and TEMPLATE_PRINCIPLE not in fixed:
        return []
    return [
        Gap(
            loc,
            "readiness-principles",
            "the key principles that stay fixed are not written",
            "list under key_principles.fixed what every site must keep, and under "
            "'adaptable' where sites may vary",
        )
    ]


# -- approvals ----------------------------------------------------------------------------


def approval_key(approval: Approval) -> str:
    import json

    return json.dumps(approval.model_dump(mode="json"), sort_keys=True)


def added_approvals(old: list[Approval], new: list[Approval]) -> list[Approval]:
    surplus = Counter(approval_key(a) for a in new) - Counter(approval_key(a) for a in old)
    added = []
    for approval in reversed(new):
        key = approval_key(approval)
        if surplus[key] > 0:
            surplus[key] -= 1
            added.append(approval)
    return added[::-1]


def removed_approvals(old: list[Approval], new: list[Approval]) -> bool:
    return bool(Counter(approval_key(a) for a in old) - Counter(approval_key(a) for a in new))


def by_member(
    approvals: list[Approval], org: Organisation, body_id: str, gate: str | None = None
) -> list[Approval]:
    body = org.body(body_id)
    members = set(body.members) if body else set()
    return [
        a
        for a in approvals
        if a.decision is Decision.APPROVED
        and a.body == body_id
        and a.by in members
        and (gate is None or a.gate == gate)
    ]


def beside_owner(approvals: list[Approval], owners: set[str]) -> list[Approval]:
    """`approvals` (by members, added in one change), or none when every one is by an
    owner of the practice: an owner's approval of their own practice counts only beside
    another member's."""
    return approvals if any(a.by not in owners for a in approvals) else []


# -- substance ----------------------------------------------------------------------------


def practice_substance(practice: Practice) -> dict[str, Any]:
    data = practice.model_dump(mode="json", include=set(PRACTICE_SUBSTANCE))
    data["support_elements"] = sorted((e.kind.value, e.title) for e in practice.support_elements)
    return data


def project_substance(project: Project, workflow: Workflow, since: str) -> dict[str, Any]:
    """What may not change once the project has left its first phase; `since` is the phase
    it was in, so duties of phases already left are settled. Once closed (an inactive
    phase), its roles and each site's go-live, reason and exception are settled too; a
    site's progress (sustained, updated, notes) is still recorded without an approval."""
    data = project.model_dump(mode="json", include=set(PROJECT_SUBSTANCE))
    if since in workflow.phases and not workflow.is_active(since):
        data |= project.model_dump(mode="json", include={"roles"})
        settled = {"go_live_actual", "reason", "exception"}
        data["sites"] = {
            site: state.model_dump(mode="json", include=settled)
            for site, state in sorted(project.sites.items())
        }
    data["scope"] = sorted(s for s, st in project.sites.items() if st.status == "not-applicable")
    left = workflow.index(since) if since in workflow.phases else 0
    workflow = project_workflow(workflow, project)
    due = {d.id for d in workflow.duties if d.due in workflow.phases[:left]}
    data["checklist"] = {
        k: v.model_dump(mode="json") for k, v in sorted(project.checklist.items()) if k in due
    }
    return data


def changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return [name for name in new if old.get(name) != new.get(name)]
