"""The practice follows its projects: the status a practice's projects give it.

The workflow says which phase moves the practice on (`practice` in a gate): in the Mayo
model a practice becomes diffusing when its first project enters execute, and diffused
when its projects have closed (a close the gate allows only with every in-scope site live).
A diffused practice can be spread again (to new sites, or after a review changed it): its
new project leaves it diffused through initiate and plan, and makes it diffusing again
from execute until that project closes. Pure rules, shared by `validate`, `advance`,
`practice --status` and `check`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from diffuse.models import PracticeStatus, Project, Workflow

# The statuses the projects decide; before approval and after retirement they say nothing.
FOLLOWING = frozenset({PracticeStatus.APPROVED, PracticeStatus.DIFFUSING, PracticeStatus.DIFFUSED})


class Phased(Protocol):
    """What these rules read of a project: a model, or its id and phase alone."""

    @property
    def id(self) -> str: ...

    @property
    def phase(self) -> str: ...


def reached(workflow: Workflow, project: Phased, phase: str) -> bool:
    if project.phase not in workflow.phases:
        return False
    return workflow.index(project.phase) >= workflow.index(phase)


def allowed_statuses(workflow: Workflow, projects: Iterable[Phased]) -> set[PracticeStatus]:
    """The statuses a practice may have with these projects (all of them: no project).

    A project under way (entered execute, not yet closed) makes the practice diffusing;
    one not yet in execute decides nothing once another has closed, so a diffused practice
    that takes on a new project stays diffused until that project enters execute, and a
    practice whose other project is still to start may stay diffusing or be diffused."""
    projects = list(projects)
    if not projects:
        return set(FOLLOWING)
    diffusing_at = workflow.practice_phase(PracticeStatus.DIFFUSING)
    diffused_at = workflow.practice_phase(PracticeStatus.DIFFUSED)
    closed = [p for p in projects if diffused_at is not None and reached(workflow, p, diffused_at)]
    open_ = [p for p in projects if p not in closed]
    if diffusing_at is None:
        # Nothing tells a project under way from one still to start.
        allowed = {PracticeStatus.APPROVED, PracticeStatus.DIFFUSING} if open_ else set()
        if closed:
            allowed = (allowed - {PracticeStatus.APPROVED}) | {PracticeStatus.DIFFUSED}
        return allowed
    if any(reached(workflow, p, diffusing_at) for p in open_):
        running = {PracticeStatus.DIFFUSING}
        return running if diffused_at is not None else running | {PracticeStatus.DIFFUSED}
    if closed and open_:
        return {PracticeStatus.DIFFUSING, PracticeStatus.DIFFUSED}
    return {PracticeStatus.DIFFUSED} if closed else {PracticeStatus.APPROVED}


def follows(
    workflow: Workflow, move: tuple[PracticeStatus, PracticeStatus], projects: Iterable[Project]
) -> bool:
    """Whether the projects move the practice from the first status to the second: the
    first no longer agrees with them and the second does (e.g. diffusing again)."""
    allowed = allowed_statuses(workflow, projects)
    old, new = move
    return old in FOLLOWING and old not in allowed and new in allowed


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
