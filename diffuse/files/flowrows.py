"""One-line rows of a list, read without the YAML parser.

Most of a tracker's text is a measure's values, a row to a line:

    - {date: 2026-03-01, site: lmc, numerator: 22280, denominator: 89178, period: baseline}

The parser makes a node and two marks for every key and value of such a row, and they are
thrown away once the row is data. `splice` reads each row of the simplest form itself and
puts an empty mapping `{}`, padded with spaces to the row's length, in its place. Every
other character keeps its offset, line and column, so the text composed in its place is
the same tree but for the rows' contents, and its positions are the file's. The caller
(`nodes.read`) takes a row's data where an empty mapping starts at the row's place, and
composes the text as written when any row was not found so.

Why that data is what the parser would read: the two texts are equal up to the row's
`{`, so the parser reaches it in the same state in both, and an empty mapping composed
there means a `{` there opens a flow mapping. A row is read only when its mapping holds
nothing but plain keys and plain values (no quote, indicator, tag, anchor, alias, comment
or line break, and no key twice), each read as text by the loader (`nodes._Loader`), and
when only spaces and a comment follow the `}`, as they follow the `{}`. A row inside a
block of text or a quoted value composes no mapping of its own: the text is then
composed as written. So does a text with an alias, whose values are counted with every
alias expanded, and a text with a line break other than '\\n' or '\\r\\n', where a line
would not be counted as the parser counts it.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# A key: lower-case words, short enough to be a simple key (the parser allows 1,024 chars).
_KEY = r"[a-z_][a-z0-9_]{0,63}"
# A plain value that stays text: letters, digits, '.', '_' and '-', starting as a plain
# scalar may start in a flow mapping (a '-' only before a letter or digit).
_VALUE = r"-?[A-Za-z0-9][A-Za-z0-9._-]*"
_PAIR = rf"{_KEY}: +{_VALUE} *"
# A list item of one flow mapping, with only spaces or a comment after it on its line (and,
# `splice` sees, only spaces before it). Found by its '- {', which is quicker to look for
# than the start of every line.
_ROW = re.compile(rf"- (\{{ *{_PAIR}(?:, *{_PAIR})*\}})(?= *\r?$| +#)", re.MULTILINE)
# Line breaks the parser counts as such, besides '\n' and '\r\n'.
_OTHER_BREAKS = ("\x85", "\u2028", "\u2029")
# Plain values the loader reads as null (`nodes._NULLS` that a row's value may spell).
_NULL_WORDS = frozenset({"null", "Null", "NULL"})

Row = dict[str, str | None]
# Rows by the line and column (both from 0) of their `{`.
Rows = dict[tuple[int, int], Row]


class Spliced(NamedTuple):
    """The text with each row read replaced by `{}` and spaces, and each row's data by the
    line and column (both from 0) of its `{`."""

    text: str
    rows: Rows


def splice(text: str) -> Spliced | None:
    """The text with its rows read (see the module's notes); None when it has none, or
    when the text must be composed as written."""
    if "- {" not in text or "*" in text or text.startswith("\ufeff"):
        return None
    if text.count("\r") != text.count("\r\n") or any(b in text for b in _OTHER_BREAKS):
        return None
    pieces: list[str] = []
    rows: Rows = {}
    done = line = 0  # the text before `done` is in `pieces`; `line` is the line at `done`
    for match in _ROW.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if text.count(" ", line_start, match.start()) < match.start() - line_start:
            continue  # not the first thing on its line
        start, end = match.span(1)
        # Keys and values, in turn: neither holds a space, a ':' or a ','.
        words = text[start + 1 : end - 1].replace(" ", "").replace(":", ",").split(",")
        pairs = iter(words)
        row: Row = dict(zip(pairs, pairs, strict=False))
        if 2 * len(row) < len(words):
            continue  # a key given twice: the parser's reader reports it
        if not _NULL_WORDS.isdisjoint(row.values()):
            row = {key: None if value in _NULL_WORDS else value for key, value in row.items()}
        line += text.count("\n", done, start)
        rows[line, start - line_start] = row
        pieces += (text[done:start], "{}", " " * (end - start - 2))
        done = end
    if not rows:
        return None
    pieces.append(text[done:])
    return Spliced("".join(pieces), rows)
