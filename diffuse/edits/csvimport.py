"""Metric values from a CSV file: every cell checked, then appended to the project file.

Columns (a header line names them, in any order, any case): `site` (empty: all sites),
`period` (YYYY-MM, stored as the first of the month, or YYYY-MM-DD), and `value` or
`numerator` and `denominator`; optionally `excluded` (why the point is left out of the
chart). Every problem is reported as FILE:LINE:COL before anything is written.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from diffuse.errors import DiffuseError, Location, Problem
from diffuse.files.yamlbatch import apply_values
from diffuse.files.yamledit import Scalar
from diffuse.layout import relative
from diffuse.limits import DAY_RANGE, FIRST_DAY, LAST_DAY, MAX_FIGURE
from diffuse.models.project import Metric, Project
from diffuse.vocab import MeasurePeriod, MetricKind, pick

COLUMNS = ("site", "period", "value", "numerator", "denominator", "excluded")
_MONTH = re.compile(r"\d{4}-\d{2}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_INTEGER = re.compile(r"[-+]?\d+")
_FLOAT = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


@dataclass(frozen=True)
class ImportRequest:
    project: str
    metric: str
    file: Path
    replace: bool = False
    period: str | None = None
    dry_run: bool = False


@dataclass(frozen=True)
class Row:
    line: int
    site: str | None
    day: date
    values: dict[str, Scalar]  # value, or numerator and denominator; maybe excluded


@dataclass
class ImportOutcome:
    path: Path
    added: list[Row] = field(default_factory=list)
    replaced: list[Row] = field(default_factory=list)
    dry_run: bool = False


@dataclass
class _Reader:
    file: Path
    sites: frozenset[str]
    metric: Metric
    problems: list[Problem] = field(default_factory=list)

    def add(self, line: int, col: int, code: str, message: str) -> None:
        self.problems.append(Problem(Location(self.file, line, col), code, message))


def read_rows(file: Path, metric: Metric, sites: frozenset[str]) -> tuple[list[Row], list[Problem]]:
    """The rows of `file`, or every problem found in it."""
    reader = _Reader(file, sites, metric)
    text = _text(reader)
    if text is None:
        return [], reader.problems
    # Lines split as the csv module splits them, so line numbers agree with its records.
    lines = io.StringIO(text, newline="").readlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = ";" if ";" in first and "," not in first else ","
    records = [r for r in _records(text, delimiter) if any(cell.strip() for cell in r[1])]
    if not records:
        reader.add(1, 1, "empty-file", "no header line; expected: site,period,value")
        return [], reader.problems
    (header_line, header), *body = records
    names = _header(reader, header, header_line, _columns(lines[header_line - 1], delimiter))
    if names is None:
        return [], reader.problems
    rows = []
    for line, cells in body:
        row = _row(reader, names, cells, line, _columns(lines[line - 1], delimiter))
        if row is not None:
            rows.append(row)
    _no_repeats(reader, rows)
    return rows, reader.problems


def _text(reader: _Reader) -> str | None:
    try:
        raw = reader.file.read_bytes()
    except OSError as exc:
        raise DiffuseError(f"cannot read {reader.file}: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        reader.add(line, col, "encoding", "not UTF-8 text; save the file as UTF-8 CSV")
        return None


def _records(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Each record with the number of the line it starts on."""
    parsed = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, start = [], 1
    for cells in parsed:
        records.append((start, cells))
        start = parsed.line_num + 1
    return records


def _columns(line: str, delimiter: str) -> list[int]:
    """The column (1-based) each field of `line` starts at."""
    starts, quoted = [1], False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            starts.append(index + 2)
    return starts


def _at(columns: list[int], index: int) -> int:
    return columns[index] if index < len(columns) else columns[-1]


def _header(reader: _Reader, cells: list[str], line: int, columns: list[int]) -> list[str] | None:
    names = [cell.strip().lower() for cell in cells]
    before = len(reader.problems)
    for index, name in enumerate(names):
        if name not in COLUMNS:
            reader.add(
                line,
                _at(columns, index),
                "unknown-column",
                f"unknown column {name!r}; expected: {', '.join(COLUMNS)}",
            )
        elif names.index(name) != index:
            reader.add(line, _at(columns, index), "duplicate-column", f"column {name!r} twice")
    missing = [n for n in ("site", "period") if n not in names]
    if "value" not in names and "numerator" not in names:
        missing.append("value (or numerator and denominator)")
    if ("numerator" in names) != ("denominator" in names):
        missing.append("denominator" if "numerator" in names else "numerator")
    if missing:
        reader.add(line, 1, "missing-column", f"the header needs column(s): {', '.join(missing)}")
    return names if len(reader.problems) == before else None


