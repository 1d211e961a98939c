"""`diffuse duty P ID --add`: a duty one project adds to the workflow's checklist.

It is written under `custom_duties:` in the project file (id, role, due, title) and judged
by the gates like a duty of the workflow: done by a holder of its role before the project
leaves the phase it is due by. A duty due by a phase the project has left would never be
judged, so it is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from diffuse.edits import record
from diffuse.edits.record import EditOptions, EditResult
from diffuse.errors import DiffuseError
from diffuse.files.yamledit import Scalar, append_item
from diffuse.layout import ID_PATTERN
from diffuse.models.project import project_workflow


@dataclass(frozen=True)
class NewDuty:
    project: str
    duty: str
    role: str | None
    due: str | None
    title: str | None


def add_duty(root: Path, request: NewDuty, options: EditOptions) -> EditResult:
    loaded = record.load(root, options)
    project, path = record.project_path(loaded, request.project)
    workflow = project_workflow(loaded.catalog.workflow, project)
    missing = [
        option
        for option, value in (("--role", request.role), ("--due", request.due))
        if value is None
    ]
    if request.title is None or not request.title.strip():
        missing.append("--title")
    if missing:
        raise DiffuseError(f"--add needs {', '.join(missing)}")
    assert request.role is not None and request.due is not None and request.title is not None
    if not ID_PATTERN.fullmatch(request.duty):
        raise DiffuseError(
            f"'{request.duty}' is not an id: lowercase letters, digits and '-', starting "
            "with a letter or digit, at most 64 characters"
        )
    if request.duty in {d.id for d in workflow.duties}:
        raise DiffuseError(f"'{request.duty}' is already a duty of '{project.id}'; pick a new id")
    record.choice("--role", request.role, [r.id for r in workflow.roles])
    record.choice("--due", request.due, workflow.phases)
    if project.phase in workflow.phases and workflow.index(request.due) < workflow.index(
        project.phase
    ):
        raise DiffuseError(
            f"--due {request.due}: '{project.id}' has left that phase (it is in "
            f"'{project.phase}'), so the duty would never be judged; give '{project.phase}' "
            "or a later phase"
        )
    item: dict[str, Scalar] = {
        "id": request.duty,
        "role": request.role,
        "due": request.due,
        "title": request.title,
    }

    def change(text: str) -> str:
        return append_item(text, ("custom_duties",), item)

    summary = f"{project.id}: duty {request.duty} added for {request.role}, due by {request.due}"
    return record.apply(root, path, change, summary, options)
