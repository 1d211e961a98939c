"""Which files a change can affect, so `check --base` reads only those in full.

A project's own problems depend on its file, the organisation and the practices alone (the
contract `tests/unit/rules/test_cache_contract.py` holds every per-project rule to), so a change to
one project cannot make another project wrong. What does read several projects is a
practice's own rules: whether it has a project, and whether its status follows its
projects' phases. The part read in full is therefore:

- the organisation and every practice, always (they are few);
- every changed project file;
- for each changed practice file, every project file that could name it (its projects'
  own problems depend on it).

A practice whose projects' say may have changed (a changed project names it and was or is
no longer valid, or moved to another practice or phase) needs only what its rules read of
its other projects: the files that could name it are searched, and each one's practice and
phase taken from its bytes (`pr.counted`) when they can only say one thing, else read in
full. Whether such a file is valid is not known without reading it in full, so `settled`
asks whether the practice's rules find nothing whether or not each counts; when they
might, more of those files are read in full, then all of them (`tries`).

A change to the organisation can touch every file: it is checked in full, as is a tracker
whose folders hold links, entries that are no regular file, or two files for one id.

"Could name it" is a search of the bytes for the practice's id (or for a backslash, with
which YAML can spell any text in escapes): it can only find too many files, never too few,
and decides nothing itself. Whether a file read in full is valid, which practice and phase
it names, and every problem reported, come from the same reading `validate` does
(`rules.load`). Files left out are taken as they were at the base: a problem already there
in a file the change cannot affect is `validate`'s to report, not the change's.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from diffuse.files.loading import model_from_bytes
from diffuse.layout import ORGANISATION_FILE, PRACTICES_DIR, PROJECTS_DIR, SUFFIXES, resolved
from diffuse.models import Practice, Project
from diffuse.pr.counted import Counted, practice_and_phase, settles
from diffuse.rules.tracker.model import Part, Tracker, named_phases

# A file bigger than this is read in full (and refused there if over the limits) rather
# than searched.
_SEARCHED = 64 << 20
# When a practice's rules are not settled, the next few files of each of its phases are
# read in full, this many at a time, this many times, before every file that could name it.
_MORE, _TIMES = 3, 2


@dataclass(frozen=True)
class Plan:
    """The part to read, and how many files the whole tracker holds."""

    part: Part
    files: int
    # Changed project file -> what its practice's rules read of it (None: not valid).
    said: dict[Path, tuple[str, str, frozenset[str]] | None]
    names: dict[str, Path]  # every project file by its name without the suffix
    # Practice whose rules are left to `settled` -> its projects not read in full that may
    # count for it (`pr.counted`).
    maybe: dict[str, list[Counted]]
    wider: Part  # what to read when they are not settled


@dataclass(frozen=True)
class _Changed:
    path: Path
    old: bytes | None
    new: bytes | None


def plan(root: Path, top: Path, changed: list[str], old_files: dict[str, bytes]) -> Plan | None:
    """The part of the tracker a change of the files `changed` (relative to `top`, with
    their content at the base in `old_files`) can affect; None when it is the whole."""
    practices_dir, projects_dir = (root / PRACTICES_DIR), (root / PROJECTS_DIR)
    practice_files, project_files = _entries(practices_dir), _entries(projects_dir)
    if practice_files is None or project_files is None:
        return None
    org = resolved(root / ORGANISATION_FILE)
    folders = {resolved(practices_dir): "practice", resolved(projects_dir): "project"}
    practices: list[_Changed] = []
    projects: list[_Changed] = []
    for rel in changed:
        path = top / rel
        if resolved(path) == org:
            return None
        kind = folders.get(resolved(path.parent))
        if kind is None or path.suffix.lower() not in SUFFIXES:
            continue
        # Named as the tracker lists it, so the read below finds it among its entries.
        entry = (practices_dir if kind == "practice" else projects_dir) / path.name
        item = _Changed(entry, old_files.get(rel), _current(entry))
        if any(len(raw or b"") > _SEARCHED for raw in (item.old, item.new)):
            return None  # read whole, where the limits refuse it
        (practices if kind == "practice" else projects).append(item)
    known = {p.stem for p in practice_files} | _ids(practices)
    changed_practices = _ids(practices)
    touched = set(changed_practices)
    said: dict[Path, tuple[str, str, frozenset[str]] | None] = {}
    for item in projects:
        before, after = _says(item.path, item.old), _says(item.path, item.new)
        said[item.path] = after
        if before is None or before != after:
            touched |= _named(known, item.old, item.new)
    names = {path.stem: path for path in project_files}
    read = {item.path for item in projects if names.get(item.path.stem) == item.path}
    found = _Search(changed_practices, touched - changed_practices, read)
    if touched:
        found.run(project_files)
    read |= found.full
    wider = Part(frozenset(read | found.naming), frozenset(touched))
    complete = touched - found.maybe.keys()  # every file that could name it is read in full
    files = 1 + len(practice_files) + len(project_files)
    return Plan(Part(frozenset(read), frozenset(complete)), files, said, names, found.maybe, wider)


def holds(found: Plan, catalog: Tracker) -> bool:
    """Whether the part read was enough: every changed project says, as read, what the plan
    took it to say, and a file whose id is another file's name was read with that file
    (which of the two keeps the id depends on both)."""
    for path, said in found.said.items():
        project = catalog.projects.get(path.stem)
        source = catalog.sources.get(f"project/{path.stem}")
        read: tuple[str, str, frozenset[str]] | None = None
        if project is not None and source is not None and source.path == path:
            read = (project.practice, project.phase, catalog.phases_named[path.stem])
        if read != said:
            return False
    for problem in catalog.problems:
        if problem.code not in ("duplicate-id", "id-mismatch"):
            continue
        path = problem.location.path
        if path not in (catalog.part or found.part).projects:
            continue  # the practices are all read
        doc = next((d for d in catalog.documents if d.path == path), None)
        # Only a valid file claims an id; its data is dropped once its model holds it.
        model = None if doc is None else model_from_bytes(path, _utf8(doc.text), Project)
        other = None if model is None else found.names.get(model.id)
        if other is not None and other not in found.part.projects:
            return False
    return True


def tries(found: Plan) -> Iterator[Plan]:
    """The plan, then the same with more of the files left unread read in full (a file
    read in full first may turn out not to count), then with every file that could name a
    practice whose rules are not settled read in full."""
    yield found
    for _ in range(_TIMES):
        if not found.maybe:
            return
        found = _deeper(found)
        yield found
    if found.maybe:
        yield replace(found, part=found.wider, maybe={})


def _deeper(found: Plan) -> Plan:
    read, maybe = set(found.part.projects), dict[str, list[Counted]]()
    for practice_id, counted in found.maybe.items():
        taken: dict[str, int] = {}
        for project in counted:
            if taken.get(project.phase, 0) < _MORE:
                taken[project.phase] = taken.get(project.phase, 0) + 1
                read.add(found.names[project.id])
            else:
                maybe.setdefault(practice_id, []).append(project)
    part = Part(frozenset(read), found.wider.practices - maybe.keys())
    return replace(found, part=part, maybe=maybe)


def settled(found: Plan, catalog: Tracker) -> bool:
    """Whether the rules of each practice left out of the part read (`Plan.maybe`) find
    nothing, whichever of the projects not read in full count for it."""
    if not found.maybe:
        return True
    if catalog.organisation is None:
        return False
    known: dict[str, list[Counted]] = {}
    # As the rules count them: registered, and keeping to the workflow's phases.
    for project_id in catalog.projects:
        counted = Counted(project_id, catalog.phase_of[project_id])
        known.setdefault(catalog.practice_of[project_id], []).append(counted)
    # A practice that failed its schema is still checked for a project, on what parsed.
    practices = [*catalog.practices.values(), *catalog.partial.values()]
    for practice in practices:
        if not isinstance(practice, Practice) or practice.id not in found.maybe:
            continue
        mine = known.get(practice.id, [])
        if not settles(catalog.workflow, practice.status, mine, found.maybe[practice.id]):
            return False
    return True


def _entries(folder: Path) -> list[Path] | None:
    """The folder's entries as the tracker lists them (`layout.tracker_entries`), when all
    are regular files, each with its own id; else None. A link can change when the file it
    leads to does, and two files for one id depend on each other."""
    names, stems = [], set()
    try:
        if os.path.islink(folder):
            return None
        with os.scandir(folder) as listing:
            for entry in listing:
                name = entry.name
                dot = name.rfind(".")  # as `PurePath.suffix` finds it
                if not (0 < dot < len(name) - 1 and name[dot:].lower() in SUFFIXES):
                    continue
                if not entry.is_file(follow_symlinks=False):
                    return None
                names.append(name)
                stems.add(name[:dot])
    except FileNotFoundError:
        return []
    except OSError:
        return None
    if len(stems) != len(names):
        return None
    return [folder / name for name in sorted(names)]


def _current(path: Path) -> bytes | None:
    """The file's bytes, and one more than `_SEARCHED` at most."""
    try:
        with open(path, "rb", buffering=0) as handle:
            # Asked for its size, not the most it may hold: a read makes room for all it asks.
            want = min(os.fstat(handle.fileno()).st_size, _SEARCHED) + 1
            raw = handle.read(want)
            if len(raw) == want and want <= _SEARCHED:  # it grew since
                raw += handle.read(_SEARCHED + 1 - want)
            return raw
    except OSError:
        return None


