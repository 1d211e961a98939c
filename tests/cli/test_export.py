"""`diffuse export sqlite`: SQL over the database gives the figures `status` prints."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from conftest import REPO_ROOT, Run

AS_OF = "2026-11-22"


def _query(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as con:
        return con.execute(sql).fetchall()


def test_the_demo_database_matches_status_json(run: Run, tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    result = run("export", "sqlite", str(db), "--as-of", AS_OF, "--root", str(REPO_ROOT))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"wrote {db}: 25 practices, 24 sites")
    status = json.loads(
        run("status", "--format", "json", "--as-of", AS_OF, "--root", str(REPO_ROOT)).stdout
    )
    expected = [
        (p["project"], p["phase"], p["health"], p["live"], p["in_scope"], p["target_date"])
        for p in status["projects"]
    ]
    assert expected == _query(
        db,
        "SELECT id, phase, health, live, in_scope, target_date FROM projects "
        "WHERE active = 1 ORDER BY id",
    )
    cells = [
        (p["project"], site, c["status"], c["health"])
        for p in status["projects"]
        for site, c in p["columns"].items()
    ]
    assert cells == _query(db, "SELECT project, site, status, health FROM grid")
    reasons = {p["project"]: "\n".join(p["reasons"]) for p in status["projects"]}
    assert reasons == dict(_query(db, "SELECT id, reasons FROM projects WHERE active = 1"))


def test_metric_values_keep_numerator_and_denominator(run: Run, tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    run("export", "sqlite", str(db), "--as-of", AS_OF, "--root", str(REPO_ROOT))
    rows = _query(
        db,
        "SELECT COUNT(*), SUM(numerator IS NOT NULL), "
        "SUM(ABS(charted - numerator * 100.0 / denominator) < 1e-9) FROM metric_values "
        "WHERE kind = 'proportion' AND numerator IS NOT NULL",
    )
    count, with_ratio, charted = rows[0]
    assert isinstance(count, int) and count > 0
    assert count == with_ratio == charted


def test_spc_results_are_the_charts_of_diffuse_metrics(run: Run, tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    run("export", "sqlite", str(db), "--as-of", AS_OF, "--root", str(REPO_ROOT))
    shown = json.loads(
        run(
            "metrics",
            "cvc-standardization",
            "clabsi-rate",
            "--format",
            "json",
            "--root",
            str(REPO_ROOT),
        ).stdout
    )
    chart = shown["charts"][0]
    centres = [round(part["centre"], 6) for part in chart["parts"]]
    stored = _query(
        db,
        "SELECT centre FROM spc_parts WHERE project = 'cvc-standardization' "
        "AND metric = 'clabsi-rate' AND site IS NULL ORDER BY part",
    )
    assert centres == [round(float(c), 6) for (c,) in stored]  # type: ignore[arg-type]
    summary = _query(
        db,
        "SELECT chart, parts, runs_signal FROM spc_results WHERE project = 'cvc-standardization' "
        "AND metric = 'clabsi-rate' AND site IS NULL",
    )
    assert summary == [(chart["chart"], len(chart["parts"]), int(chart["signals"]["runs"]))]


def test_export_replaces_the_file_whole(run: Run, tracker: Path, tmp_path: Path) -> None:
    db = tmp_path / "out" / "tracker.db"
    assert run("export", "sqlite", str(db), "--as-of", AS_OF, cwd=tracker).exit_code == 0
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE mine (x)")
    assert run("export", "sqlite", str(db), "--as-of", AS_OF, cwd=tracker).exit_code == 0
    assert _query(db, "SELECT name FROM sqlite_master WHERE name = 'mine'") == []
    assert [p.name for p in db.parent.iterdir()] == ["tracker.db"]
    assert _query(db, "SELECT project, number, standard_risk, score FROM risks") == [
        ("hh-spread", 1, 7, 16),
        ("hh-spread", 2, 4, 6),
    ]
    assert _query(db, "SELECT state, COUNT(*) FROM duties GROUP BY state ORDER BY state") == [
        ("done", 10),
        ("n/a", 1),
        ("open", 40),
    ]


def test_export_refuses_a_folder(run: Run, tracker: Path, tmp_path: Path) -> None:
    result = run("export", "sqlite", str(tmp_path), cwd=tracker)
    assert result.exit_code == 1
    assert "is a folder" in result.stderr


def test_every_example_query_in_the_docs_runs(run: Run, tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    run("export", "sqlite", str(db), "--as-of", AS_OF, "--root", str(REPO_ROOT))
    page = (REPO_ROOT / "docs" / "output.md").read_text()
    block = page.split("One query per reader:\n\n```sql\n", 1)[1].split("```", 1)[0]
    queries = [q.strip() for q in block.split(";") if q.strip()]
    assert len(queries) == 6
    with sqlite3.connect(db) as con:
        answers = [con.execute(q).fetchall() for q in queries]
    assert answers[0] and all(answers[i] for i in (2, 3, 5))
