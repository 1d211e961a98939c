"""The plain data of simple block-style YAML, read line by line without a YAML parser.

`history` reads thousands of versions of a file, a few lines of new text each; parsing
each piece with PyYAML, and even importing it, costs more than everything else it does.
Most pieces are simple: block mappings and lists of keys and plain words, one-line flow
collections, comments on lines of their own. `scan` reads exactly those, giving what
`nodes.plain_data` gives (plain values stay text; an empty value, `null`, `Null` and
`NULL` are null), and None for anything else: quoted, block or multi-line scalars,
anchors, aliases, tags, tabs, `\\r`, characters outside printable ASCII, a comment after
a value, a duplicate key, odd indentation. The caller parses those with YAML, so a piece
that is not simple is read as before, just not faster.
"""

from __future__ import annotations

import re
from typing import Any

_KEY = r"[A-Za-z0-9_][A-Za-z0-9_-]*"
# A plain word in block context starts with a character that cannot start anything else;
# `_plain` refuses what would end it early (": ", " #") or make it a key (a final ":").
_WORD = r"[A-Za-z0-9_(/][\x20-\x7e]*"
_FLOW_WORD = re.compile(r" *([A-Za-z0-9_(][A-Za-z0-9_ ()./@+;'-]*?) *")
_FLOW_PAIR = re.compile(rf" *({_KEY}): +([A-Za-z0-9_(][A-Za-z0-9_ ()./@+;'-]*?) *")
_VALUE = rf"(?:{_WORD}|\{{[^{{}}\[\]]*\}}|\[[^{{}}\[\]]*\])"
_PAIR = re.compile(rf"({_KEY}):(?: +({_VALUE}))? *")
_ITEM = re.compile(rf"- +(?:({_KEY}):(?: +({_VALUE}))?|({_VALUE})) *")
_SKIP = re.compile(r" *(?:#[\x20-\x7e]*)?")
_NULLS = frozenset({"", "null", "Null", "NULL"})
MAX_TEXT = 20_000  # far below the limits on values and depth that a YAML read enforces
MAX_DEPTH = 16

# One line of content: its indentation and the rest.
_Line = tuple[int, str]


class _NotSimple(Exception):
    pass


def scan(text: str) -> tuple[Any] | None:
    """(data,) when `text` is simple and one document; None when it must be parsed."""
    if len(text) > MAX_TEXT or not text.isascii() or "\r" in text or "\t" in text:
        return None
    lines: list[_Line] = []
    for line in text.split("\n"):
        if not _SKIP.fullmatch(line):
            content = line.lstrip(" ")
            lines.append((len(line) - len(content), content))
    if not lines:
        return None
    try:
        data, end = _node(lines, 0, lines[0][0], 0)
    except _NotSimple:
        return None
    return (data,) if end == len(lines) else None


def _node(lines: list[_Line], at: int, indent: int, depth: int) -> tuple[Any, int]:
    if depth > MAX_DEPTH:
        raise _NotSimple
    if lines[at][1].startswith("-"):
        return _sequence(lines, at, indent, depth)
    return _mapping(lines, at, indent, depth)


def _sequence(lines: list[_Line], at: int, indent: int, depth: int) -> tuple[list[Any], int]:
    found: list[Any] = []
    while at < len(lines) and lines[at][0] == indent:
        content = lines[at][1]
        match = _ITEM.fullmatch(content)
        if match is None:
            raise _NotSimple
        if match.group(1) is not None:
            # `- key: ...` opens a mapping at the key's column.
            key_at = content.index(match.group(1))
            lines[at] = (indent + key_at, content[key_at:])
            value, at = _mapping(lines, at, indent + key_at, depth + 1)
            found.append(value)
            continue
        found.append(_value(match.group(3)))
        at = _after_value(lines, at, indent)
    return found, _closed(lines, at, indent)


def _mapping(lines: list[_Line], at: int, indent: int, depth: int) -> tuple[dict[str, Any], int]:
    found: dict[str, Any] = {}
    while at < len(lines) and lines[at][0] == indent:
        match = _PAIR.fullmatch(lines[at][1])
        if match is None or match.group(1) in found:
            raise _NotSimple
        key, text = match.group(1), match.group(2)
        if text is not None:
            found[key] = _value(text)
            at = _after_value(lines, at, indent)
        elif at + 1 < len(lines) and lines[at + 1][0] > indent:
            found[key], at = _node(lines, at + 1, lines[at + 1][0], depth + 1)
        else:
            found[key] = None
            at += 1
    return found, _closed(lines, at, indent)


def _after_value(lines: list[_Line], at: int, indent: int) -> int:
    # A deeper line after a value would continue it over lines, or be an error.
    if at + 1 < len(lines) and lines[at + 1][0] > indent:
        raise _NotSimple
    return at + 1


def _closed(lines: list[_Line], at: int, indent: int) -> int:
    # A block ends at a line to its left; one to its right, or at its own column but of
    # the other kind (a list beside mapping keys), is not simple.
    if at < len(lines) and lines[at][0] >= indent:
        raise _NotSimple
    return at


def _value(text: str) -> Any:
    text = text.rstrip(" ")
    if text[0] == "{":
        return _flow_mapping(text[1:-1])
    if text[0] == "[":
        return _flow_list(text[1:-1])
    return _plain(text)


def _plain(text: str) -> str | None:
    if ": " in text or " #" in text or text.endswith(":"):
        raise _NotSimple
    return None if text in _NULLS else text


def _flow_mapping(inner: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if not inner.strip(" "):
        return found
    for part in inner.split(","):
        match = _FLOW_PAIR.fullmatch(part)
        if match is None or match.group(1) in found:
            raise _NotSimple
        found[match.group(1)] = _word(match.group(2))
    return found


def _flow_list(inner: str) -> list[Any]:
    if not inner.strip(" "):
        return []
    found = []
    for part in inner.split(","):
        match = _FLOW_WORD.fullmatch(part)
        if match is None:
            raise _NotSimple
        found.append(_word(match.group(1)))
    return found


def _word(text: str) -> str | None:
    return None if text in _NULLS else text
