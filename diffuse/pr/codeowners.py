"""`diffuse codeowners`: a CODEOWNERS file so the hosting service asks the right reviewers.

Each practice and project file is owned by the members of its practice's approving body;
the organisation file, new files in practices/ and projects/ and the .github folder (the CI
workflow and CODEOWNERS itself) by the clinical practice committee. People are named by
their email in organisation.yaml, which GitHub and GitLab match to the account that has
that email; people without one are listed in a comment.
"""

from __future__ import annotations

from pathlib import Path

from diffuse.errors import DiffuseError
from diffuse.layout import ORGANISATION_FILE, PRACTICES_DIR, PROJECTS_DIR
from diffuse.models import BodyKind, Organisation
from diffuse.rules.load import Loaded, load_tracker

HEADER = "# Written by 'diffuse codeowners' from organisation.yaml; run it again after changes."


def codeowners_text(loaded: Loaded, prefix: str) -> str:
    """CODEOWNERS lines; `prefix` is the tracker folder relative to the repository root."""
    org, catalog = loaded.org, loaded.catalog
    base = f"/{prefix}/" if prefix else "/"
    committee = _committee(org)
    lines = [HEADER, "# Later lines win: a file's own line overrides its folder's."]
    unnamed: set[str] = set()
    rows = [
        # The CI workflow and this file itself: whoever edits them edits the rules.
        ("/.github/", committee),
        (f"{base}{PRACTICES_DIR}/", committee),
        (f"{base}{PROJECTS_DIR}/", committee),
        (f"{base}{ORGANISATION_FILE}", committee),
    ]
    for practice in sorted(catalog.practices.values(), key=lambda p: p.id):
        path = catalog.document("practice", practice.id).path
        rows.append((f"{base}{PRACTICES_DIR}/{path.name}", _members(org, practice.approving_body)))
    for project in sorted(catalog.projects.values(), key=lambda p: p.id):
        path = catalog.document("project", project.id).path
        parent = catalog.practices.get(project.practice)
        members = _members(org, parent.approving_body) if parent else committee
        rows.append((f"{base}{PROJECTS_DIR}/{path.name}", members))
    for pattern, people in rows:
        owners = [_email(org, p) for p in people]
        unnamed.update(p for p, email in zip(people, owners, strict=True) if email is None)
        named = sorted({e for e in owners if e})
        if named:
            lines.append(f"{_escape(pattern)} {' '.join(named)}")
    if unnamed:
        lines.append(
            f"# No email in organisation.yaml, so not listed: {', '.join(sorted(unnamed))}"
        )
    return "\n".join(lines) + "\n"


def _committee(org: Organisation) -> list[str]:
    bodies = [b for b in org.bodies if b.kind is BodyKind.PRACTICE_COMMITTEE] or org.bodies
    return [member for body in bodies for member in body.members]


def _members(org: Organisation, body_id: str) -> list[str]:
    body = org.body(body_id)
    return list(body.members) if body else []


def _email(org: Organisation, person_id: str) -> str | None:
    person = org.person(person_id)
    return person.email if person and person.email and " " not in person.email else None


def _escape(pattern: str) -> str:
    return pattern.replace(" ", "\\ ")


def default_output(root: Path) -> Path:
    from diffuse.repo import open_repo, toplevel

    try:
        return toplevel(open_repo(root)) / ".github" / "CODEOWNERS"
    except DiffuseError:
        return root / "CODEOWNERS"


def render_codeowners(root: Path) -> str:
    loaded = load_tracker(root)
    from diffuse.repo import open_repo, toplevel

    try:
        top = toplevel(open_repo(root))
    except DiffuseError:
        top = root.resolve()
    prefix = root.resolve().relative_to(top).as_posix()
    return codeowners_text(loaded, "" if prefix == "." else prefix)


def write_codeowners(root: Path, out: Path | None) -> Path:
    target = out or default_output(root)
    text = render_codeowners(root)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target