def _row(
    reader: _Reader, names: list[str], cells: list[str], line: int, columns: list[int]
) -> Row | None:
    before = len(reader.problems)
    if len(cells) != len(names):
        reader.add(line, 1, "cell-count", f"{len(cells)} cell(s); the header names {len(names)}")
        return None
    given = {
        name: (cell.strip(), _at(columns, i))
        for i, (name, cell) in enumerate(zip(names, cells, strict=True))
    }
    site = _site(reader, line, *given["site"])
    day = _day(reader, line, *given["period"])
    values = _values(reader, line, given)
    if len(reader.problems) > before or day is None:
        return None
    return Row(line, site, day, values)


def _site(reader: _Reader, line: int, text: str, col: int) -> str | None:
    if not text:
        return None
    if text not in reader.sites:
        known = ", ".join(sorted(reader.sites))
        reader.add(
            line, col, "unknown-site", f"no site {text!r} in the organisation; known: {known}"
        )
    return text


def _day(reader: _Reader, line: int, text: str, col: int) -> date | None:
    if not (_MONTH.fullmatch(text) or _DAY.fullmatch(text)):
        reader.add(line, col, "invalid-date", f"expected YYYY-MM or YYYY-MM-DD (got {text!r})")
        return None
    try:
        day = date.fromisoformat(text if _DAY.fullmatch(text) else f"{text}-01")
    except ValueError:
        reader.add(line, col, "invalid-date", f"not a real calendar day (got {text!r})")
        return None
    if not FIRST_DAY <= day <= LAST_DAY:
        reader.add(line, col, "out-of-range", f"expected a date {DAY_RANGE} (got {text!r})")
        return None
    return day


def _number(reader: _Reader, line: int, text: str, col: int, name: str) -> int | float | None:
    if not text:
        return None
    whole = _INTEGER.fullmatch(text) is not None
    if whole or _FLOAT.fullmatch(text):
        # float() first: it reads any length of digits, where int() refuses very long ones.
        if not abs(float(text)) <= MAX_FIGURE:
            reader.add(line, col, "out-of-range", f"{name}: larger than {MAX_FIGURE:,.0f}")
            return None
        return int(text) if whole else float(text)
    reader.add(
        line, col, "invalid-number", f"{name}: expected a number like 12 or 0.5 (got {text!r})"
    )
    return None


def _values(reader: _Reader, line: int, given: dict[str, tuple[str, int]]) -> dict[str, Scalar]:
    names = [n for n in ("value", "numerator", "denominator") if n in given]
    found: dict[str, int | float | None] = {
        name: _number(reader, line, *given[name], name) for name in names
    }
    filled = {name for name in names if given[name][0]}
    if "value" in filled and filled & {"numerator", "denominator"}:
        col = given["numerator"][1]
        reader.add(
            line, col, "value-and-ratio", "give value, or numerator and denominator, not both"
        )
    elif not filled:
        reader.add(line, given[names[0]][1], "missing-value", "no value, numerator or denominator")
    elif "value" not in filled and len(filled) == 1:
        name = "denominator" if "numerator" in filled else "numerator"
        reader.add(line, given[name][1], "missing-value", f"{name} is empty")
    _in_range(reader, line, given, found)
    values: dict[str, Scalar] = {k: v for k, v in found.items() if v is not None}
    if given.get("excluded", ("", 0))[0]:
        values["excluded"] = given["excluded"][0]
    return values


def _in_range(
    reader: _Reader,
    line: int,
    given: dict[str, tuple[str, int]],
    found: dict[str, int | float | None],
) -> None:
    proportion = reader.metric.kind is MetricKind.PROPORTION
    num, den, value = found.get("numerator"), found.get("denominator"), found.get("value")
    if num is not None and num < 0:
        reader.add(line, given["numerator"][1], "out-of-range", "numerator must not be negative")
    if den is not None and den <= 0:
        reader.add(line, given["denominator"][1], "out-of-range", "denominator must be above 0")
    if proportion and num is not None and den is not None and 0 < den < num:
        reader.add(
            line,
            given["numerator"][1],
            "out-of-range",
            f"numerator {num} is above the denominator {den}",
        )
    if proportion and value is not None and not 0 <= value <= 100:
        reader.add(
            line, given["value"][1], "out-of-range", f"a proportion is 0-100 (%); got {value}"
        )


