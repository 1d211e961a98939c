"""Plain tables for the terminal and Markdown: columns padded to their widest cell, no
colour, every cell escaped (`clean`) before it is shown."""

from __future__ import annotations

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


def md_cell(value: object) -> str:
    return clean(value).replace("|", "\\|").replace("\n", " ")


def md_table(heads: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(md_cell(h) for h in heads) + " |", "|" + "---|" * len(heads)]
    lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return lines
