"""`diffuse advance`: move a project to its next phase when the gate is met, and the
practice with it, in one edit of both files and one commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from diffuse.edits.editing import Edit, edit_files
from diffuse.edits.identity import current_person
from diffuse.edits.record import EditOptions, project_path
from diffuse.errors import DiffuseError
from diffuse.files.yamledit import Scalar, append_item, set_value
from diffuse.models import Practice, PracticeStatus, Project, Workflow
from diffuse.rules.following import followed_status
from diffuse.rules.gates import GateError, GateReport, evaluate, target_phase
from diffuse.rules.load import Loaded, load_tracker


@dataclass(frozen=True)
class AdvanceRequest:
    project: str
    to: str | None
    options: EditOptions
    reason: str | None = None


@dataclass
class AdvanceOutcome:
    report: GateReport
    workflow: Workflow
    dry_run: bool = False
    path: Path | None = None
    commit: str | None = None
    # The practice moved with the project: (practice id, old status, new status).
    practice: tuple[str, str, str] | None = None

    @property
    def passed(self) -> bool:
        return self.report.passed


def advance_project(root: Path, request: AdvanceRequest) -> AdvanceOutcome:
    loaded = load_tracker(root)
    project, path = project_path(loaded, request.project)
    options = request.options
    catalog = loaded.catalog
    try:
        target = target_phase(catalog.workflow, project, request.to)
    except GateError as exc:
        raise DiffuseError(str(exc)) from None
    practice = catalog.practices.get(project.practice)
    report = evaluate(catalog.workflow, loaded.org, practice, project, target, options.on)
    outcome = AdvanceOutcome(report, catalog.workflow, options.dry_run)
    if not outcome.passed or options.dry_run:
        return outcome
    repo = None
    if options.commit:
        from diffuse.repo import open_for_commit

        repo = open_for_commit(root)
    by = current_person(loaded.org, root, options.by)
    entry: dict[str, Scalar] = {"from": project.phase, "to": target, "date": options.on, "by": by}
    if request.reason:
        entry["reason"] = request.reason

    def change(text: str) -> str:
        return append_item(set_value(text, ("phase",), target), ("history",), entry)

    # The gate was judged on the files as loaded: if they have changed since, judge again.
    edits = [Edit(path, change, Project, catalog.document("project", project.id).text)]
    moved = _practice_follows(loaded, project, target, options.on)
    if moved is not None:
        edits.append(moved[0])
        outcome.practice = moved[1]
    edit_files(edits)
    outcome.path = path
    if repo is not None:
        from diffuse.repo import commit_files

        message = (
            f"Advance {project.id} from {project.phase} to {target}\n\nGate met; "
            f"recorded by {by} on {options.on.isoformat()}."
        )
        if outcome.practice is not None:
            practice_id, old, new = outcome.practice
            message += f" The practice {practice_id} moves from {old} to {new} with it."
        outcome.commit = commit_files(repo, [e.path for e in edits], message)
    return outcome


def _practice_follows(
    loaded: Loaded, project: Project, target: str, on: date
) -> tuple[Edit, tuple[str, str, str]] | None:
    """The edit that keeps the practice's status in step with its projects, if one is due.

    Becoming diffused dates `established`, which starts the practice's review cycle."""
    catalog = loaded.catalog
    practice = catalog.practices.get(project.practice)
    if practice is None:
        return None
    moved = project.model_copy(update={"phase": target})
    projects = [moved if p.id == project.id else p for p in catalog.projects.values()]
    projects = [p for p in projects if p.practice == practice.id]
    status = followed_status(catalog.workflow, practice.status, projects)
    if status is None:
        return None

    def change(text: str) -> str:
        text = set_value(text, ("status",), status.value)
        if status is PracticeStatus.DIFFUSED:
            text = set_value(text, ("established",), on)
        return text

    doc = catalog.document("practice", practice.id)
    return Edit(doc.path, change, Practice, doc.text), (practice.id, practice.status, status)
