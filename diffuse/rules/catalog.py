"""The whole tracker in memory: the organisation file, every practice and project."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from diffuse import progress
from diffuse.cache.days import Span, same_verdict, validity, widest
from diffuse.cache.perfile import CacheState, FileCache, Hit
from diffuse.cache.spans import date_span
from diffuse.errors import Location, Problem
from diffuse.files.loading import (
    Document,
    document_from_text,
    parse_bytes,
    read_bytes,
    salvage,
    validate,
)
from diffuse.files.nodes import shown
from diffuse.files.phi import NO_STAFF, Staff, organisation_staff, patient_data
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
from diffuse.models.organisation import DateWindow
from diffuse.rules.parallel import PART, read_all


class Projects(MutableMapping[str, Project]):
    """Project models by id. One read back from the file cache is built on first use: a
    command that needs only its problems, like `validate`, never builds it."""

    def __init__(self) -> None:
        self._items: dict[str, Project | Callable[[], Project]] = {}

    def __getitem__(self, key: str) -> Project:
        value = self._items[key]
        if not isinstance(value, Project):
            value = self._items[key] = value()
        return value

    def __setitem__(self, key: str, value: Project) -> None:
        self._items[key] = value

    def later(self, key: str, load: Callable[[], Project]) -> None:
        self._items[key] = load

    def once(self, key: str) -> Project:
        """The model, built when it is not held and then not kept."""
        value = self._items[key]
        return value if isinstance(value, Project) else value()

    def __delitem__(self, key: str) -> None:
        del self._items[key]

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


@dataclass
class Catalog:
    root: Path
    organisation: Organisation | None = None
    practices: dict[str, Practice] = field(default_factory=dict)
    projects: Projects = field(default_factory=lambda: Projects())
    documents: list[Document] = field(default_factory=list)
    sources: dict[str, Document] = field(default_factory=dict)
    broken: dict[str, Document] = field(default_factory=dict)
    # What parsed of each broken practice and project, so its references are still checked.
    partial: dict[str, Practice | Project] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    memo: dict[str, Any] = field(default_factory=dict, repr=False)
    # Project id -> its practice and phase, known without building the model.
    practice_of: dict[str, str] = field(default_factory=dict)
    phase_of: dict[str, str] = field(default_factory=dict)
    phases_named: dict[str, frozenset[str]] = field(default_factory=dict)  # phase, history
    cache: CacheState | None = field(default=None, repr=False)
    # Project id -> its cross-file problems, found while reading or kept in the file cache.
    checked: dict[str, list[Problem]] = field(default_factory=dict, repr=False)
    # Each file read -> the SHA-256 of the bytes read ("" when refused by its name alone):
    # a report kept whole is kept only when these are the bytes its key was made from.
    read: dict[str, str] = field(default_factory=dict, repr=False)
    # The day dates are checked against (`rules.chrono`): today, or a command's --as-of.
    today: date = field(default_factory=date.today)
    # The organisation's people, whose names and e-mail the patient-data scan lets through.
    staff: Staff = field(default=NO_STAFF, repr=False)
    # Valid project id -> its earliest and latest date, known without building the model.
    spans: dict[str, Span | None] = field(default_factory=dict, repr=False)

    @property
    def window(self) -> DateWindow:
        org = self.organisation
        return org.settings.dates if org is not None else DateWindow()

    def validity(self) -> dict[str, Any]:
        """On which days the problems found hold (`cache.days.holds`): every date
        checked against the window, of the projects and practices, in one span."""
        spans = [*self.spans.values(), *(date_span(p) for p in self.practices.values())]
        window = self.window
        return validity(widest(spans), self.today, window.past_years, window.future_years)

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


Check = Callable[["Catalog", Project], list[Problem]]


def named_phases(project: Project) -> frozenset[str]:
    """Every phase the project names: its own, and those of its history."""
    named = {project.phase} | {t.to for t in project.history}
    return frozenset(named | {t.from_phase for t in project.history})


def read_catalog(
    root: Path, check: Check | None = None, keep_models: bool = True, today: date | None = None
) -> Catalog:
    """Read and validate every file on its own; problems are collected, never raised.

    Rules across files are `rules.references`; `rules.load.load_catalog` applies both.
    `check(catalog, project)`, the cross-file rules of one project, runs as each project is
    read (the organisation and practices come first); without `keep_models` its model is
    then dropped, and built again only if a command asks for it. Dates are checked against
    `today` (default: the real one).
    """
    catalog = Catalog(root) if today is None else Catalog(root, today=today)
    base = root.resolve()
    org_doc = _read(catalog, base, root / ORGANISATION_FILE, DEFAULT_LIMITS, named=False)
    catalog.sources["organisation"] = org_doc
    catalog.organisation = validate(org_doc, Organisation)
    limits = _limits(catalog.organisation)
    for folder in (PRACTICES_DIR, PROJECTS_DIR):
        _check_folder(catalog, root / folder)
    kinds: tuple[tuple[str, list[Path], type[Practice] | type[Project], Any], ...] = (
        ("practice", tracker_entries(root, PRACTICES_DIR), Practice, catalog.practices),
        ("project", tracker_entries(root, PROJECTS_DIR), Project, catalog.projects),
    )
    store = FileCache.open(limits, base)
    catalog.cache = None if store is None else CacheState(store, day=catalog.today.isoformat())
    with progress.task("reading files", sum(len(k[1]) for k in kinds)) as step:
        for kind, paths, model, into in kinds:
            if kind == "project" and catalog.cache is not None:
                catalog.cache.context = _context(catalog, catalog.cache.store)
            # Read a part at a time: a part's models are held until each is checked.
            for at in range(0, len(paths), PART):
                part = paths[at : at + PART]
                for doc, item in _read_part(catalog, base, part, limits, (kind, model)):
                    _register(catalog, kind, doc, item, into, limits)
                    if check is not None and isinstance(item, Project):
                        _check(catalog, doc, item, (check, keep_models), limits)
                    step.advance()
    return catalog


def _context(catalog: Catalog, store: FileCache) -> str:
    """The state of every file a project's cross-file problems depend on: the organisation
    file and every practice, read or refused. Not the day dates are checked against: a
    project's problems are reused on another day when its dates allow (`_reusable`)."""
    parts = [catalog.sources["organisation"].text]
    for doc in catalog.documents[1:]:
        registered = catalog.sources.get(f"practice/{doc.path.stem}") is doc
        parts += [doc.path.name, doc.text, str(registered), str(len(doc.problems))]
    return store.context(parts)


