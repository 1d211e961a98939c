"""What one version of a practice or project file says that `history` shows.

Consecutive versions of a file share almost all their text, so each version is cut into
its top-level sections, and the sections that matter (status or phase, approvals, history,
sites) into their entries; only text not seen before is read. Such a piece is nearly always
simple block-style YAML that `files.plainscan` reads without a parser; any other is parsed
as YAML.

What it reads is shown, never trusted: no rule decides anything from it. Who may approve,
and whether an approval is real, is read from the parsed models (`pr/check.py`,
`pr/signoff.py`), as `validate` reads the files.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
from collections import Counter
from typing import Any, NamedTuple

from diffuse.files.plainscan import scan

# A literal line break first lets the regex engine skip ahead quickly.
_TOP_KEY = re.compile(r"\n([A-Za-z_][\w-]*)[ \t]*:")
_WANTED = {
    "practice": ("status", "approvals", "origin_sites", "vetted_by", "evidence"),
    "project": ("phase", "approvals", "history", "sites"),
}
_PRACTICE_SITES = (("origin_sites", "origin"), ("vetted_by", "vetted"), ("evidence", "evidence"))


class SectionReader:
    """Top-level values of YAML texts, parsing each distinct piece of text only once."""

    def __init__(self) -> None:
        self._pieces: dict[str, Any] = {}
        self._sections: dict[str, Any] = {}
        # `entry_key` of each list and entry returned, by its id; each is kept with its keys,
        # so its id stays its own while they are known, even once a section it belonged to
        # is worked out again (`resized`) and the list read before is dropped.
        self._keys: dict[int, tuple[object, tuple[str, ...]]] = {}
        # Sections read as one list of entries: the entries' indentation, where each ends
        # and how many items the entries up to it hold.
        self._listed: dict[str, tuple[int, tuple[int, ...], tuple[int, ...]]] = {}

    def values(self, text: str, keys: tuple[str, ...]) -> dict[str, Any] | None:
        """The values of `keys` (absent keys left out); None when the text is not YAML."""
        text = "\n" + text.removeprefix("\ufeff")
        tops = [(m.start() + 1, m.group(1)) for m in _TOP_KEY.finditer(text)]
        tops.append((len(text), ""))
        found: dict[str, Any] = {}
        for (start, name), (end, _) in itertools.pairwise(tops):
            if name in keys:
                value = self.section(text[start:end], name)
                if value is _BROKEN:
                    return self._whole(text, keys)
                found[name] = value
        return found

    def section(self, section: str, name: str) -> Any:
        """The value of one top-level section's text (`name: ...` to its end), as `values`
        reads it: _BROKEN when only a whole read can tell."""
        value = self._sections.get(section, _UNSEEN)
        if value is _UNSEEN:
            value = self._sections[section] = self._parse_section(section, name)
        return value

    def keys(self, entries: Any) -> tuple[str, ...]:
        """`entry_key` of each entry of a list this reader returned, worked out once."""
        if not isinstance(entries, list):
            return ()
        found = self._known(entries)
        if found is None:
            found = self._remember(entries, tuple(map(self._key, entries)))
        return found

    def _key(self, entry: Any) -> str:
        # Entries of unchanged text are the same objects from one version to the next.
        found = self._known(entry)
        if found is None:
            found = self._remember(entry, (entry_key(entry),))
        return found[0]

    def _known(self, value: object) -> tuple[str, ...] | None:
        found = self._keys.get(id(value))
        return None if found is None else found[1]

    def _remember(self, value: object, keys: tuple[str, ...]) -> tuple[str, ...]:
        self._keys[id(value)] = (value, keys)
        return keys

    def _parse_section(self, section: str, name: str) -> Any:
        head, _, body = section.partition("\n")
        if head.split(":", 1)[1].split("#", 1)[0].strip() or not body.strip():
            return self._piece_value(section, name)
        chunks = _chunks(body)
        values = self._chunk_values(chunks)
        kinds = set(map(type, values))
        if kinds == {dict}:
            # Key by key as one mapping: a later entry's value wins, in the first's place.
            return dict(itertools.chain.from_iterable(map(dict.items, values)))
        if kinds == {list}:
            first = _FIRST_ENTRY.search(body)
            if first is not None:
                self._list(section, len(first.group(1)), len(head) + 1, chunks, values)
            return list(itertools.chain.from_iterable(values))
        return self._piece_value(section, name)

    def _list(
        self, section: str, indent: int, at: int, chunks: list[str], values: list[Any]
    ) -> None:
        """Keep where each entry of a section read as one list ends, and how many items
        the entries up to it hold, for `resized`."""
        ends = tuple(itertools.accumulate(map(len, chunks), initial=at))[1:]
        self._listed[section] = (indent, ends, tuple(itertools.accumulate(map(len, values))))

    def resized(self, old: str, new: str) -> Any:
        """The value of section `new`, section `old` with entries put after its last one or
        its last entries taken away (an approval added or removed), worked out from the
        entries that differ as `section` would read the whole: _UNSEEN when only a whole
        read can tell."""
        listed = self._listed.get(old)
        if listed is None or not old.endswith("\n"):
            return _UNSEEN
        indent, ends, counts = listed
        before = self._sections[old]
        known = self._known(before)
        if old.startswith(new):
            kept = bisect.bisect_left(ends, len(new))
            if kept == len(ends) or ends[kept] != len(new):
                return _UNSEEN
            value = self._sections[new] = before[: counts[kept]]
            self._listed[new] = (indent, ends[: kept + 1], counts[: kept + 1])
            if known is not None:
                self._remember(value, known[: counts[kept]])
            return value
        added = new[len(old) :]
        mark = _ENTRY_AT[indent]
        if not mark.match("\n" + added) or _TOP_KEY.search("\n" + added):
            return _UNSEEN
        cut = mark.split(added)
        chunks = [piece + "\n" for piece in cut[:-1]] + [cut[-1]]
        values = self._chunk_values(chunks)
        if any(type(value) is not list for value in values):
            return _UNSEEN
        entries = list(itertools.chain.from_iterable(values))
        value = self._sections[new] = before + entries
        more = tuple(itertools.accumulate(map(len, chunks), initial=len(old)))[1:]
        grew = tuple(itertools.accumulate(map(len, values), initial=counts[-1]))[1:]
        self._listed[new] = (indent, ends + more, counts + grew)
        if known is not None:
            self._remember(value, known + tuple(map(self._key, entries)))
        return value

    def _chunk_values(self, chunks: list[str]) -> list[Any]:
        pieces = self._pieces
        for chunk in [c for c in chunks if c not in pieces]:
            pieces[chunk] = _load(chunk)
        return list(map(pieces.__getitem__, chunks))

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
_UNSEEN = _Broken()


def _chunks(body: str) -> list[str]:
    """`body` cut before each line at the indentation of its first entry."""
    first = _FIRST_ENTRY.search(body)
    if first is None:
        return [body]
    indent = len(first.group(1))
    if indent not in _ENTRY_AT:
        # A line break first lets the regex engine skip ahead quickly.
        _ENTRY_AT[indent] = re.compile(rf"\n(?= {{{indent}}}[^ #\r\n])")
    pieces = _ENTRY_AT[indent].split(body)
    chunks = [piece + "\n" for piece in pieces[:-1]]
    chunks.append(pieces[-1])
    if first.start() > 0:
        # What comes before the first entry (comments, blank lines) is part of it.
        chunks[:2] = [chunks[0] + chunks[1]]
    return chunks


_FIRST_ENTRY = re.compile(r"^( *)[^ #\r\n]", re.M)
_ENTRY_AT: dict[int, re.Pattern[str]] = {}


# The commonest piece of all, one key holding a few `key: word` lines at one indentation (a
# site's row), read without the line scanner: a subset of what `scan` reads, read as it
# reads it.
_WORD_KEY = r"[A-Za-z0-9_][A-Za-z0-9_-]*"
_WORD = r"[A-Za-z0-9_][A-Za-z0-9_.-]*"
_ENTRY_ROW = re.compile(
    rf"( *)({_WORD_KEY}):\n( +){_WORD_KEY}: {_WORD}\n(?:\3{_WORD_KEY}: {_WORD}\n)*"
)
_ENTRY_FIELD = re.compile(rf"({_WORD_KEY}): ({_WORD})\n")
_NULLS = frozenset({"null", "Null", "NULL"})


def _entry(text: str) -> dict[str, Any] | None:
    row = _row(text)
    return None if row is None else {row[1]: row[2]}


def _row(text: str) -> tuple[int, str, dict[str, Any]] | None:
    """A site's row as its indentation, key and fields; None when it is not that simple."""
    row = _ENTRY_ROW.fullmatch(text)
    if row is None or len(row.group(3)) <= len(row.group(1)):
        return None
    fields = _ENTRY_FIELD.findall(text, row.end(2))
    found = {key: None if word in _NULLS else word for key, word in fields}
    return (len(row.group(1)), row.group(2), found) if len(found) == len(fields) else None


