"""The tracker as commands use it: every file read, cross-file rules applied, items found."""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, Literal

from diffuse import gcpause
from diffuse.cache.days import Span
from diffuse.errors import DiffuseError, Problem
from diffuse.models import Organisation, Project
from diffuse.models.organisation import DateWindow
from diffuse.rules import chrono
from diffuse.rules.invariants import check_invariants, project_invariants
from diffuse.rules.references import check_references, organisation_problems, project_problems
from diffuse.rules.tracker.model import Part, Tracker, named_phases
from diffuse.rules.tracker.reading import read_tracker

# What a command works out from each valid project's model while it is at hand.
Visit = Callable[[Tracker, Project], None]


def load_catalog(
    root: Path,
    keep_models: bool = True,
    visit: Visit | None = None,
    today: date | None = None,
    part: Part | None = None,
) -> Tracker:
    """Every file read and validated, then checked against the others and against the
    rules that hold at any moment (readiness, history, gates passed). Without
    `keep_models`, a project's model is built again only when it is used: a command that
    reports problems holds none of them. `visit(catalog, project)` runs once for each
    project whose cross-file rules run in this read (not one whose problems were kept from
    an earlier read with the same files), right after them. Dates are checked against
    `today` (default: the real one); `part`, when given, is the part of the tracker read
    (`rules.tracker.model.Part`)."""
    check = project_checks if visit is None else partial(_checked, visit)
    # Reading, and the checks across files after it, run without the collector.
    with gcpause.paused():
        catalog = read_tracker(root, check, keep_models, today, part, visit is None)
        projects = catalog.projects
        for project_id in projects:
            if project_id not in catalog.checked:
                project = projects[project_id] if keep_models else projects.once(project_id)
                problems = check(catalog, project)
                catalog.checked[project_id] = problems
                if catalog.cache is not None:
                    catalog.cache.found[project_id] = problems
        catalog.problems.extend(check_references(catalog))
        _set_aside_off_workflow(catalog)
        catalog.problems.extend(check_invariants(catalog))
        catalog.problems.extend(practice_dates(catalog))
        if catalog.cache is not None:
            catalog.cache.save(catalog.projects)
        _set_aside_ambiguous_organisation(catalog)
        # What was read lives as long as the command: later collections need not walk it.
        gc.freeze()
    return catalog


def project_checks(catalog: Tracker, project: Project) -> list[Problem]:
    """What one project's files, the organisation and the practices say about it: its
    cross-file problems and, when it keeps to the workflow's phases, the rules it must keep
    at any moment."""
    found = project_problems(catalog, project) + project_dates(catalog, project)
    if named_phases(project) <= set(catalog.workflow.phases):
        found += project_invariants(catalog, project)
    return found


def reference(catalog: Tracker) -> chrono.Reference:
    org = catalog.organisation
    window = org.settings.dates if org is not None else DateWindow()
    return chrono.Reference(window, catalog.today)


def project_dates(catalog: Tracker, project: Project) -> list[Problem]:
    """The project's dates out of order or out of the window (`rules.chrono`)."""
    practice = catalog.practices.get(project.practice)
    practice_doc = catalog.sources.get(f"practice/{project.practice}")
    # Its span was found as it was registered, from the same file (`Tracker.spans`).
    span: Span | Literal[False] | None = catalog.spans.get(project.id, False)
    clashes = chrono.project_clashes(project, practice, catalog.workflow, reference(catalog), span)
    return chrono.problems(clashes, catalog.document("project", project.id), practice_doc)


def practice_dates(catalog: Tracker) -> list[Problem]:
    ref, found = reference(catalog), list[Problem]()
    for practice in catalog.practices.values():
        clashes = chrono.practice_clashes(practice, ref)
        found += chrono.problems(clashes, catalog.document("practice", practice.id))
    return found


def _checked(visit: Visit, catalog: Tracker, project: Project) -> list[Problem]:
    problems = project_checks(catalog, project)
    visit(catalog, project)
    return problems


def usable_organisation(catalog: Tracker) -> Organisation | None:
    """The organisation as read so far, when `load_tracker` will go on with it: valid,
    and naming no id twice (see `_set_aside_ambiguous_organisation`)."""
    org = catalog.organisation
    if org is None or any(p.code == "duplicate-id" for p in organisation_problems(catalog)):
        return None
    return org


def _set_aside_ambiguous_organisation(catalog: Tracker) -> None:
    """An organisation listing an id twice (a site, a person, a phase, a duty) leaves every
    command guessing which one is meant, and every table keyed by id holding two rows: like
    one that fails its schema it is not used, and the duplicate-id problems say what to fix.
    Set aside last, so the files are still checked against it in the same run."""
    org_path = catalog.sources["organisation"].path
    if any(p.code == "duplicate-id" and p.location.path == org_path for p in catalog.problems):
        catalog.organisation = None


def _set_aside_off_workflow(catalog: Tracker) -> None:
    """Projects whose phase or history names a phase the workflow lacks join the broken
    files: every rule and report counts phases along the workflow, and the reference
    problem already says what to fix."""
    phases = set(catalog.workflow.phases)
    for project_id in list(catalog.projects):
        # Known without building the model (see `Tracker.phases_named`).
        if catalog.phases_named[project_id] <= phases:
            continue
        key = f"project/{project_id}"
        catalog.broken[key] = catalog.sources.pop(key)
        del catalog.projects[project_id]


@dataclass
class Loaded:
    """A tracker read and checked: the tracker, its organisation and every problem found."""

    catalog: Tracker
    org: Organisation
    problems: list[Problem]


def load_tracker(
    root: Path, keep_models: bool = True, visit: Visit | None = None, today: date | None = None
) -> Loaded:
    """The catalog, or a DiffuseError when not even the organisation file is usable (see
    `load_catalog` for `keep_models`, `visit` and `today`)."""
    catalog = load_catalog(root, keep_models, visit, today)
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
