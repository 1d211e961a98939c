"""The tracker as commands use it: every file read, cross-file rules applied, items found."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diffuse.errors import DiffuseError, Problem
from diffuse.models import Organisation, Project
from diffuse.rules.catalog import Catalog, read_catalog
from diffuse.rules.invariants import check_invariants
from diffuse.rules.references import check_references


def load_catalog(root: Path) -> Catalog:
    """Every file read and validated, then checked against the others and against the
    rules that hold at any moment (readiness, history, gates passed)."""
    catalog = read_catalog(root)
    catalog.problems.extend(check_references(catalog))
    _set_aside_off_workflow(catalog)
    catalog.problems.extend(check_invariants(catalog))
    _set_aside_ambiguous_organisation(catalog)
    return catalog


def _set_aside_ambiguous_organisation(catalog: Catalog) -> None:
    """An organisation listing an id twice (a site, a person, a phase, a duty) leaves every
    command guessing which one is meant, and every table keyed by id holding two rows: like
    one that fails its schema it is not used, and the duplicate-id problems say what to fix.
    Set aside last, so the files are still checked against it in the same run."""
    org_path = catalog.sources["organisation"].path
    if any(p.code == "duplicate-id" and p.location.path == org_path for p in catalog.problems):
        catalog.organisation = None


def _set_aside_off_workflow(catalog: Catalog) -> None:
    """Projects whose phase or history names a phase the workflow lacks join the broken
    files: every rule and report counts phases along the workflow, and the reference
    problem already says what to fix."""
    phases = set(catalog.workflow.phases)
    for project_id, project in list(catalog.projects.items()):
        named = {project.phase} | {t.to for t in project.history}
        named |= {t.from_phase for t in project.history}
        if named <= phases:
            continue
        key = f"project/{project_id}"
        catalog.broken[key] = catalog.sources.pop(key)
        del catalog.projects[project_id]


@dataclass
class Loaded:
    catalog: Catalog
    org: Organisation
    problems: list[Problem]


def load_tracker(root: Path) -> Loaded:
    """The catalog, or a DiffuseError when not even the organisation file is usable."""
    catalog = load_catalog(root)
    problems = catalog.all_problems()
    if catalog.organisation is None:
        raise DiffuseError("the organisation file has problems; fix them first", tuple(problems))
    return Loaded(catalog, catalog.organisation, problems)


def find_item(loaded: Loaded, item_id: str) -> tuple[str, Any]:
    catalog = loaded.catalog
    if item_id in catalog.projects:
        return "project", catalog.projects[item_id]
    if item_id in catalog.practices:
        return "practice", catalog.practices[item_id]
    broken = [p for p in loaded.problems if p.location.path.stem == item_id]
    if broken:
        raise DiffuseError(f"'{item_id}' has problems; fix them first", tuple(broken))
    known = sorted([*catalog.practices, *catalog.projects])
    raise DiffuseError(f"no practice or project '{item_id}'; known: {', '.join(known)}")


def find_project(loaded: Loaded, project_id: str) -> Project:
    """The valid project `project_id`, or an error that says why there is none."""
    project = loaded.catalog.projects.get(project_id)
    if project is not None:
        return project
    broken = tuple(p for p in loaded.problems if p.location.path.stem == project_id)
    if broken:
        raise DiffuseError(f"project '{project_id}' has problems; fix them first", broken)
    known = ", ".join(sorted(loaded.catalog.projects)) or "none"
    raise DiffuseError(f"no project '{project_id}'; known: {known}")