def _load(text: str) -> Any:
    entry = _entry(text)
    if entry is not None:
        return entry
    simple = scan(text)
    if simple is not None:
        return simple[0]
    # PyYAML is imported only for a piece that is not simple: most runs need none.
    from diffuse.files.nodes import plain_data

    ok, data = plain_data(text)
    return data if ok else _BROKEN


def entry_key(entry: Any) -> str:
    """A list entry as comparable text: the same data however it is written."""
    return json.dumps(entry, sort_keys=True, ensure_ascii=False)


# -- the item's file and its versions ------------------------------------------------


class Snapshot(NamedTuple):
    state: str | None
    approvals: tuple[str, ...]
    reasons: tuple[tuple[str, str], ...]  # (phase moved to, reason) from history entries
    sites: dict[str, str]


def snapshot(reader: SectionReader, text: str, kind: str) -> Snapshot:
    values = reader.values(text, _WANTED[kind]) or {}
    state = values.get("status" if kind == "practice" else "phase")
    approvals = reader.keys(values.get("approvals"))
    reasons = _reasons(values.get("history"))
    sites = _practice_sites(values) if kind == "practice" else _project_sites(values)
    return Snapshot(state if isinstance(state, str) else None, approvals, reasons, sites)


def _reasons(history: Any) -> tuple[tuple[str, str], ...]:
    return tuple(
        (str(h.get("to")), str(h["reason"]))
        for h in _listed(history)
        if isinstance(h, dict) and h.get("reason")
    )


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _project_sites(values: dict[str, Any]) -> dict[str, str]:
    sites = values.get("sites")
    if not isinstance(sites, dict):
        return {}
    return {str(site): _site_state(state) for site, state in sites.items()}