@dataclass
class _Read:
    """One file as read once: its bytes, their entry in the file cache and what it holds."""

    doc: Document
    raw: bytes | None = None
    refused: bool = False
    key: str = ""
    hit: Hit | None = None


def _read_part(
    catalog: Catalog,
    base: Path,
    paths: list[Path],
    limits: Limits,
    kind: tuple[str, type[Practice] | type[Project]],
) -> Iterator[tuple[Document, Practice | Project | Hit | None]]:
    """Each file of `paths` read once, in order; a project from the file cache when its
    bytes were seen before (practices are few, and `check` reads their data again), the
    others parsed, in two processes when there are enough of them."""
    state = catalog.cache if kind[0] == "project" else None
    reads = [_read_one(catalog, base, path, limits, state) for path in paths]
    todo = [(r.doc.path, r.raw) for r in reads if r.raw is not None and r.hit is None]
    parse_one = partial(_parsed, limits, kind[1], catalog.staff)
    parsed = read_all(todo, parse_one) if kind[0] == "project" else {}
    for read in reads:
        doc: Document = read.doc
        item: Practice | Project | Hit | None = read.hit
        if item is None and not read.refused:
            # Read by `parallel.read_all` through `_parse`, or here alike.
            done = parsed.pop(doc.path, None)
            doc, item = done or (doc, _parse(doc, read.raw, limits, kind[1], catalog.staff))
            if state is not None and item is not None and read.key:
                state.pending[read.key] = (doc, item)  # type: ignore[assignment]
        read.raw = None
        catalog.documents.append(doc)
        yield doc, item


