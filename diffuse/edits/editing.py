"""Commands that change a project file: advance a phase (`diffuse.edits.site` updates a site).

Edits are surgical (`yamledit`): only the lines that change are touched, the result is
validated before it is written, and the write is atomic under a lock (`atomic`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import BaseModel

from diffuse.errors import DiffuseError
from diffuse.files.atomic import (
    FileChangedError,
    Fingerprint,
    LockTimeout,
    lock,
    read_text,
    write_text_atomic,
)
from diffuse.files.loading import document_from_text, validate
from diffuse.files.phi import patient_data
from diffuse.files.yamledit import EditError, Scalar, append_item, set_value
from diffuse.limits import CEILINGS
from diffuse.models import (
    Practice,
    PracticeStatus,
    Project,
    Workflow,
)
from diffuse.rules.following import followed_status
from diffuse.rules.gates import GateError, GateReport, evaluate, target_phase
from diffuse.rules.load import Loaded, find_project, load_tracker


@dataclass(frozen=True)
class AdvanceRequest:
    project: str
    to: str | None
    on: date
    by: str | None
    reason: str | None = None
    dry_run: bool = False
    commit: bool = False


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


def _project(loaded: Loaded, project_id: str) -> tuple[Project, Path]:
    project = find_project(loaded, project_id)
    return project, loaded.catalog.document("project", project_id).path


def advance_project(root: Path, request: AdvanceRequest) -> AdvanceOutcome:
    loaded = load_tracker(root)
    project, path = _project(loaded, request.project)
    catalog = loaded.catalog
    try:
        target = target_phase(catalog.workflow, project, request.to)
    except GateError as exc:
        raise DiffuseError(str(exc)) from None
    practice = catalog.practices.get(project.practice)
    report = evaluate(catalog.workflow, loaded.org, practice, project, target)
    outcome = AdvanceOutcome(report, catalog.workflow, request.dry_run)
    if not outcome.passed or request.dry_run:
        return outcome
    repo = _repo_for(root, request.commit)
    by = resolve_person(loaded, root, request.by)
    entry: dict[str, Scalar] = {"from": project.phase, "to": target, "date": request.on, "by": by}
    if request.reason:
        entry["reason"] = request.reason

    def change(text: str) -> str:
        return append_item(set_value(text, ("phase",), target), ("history",), entry)

    # The gate was judged on the files as loaded: if they have changed since, judge again.
    edits = [Edit(path, change, Project, catalog.document("project", project.id).text)]
    moved = _practice_follows(loaded, project, target, request.on)
    if moved is not None:
        edits.append(moved[0])
        outcome.practice = moved[1]
    edit_files(edits)
    outcome.path = path
    if repo is not None:
        from diffuse.repo import commit_files

        message = (
            f"Advance {project.id} from {project.phase} to {target}\n\nGate met; "
            f"recorded by {by} on {request.on.isoformat()}."
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


def resolve_person(
    loaded: Loaded, root: Path, given: str | None, required: bool = True
) -> str | None:
    from diffuse.edits.identity import current_person, maybe_person

    if required:
        return current_person(loaded.org, root, given)
    return maybe_person(loaded.org, root, given)


def _repo_for(root: Path, commit: bool) -> object | None:
    if not commit:
        return None
    from diffuse.repo import open_repo

    repo: object = open_repo(root)
    return repo


@dataclass(frozen=True)
class Edit:
    """`change(text) -> text` for one file, whose result must be a valid `model`; with
    `expected`, the text a decision was made on, refused if the file no longer holds it."""

    path: Path
    change: Callable[[str], str]
    model: type[BaseModel] = Project
    expected: str | None = None


def edit_file(
    path: Path,
    change: object,
    model: type[BaseModel] = Project,
    expected: str | None = None,
    dry_run: bool = False,
) -> tuple[str, str]:
    """Apply `change(text) -> text` to `path`; nothing is written unless the result is a
    valid `model` (and nothing at all with `dry_run`). Returns the text before and after.

    The lock is held from the read to the write, so two diffuse processes editing one file
    apply their changes one after the other and neither is lost. With `expected`, the text
    a decision was made on, the edit is refused if the file no longer holds that text."""
    return edit_files([Edit(path, change, model, expected)], dry_run)[0]  # type: ignore[arg-type]


def edit_files(edits: list[Edit], dry_run: bool = False) -> list[tuple[str, str]]:
    """Apply every edit, or none: all files are locked, read, changed and validated before
    the first is written. Returns each file's text before and after."""
    edit = edits[0]
    try:
        with contextlib.ExitStack() as stack:
            for edit in edits:
                stack.enter_context(lock(edit.path))
            planned = []
            for edit in edits:
                planned.append((edit, *_planned(edit)))
            for edit, _old_text, new_text, fingerprint in planned:
                if not dry_run:
                    write_text_atomic(edit.path, new_text, fingerprint)
            return [(old_text, new_text) for _edit, old_text, new_text, _print in planned]
    except EditError as exc:
        raise DiffuseError(f"{edit.path}: cannot edit safely: {exc}") from None
    except (FileChangedError, FileNotFoundError, UnicodeDecodeError):
        raise DiffuseError(
            f"{edit.path} changed on disk while diffuse was editing it; nothing was "
            "written, run the command again"
        ) from None
    except LockTimeout as exc:
        raise DiffuseError(str(exc)) from None
    except OSError as exc:
        # A full disk or a read-only folder: the original file is still whole.
        raise DiffuseError(
            f"cannot write {edit.path}: {exc.strerror or exc}; nothing was written"
        ) from None


def _planned(edit: Edit) -> tuple[str, str, Fingerprint]:
    text, fingerprint = read_text(edit.path)
    if edit.expected is not None and text.removeprefix("\ufeff") != edit.expected:
        raise FileChangedError(str(edit.path))
    new_text = edit.change(text)
    _must_stay_valid(edit.path, new_text, edit.model)
    return text, new_text, fingerprint


def _must_stay_valid(path: Path, text: str, model: type[BaseModel] = Project) -> None:
    doc = document_from_text(path, text.removeprefix("\ufeff"), CEILINGS)
    doc.problems.extend(patient_data(doc))
    if validate(doc, model) is None or doc.problems:
        raise DiffuseError(
            "the edit would leave the file invalid; nothing was written", tuple(doc.problems)
        )
