"""The whole tracker in memory: the organisation file, every practice and project."""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diffuse.errors import Location, Problem
from diffuse.files.loading import Document, read_document, salvage, validate
from diffuse.files.nodes import shown
from diffuse.files.phi import patient_data
from diffuse.layout import (
    ID_PATTERN,
    ORGANISATION_FILE,
    PRACTICES_DIR,
    PROJECTS_DIR,
    SUFFIXES,
    WINDOWS_RESERVED,
    find_root,
    relative,
    tracker_entries,
)
from diffuse.limits import DEFAULT_LIMITS, Limits
from diffuse.models import Organisation, Practice, Project, Workflow


@dataclass
class Catalog:
    root: Path
    organisation: Organisation | None = None
    practices: dict[str, Practice] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    documents: list[Document] = field(default_factory=list)
    sources: dict[str, Document] = field(default_factory=dict)
    broken: dict[str, Document] = field(default_factory=dict)
    # What parsed of each broken practice and project, so its references are still checked.
    partial: dict[str, Practice | Project] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    memo: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def workflow(self) -> Workflow:
        if self.organisation is not None and self.organisation.workflow is not None:
            return self.organisation.workflow
        from diffuse.frameworks.mayo import default_workflow

        return default_workflow()

    def document(self, kind: str, item_id: str) -> Document:
        return self.sources[f"{kind}/{item_id}"]

    def all_problems(self) -> list[Problem]:
        found = list(self.problems)
        for doc in self.documents:
            found.extend(doc.problems)
        return sorted(set(found), key=_order)


def _order(problem: Problem) -> tuple[object, ...]:
    # The dataclass order, with the path compared by its parts: much quicker on thousands.
    loc = problem.location
    return (loc.path.parts, loc.line, loc.col, problem.code, problem.message, problem.level)


def read_catalog(root: Path) -> Catalog:
    """Read and validate every file on its own; problems are collected, never raised.

    Rules across files are `rules.references`; `rules.load.load_catalog` applies both.
    """
    catalog = Catalog(root)
    base = root.resolve()
    org_doc = _read(catalog, base, root / ORGANISATION_FILE, DEFAULT_LIMITS, named=False)
    catalog.sources["organisation"] = org_doc
    catalog.organisation = validate(org_doc, Organisation)
    limits = _limits(catalog.organisation)
    for folder in (PRACTICES_DIR, PROJECTS_DIR):
        _check_folder(catalog, root / folder)
    # Reading makes millions of small objects and frees none of them in cycles; the
    # collector would walk them again and again, for half of the load time.
    paused = gc.isenabled()
    gc.disable()
    try:
        for kind, folder, model, into in (
            ("practice", PRACTICES_DIR, Practice, catalog.practices),
            ("project", PROJECTS_DIR, Project, catalog.projects),
        ):
            for path in tracker_entries(root, folder):
                doc = _read(catalog, base, path, limits)
                item = validate(doc, model)
                _register(catalog, kind, doc, item, into)  # type: ignore[arg-type]
                # A practice's keys are read again by `check`; a project's data is in its model.
                doc.release(data=kind == "project" and item is not None)
    finally:
        if paused:
            gc.enable()
    return catalog


def _check_folder(catalog: Catalog, folder: Path) -> None:
    """A folder of records that is something else would otherwise read as no records."""
    if folder.is_dir():
        try:
            next(folder.iterdir(), None)
        except OSError as exc:
            why = f"cannot read this folder: {exc.strerror or exc}"
            catalog.problems.append(Problem(Location(folder), "unreadable", why))
        return
    if folder.exists() or folder.is_symlink():
        kind = "a link that leads to no folder" if folder.is_symlink() else "a file"
        catalog.problems.append(
            Problem(
                Location(folder),
                "not-a-folder",
                f"this should be the folder of {folder.name.removesuffix('s')} files, but it "
                f"is {kind}; move it aside and make the folder",
            )
        )