def _no_repeats(reader: _Reader, rows: list[Row]) -> None:
    seen: dict[tuple[str | None, date], int] = {}
    for row in rows:
        key = (row.site, row.day)
        if key in seen:
            reader.add(
                row.line,
                1,
                "duplicate-row",
                f"{row.site or 'all sites'} {row.day} is also on line {seen[key]}",
            )
        seen.setdefault(key, row.line)


# -- into the project file ----------------------------------------------------------------


def import_csv(root: Path, request: ImportRequest) -> ImportOutcome:
    from diffuse.rules.load import find_project, load_tracker

    loaded = load_tracker(root)
    project = find_project(loaded, request.project)
    index, metric = _metric(project, request.metric)
    period = _period(request.period)
    doc = loaded.catalog.document("project", project.id)
    rows, problems = read_rows(request.file, metric, frozenset(s.id for s in loaded.org.sites))
    existing = {(m.site, m.date): i for i, m in enumerate(metric.values)}
    outcome = ImportOutcome(relative(doc.path, root), dry_run=request.dry_run)
    for row in rows:
        at = existing.get((row.site, row.day))
        if at is None:
            outcome.added.append(row)
            continue
        found = doc.locate(("metrics", index, "values", at))
        where = Location(relative(found.path, root), found.line, found.col)
        problem = _clash(request, metric.values[at], row, where)
        if problem:
            problems.append(problem)
        else:
            outcome.replaced.append(row)
    if problems:
        unchanged = f"{relative(doc.path, root)} was not changed"
        raise DiffuseError(
            f"{request.file}: {len(problems)} problem(s); {unchanged}", tuple(sorted(problems))
        )
    if rows:
        # A dry run also builds and validates the new file, so it refuses what the real
        # import would (a rate the denominator makes too large, say), writing nothing.
        _write(doc.path, index, outcome, existing, period, request.dry_run)
    return outcome


def _metric(project: Project, metric_id: str) -> tuple[int, Metric]:
    for index, metric in enumerate(project.metrics):
        if metric.id == metric_id:
            return index, metric
    known = ", ".join(m.id for m in project.metrics) or "none"
    raise DiffuseError(f"no metric '{metric_id}' in {project.id}; known: {known}")


def _period(period: str | None) -> str | None:
    return None if period is None else pick(MeasurePeriod, period, "--period").value


def _clash(request: ImportRequest, old: object, row: Row, where: Location) -> Problem | None:
    label = f"{row.site or 'all sites'} {row.day}"
    here = Location(request.file, row.line, 1)
    if not request.replace:
        return Problem(
            here,
            "already-recorded",
            f"{label} is already recorded at {where}; pass --replace to overwrite it",
        )
    old_ratio = getattr(old, "numerator", None) is not None
    if old_ratio != ("numerator" in row.values):
        return Problem(
            here,
            "cannot-replace",
            f"{label} is recorded at {where} as "
            f"{'numerator/denominator' if old_ratio else 'a value'}; change it by hand",
        )
    return None


def _write(
    path: Path,
    index: int,
    outcome: ImportOutcome,
    existing: dict[tuple[str | None, date], int],
    period: str | None,
    dry_run: bool,
) -> None:
    from diffuse.edits.editing import edit_file

    changes = [
        (existing[(row.site, row.day)], _fields(row, period, keys=False))
        for row in outcome.replaced
    ]
    added = [_fields(row, period) for row in outcome.added]
    edit_file(
        path,
        lambda text: apply_values(text, ("metrics", index, "values"), changes, added),
        dry_run=dry_run,
    )


def _fields(row: Row, period: str | None, keys: bool = True) -> dict[str, Scalar]:
    fields: dict[str, Scalar] = {"date": row.day} if keys else {}
    if row.site is not None and keys:
        fields["site"] = row.site
    fields.update({k: v for k, v in row.values.items() if k != "excluded"})
    if period is not None:
        fields["period"] = period
    if "excluded" in row.values:
        fields["excluded"] = row.values["excluded"]
    return fields
