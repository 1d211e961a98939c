"""How the tracker is read: every file on its own, problems collected, never raised."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from diffuse import progress
from diffuse.cache.days import same_verdict
from diffuse.cache.perfile import CacheState, FileCache, Hit
from diffuse.cache.spans import date_span
from diffuse.errors import Problem
from diffuse.files.loading import (
    Document,
    document_from_text,
    parse_bytes,
    read_bytes,
    salvage,
    validate,
)
from diffuse.files.phi import NO_STAFF, Staff, organisation_staff, patient_data
from diffuse.layout import ORGANISATION_FILE, PRACTICES_DIR, PROJECTS_DIR, tracker_entries
from diffuse.limits import DEFAULT_LIMITS, Limits
from diffuse.models import Organisation, Practice, Project
from diffuse.reading import handover
from diffuse.rules.parallel import parts, read_all
from diffuse.rules.tracker.model import Check, Part, Projects, Tracker, named_phases
from diffuse.rules.tracker.refusals import folder_problem, name_problem, refusal_of


def read_tracker(
    root: Path,
    check: Check | None = None,
    keep_models: bool = True,
    today: date | None = None,
    part: Part | None = None,
    problems_only: bool = False,
) -> Tracker:
    """Read and validate every file on its own; problems are collected, never raised.

    Rules across files are `rules.references`; `rules.load.load_catalog` applies both.
    `check(catalog, project)`, the cross-file rules of one project, runs as each project is
    read (the organisation and practices come first); without `keep_models` its model is
    then dropped, and built again only if a command asks for it. Dates are checked against
    `today` (default: the real one). With `part`, only its project files are read, and
    without the file cache (whose pack of headers is the whole tracker's). With
    `problems_only` (no models kept, and `check` wants nothing but the project), a project
    is checked where it is parsed, in the worker too, and only what it found comes back.
    """
    catalog = Tracker(root) if today is None else Tracker(root, today=today)
    catalog.part = part
    base = root.resolve()
    org_doc = _read(catalog, base, root / ORGANISATION_FILE, DEFAULT_LIMITS, named=False)
    catalog.sources["organisation"] = org_doc
    catalog.organisation = validate(org_doc, Organisation)
    limits = _limits(catalog.organisation)
    for folder in (PRACTICES_DIR, PROJECTS_DIR):
        problem = folder_problem(root / folder)
        if problem is not None:
            catalog.problems.append(problem)
    kinds: tuple[tuple[str, list[Path], type[Practice] | type[Project], Any], ...] = (
        ("practice", tracker_entries(root, PRACTICES_DIR), Practice, catalog.practices),
        ("project", _project_files(root, part), Project, catalog.projects),
    )
    store = FileCache.open(limits, base) if part is None else None
    catalog.cache = None if store is None else CacheState(store, day=catalog.today.isoformat())
    with progress.task("reading files", sum(len(k[1]) for k in kinds)) as step:
        for kind, paths, model, into in kinds:
            if kind == "project" and catalog.cache is not None:
                catalog.cache.context = _context(catalog, catalog.cache.store)
            # Read a part at a time: a part's models are held until each is checked.
            alone = check if problems_only and not keep_models and kind == "project" else None
            for some in parts(paths):
                for doc, item in _read_part(catalog, base, some, limits, (kind, model), alone):
                    _register(catalog, kind, doc, item, into, limits)
                    if check is not None and isinstance(item, Project):
                        _check(catalog, doc, item, (check, keep_models), limits)
                    elif isinstance(item, Hit) and item.fresh:
                        _keep(catalog, doc, item)
                    step.advance()
    return catalog


def _project_files(root: Path, part: Part | None) -> list[Path]:
    if part is None:
        return tracker_entries(root, PROJECTS_DIR)
    # In the order the whole folder's are read: which of two files keeps an id depends on it.
    return sorted(part.projects, key=lambda path: path.name)


def _context(catalog: Tracker, store: FileCache) -> str:
    """The state of every file a project's cross-file problems depend on: the organisation
    file and every practice, read or refused. Not the day dates are checked against: a
    project's problems are reused on another day when its dates allow (`_reusable`)."""
    state = [catalog.sources["organisation"].text]
    for doc in catalog.documents[1:]:
        registered = catalog.sources.get(f"practice/{doc.path.stem}") is doc
        state += [doc.path.name, doc.text, str(registered), str(len(doc.problems))]
    return store.context(state)


@dataclass
class _Read:
    """One file as read once: its bytes, their entry in the file cache and what it holds."""

    doc: Document
    raw: bytes | None = None
    refused: bool = False
    key: str = ""
    hit: Hit | None = None


def _read_part(
    catalog: Tracker,
    base: Path,
    paths: list[Path],
    limits: Limits,
    kind: tuple[str, type[Practice] | type[Project]],
    alone: Check | None = None,
) -> Iterator[tuple[Document, Practice | Project | Hit | None]]:
    """Each file of `paths` read once, in order; a project from the file cache when its
    bytes were seen before (practices are few, and `check` reads their data again), the
    others parsed, in two processes when there are enough of them. With `alone`, the
    projects parsed in two processes are also checked there (`_parsed_alone`)."""
    global _ALONE
    state = catalog.cache if kind[0] == "project" else None
    reads = [_read_one(catalog, base, path, limits, state) for path in paths]
    todo = [(r.doc.path, r.raw) for r in reads if r.raw is not None and r.hit is None]
    parse_one: Callable[[tuple[Path, bytes]], tuple[Document, Any]]
    if alone is not None:
        # The worker, forked as `read_all` starts it, has the tracker as read so far.
        _ALONE = (catalog, alone)
        parse_one = partial(_parsed_alone, limits, catalog.staff)
    else:
        parse_one = partial(_parsed, limits, kind[1], catalog.staff)
    try:
        parsed = read_all(todo, parse_one) if kind[0] == "project" else {}
    finally:
        _ALONE = None
    for read in reads:
        doc: Document = read.doc
        item: Practice | Project | Hit | None = read.hit
        if item is None and not read.refused:
            # Read by `parallel.read_all` through `_parse`, or here alike.
            done = parsed.pop(doc.path, None)
            doc, item = done or (doc, _parse(doc, read.raw, limits, kind[1], catalog.staff))
            if isinstance(item, Hit):
                item.key = read.key
            elif state is not None and item is not None and read.key:
                state.pending[read.key] = (doc, item)  # type: ignore[assignment]
        read.raw = None
        catalog.documents.append(doc)
        yield doc, item


def _read_one(
    catalog: Tracker, base: Path, path: Path, limits: Limits, state: CacheState | None
) -> _Read:
    refusal = name_problem(path)
    if refusal is not None:
        catalog.read[str(path)] = ""  # refused by its name alone, whatever it holds
    else:
        refusal = refusal_of(base, path, False, catalog.memo.setdefault("folders", {}))
    if refusal is not None:
        return _Read(Document(path, problems=[refusal]), refused=True)
    doc, raw = read_bytes(path, limits)
    if raw is None:
        return _Read(doc, raw)
    seen = catalog.read[str(path)] = handover.sha256(raw)
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


# The tracker and the checks of `_parsed_alone`, while a part is read in two processes.
_ALONE: tuple[Tracker, Check] | None = None


def _parsed_alone(
    limits: Limits, staff: Staff, job: tuple[Path, bytes]
) -> tuple[Document, Project | Hit | None]:
    """One project file parsed, validated and checked where it is read, by the checks that
    read nothing of another project (`tests/unit/rules/test_cache_contract.py`): what they
    found comes back instead of the model, which costs more to hand over than to build
    again. A file whose id is not its name, or is taken, comes back as its model."""
    doc = Document(job[0])
    item = _parse(doc, job[1], limits, Project, staff)
    if not isinstance(item, Project):
        return doc, None
    if _ALONE is None or item.id != doc.path.stem:
        return doc, item
    catalog, check = _ALONE
    source = f"project/{item.id}"
    if source in catalog.sources:
        return doc, item
    span = date_span(item)
    # As `_register` will hold it, for the checks' sake; let go of once they ran.
    catalog.sources[source], catalog.spans[item.id] = doc, span
    try:
        refs = check(catalog, item)
    finally:
        del catalog.sources[source], catalog.spans[item.id]
    state = catalog.cache
    body = b"" if state is None else item.model_dump_json(by_alias=True).encode()
    return doc, Hit(
        key="",
        doc=doc,
        item_id=item.id,
        practice=item.practice,
        phase=item.phase,
        phases=sorted(named_phases(item)),
        context="" if state is None else state.context,
        refs=refs,
        day=catalog.today.isoformat(),
        dates=span,
        fresh=True,
        body=body,
    )


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
    catalog: Tracker, doc: Document, project: Project, how: tuple[Check, bool], limits: Limits
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


def _keep(catalog: Tracker, doc: Document, hit: Hit) -> None:
    """Take what a project checked where it was parsed found (`_parsed_alone`): its
    problems when it is the project of its id, and its entry in the file cache, written
    now rather than held until the end of the read."""
    checked = hit.item_id is not None and catalog.sources.get(f"project/{hit.item_id}") is doc
    if checked and hit.item_id is not None:
        catalog.checked[hit.item_id] = hit.refs
    state = catalog.cache
    if state is not None and hit.key:
        state.store.put_read(hit, checked)
    hit.body = b""


def _reload(catalog: Tracker, key: str, doc: Document, limits: Limits) -> Callable[[], Project]:
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


def _limits(org: Organisation | None) -> Limits:
    return org.settings.limits.limits() if org is not None else DEFAULT_LIMITS


def _read(catalog: Tracker, base: Path, path: Path, limits: Limits, named: bool = True) -> Document:
    refusal = refusal_of(base, path, named)
    if refusal is None:
        doc, raw = read_bytes(path, limits)
        if raw is not None:
            catalog.read[str(path)] = handover.sha256(raw)
            parse_bytes(doc, raw, limits)
        if path.name == ORGANISATION_FILE:
            catalog.staff = organisation_staff(doc.text, doc.data)
        doc.problems.extend(patient_data(doc, catalog.staff))
    else:
        doc = Document(path, problems=[refusal])
    catalog.documents.append(doc)
    return doc


def _register(
    catalog: Tracker,
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


def _reusable(catalog: Tracker, hit: Hit) -> bool:
    """Whether the kept problems, found with dates checked against `hit.day`, are those of
    `catalog.today`: else the project alone is checked again, from its kept model."""
    try:
        then = date.fromisoformat(hit.day)
    except ValueError:
        return False
    window = catalog.window
    return same_verdict(hit.dates, then, catalog.today, window.past_years, window.future_years)
