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

import itertools
import json
import re
from dataclasses import dataclass
from typing import Any

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
        self._keys: dict[int, tuple[str, ...]] = {}

    def values(self, text: str, keys: tuple[str, ...]) -> dict[str, Any] | None:
        """The values of `keys` (absent keys left out); None when the text is not YAML."""
        text = "\n" + text.removeprefix("\ufeff")
        tops = [(m.start() + 1, m.group(1)) for m in _TOP_KEY.finditer(text)]
        tops.append((len(text), ""))
        found: dict[str, Any] = {}
        for (start, name), (end, _) in itertools.pairwise(tops):
            if name in keys:
                section = text[start:end]
                value = self._sections.get(section, _UNSEEN)
                if value is _UNSEEN:
                    value = self._sections[section] = self._parse_section(section, name)
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

    def _parse_section(self, section: str, name: str) -> Any:
        head, _, body = section.partition("\n")
        if head.split(":", 1)[1].split("#", 1)[0].strip() or not body.strip():
            return self._piece_value(section, name)
        chunks = _chunks(body)
        pieces = self._pieces
        for chunk in [c for c in chunks if c not in pieces]:
            pieces[chunk] = _load(chunk)
        values = list(map(pieces.__getitem__, chunks))
        kinds = set(map(type, values))
        if kinds == {dict}:
            # Key by key as one mapping: a later entry's value wins, in the first's place.
            return dict(itertools.chain.from_iterable(map(dict.items, values)))
        if kinds == {list}:
            return list(itertools.chain.from_iterable(values))
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


def _load(text: str) -> Any:
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
