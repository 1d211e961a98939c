"""`diffuse approve`: record an approval as the current git user and commit just that file.

The approver is whoever git will author the commit as (its email looked up among the
organisation's people), so the commit that adds the entry is the approver's own: what
`diffuse check --verify-signoff` later requires. The approval is for the practice's
approving body, or with `body` for another body the approver sits on: a practice moving
to another approving body needs the approval of the body it leaves.

A project's approval is one of three decisions, none standing in for another: entering a
gate (refused unless the gate is met on its date), taking a site out of scope (`scope`),
or its record as it stands (`substance`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from diffuse.errors import DiffuseError
from diffuse.files.yamledit import Scalar, append_item
from diffuse.layout import ORGANISATION_FILE
from diffuse.models import Body, Organisation, Practice, Project, Workflow
from diffuse.rules.load import Loaded, find_item, load_tracker

ORGANISATION = "organisation"


@dataclass(frozen=True)
class ApproveRequest:
    item: str
    on: date
    gate: str | None = None
    reference: str | None = None
    reason: str | None = None
    body: str | None = None
    scope: str | None = None  # a site whose change of scope this approves
    substance: bool = False  # a project's record as it stands, opening no gate


@dataclass
class ApproveOutcome:
    item: str
    kind: str
    person: str
    body: str
    path: Path
    commit: str
    gate: str | None = None
    scope: str | None = None


def approve(root: Path, request: ApproveRequest) -> ApproveOutcome:
    from diffuse.repo import open_for_commit

    loaded = load_tracker(root)
    repo = open_for_commit(root, "first: an approval is recorded as a commit")
    from diffuse.edits.identity import current_person

    person = current_person(loaded.org, root, None, by_option=False)
    known = {**loaded.catalog.practices, **loaded.catalog.projects}
    if request.item in (ORGANISATION, ORGANISATION_FILE) and request.item not in known:
        return _approve_organisation(root, loaded.org, repo, person, request)
    kind, item = find_item(loaded, request.item)
    body = _body(loaded, kind, item, request.body)
    if person not in body.members:
        which = "" if request.body else f", which approves '{item.id}'"
        others = [b.id for b in loaded.org.bodies if person in b.members and b.id != body.id]
        hint = f" (for a body you sit on, give --body {others[0]})" if others else ""
        raise DiffuseError(
            f"'{person}' is not a member of {body.name} ('{body.id}'){which}; its members "
            f"are: {', '.join(body.members) or 'none'}{hint}"
        )
    gate = None
    if request.scope is not None:
        _scope(loaded, kind, item, request)
    elif request.substance:
        if kind != "project" or request.gate is not None:
            raise DiffuseError(
                "--substance approves a project's record as it stands (title, target, "
                "dates), not a gate: give it for a project, without --gate"
            )
    else:
        gate = _gate(loaded.catalog.workflow, kind, item, request.gate)
    if gate is not None:
        _gate_met(loaded, item, gate, request.on)
    entry = _entry(body.id, person, request, gate)
    _refuse_duplicate(item, entry)
    path = loaded.catalog.document(kind, item.id).path
    _must_be_clean(repo, path)
    model: type[Practice] | type[Project] = Practice if kind == "practice" else Project
    from diffuse.edits.editing import edit_file
    from diffuse.repo import commit_files

    edit_file(path, lambda text: append_item(text, ("approvals",), entry), model)
    title = f"Approve {item.id}" + (f" to enter {gate}" if gate else "")
    title += f": {request.scope} out of scope" if request.scope else ""
    title += ": its record as it stands" if request.substance else ""
    detail = f"{person} for {body.name} on {request.on.isoformat()}."
    message = "\n\n".join(filter(None, [title, detail, request.reference, request.reason]))
    sha = commit_files(repo, [path], message)
    return ApproveOutcome(item.id, kind, person, body.id, path, sha, gate, request.scope)


def _body(loaded: Loaded, kind: str, item: Any, given: str | None) -> Body:
    practice = item if kind == "practice" else loaded.catalog.practices.get(item.practice)
    if practice is None:
        raise DiffuseError(f"the practice '{item.practice}' of '{item.id}' is not valid")
    if given is not None and given != practice.approving_body:
        if kind != "practice":
            raise DiffuseError(
                f"--body: the gates of '{item.id}' are approved by its practice's body "
                f"('{practice.approving_body}'); --body is for a practice leaving a body"
            )
        found = loaded.org.body(given)
        if found is None:
            known = ", ".join(b.id for b in loaded.org.bodies)
            raise DiffuseError(f"--body: no body '{given}' in the organisation; bodies: {known}")
        return found
    body = loaded.org.body(practice.approving_body)
    if body is None:
        raise DiffuseError(f"no approving body '{practice.approving_body}' in the organisation")
    return body


def _gate(workflow: Workflow, kind: str, item: Any, gate: str | None) -> str | None:
    if kind == "practice":
        if gate is not None:
            raise DiffuseError("--gate is for projects; a practice is approved as a whole")
        return None
    if gate is None:
        following = workflow.successors(item.phase)
        if not following:
            raise DiffuseError(f"'{item.id}' is in its last phase; give --gate PHASE")
        return following[0]
    if gate not in workflow.phases:
        raise DiffuseError(f"--gate: no phase '{gate}'; phases are: {', '.join(workflow.phases)}")
    return gate


def _scope(loaded: Loaded, kind: str, item: Any, request: ApproveRequest) -> None:
    """A change of scope is a decision of its own: it names the site, opens no gate."""
    if kind != "project":
        raise DiffuseError("--scope is for projects: it approves a site taken out of scope")
    if request.gate is not None:
        raise DiffuseError(
            "--scope and --gate are separate decisions: approve the scope change, then the gate"
        )
    site = request.scope
    if loaded.org.site(site or "") is None:
        known = ", ".join(s.id for s in loaded.org.sites)
        raise DiffuseError(f"--scope: no site '{site}' in the organisation; sites: {known}")


def _gate_met(loaded: Loaded, project: Any, gate: str, on: date) -> None:
    """Refuse a gate approval that would count for nothing: the gate unmet that day."""
    from diffuse.rules.gates import approvable

    catalog = loaded.catalog
    practice = catalog.practices.get(project.practice)
    gaps = approvable(catalog.workflow, loaded.org, practice, project, gate, on)
    if gaps:
        listed = "\n".join(f"  ✗ [{g.kind}] {g.item}: {g.text}" for g in gaps)
        raise DiffuseError(
            f"the gate to enter '{gate}' is not met on {on.isoformat()}, so an approval "
            f"dated then would count for nothing; nothing was changed:\n{listed}"
        )


def _entry(body: str, person: str, request: ApproveRequest, gate: str | None) -> dict[str, Scalar]:
    entry: dict[str, Scalar] = {"body": body, "by": person, "date": request.on}
    optional = {
        "gate": gate,
        "scope": request.scope,
        "reference": request.reference,
        "reason": request.reason,
    }
    entry.update({k: v for k, v in optional.items() if v})
    return entry


def _refuse_duplicate(item: Practice | Project, entry: dict[str, Scalar]) -> None:
    for approval in item.approvals:
        same = (approval.body, approval.by, approval.gate, approval.scope, approval.date)
        wanted = (entry["body"], entry["by"], entry.get("gate"), entry.get("scope"))
        if same == (*wanted, entry["date"]):
            raise DiffuseError(
                f"'{entry['by']}' already approved '{item.id}'"
                + (f" to enter '{approval.gate}'" if approval.gate else "")
                + f" on {approval.date.isoformat()}; nothing was changed"
            )


def _must_be_clean(repo: Any, path: Path) -> None:
    from diffuse.repo import is_dirty, toplevel

    rel = path.resolve().relative_to(toplevel(repo)).as_posix()
    if is_dirty(repo, rel):
        raise DiffuseError(
            f"{rel} has uncommitted changes; commit or discard them first, so the approval "
            "commit holds only the approval"
        )


def _approve_organisation(
    root: Path, org: Organisation, repo: Any, person: str, request: ApproveRequest
) -> ApproveOutcome:
    from diffuse.pr.signoff import approval_message
    from diffuse.repo import commit_empty

    if not any(person in body.members for body in org.bodies):
        raise DiffuseError(f"'{person}' is a member of no approving body; nothing was changed")
    path = root / ORGANISATION_FILE
    _must_be_clean(repo, path)
    sha = commit_empty(repo, approval_message(org, person, request.reference))
    return ApproveOutcome(ORGANISATION, ORGANISATION, person, "", path, sha)
