"""CSV outputs never hand a spreadsheet a formula: text that starts like one is quoted."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO_ROOT, Run
from prflow import edit

from diffuse.render.csvtext import csv_text, safe_cell


def test_each_formula_start_is_neutralised_and_numbers_stay_numbers() -> None:
    for text in ("=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("North") == "North"
    assert safe_cell(-3.5) == -3.5
    assert csv_text(["a", "b"], [{"a": '=HYPERLINK("x")', "b": -2}]) == (
        'a,b\n"\'=HYPERLINK(""x"")",-2\n'
    )


def test_status_and_scorecard_csv_quote_text_from_the_files(tracker: Path, run: Run) -> None:
    org = tracker / "organisation.yaml"
    edit(org, "region: North}", "region: '=cmd|\" /C calc\"!A0'}")
    edit(org, "name: South Hospital", "name: '@SUM(1+1)*cmd|\"/C calc\"!A0'")
    status = run(
        "status", "--as-of", "2026-05-01", "--format", "csv", "--group", "region", cwd=tracker
    )
    assert status.exit_code == 0
    assert (
        'hh-spread,hand-hygiene,plan,off-track,"\'=cmd|"" /C calc""!A0",live,'
        "on-track,1,1,n/a" in status.stdout.splitlines()
    )
    card = run("scorecard", "--as-of", "2026-05-01", "--format", "csv", cwd=tracker)
    assert card.exit_code == 0
    assert 'sou,"\'@SUM(1+1)*cmd|""/C calc""!A0",1,0,0.0,,0,0,2' in card.stdout.splitlines()


def test_every_csv_output_is_written_in_one_place() -> None:
    writers = re.compile(r"csv\.(?:writer|DictWriter)\(")
    found = [
        path.relative_to(REPO_ROOT).as_posix()
        for path in sorted((REPO_ROOT / "diffuse").rglob("*.py"))
        if writers.search(path.read_text(encoding="utf-8"))
    ]
    assert found == ["diffuse/render/csvtext.py"]
