"""`diffuse history`: the life of a practice or project, read from git in one pass.

One `git log --follow --raw` lists the commits and the file's blob before and after each;
one `git cat-file --batch`, running beside it, reads each blob as the log names it, while
this process works out what each version says (`snapshot`). A blob id names its content, so
the events between two versions are kept in the user's cache folder under their two blob
ids (`cache.history`): the next run reads only the versions of changes it has not seen, and
often none.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from diffuse.errors import DiffuseError
from diffuse.escape import clean
from diffuse.layout import ID_PATTERN
from diffuse.repo import EMPTY_BLOB, Change, Commit
from diffuse.repo.filelog import FileHistory

if TYPE_CHECKING:
    from diffuse.cache.history import Events
    from diffuse.reports.snapshot import Snapshot

# The catalog's folders and suffixes; importing `catalog` here would load every model,
# which `history` never needs (tests/cli/test_history.py keeps the two in step).
FOLDERS = (("practice", "practices"), ("project", "projects"))
SUFFIXES = (".yaml", ".yml")


class Event(NamedTuple):  # a tuple: thousands are made on every run
    commit: str
    date: str
    author: str
    email: str
    kind: str  # created, deleted, status, phase, approval, approval-removed, site
    text: str


@dataclass
class History:
    item: str
    kind: str
    path: str
    commits: int
    events: list[Event] = field(default_factory=list)  # newest first


def item_path(root: Path, item_id: str) -> tuple[str, Path]:
    if not ID_PATTERN.fullmatch(item_id):
        raise DiffuseError(f"'{item_id}' is not an id: ids are lowercase letters, digits and '-'")
    for kind, folder in FOLDERS:
        for suffix in SUFFIXES:
            path = root / folder / f"{item_id}{suffix}"
            if path.is_file():
                return kind, path
    raise DiffuseError(
        f"no practice or project '{item_id}' (looked for practices/{item_id}.yaml "
        f"and projects/{item_id}.yaml)"
    )


@dataclass
class _Reading:
    """A file's history being read: git started, the cache read, the versions it lacks
    asked for."""

    git: FileHistory
    path: str  # from the top level of the work tree
    pack: Any  # a cache.history.Pack, or None when caching is off
    changes: _Changes
    commits: list[Commit]


def _start(root: Path, kind: str, path: Path) -> _Reading:
    git = FileHistory(root, path.relative_to(root).as_posix())
    try:
        top = git.top_level("first: history is read from git")
    except DiffuseError:
        git.close()
        raise
    rel = path.resolve().relative_to(top).as_posix()
    # Imported here, not above: `begin` starts git before the cache is needed.
    from diffuse.cache import history as packs

    pack = packs.pack_for(top, rel, kind)
    changes = _Changes(kind, packs.load(pack))
    commits: list[Commit] = []
    git.start(commits, changes.unknown)
    return _Reading(git, rel, pack, changes, commits)


# What `begin` started before the command line was parsed: (root, path, its reading).
_begun: list[tuple[Path, Path, _Reading]] = []


def begin(args: list[str]) -> None:
    """Start reading the history for `diffuse history ARGS` at once, while Python goes on
    loading the command line, when ARGS are plain: an id, and --format or --root.
    `item_history` takes what was started only when it reads that same file of that same
    tracker; anything unexpected starts nothing, and the command runs as it would have."""
    from diffuse.layout import find_root

    given: dict[str, str] = {}
    items: list[str] = []
    rest = iter(args)
    for arg in rest:
        name, equals, value = arg.partition("=")
        if name in ("--format", "--root"):
            given[name] = value if equals else next(rest, "")
        elif arg.startswith("-") or items:
            return
        else:
            items.append(arg)
    folder = given.get("--root") or os.environ.get("DIFFUSE_ROOT")
    try:
        if not items or (folder and not Path(folder).is_dir()):
            return
        root = find_root(Path(folder) if folder else Path.cwd())
        kind, path = item_path(root, items[0])
        _begun.append((root, path, _start(root, kind, path)))
    except Exception:  # noqa: BLE001 - only time is at stake: the command finds any problem
        return


def _reading(root: Path, kind: str, path: Path) -> _Reading:
    """What `begin` started for this file, or a reading started now."""
    while _begun:
        began_root, began_path, reading = _begun.pop()
        if (began_root, began_path) == (root, path):
            return reading
        reading.git.close()
    return _start(root, kind, path)


def item_history(root: Path, item_id: str) -> History:
    kind, path = item_path(root, item_id)
    reading = _reading(root, kind, path)
    changes, commits = reading.changes, reading.commits
    for sha, raw in reading.git.versions():
        changes.read(sha, raw)
    commits = [c for c in commits if c.changes]
    history = History(item_id, kind, reading.path, len(commits))
    history.events = [
        Event(commit.sha, commit.date, commit.author, commit.email, k, text)
        for commit in commits
        for k, text in changes.events(commit.changes[0])
    ]
    if changes.fresh and reading.pack is not None:
        from diffuse.cache import history as packs

        packs.save(reading.pack, changes.used)
    return history


@dataclass
class _Changes:
    """The events of each change: from the cache, or worked out from both versions, read
    as git sends them."""

    kind: str
    known: dict[str, Events]
    versions: Any = None  # a snapshot.Versions, made for the first version read
    snaps: dict[str, Snapshot] = field(default_factory=dict)
    used: dict[str, Events] = field(default_factory=dict)
    fresh: bool = False

    def unknown(self, change: Change) -> bool:
        return f"{change.old} {change.new}" not in self.known

    def read(self, sha: str, raw: bytes) -> None:
        # Only a version not in the cache is read: a run that finds every change there
        # never loads the readers.
        from diffuse.reports.snapshot import Versions

        if self.versions is None:
            self.versions = Versions(self.kind)
        self.snaps[sha] = self.versions.snapshot(raw.decode("utf-8", errors="replace"))

    def events(self, change: Change) -> Events:
        pair = f"{change.old} {change.new}"
        found = self.known.get(pair)
        if found is None:
            before, after = self.snaps.get(change.old), self.snaps.get(change.new)
            found = _events(self.kind, before, after)
            if (before is None) != (change.old == EMPTY_BLOB):
                return found  # a version git could not read: not for keeping
            if (after is None) != (change.new == EMPTY_BLOB):
                return found
            self.fresh = True
        self.used[pair] = found
        return found


# -- what changed from one version to the next ---------------------------------------------


def _events(kind: str, before: Snapshot | None, after: Snapshot | None) -> list[tuple[str, str]]:
    field_name = "status" if kind == "practice" else "phase"
    if after is None:
        return [("deleted", "file removed")] if before is not None else []
    if before is None:
        created = [("created", f"{field_name} {after.state or '(none)'}")]
        return created + [("approval", _approval_text(a)) for a in after.approvals]
    found: list[tuple[str, str]] = []
    if before.state != after.state:
        text = f"{before.state or '(none)'} -> {after.state or '(none)'}"
        reason = _new_reason(before, after)
        found.append((field_name, text + (f" ({reason})" if reason else "")))
    if before.approvals is not after.approvals and before.approvals != after.approvals:
        added, removed = _approvals_changed(before.approvals, after.approvals)
        found += [("approval", _approval_text(a)) for a in added]
        found += [("approval-removed", _approval_text(a)) for a in removed]
    if before.sites != after.sites:
        found += _site_events(before.sites, after.sites)
    return found


def _approvals_changed(
    before: tuple[str, ...], after: tuple[str, ...]
) -> tuple[Iterable[str], Iterable[str]]:
    """The approvals added and removed, each as often as its count changed, in the order
    each first appears."""
    old = len(before)
    if after[:old] == before:
        # The usual change, one approval more: no need to count hundreds.
        new = after[old:]
        if len(set(new)) == len(new) and set(new).isdisjoint(before):
            return new, ()
    added = Counter(after) - Counter(before)
    removed = Counter(before) - Counter(after)
    return added.elements(), removed.elements()


def _new_reason(before: Snapshot, after: Snapshot) -> str | None:
    fresh = [r for r in after.reasons if r not in before.reasons and r[0] == after.state]
    return fresh[-1][1] if fresh else None


def _site_events(before: dict[str, str], after: dict[str, str]) -> list[tuple[str, str]]:
    found = []
    for site in sorted({site for site, _ in before.items() ^ after.items()}):
        old, new = before.get(site), after.get(site)
        if old is None:
            found.append(("site", f"{site}: added ({new})"))
        elif new is None:
            found.append(("site", f"{site}: removed (was {old})"))
        else:
            found.append(("site", f"{site}: {old} -> {new}"))
    return found


def _approval_text(key: str) -> str:
    entry = json.loads(key)
    if not isinstance(entry, dict):
        return str(entry)
    parts = [f"{entry.get('body')} by {entry.get('by')} on {entry.get('date')}"]
    for name in ("gate", "decision", "reference", "reason"):
        if entry.get(name):
            parts.append(f"{name} {entry[name]}")
    return ", ".join(parts)


# -- output -----------------------------------------------------------------------------


def history_text(history: History) -> str:
    head = (
        f"{clean(history.item)} ({history.kind}, {clean(history.path)}): "
        f"{len(history.events)} event(s) in {history.commits} commit(s), newest first"
    )
    if not history.events:
        return head + "\n"
    authors = {e.author: clean(e.author) for e in history.events}
    width = max(map(len, authors.values()))
    kinds = max(len(e.kind) for e in history.events)
    lines = [head]
    for e in history.events:
        author = authors[e.author].ljust(width)
        what = f"{e.kind.ljust(kinds)}  {clean(e.text)}"
        lines.append(f"{e.date[:10]}  {e.commit[:10]}  {author}  {what}")
    return "\n".join(lines) + "\n"


_EVENT_JSON = (
    '    {\n      "date": %s,\n      "commit": %s,\n      "author": %s,\n      "email": %s,'
    '\n      "kind": %s,\n      "change": %s\n    }'
)


def history_json(history: History) -> str:
    from diffuse.vocab import output_schema_version

    data = {
        "schema_version": output_schema_version("history"),
        "kind": history.kind,
        history.kind: history.item,
        # History is read from the newest commit: the state it ends on is that day's.
        "as_of": history.events[0].date[:10] if history.events else None,
        "file": history.path,
        "commits": history.commits,
        "events": [],
    }
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if not history.events:
        return text + "\n"
    # json.dumps(indent=2) of thousands of events runs its pure-Python encoder; each event
    # is written here in the same layout, its strings escaped by the same function.
    quote = json.encoder.encode_basestring
    events = ",\n".join(
        _EVENT_JSON % tuple(map(quote, (e.date, e.commit, e.author, e.email, e.kind, e.text)))
        for e in history.events
    )
    return text.removesuffix("[]\n}") + "[\n" + events + "\n  ]\n}\n"