def _limits(org: Organisation | None) -> Limits:
    return org.settings.limits.limits() if org is not None else DEFAULT_LIMITS


def _read(catalog: Catalog, base: Path, path: Path, limits: Limits, named: bool = True) -> Document:
    refusal = _refusal(base, path, named)
    if refusal is None:
        doc = read_document(path, limits)
        doc.problems.extend(patient_data(doc))
    else:
        doc = Document(path, problems=[refusal])
    catalog.documents.append(doc)
    return doc


def _refusal(base: Path, path: Path, named: bool) -> Problem | None:
    """Why `path` is not read at all: a name that is no id, or a place outside the tracker."""
    name = _name_problem(path) if named else None
    if name is not None:
        return name
    try:
        real = path.resolve()
    except (RuntimeError, OSError):
        return Problem(
            Location(path),
            "link-loop",
            "a symbolic link that leads back to itself through a loop of links; point it "
            "at a file or delete it",
        )
    if real.is_relative_to(base):
        return None
    how = "is a symbolic link to" if path.is_symlink() else "resolves to"
    return Problem(
        Location(path),
        "outside-tracker",
        f"{how} {shown(str(real), 200)}, outside the tracker folder; refused",
    )


def _name_problem(path: Path) -> Problem | None:
    if not ID_PATTERN.fullmatch(path.stem):
        return Problem(
            Location(path),
            "bad-file-name",
            f"the file name {shown(path.name)} is not an id: use lowercase letters, digits "
            "and '-' (at most 64), and rename the file",
        )
    if path.suffix not in SUFFIXES:
        return Problem(
            Location(path),
            "bad-file-name",
            f"the file name {shown(path.name)} ends in {shown(path.suffix)}: only lowercase "
            f"'.yaml' and '.yml' files are read, so this one is not; rename it to "
            f"{path.stem}{path.suffix.lower()}",
        )
    if path.stem in WINDOWS_RESERVED:
        return Problem(
            Location(path),
            "reserved-file-name",
            f"the file name {shown(path.name)} is a device name on Windows, where the "
            "repository cannot be checked out with it; choose another id and rename the file",
        )
    return None


def _register(
    catalog: Catalog,
    kind: str,
    doc: Document,
    item: Practice | Project | None,
    into: dict[str, Practice] | dict[str, Project],
) -> None:
    if item is None:
        # Remembered so references to it are not reported a second time as missing.
        catalog.broken[f"{kind}/{doc.path.stem}"] = doc
        part: Practice | Project | None = (
            salvage(doc, Practice) if kind == "practice" else salvage(doc, Project)
        )
        if part is not None:
            part.id = part.id or doc.path.stem
            catalog.partial[f"{kind}/{doc.path.stem}"] = part
        return
    path = doc.path
    if item.id in into:
        first = catalog.sources[f"{kind}/{item.id}"].path.relative_to(catalog.root)
        catalog.problems.append(
            Problem(
                doc.locate(("id",)), "duplicate-id", f"id: '{item.id}' is already used by {first}"
            )
        )
        return
    if item.id != path.stem:
        catalog.problems.append(
            Problem(
                doc.locate(("id",)),
                "id-mismatch",
                f"id: '{item.id}' does not match the file name; rename the file to "
                f"{item.id}{path.suffix} or set id: {path.stem}",
            )
        )
        return
    into[item.id] = item  # type: ignore[assignment]
    catalog.sources[f"{kind}/{item.id}"] = doc


def problem_at(doc: Document, loc: tuple[str | int, ...], code: str, message: str) -> Problem:
    return Problem(doc.locate(loc), code, message)


__all__ = [
    "ORGANISATION_FILE",
    "PRACTICES_DIR",
    "PROJECTS_DIR",
    "SUFFIXES",
    "Catalog",
    "Location",
    "find_root",
    "problem_at",
    "relative",
    "tracker_entries",
]
