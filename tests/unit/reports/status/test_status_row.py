"""The status row is declared once (`reports.status.row`): every output lists the fields the
declaration gives it, and a field added to the declaration reaches every output."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO_ROOT, Run

from diffuse.reports.status import row as statusrow
from diffuse.reports.status.grid import Cell, Column, Forecast, Grid, Row
from diffuse.reports.status.jsonform import grid_data, grid_from_data
from diffuse.reports.status.pack import kept, pack_grids, unpack_grids
from diffuse.reports.status.row import WHOLE, Field, Place
from diffuse.vocab import Health, SiteStatus

AS_OF = "2026-11-22"


def _outputs(run: Run, db: Path) -> tuple[dict[str, object], list[str], list[str], list[str]]:
    """The first project of `status --format json`, the CSV header, the Markdown header
    and the export's `projects` columns, on the demo."""
    where = ("--as-of", AS_OF, "--root", str(REPO_ROOT))
    data = json.loads(run("status", "--format", "json", *where).stdout)
    header = next(csv.reader(io.StringIO(run("status", "--format", "csv", *where).stdout)))
    markdown = run("status", "--format", "markdown", *where).stdout.splitlines()[2]
    cells = [c.strip() for c in markdown.strip("|").split("|")]
    assert run("export", "sqlite", str(db), *where).exit_code == 0
    with sqlite3.connect(db) as con:
        columns = [r[1] for r in con.execute("PRAGMA table_info(projects)")]
    return data["projects"][0], header, cells, columns


def test_every_output_lists_the_fields_declared_for_it(run: Run, tmp_path: Path) -> None:
    project, header, markdown, columns = _outputs(run, tmp_path / "t.db")
    fields = statusrow.FIELDS
    assert list(project) == [f.json for f in fields if f.json] + ["columns"]
    schema = statusrow.row_schema()
    assert set(schema["properties"]) == set(project) == set(schema["required"])
    assert header == ["project", "practice", "phase", "project_health", "column", "status",
                      "health", "live", "in_scope", "forecast"]  # fmt: skip
    assert header == statusrow.csv_columns()
    assert markdown[:6] == ["Project", "Phase", "Live", "Days", "Forecast", "Health"]
    assert markdown[:6] == [f.markdown.name for f in statusrow.markdown_fields() if f.markdown]
    assert columns == [name for name, _ in statusrow.sql_columns()]
    assert columns[:3] == ["id", "practice", "title"]


def test_a_field_added_to_the_declaration_reaches_every_output(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    added = Field(
        "sites_listed",
        "sites_listed",
        WHOLE,
        lambda row: len(row.cells),
        sql=Place("sites_listed", 16),
        sql_type="INTEGER",
        csv=Place("sites_listed", 10),
        markdown=Place("Sites", 6),
    )
    monkeypatch.setattr(statusrow, "FIELDS", (*statusrow.FIELDS, added))
    project, header, markdown, columns = _outputs(run, tmp_path / "t.db")
    assert project["sites_listed"] == 24
    assert list(project)[-2:] == ["sites_listed", "columns"]
    assert statusrow.row_schema()["properties"]["sites_listed"] == WHOLE
    assert header[-1] == "sites_listed"
    assert markdown[6] == "Sites"
    assert columns[-1] == "sites_listed"
    with sqlite3.connect(tmp_path / "t.db") as con:
        assert con.execute("SELECT DISTINCT sites_listed FROM projects").fetchall() == [(24,)]


def test_the_cache_reads_back_every_field_it_keeps() -> None:
    """A status read from the cache is the status worked out: each field the declaration
    reads back is kept; one worked out from others (`share_live`) is not."""
    cell = Cell(3, 1, SiteStatus.LIVE, Health.ON_TRACK)
    outlook = Forecast(date(2027, 3, 1), False, 1, 3, "at 1 go-live a month")
    row = Row(
        "p", "P", "q", "execute", [cell], 3, 1, date(2026, 1, 5), 321, date(2026, 7, 5),
        Health.AT_RISK, ["late"], outlook, "Q",
    )  # fmt: skip
    grid = Grid(date(2026, 11, 22), 6, [Column("s", "S", ("s",))], [row])
    assert unpack_grids(json.loads(json.dumps(pack_grids([grid])))) == [grid]
    assert grid_from_data(json.loads(json.dumps(grid_data(grid)))) == grid
    assert "share_live" not in [f.attr for f in kept()]