def _site_state(state: Any) -> str:
    if not isinstance(state, dict):
        return "not-started, on-track"
    return f"{state.get('status') or 'not-started'}, {state.get('health') or 'on-track'}"


def _practice_sites(values: dict[str, Any]) -> dict[str, str]:
    roles: dict[str, list[str]] = {}
    for name, label in _PRACTICE_SITES:
        value = values.get(name)
        for item in [value] if isinstance(value, str) else _listed(value):
            site = item.get("site") if isinstance(item, dict) else item
            if isinstance(site, str):
                roles.setdefault(site, []).append(label)
    return {site: ", ".join(dict.fromkeys(labels)) for site, labels in roles.items()}


# -- one version after another -----------------------------------------------------------


class Versions:
    """The snapshots of the versions of one file, read one after another.

    Most commits change one site's row, or a section `history` does not show, and some
    add an approval beside it. A version that differs from the one read just before it
    only inside such pieces (site entries of a project's sites, the status or phase, the
    approvals, a project's history, a section nobody reads, the comments before the first
    key) is worked out from that one's snapshot, reading the new pieces alone; any other
    is read in full by `snapshot`. The changed text is cut where a full read cuts it (at
    the next top key, or site entry), and only taken when it cuts into exactly the
    sections and entries the old text had, so both ways give the same snapshot
    (tests/unit/reports/test_snapshot.py reads every version both ways).
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.reader = SectionReader()
        self._last: _Layout | None = None

    def snapshot(self, text: str) -> Snapshot:
        plain = "\n" + text.removeprefix("\ufeff")
        last = self._last
        if last is not None:
            found = last.follow(self.reader, plain)
            if found is not None:
                self._last = found
                return found.snap
        snap = snapshot(self.reader, text, self.kind)
        self._last = _layout(self.reader, plain, self.kind, snap)
        return snap


# What a change to each piece of a layout does: nothing that is read (the comments before the
# first key, a section nobody reads), one value of the snapshot (a section read whole: the
# status or phase, the approvals, a project's history), one site entry, or something read
# only by a full read.
_PREAMBLE, _UNREAD, _SECTION, _ENTRY, _READ = range(5)


class _Layout(NamedTuple):
    """One version (as `values` sees it: BOM dropped, a line break first) cut into pieces
    that join to its text, and its snapshot."""

    text: str
    pieces: tuple[str, ...]
    starts: tuple[int, ...]  # where each piece starts, then the text's length
    roles: tuple[int, ...]
    names: tuple[str, ...]  # a section's top key; a site entry's site
    indent: int  # of the site entries
    snap: Snapshot

    def follow(self, reader: SectionReader, text: str) -> _Layout | None:
        """The layout of `text` when it differs from this version only inside pieces that
        a change to costs no full read, and cuts into pieces as this version does; None
        otherwise."""
        if text == self.text:
            return self
        pieces, starts, old = self.pieces, self.starts, self.text
        count, shift = len(pieces), len(text) - len(old)
        # The first piece `text` does not hold where this version holds it, found by
        # halves: the pieces before `low` are known to be there.
        low, high = 0, count
        while low < high:
            middle = (low + high) // 2
            if text.startswith(old[starts[low] : starts[middle + 1]], starts[low]):
                low = middle + 1
            else:
                high = middle
        front = low
        # The first piece from which `text` ends as this version ends, found the same way
        # from the end (the pieces from `high` on are known to be there), after a look at
        # the usual case: one piece changed, all after it as it was.
        low, high = 0, count
        if front < count - 1 and self._ends(text, front + 1, high):
            high = front + 1
            if not self._ends(text, front, high):
                low = high
        while low < high:
            middle = (low + high) // 2
            if self._ends(text, middle, high):
                high = middle
            else:
                low = middle + 1
        # The pieces that changed; text put in between two pieces may belong to either.
        first, last = max(min(front, low - 1), 0), min(max(front, low - 1), count - 1)
        at, end = starts[first], starts[last + 1] + shift
        if end < at:
            return None
        snap, sites, made = self.snap, None, []
        for index in range(first, last + 1):
            stop = end if index == last else self._next(text, at, end, index + 1)
            if stop is None:
                return None
            new = text[at:stop]
            made.append(new)
            at = stop
            if new == pieces[index]:
                continue
            if index < count - 1 and not new.endswith("\n"):
                return None  # the next top key or entry would no longer start a line
            role, name = self.roles[index], self.names[index]
            if role == _ENTRY:
                state = self._site(reader, new, name)
                if state is None:
                    return None
                sites = {**snap.sites} if sites is None else sites
                sites[name] = state
                continue
            value = _UNSEEN
            if role == _SECTION and (
                new.startswith(pieces[index]) or pieces[index].startswith(new)
            ):
                value = reader.resized(pieces[index], new)
            if value is _UNSEEN:
                value = _piece_value(reader, new, role, name)
            if value is _BROKEN:
                return None
            if role == _SECTION:
                snap = _with_section(reader, snap, name, value)
        if sites is not None:
            snap = Snapshot(snap.state, snap.approvals, snap.reasons, sites)
        cut = (*pieces[:first], *made, *pieces[last + 1 :])
        moved = starts if shift == 0 else _starts(cut)
        return _Layout(text, cut, moved, self.roles, self.names, self.indent, snap)

    def _ends(self, text: str, index: int, held: int) -> bool:
        """Whether `text` ends with this version's pieces from `index` on, given that it
        ends with those from `held` on."""
        starts = self.starts
        at = starts[index] + len(text) - len(self.text)
        return at >= 0 and text.startswith(self.text[starts[index] : starts[held]], at)

    def _next(self, text: str, at: int, end: int, index: int) -> int | None:
        """Where piece `index` starts in `text`, searched from `at`: at the first line that
        starts a site entry, or a top key, as a full read cuts it."""
        mark = _ENTRY_AT[self.indent] if self.roles[index] == _ENTRY else _TOP_KEY
        found = mark.search(text, at, end)
        return None if found is None else found.start() + 1

    def _site(self, reader: SectionReader, new: str, name: str) -> str | None:
        """How site `name` stands in the new text of its entry; None when it is not one
        entry of that site alone."""
        row = _row(new)
        if row is not None and row[0] == self.indent > 0:
            # A row at the entries' indentation: it starts an entry and holds no other one,
            # nor a top key, as the checks below would find.
            return _site_state(row[2]) if row[1] == name else None
        entry = _ENTRY_AT[self.indent]
        if not entry.match("\n" + new) or entry.search(new) or _TOP_KEY.search("\n" + new):
            return None
        (value,) = reader._chunk_values([new])
        if not isinstance(value, dict) or len(value) != 1 or name not in value:
            return None
        return _site_state(value[name])


def _piece_value(reader: SectionReader, new: str, role: int, name: str) -> Any:
    """What the new text of a piece that is not a site entry gives the snapshot: a section's
    value, None for what is not read; _BROKEN when only a full read can tell."""
    if role == _PREAMBLE:
        return _BROKEN if _TOP_KEY.search(new) else None
    if role not in (_UNREAD, _SECTION):
        return _BROKEN
    head = _TOP_KEY.match("\n" + new)
    if head is None or head.group(1) != name or _TOP_KEY.search("\n" + new, head.end()):
        return _BROKEN
    return reader.section(new, name) if role == _SECTION else None


def _with_section(reader: SectionReader, snap: Snapshot, name: str, value: Any) -> Snapshot:
    """`snap` with the part that section `name` (now `value`) makes, as `snapshot` makes it."""
    if name == "approvals":
        return snap._replace(approvals=reader.keys(value))
    if name == "history":
        return snap._replace(reasons=_reasons(value))
    return snap._replace(state=value if isinstance(value, str) else None)


# The sections whose change alters one part of the snapshot alone, by kind.
_ALONE = {"practice": ("status", "approvals"), "project": ("phase", "approvals", "history")}


def _layout(reader: SectionReader, text: str, kind: str, snap: Snapshot) -> _Layout | None:
    """`text` (read in full just now into `snap`) cut into pieces; None when a wanted key is
    there twice, or a section was broken and the text read whole."""
    tops = [(m.start() + 1, m.group(1)) for m in _TOP_KEY.finditer(text)]
    wanted = _WANTED[kind]
    if not tops or max(Counter(n for _, n in tops if n in wanted).values(), default=1) > 1:
        return None
    pieces, roles, names = [text[: tops[0][0]]], [_PREAMBLE], [""]
    indent = 0
    tops.append((len(text), ""))
    for (start, name), (end, _) in itertools.pairwise(tops):
        section = text[start:end]
        if name not in wanted:
            pieces.append(section)
            roles.append(_UNREAD)
            names.append(name)
            continue
        value = reader._sections.get(section, _UNSEEN)
        if value is _UNSEEN or value is _BROKEN:
            return None  # read whole: no piece stands for what was read
        entries = (
            _site_entries(reader, section, value) if name == "sites" and kind == "project" else None
        )
        if entries is None:
            pieces.append(section)
            roles.append(_SECTION if name in _ALONE[kind] else _READ)
            names.append(name)
            continue
        first, rest, indent = entries
        pieces.append(first)
        roles.append(_READ)
        names.append(name)
        for chunk, site in rest:
            pieces.append(chunk)
            roles.append(_ENTRY)
            names.append(site)
    cut = tuple(pieces)
    return _Layout(text, cut, _starts(cut), tuple(roles), tuple(names), indent, snap)


def _starts(pieces: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(itertools.accumulate(map(len, pieces), initial=0))


def _site_entries(
    reader: SectionReader, section: str, value: Any
) -> tuple[str, list[tuple[str, str]], int] | None:
    """A project's sites section as its head (with the first entry when comments come
    before it), then each other entry with its site, when every entry is one site of its
    own."""
    head, _, body = section.partition("\n")
    if head.split(":", 1)[1].split("#", 1)[0].strip() or not body.strip():
        return None
    chunks = _chunks(body)
    first = _FIRST_ENTRY.search(body)
    if len(chunks) < 2 or first is None or not isinstance(value, dict):
        return None
    keys: list[Any] = []
    for chunk_value in reader._chunk_values(chunks):
        if not isinstance(chunk_value, dict) or len(chunk_value) != 1:
            return None
        keys.extend(chunk_value)
    if not all(isinstance(k, str) for k in keys) or len(set(keys)) != len(keys):
        return None
    if first.start() == 0:
        # The first entry starts the body: it is a piece of its own, like the others.
        return head + "\n", list(zip(chunks, keys, strict=True)), len(first.group(1))
    rest = list(zip(chunks[1:], keys[1:], strict=True))
    return head + "\n" + chunks[0], rest, len(first.group(1))