def _ids(items: Iterable[_Changed]) -> set[str]:
    """The ids a changed practice file has, had, or is named by."""
    found = set()
    for item in items:
        found.add(item.path.stem)
        for raw in (item.old, item.new):
            model = None if raw is None else model_from_bytes(item.path, raw, Practice)
            if model is not None:
                found.add(model.id)
    return found


def _says(path: Path, raw: bytes | None) -> tuple[str, str, frozenset[str]] | None:
    """What the rules of its practice read of a project file: its practice, phase and the
    phases it names; None when it is not a valid project under its own name."""
    model = None if raw is None else model_from_bytes(path, raw, Project)
    if model is None or model.id != path.stem:
        return None
    return model.practice, model.phase, named_phases(model)


def _named(known: set[str], *contents: bytes | None) -> set[str]:
    """The practices whose id a file's bytes may spell: every one that appears, and every
    one when a backslash might escape it."""
    raw = b"\n".join(c for c in contents if c is not None)
    if b"\\" in raw:
        return set(known)
    return {practice for practice in known if _utf8(practice) in raw}


class _Search:
    """The project files that could name a practice: read in full when they could name a
    changed one (or when in doubt), else what `pr.counted.practice_and_phase` reads of them."""

    def __init__(self, changed: set[str], counted: set[str], read: set[Path]) -> None:
        self.needles = [_utf8(p) for p in changed] + [b"\\"]
        self.counted = {p: _utf8(p) for p in counted}
        self.read = read
        self.full: set[Path] = set()
        self.naming: set[Path] = set()  # could name a practice in `counted`
        self.maybe: dict[str, list[Counted]] = {}
        self.seen: set[tuple[str, str]] = set()

    def run(self, paths: list[Path]) -> None:
        for path in paths:
            if path in self.read:
                continue
            raw = _current(path)
            # A file that cannot be read, or is too big to search, is read in full.
            if raw is None or len(raw) > _SEARCHED or any(n in raw for n in self.needles):
                self.full.add(path)
            elif any(needle in raw for needle in self.counted.values()):
                self.naming.add(path)
                says = practice_and_phase(raw, path.stem)
                if says is None or (says[0] in self.counted and says not in self.seen):
                    # The first file of each practice and phase is read in full: when it
                    # counts (as most do), the phase counts whatever the others do.
                    self.seen.add(says or ("", ""))
                    self.full.add(path)
                elif says[0] in self.counted:
                    self.maybe.setdefault(says[0], []).append(Counted(path.stem, says[1]))


def _utf8(text: str) -> bytes:
    # A name that is not UTF-8 is read with its odd bytes as lone surrogates, and YAML's
    # escapes can make them too: such an id is never a file's text, so it matches nothing.
    return text.encode("utf-8", "surrogatepass")
