"""`diffuse history`: the life of a practice or project, read from git in one pass.

One `git log --follow --raw` lists the commits and the file's blob before and after each;
one `git cat-file --batch` reads those blobs. Consecutive versions of a file share almost
all their text, so each version is cut into its top-level sections, and the sections that
matter (status or phase, approvals, history, sites) into their entries; only text not seen
before is parsed. That keeps thousands of versions well under a second.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from diffuse.errors import DiffuseError
from diffuse.escape import clean
from diffuse.files.nodes import plain_data
from diffuse.layout import ID_PATTERN
from diffuse.vocab import OUTPUT_SCHEMA_VERSION

# The catalog's folders and suffixes; importing `catalog` here would load every model,
# which `history` never needs (tests/test_history.py keeps the two in step).
FOLDERS = (("practice", "practices"), ("project", "projects"))
SUFFIXES = (".yaml", ".yml")
# A literal line break first lets the regex engine skip ahead quickly.
_TOP_KEY = re.compile(r"\n[A-Za-z_][\w-]*[ \t]*:")
_WANTED = {
    "practice": ("status", "approvals", "origin_sites", "vetted_by", "evidence"),
    "project": ("phase", "approvals", "history", "sites"),
}
_PRACTICE_SITES = (("origin_sites", "origin"), ("vetted_by", "vetted"), ("evidence", "evidence"))


@dataclass(frozen=True)
class Event:
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


class SectionReader:
    """Top-level values of YAML texts, parsing each distinct piece of text only once."""

    def __init__(self) -> None:
        self._pieces: dict[str, Any] = {}
        self._sections: dict[str, Any] = {}
        self._keys: dict[int, tuple[str, ...]] = {}

    def values(self, text: str, keys: tuple[str, ...]) -> dict[str, Any] | None:
        """The values of `keys` (absent keys left out); None when the text is not YAML."""
        text = "\n" + text.removeprefix("\ufeff")
        starts = [m.start() + 1 for m in _TOP_KEY.finditer(text)] + [len(text)]
        found: dict[str, Any] = {}
        for start, end in itertools.pairwise(starts):
            name = text[start : text.index(":", start)].strip()
            if name in keys:
                value = self._section(text[start:end], name)
                if value is _BROKEN:
                    return self._whole(text, keys)
                found[name] = value
        return found

    def keys(self, entries: Any) -> tuple[str, ...]:
        """`entry_key` of each entry of a list this reader returned, worked out once."""
        if not isinstance(entries, list):
            return ()
        # The reader keeps every list it returned alive, so its id stays its own.
        found = self._keys.get(id(entries))
        if found is None:
            found = self._keys[id(entries)] = tuple(self._key(e) for e in entries)
        return found

    def _key(self, entry: Any) -> str:
        # Entries of unchanged text are the same objects from one version to the next.
        found = self._keys.get(id(entry))
        if found is None:
            found = self._keys[id(entry)] = (entry_key(entry),)
        return found[0]

    def _section(self, section: str, name: str) -> Any:
        if section not in self._sections:
            self._sections[section] = self._parse_section(section, name)
        return self._sections[section]

    def _parse_section(self, section: str, name: str) -> Any:
        head, _, body = section.partition("\n")
        if head.split(":", 1)[1].split("#", 1)[0].strip() or not body.strip():
            return self._piece_value(section, name)
        chunks = _chunks(body)
        values = [self._piece(chunk) for chunk in chunks]
        if all(isinstance(v, dict) for v in values):
            merged: dict[str, Any] = {}
            for value in values:
                merged.update(value)
            return merged
        if all(isinstance(v, list) for v in values):
            return [item for value in values for item in value]
        return self._piece_value(section, name)

    def _piece_value(self, section: str, name: str) -> Any:
        parsed = self._piece(section)
        return parsed.get(name) if isinstance(parsed, dict) else _BROKEN

    def _piece(self, text: str) -> Any:
        if text not in self._pieces:
            self._pieces[text] = _load(text)
        return self._pieces[text]

    def _whole(self, text: str, keys: tuple[str, ...]) -> dict[str, Any] | None:
        data = self._piece(text)
        if not isinstance(data, dict):
            return None
        return {key: data[key] for key in keys if key in data}


class _Broken:
    pass


_BROKEN = _Broken()


def _chunks(body: str) -> list[str]:
    """`body` cut before each line at the indentation of its first entry."""
    first = _FIRST_ENTRY.search(body)
    if first is None:
        return [body]
    indent = len(first.group(1))
    if indent not in _ENTRY_AT:
        _ENTRY_AT[indent] = re.compile(rf"^ {{{indent}}}(?=[^ #\r\n])", re.M)
    cuts = [m.start() for m in _ENTRY_AT[indent].finditer(body, first.end())]
    bounds = [0, *cuts, len(body)]
    return [body[a:b] for a, b in itertools.pairwise(bounds) if b > a]


_FIRST_ENTRY = re.compile(r"^( *)[^ #\r\n]", re.M)
_ENTRY_AT: dict[int, re.Pattern[str]] = {}


def _load(text: str) -> Any:
    ok, data = plain_data(text)
    return data if ok else _BROKEN


def entry_key(entry: Any) -> str:
    """A list entry as comparable text: the same data however it is written."""
    return json.dumps(entry, sort_keys=True, ensure_ascii=False)


# -- the item's file and its versions ------------------------------------------------


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


def item_history(root: Path, item_id: str) -> History:
    from diffuse.repo import blobs, file_log, open_repo, toplevel

    kind, path = item_path(root, item_id)
    repo = open_repo(root, "first: history is read from git")
    rel = path.resolve().relative_to(toplevel(repo)).as_posix()
    commits = [c for c in file_log(repo, rel) if c.changes]
    contents = blobs(repo, [sha for c in commits for sha in (c.changes[0].old, c.changes[0].new)])
    history = History(item_id, kind, rel, len(commits))
    reader, snaps = SectionReader(), _Snapshots(kind)
    for commit in reversed(commits):
        change = commit.changes[0]
        before = snaps.get(reader, change.old, contents)
        after = snaps.get(reader, change.new, contents)
        found = _events(kind, before, after)
        history.events += [
            Event(commit.sha, commit.date, commit.author, commit.email, k, text)
            for k, text in reversed(found)
        ]
    history.events.reverse()
    return history


@dataclass
class _Snapshots:
    kind: str
    cache: dict[str, Snapshot | None] = field(default_factory=dict)

    def get(self, reader: SectionReader, sha: str, contents: dict[str, bytes]) -> Snapshot | None:
        if sha not in self.cache:
            raw = contents.get(sha)
            text = raw.decode("utf-8", errors="replace") if raw is not None else None
            self.cache[sha] = None if text is None else snapshot(reader, text, self.kind)
        return self.cache[sha]


# -- what a version says -----------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    state: str | None
    approvals: tuple[str, ...]
    reasons: tuple[tuple[str, str], ...]  # (phase moved to, reason) from history entries
    sites: dict[str, str]


def snapshot(reader: SectionReader, text: str, kind: str) -> Snapshot:
    values = reader.values(text, _WANTED[kind]) or {}
    state = values.get("status" if kind == "practice" else "phase")
    approvals = reader.keys(values.get("approvals"))
    reasons = tuple(
        (str(h.get("to")), str(h["reason"]))
        for h in _listed(values.get("history"))
        if isinstance(h, dict) and h.get("reason")
    )
    sites = _practice_sites(values) if kind == "practice" else _project_sites(values)
    return Snapshot(state if isinstance(state, str) else None, approvals, reasons, sites)


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _project_sites(values: dict[str, Any]) -> dict[str, str]:
    sites = values.get("sites")
    if not isinstance(sites, dict):
        return {}
    return {
        str(site): f"{state.get('status') or 'not-started'}, {state.get('health') or 'on-track'}"
        if isinstance(state, dict)
        else "not-started, on-track"
        for site, state in sites.items()
    }


def _practice_sites(values: dict[str, Any]) -> dict[str, str]:
    roles: dict[str, list[str]] = {}
    for name, label in _PRACTICE_SITES:
        value = values.get(name)
        for item in [value] if isinstance(value, str) else _listed(value):
            site = item.get("site") if isinstance(item, dict) else item
            if isinstance(site, str):
                roles.setdefault(site, []).append(label)
    return {site: ", ".join(dict.fromkeys(labels)) for site, labels in roles.items()}


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
    if before.approvals != after.approvals:
        added = Counter(after.approvals) - Counter(before.approvals)
        removed = Counter(before.approvals) - Counter(after.approvals)
        found += [("approval", _approval_text(a)) for a in added.elements()]
        found += [("approval-removed", _approval_text(a)) for a in removed.elements()]
    if before.sites != after.sites:
        found += _site_events(before.sites, after.sites)
    return found


def _new_reason(before: Snapshot, after: Snapshot) -> str | None:
    fresh = [r for r in after.reasons if r not in before.reasons and r[0] == after.state]
    return fresh[-1][1] if fresh else None


def _site_events(before: dict[str, str], after: dict[str, str]) -> list[tuple[str, str]]:
    found = []
    for site in sorted(before.keys() | after.keys()):
        old, new = before.get(site), after.get(site)
        if old == new:
            continue
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
    width = max(len(clean(e.author)) for e in history.events)
    kinds = max(len(e.kind) for e in history.events)
    lines = [head]
    for e in history.events:
        author = clean(e.author).ljust(width)
        what = f"{e.kind.ljust(kinds)}  {clean(e.text)}"
        lines.append(f"{e.date[:10]}  {e.commit[:10]}  {author}  {what}")
    return "\n".join(lines) + "\n"


def history_json(history: History) -> str:
    data = {
        "schema_version": OUTPUT_SCHEMA_VERSION,
        "id": history.item,
        "kind": history.kind,
        "file": history.path,
        "commits": history.commits,
        "events": [
            {
                "date": e.date,
                "commit": e.commit,
                "author": e.author,
                "email": e.email,
                "kind": e.kind,
                "change": e.text,
            }
            for e in history.events
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
