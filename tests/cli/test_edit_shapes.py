"""Edits work on every shape people write: flow style is edited in place, and a node shared
through an anchor and alias is refused with a clear message and the file untouched."""

from __future__ import annotations

from pathlib import Path

from conftest import Run

PROJECT = Path("projects") / "hh-spread.yaml"


def test_metrics_import_into_a_flow_style_metric(git_tracker: Path, run: Run) -> None:
    project = git_tracker / PROJECT
    metric = (
        "metrics:\n  - {id: compliance, name: Compliance, level: process, kind: proportion, "
        "direction: higher, values: []}\n"
    )
    project.write_text(project.read_text().replace("\nsites:", "\n" + metric + "\nsites:", 1))
    csv = git_tracker / "audit.csv"
    csv.write_text("site,period,value\nnor,2026-03,91\nnst,2026-03,80\nsou,2026-03,70\n")
    result = run("metrics", "import", "hh-spread", "compliance", str(csv), cwd=git_tracker)
    assert result.exit_code == 0, result.stdout + result.stderr
    lines = project.read_text().splitlines()
    row = next(line for line in lines if "id: compliance" in line)
    assert row.endswith(
        "values: [{date: 2026-03-01, site: nor, value: 91}, {date: 2026-03-01, site: nst, "
        "value: 80}, {date: 2026-03-01, site: sou, value: 70}]}"
    )
    assert run("validate", cwd=git_tracker).exit_code == 0


def test_a_flow_style_site_row_gets_new_keys_inline(git_tracker: Path, run: Run) -> None:
    project = git_tracker / PROJECT
    project.write_text(
        project.read_text().replace(
            "  sea:\n    status: not-applicable", "  sea: {status: planning}  # small site"
        )
    )
    result = run(
        "site", "hh-spread", "sea", "--leader", "cy", "--date", "2026-04-02", cwd=git_tracker
    )
    assert result.exit_code == 0, result.stderr
    assert "  sea: {status: planning, leader: cy, updated: 2026-04-02}  # small site" in (
        project.read_text()
    )


def test_editing_a_site_whose_row_is_an_alias_is_refused(git_tracker: Path, run: Run) -> None:
    project = git_tracker / PROJECT
    text = (
        project.read_text()
        .replace("  nor:\n", "  nor: &row\n")
        .replace("  sea:\n    status: not-applicable", "  sea: *row")
    )
    project.write_text(text)
    assert run("validate", cwd=git_tracker).exit_code == 0
    for site, what in (
        ("sea", "'sites.sea' is an alias (*) of the value written at line 31"),
        (
            "nor",
            "'sites.nor' at line 31 is anchored (&) and used again elsewhere through an alias (*)",
        ),
    ):
        result = run("site", "hh-spread", site, "--status", "planning", cwd=git_tracker)
        assert result.exit_code == 1
        assert result.stderr.strip() == (
            f"diffuse: {project}: cannot edit safely: {what}, so an edit here would change "
            "every place that shares it; write each copy out in full, then run the command "
            "again"
        )
        assert project.read_text() == text
