"""The status row declared once: each field of `status.grid.Row` and how every output writes it.

`FIELDS` is the one list. From it come the project records of `status --format json` (and
their JSON schema in `reports.outputs`), the rows the result cache keeps (`status.pack`), the
`projects` table of `diffuse export sqlite` and the project columns of `status --format
csv` and `--format markdown`.

To add a field to the status row:

1. give `status.grid.Row` the attribute (with a default) and work it out in `status.build._row`;
2. add one `Field` to `FIELDS`: its JSON key and schema, how it is written and read back,
   and its column in each table output that shows it (`Place`: the name and where it
   goes among the others; leave a form out with None).

JSON, its schema, the cache, the SQLite column, CSV and Markdown need nothing else (say
what the column holds in the README's table of the export). A Markdown column is written
as plain text unless `render` gives it a look of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple

from diffuse.reports.status.grid import Forecast, Row
from diffuse.vocab import Health

TEXT: dict[str, Any] = {"type": "string"}
WHOLE: dict[str, Any] = {"type": "integer"}
NUMBER: dict[str, Any] = {"type": "number"}
FLAG: dict[str, Any] = {"type": "boolean"}
DAY: dict[str, Any] = {"type": "string", "format": "date"}


def or_null(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def obj(
    fields: dict[str, Any], optional: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    """An object that has every one of `fields`, and may have `optional` ones."""
    properties = {**fields, **(optional or {})}
    return {"type": "object", "required": sorted(fields), "properties": properties, **extra}


FORECAST_SCHEMA = obj(
    {"date": or_null(DAY), "done": FLAG, "days_after_target": or_null(WHOLE), "note": TEXT}
)


class Place(NamedTuple):
    """A field's column in one table output: its name and its place among the others."""

    name: str
    at: int


