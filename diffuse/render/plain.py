"""Plain tables for the terminal and Markdown: columns padded to their widest cell, no
colour, every cell escaped (`clean`) before it is shown."""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from collections.abc import Sequence

from diffuse.escape import clean


def plain_table(
    heads: Sequence[str], rows: Sequence[Sequence[object]], right: int = 0, gap: int = 2
) -> list[str]:
    """Lines of a table, `gap` spaces between columns; the last `right` columns are
    figures, aligned right."""
    cells = [[clean(c) for c in row] for row in rows]
    widths = [max([len(h), *(len(row[i]) for row in cells)]) for i, h in enumerate(heads)]
    first_right = len(heads) - right

    def line(row: Sequence[str]) -> str:
        parts = [
            c.rjust(w) if i >= first_right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        return (" " * gap).join(parts).rstrip()

    return [line(heads), *(line(row) for row in cells)]


def fitted_table(
    heads: Sequence[str],
    rows: Sequence[Sequence[object]],
    width: int | None,
    right: int = 0,
) -> list[str]:
    """`plain_table` where it fits `width`; narrower, one block per row: its first cell on
    a line, the other fields below as 'head value' joined by ' · ', wrapped between fields
    (a field longer than the line wraps between its words, see `fit`); '-' is left out."""
    table = plain_table(heads, rows, right)
    if width is None or max(len(line) for line in table) <= width:
        return table
    lines: list[str] = []
    for row in rows:
        cells = [clean(c) for c in row]
        lines.append(cells[0])
        current = ""
        for head, cell in zip(heads[1:], cells[1:], strict=True):
            if cell == "-":
                continue
            fact = f"{head} {cell}"
            joined = f"{current} · {fact}" if current else fact
            if current and 4 + len(joined) > width:
                lines.append("    " + current)
                joined = fact
            current = joined
        if current:
            lines.append("    " + current)
    return fit("\n".join(lines), width).splitlines()


def md_cell(value: object) -> str:
    return clean(value).replace("|", "\\|").replace("\n", " ")


def md_table(heads: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(md_cell(h) for h in heads) + " |", "|" + "---|" * len(heads)]
    lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return lines


def text_width() -> int:
    """The width plain text is wrapped to, as the Rich console reads it: the terminal's own
    on a terminal; when piped, COLUMNS (at least 40), else 100."""
    if sys.stdout.isatty():
        return max(40, shutil.get_terminal_size().columns)
    try:
        return max(40, int(os.environ.get("COLUMNS", "")))
    except ValueError:
        return 100


def fit(text: str, width: int, hang: int = 4) -> str:
    """`text` with every line longer than `width` wrapped between words, its later lines
    indented `hang` past its own indent. A word longer than a line is kept whole: an id
    cut in two could be read as another."""
    out: list[str] = []
    for line in text.splitlines():
        if len(line) <= width:
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip(" "))]
        out += textwrap.wrap(
            line.strip(" "),
            width,
            initial_indent=indent,
            subsequent_indent=indent + " " * hang,
            break_long_words=False,
            break_on_hyphens=False,
        )
    return "".join(line + "\n" for line in out)


def short_ids(ids: Sequence[str], width: int) -> tuple[dict[str, str], int]:
    """Each of `ids` in at most `width` characters, and the width the labels take. A long
    id is cut in the middle ('proj-0…ollout-b'), keeping as much of its tail as tells it
    apart from the others: ids that differ only in a suffix never share a label. When no
    cut at `width` keeps every label apart, the width grows until one does."""
    longest = max((len(i) for i in ids), default=0)
    for room in range(max(2, width), longest):
        for tail in range((room - 1) // 2, room):
            labels = {i: _cut(i, room, tail) for i in ids}
            if len(set(labels.values())) == len(labels):
                return labels, room
    return {i: i for i in ids}, longest


def _cut(text: str, room: int, tail: int) -> str:
    if len(text) <= room:
        return text
    head = room - 1 - tail
    return text[:head] + "…" + text[len(text) - tail :] if tail else text[:head] + "…"