def _read_one(
    catalog: Catalog, base: Path, path: Path, limits: Limits, state: CacheState | None
) -> _Read:
    refusal = _name_problem(path)
    if refusal is not None:
        catalog.read[str(path)] = ""  # refused by its name alone, whatever it holds
    else:
        refusal = _refusal(base, path, False, catalog.memo.setdefault("folders", {}))
    if refusal is not None:
        return _Read(Document(path, problems=[refusal]), refused=True)
    doc, raw = read_bytes(path, limits)
    if raw is None:
        return _Read(doc, raw)
    seen = catalog.read[str(path)] = hashlib.sha256(raw).hexdigest()
    if state is None:
        return _Read(doc, raw)
    # A file's problems hold its patient-data findings, which depend on the staff too.
    key = state.paths[path] = state.store.key("project", path, seen + catalog.staff.digest)
    hit = state.store.get(key, path, raw)
    # A broken project is read again: what parses of it is still checked (`salvage`).
    if hit is not None and hit.item_id is not None:
        return _Read(hit.doc, key=key, hit=hit)
    return _Read(doc, raw, key=key)


def _parsed(
    limits: Limits, model: type[Practice] | type[Project], staff: Staff, job: tuple[Path, bytes]
) -> tuple[Document, Practice | Project | None]:
    """One file's bytes parsed, scanned for patient data and validated; its tree released."""
    doc = Document(job[0])
    return doc, _parse(doc, job[1], limits, model, staff)


def _parse(
    doc: Document,
    raw: bytes | None,
    limits: Limits,
    model: type[Practice] | type[Project],
    staff: Staff = NO_STAFF,
) -> Practice | Project | None:
    if raw is not None:
        parse_bytes(doc, raw, limits)
    doc.problems.extend(patient_data(doc, staff))
    item = validate(doc, model)
    # A practice's keys are read again by `check`; a valid project's data is in its model.
    doc.release(data=model is Project and item is not None)
    return item


def _check(
    catalog: Catalog, doc: Document, project: Project, how: tuple[Check, bool], limits: Limits
) -> None:
    """The project's cross-file problems, found while its model is at hand, and kept with
    it in the file cache."""
    if catalog.sources.get(f"project/{project.id}") is not doc:
        return
    check, keep_model = how
    problems = catalog.checked[project.id] = check(catalog, project)
    state = catalog.cache
    key = state.paths.get(doc.path, "") if state is not None else ""
    if state is not None and key:
        state.store.put(key, doc, project, state.context, problems, state.day)
        state.pending.pop(key, None)
    if not keep_model:
        catalog.projects.later(project.id, _reload(catalog, key, doc, limits))


def _reload(catalog: Catalog, key: str, doc: Document, limits: Limits) -> Callable[[], Project]:
    def load() -> Project:
        state = catalog.cache
        model = state.store.model(key) if state is not None and key else None
        if model is None:
            # No entry (no cache, or pruned by another run): read the text again.
            model = validate(document_from_text(doc.path, doc.text, limits), Project)
        if model is None:
            raise RuntimeError(f"{doc.path} was valid and no longer is")
        return model

    return load


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
        doc, raw = read_bytes(path, limits)
        if raw is not None:
            catalog.read[str(path)] = hashlib.sha256(raw).hexdigest()
            parse_bytes(doc, raw, limits)
        if path.name == ORGANISATION_FILE:
            catalog.staff = organisation_staff(doc.text, doc.data)
        doc.problems.extend(patient_data(doc, catalog.staff))
    else:
        doc = Document(path, problems=[refusal])
    catalog.documents.append(doc)
    return doc