class Field(NamedTuple):
    attr: str  # the attribute of `status.grid.Row`
    json: str | None  # its key in the JSON; None: not written
    schema: dict[str, Any]
    write: Callable[[Row], Any]  # the value as JSON writes it
    read: Callable[[dict[str, Any]], Any] | None = None  # from the JSON; None: worked out
    sql: Place | None = None  # a column of the export's `projects` table
    sql_type: str = "TEXT"  # the column's type and constraints
    sql_write: Callable[[Row], Any] | None = None  # when SQL differs from JSON
    csv: Place | None = None  # a project column of `status --format csv`
    csv_write: Callable[[Row], Any] | None = None  # when CSV differs from JSON
    markdown: Place | None = None  # a column of `status --format markdown`


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _from_day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _key(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda data: data[name]


def forecast_record(outlook: Forecast | None, target: date | None) -> dict[str, Any] | None:
    """A forecast as every output writes it (`status`, `show`, `trend`)."""
    if outlook is None:
        return None
    return {
        "date": _day(outlook.day),
        "done": outlook.done,
        "days_after_target": outlook.days_after(target),
        "note": outlook.note,
    }


def _forecast(data: dict[str, Any]) -> Forecast | None:
    # A forecast counts the same sites as its row.
    outlook = data["forecast"]
    if outlook is None:
        return None
    day = _from_day(outlook["date"])
    return Forecast(day, outlook["done"], data["live"], data["in_scope"], outlook["note"])


def _text(attr: str, json: str | None = None, **places: Any) -> Field:
    name = json or attr
    return Field(attr, name, TEXT, lambda r: getattr(r, attr), _key(name), **places)


FIELDS: tuple[Field, ...] = (
    _text(
        "project",
        sql=Place("id", 0),
        sql_type="TEXT PRIMARY KEY",
        csv=Place("project", 0),
        markdown=Place("Project", 0),
    ),
    _text("title", sql=Place("title", 2)),
    _text("practice", sql=Place("practice", 1), csv=Place("practice", 1)),
    Field(
        "practice_title",
        "practice_title",
        or_null(TEXT),
        lambda r: r.practice_title,
        _key("practice_title"),
        sql=Place("practice_title", 3),
    ),
    _text("phase", sql=Place("phase", 4), csv=Place("phase", 2), markdown=Place("Phase", 1)),
    Field(
        "health",
        "health",
        {"enum": [h.value for h in Health]},
        lambda r: r.health.value,
        lambda d: Health(d["health"]),
        sql=Place("health", 12),
        csv=Place("project_health", 3),
        markdown=Place("Health", 5),
    ),
    Field(
        "reasons",
        "reasons",
        {"type": "array", "items": TEXT},
        lambda r: r.reasons,
        lambda d: list(d["reasons"]),
        sql=Place("reasons", 13),
        sql_write=lambda r: "\n".join(r.reasons),
    ),
    Field(
        "live",
        "live",
        WHOLE,
        lambda r: r.live,
        _key("live"),
        sql=Place("live", 9),
        sql_type="INTEGER",
        markdown=Place("Live", 2),
    ),
    Field(
        "in_scope",
        "in_scope",
        WHOLE,
        lambda r: r.in_scope,
        _key("in_scope"),
        sql=Place("in_scope", 10),
        sql_type="INTEGER",
    ),
    Field(
        "share_live",
        "share_live",
        NUMBER,
        lambda r: round(r.share_live, 4),
        sql=Place("share_live", 11),
        sql_type="REAL",
    ),
    Field(
        "approved",
        "approved",
        or_null(DAY),
        lambda r: _day(r.approved),
        lambda d: _from_day(d["approved"]),
        sql=Place("approved", 6),
    ),
    Field(
        "days",
        "days_since_approval",
        or_null(WHOLE),
        lambda r: r.days,
        _key("days_since_approval"),
        sql=Place("days_since_approval", 8),
        sql_type="INTEGER",
        markdown=Place("Days", 3),
    ),
    Field(
        "target",
        "target_date",
        or_null(DAY),
        lambda r: _day(r.target),
        lambda d: _from_day(d["target_date"]),
        sql=Place("target_date", 7),
    ),
    Field(
        "forecast",
        "forecast",
        or_null(FORECAST_SCHEMA),
        lambda r: forecast_record(r.forecast, r.target),
        _forecast,
        csv=Place("forecast", 9),
        csv_write=lambda r: r.forecast.label if r.forecast else "n/a",
        markdown=Place("Forecast", 4),
    ),
)
# Written to the export beside the row's own fields: the project's place in the workflow
# and its forecast split into columns a query can compare.
SQL_EXTRA: dict[str, tuple[Place, str]] = {
    "active": (Place("active", 5), "INTEGER"),
    "forecast_date": (Place("forecast_date", 14), "TEXT"),
    "forecast_done": (Place("forecast_done", 15), "INTEGER"),
}
# The cells' columns of `status --format csv`, between the project's columns.
CSV_CELL: tuple[Place, ...] = (
    Place("column", 4),
    Place("status", 5),
    Place("health", 6),
    Place("live", 7),
    Place("in_scope", 8),
)
CELL_SCHEMA = obj({"status": TEXT, "health": TEXT, "live": WHOLE, "in_scope": WHOLE})


def row_record(row: Row) -> dict[str, Any]:
    """The row's fields as JSON writes them, in `FIELDS` order (without its cells)."""
    return {f.json: f.write(row) for f in FIELDS if f.json is not None}


def row_values(data: dict[str, Any]) -> dict[str, Any]:
    """The inverse of `row_record`: `status.grid.Row`'s keyword arguments, but its cells."""
    return {f.attr: f.read(data) for f in FIELDS if f.read is not None}


def row_schema() -> dict[str, Any]:
    """The JSON schema of a project record of `status --format json`."""
    fields = {f.json: f.schema for f in FIELDS if f.json is not None}
    return obj({**fields, "columns": {"type": "object", "additionalProperties": CELL_SCHEMA}})


def sql_columns() -> list[tuple[str, str]]:
    """The columns of the export's `projects` table, in order, with their SQLite types."""
    found = [(f.sql, f.sql_type) for f in FIELDS if f.sql is not None]
    found += list(SQL_EXTRA.values())
    return [(place.name, kind) for place, kind in sorted(found, key=lambda p: p[0].at)]


def sql_record(row: Row, active: bool) -> dict[str, Any]:
    """The row in the export's `projects` table, keyed by column, in column order."""
    outlook = row.forecast
    values = {f.sql.name: (f.sql_write or f.write)(row) for f in FIELDS if f.sql is not None} | {
        "active": int(active),
        "forecast_date": _day(outlook.day) if outlook else None,
        "forecast_done": int(outlook.done) if outlook else 0,
    }
    return {name: values[name] for name, _ in sql_columns()}


def csv_columns() -> list[str]:
    """The columns of `status --format csv`: the project's, with its cell's among them."""
    places = [f.csv for f in FIELDS if f.csv is not None] + list(CSV_CELL)
    return [p.name for p in sorted(places, key=lambda p: p.at)]


def csv_project(row: Row) -> dict[str, Any]:
    """The project's values of a CSV line, keyed by column."""
    return {f.csv.name: (f.csv_write or f.write)(row) for f in FIELDS if f.csv is not None}


def markdown_fields() -> list[Field]:
    """The fields `status --format markdown` shows, in their order (before the cells)."""
    shown = [f for f in FIELDS if f.markdown is not None]
    return sorted(shown, key=lambda f: f.markdown.at if f.markdown else 0)
