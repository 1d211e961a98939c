"""CSV text for spreadsheets: the one writer every `--format csv` output goes through.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula
by spreadsheet programs, so text from a tracker file (a site name, a note) could run one
when a manager opens the file. Such text cells get a leading `'`, as the OWASP guidance on
CSV injection recommends; numbers are written as numbers, so -3 stays a number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(fields: Sequence[str], rows: Iterable[Mapping[str, Any] | Sequence[Any]]) -> str:
    """A header of `fields`, then one line per row (a mapping by field, or a sequence)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([safe_cell(name) for name in fields])
    for row in rows:
        cells = [row.get(name) for name in fields] if isinstance(row, Mapping) else row
        writer.writerow([safe_cell(cell) for cell in cells])
    return out.getvalue()