Folders = dict[str, tuple[Path, bool]]  # folder -> it resolved, and whether in the tracker


def _resolved(path: Path, base: Path, folders: Folders) -> Path:
    # Resolving each of thousands of files walks every folder above it again: a file that
    # is no link is where its resolved folder is (each folder resolved once per read).
    if path.is_symlink():
        return path.resolve()
    return _resolved_folder(path, base, folders)[0] / path.name


def _resolved_folder(path: Path, base: Path, folders: Folders) -> tuple[Path, bool]:
    # Keyed by text: hashing a path is slow enough to matter ten thousand times over.
    parent = os.path.dirname(path)
    if parent not in folders:
        real = path.parent.resolve()
        folders[parent] = (real, real.is_relative_to(base))
    return folders[parent]


def _refusal(base: Path, path: Path, named: bool, folders: Folders | None = None) -> Problem | None:
    """Why `path` is not read at all: a name that is no id, or a place outside the tracker."""
    name = _name_problem(path) if named else None
    if name is not None:
        return name
    folders = {} if folders is None else folders
    try:
        if not path.is_symlink() and _resolved_folder(path, base, folders)[1]:
            return None  # each folder's place worked out once, not each file's
        real = _resolved(path, base, folders)
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
    raw = os.fsencode(path.name)
    if not path.name.isascii() and not _is_utf8(raw):
        return Problem(
            Location(path),
            "bad-file-name",
            "the file name is not UTF-8 text (bytes shown as \\xNN); rename the file to its "
            "id: lowercase letters, digits and '-'",
        )
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


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _register(
    catalog: Catalog,
    kind: str,
    doc: Document,
    item: Practice | Project | Hit | None,
    into: dict[str, Practice] | Projects,
    limits: Limits,
) -> None:
    item_id = item.item_id if isinstance(item, Hit) else None if item is None else item.id
    if item_id is None:
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
    if item_id in into:
        first = catalog.sources[f"{kind}/{item_id}"].path.relative_to(catalog.root)
        catalog.problems.append(
            Problem(
                doc.locate(("id",)), "duplicate-id", f"id: '{item_id}' is already used by {first}"
            )
        )
        return
    if item_id != path.stem:
        catalog.problems.append(
            Problem(
                doc.locate(("id",)),
                "id-mismatch",
                f"id: '{item_id}' does not match the file name; rename the file to "
                f"{item_id}{path.suffix} or set id: {path.stem}",
            )
        )
        return
    catalog.sources[f"{kind}/{item_id}"] = doc
    if isinstance(item, Hit):
        catalog.projects.later(item_id, _reload(catalog, item.key, doc, limits))
        catalog.practice_of[item_id] = str(item.practice)
        catalog.phase_of[item_id] = item.phase
        catalog.phases_named[item_id] = frozenset(item.phases)
        catalog.spans[item_id] = item.dates
    else:
        into[item_id] = item  # type: ignore[assignment]
        if isinstance(item, Project):
            catalog.practice_of[item_id] = item.practice
            catalog.phase_of[item_id] = item.phase
            catalog.phases_named[item_id] = named_phases(item)
            catalog.spans[item_id] = date_span(item)
    state = catalog.cache
    if kind == "project" and state is not None and path in state.paths:
        state.keys[item_id] = state.paths[path]
        if isinstance(item, Hit) and item.context == state.context and _reusable(catalog, item):
            catalog.checked[item_id] = item.refs


def _reusable(catalog: Catalog, hit: Hit) -> bool:
    """Whether the kept problems, found with dates checked against `hit.day`, are those of
    `catalog.today`: else the project alone is checked again, from its kept model."""
    try:
        then = date.fromisoformat(hit.day)
    except ValueError:
        return False
    window = catalog.window
    return same_verdict(hit.dates, then, catalog.today, window.past_years, window.future_years)


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
