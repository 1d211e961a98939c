"""The practice follows its projects: the status a practice's projects give it.

The workflow says which phase moves the practice on (`practice` in a gate): in the Mayo
model a practice becomes diffusing when its first project enters execute, and diffused
when every one of its projects has closed (a close the gate allows only with every
in-scope site live). Pure rules, shared by `validate` and `advance`.
"""

from __future__ import annotations

from collections.abc import Iterable

from diffuse.models import PracticeStatus, Project, Workflow

# The statuses the projects decide; before approval and after retirement they say nothing.
FOLLOWING = frozenset({PracticeStatus.APPROVED, PracticeStatus.DIFFUSING, PracticeStatus.DIFFUSED})


def reached(workflow: Workflow, project: Project, phase: str) -> bool:
    if project.phase not in workflow.phases:
        return False
    return workflow.index(project.phase) >= workflow.index(phase)


def allowed_statuses(workflow: Workflow, projects: Iterable[Project]) -> set[PracticeStatus]:
    """The statuses a practice may have with these projects (all of them: no project)."""
    projects = list(projects)
    allowed = set(FOLLOWING)
    if not projects:
        return allowed
    diffused_at = workflow.practice_phase(PracticeStatus.DIFFUSED)
    diffusing_at = workflow.practice_phase(PracticeStatus.DIFFUSING)
    if diffused_at is not None:
        if all(reached(workflow, p, diffused_at) for p in projects):
            return {PracticeStatus.DIFFUSED}
        allowed.discard(PracticeStatus.DIFFUSED)
    if diffusing_at is not None:
        started = any(reached(workflow, p, diffusing_at) for p in projects)
        allowed &= (
            {PracticeStatus.DIFFUSING, PracticeStatus.DIFFUSED}
            if started
            else {PracticeStatus.APPROVED}
        )
    return allowed


def followed_status(
    workflow: Workflow, current: PracticeStatus, projects: Iterable[Project]
) -> PracticeStatus | None:
    """The status a practice moves to with these projects, or None when it stays."""
    if current not in FOLLOWING:
        return None
    allowed = allowed_statuses(workflow, projects)
    if current in allowed:
        return None
    order = [PracticeStatus.APPROVED, PracticeStatus.DIFFUSING, PracticeStatus.DIFFUSED]
    return next(s for s in order if s in allowed)
