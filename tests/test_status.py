"""`diffuse status`: the grid leadership reads, in every output format."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Run


def _row(lines: list[str], project: str) -> list[str]:
    return next(line.split() for line in lines if line.strip().startswith(project))


def test_grid_shows_phase_share_days_health_and_a_symbol_per_site(tracker: Path, run: Run) -> None:
    result = run("status", "--as-of", "2026-05-01", "--group", "site", cwd=tracker)
    assert result.exit_code == 0, result.stderr
    header = next(line.split() for line in result.lines if line.strip().startswith("Project"))
    assert header[-4:] == ["nor", "nst", "sou", "sea"]
    # One of three scoped sites is off track (>= 25%), so the project is off track.
    assert _row(result.lines, "hh-spread") == [
        "hh-spread",
        "plan",
        "1/3",
        "89/181",
        "n/a",
        "✗",
        "off-track",
        "●✓",
        "◑!",
        "◔✗",
        "–",
    ]
    assert "● live" in result.stdout and "! at-risk" in result.stdout


def test_group_by_region_counts_live_sites_and_worst_health(tracker: Path, run: Run) -> None:
    result = run("status", "--as-of", "2026-05-01", "--group", "region", cwd=tracker)
    assert _row(result.lines, "hh-spread")[-2:] == ["1/2!", "0/1✗"]


def test_auto_grouping_switches_to_regions_when_sites_do_not_fit(tracker: Path, run: Run) -> None:
    wide = run("status", "--as-of", "2026-05-01", cwd=tracker, env={"COLUMNS": "200"})
    narrow = run("status", "--as-of", "2026-05-01", cwd=tracker, env={"COLUMNS": "68"})
    assert "nst" in wide.stdout and "North" not in wide.stdout
    assert "North" in narrow.stdout and "nst" not in narrow.stdout


def test_status_reads_the_tracker_and_works_out_each_row_once(
    tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import diffuse.cache.results
    import diffuse.reports.status.build
    import diffuse.rules.load

    calls: Counter[str] = Counter()
    for module, name in [
        (diffuse.rules.load, "load_tracker"),
        (diffuse.reports.status.build, "build_grids"),
        (diffuse.reports.status.build, "_row"),
        (diffuse.cache.results, "key"),
    ]:
        monkeypatch.setattr(module, name, _counted(calls, name, getattr(module, name)))
    # Too narrow for a column per site: the grid by region is printed, built in the same pass.
    result = run("status", "--as-of", "2026-05-01", cwd=tracker, env={"COLUMNS": "68"})
    assert result.exit_code == 0, result.stderr
    assert "North" in result.stdout
    assert calls == {"load_tracker": 1, "build_grids": 1, "_row": 1, "key": 1}


def _counted(calls: Counter[str], name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def counting(*args: Any, **kwargs: Any) -> Any:
        calls[name] += 1
        return function(*args, **kwargs)

    return counting


def test_json_has_every_number_a_reader_needs(tracker: Path, run: Run) -> None:
    result = run("status", "--as-of", "2026-09-01", "--format", "json", cwd=tracker)
    data = json.loads(result.stdout)
    (project,) = data["projects"]
    assert data["as_of"] == "2026-09-01"
    assert project["target_date"] == "2026-08-01"
    assert project["days_since_approval"] == 212
    assert project["health"] == "off-track"
    assert any("past the 2026-08-01 target" in r for r in project["reasons"])
    assert project["columns"]["sea"]["status"] == "not-applicable"


def test_csv_has_one_line_per_project_and_site(tracker: Path, run: Run) -> None:
    result = run("status", "--as-of", "2026-05-01", "--format", "csv", cwd=tracker)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["column"], r["status"], r["health"]) for r in rows] == [
        ("nor", "live", "on-track"),
        ("nst", "implementing", "at-risk"),
        ("sou", "planning", "off-track"),
        ("sea", "not-applicable", "on-track"),
    ]


def test_markdown_is_a_table_with_symbols(tracker: Path, run: Run) -> None:
    result = run(
        "status", "--as-of", "2026-05-01", "--format", "markdown", "--group", "site", cwd=tracker
    )
    row = "| hh-spread | plan | 1/3 | 89/181 | n/a | ✗ off-track | ●✓ | ◑! | ◔✗ | – |"
    assert row in result.lines


def test_filters_by_health_and_rejects_unknown_values(tracker: Path, run: Run) -> None:
    assert (
        "hh-spread"
        not in run("status", "--health", "on-track", "--as-of", "2026-05-01", cwd=tracker).stdout
    )
    bad = run("status", "--site", "xyz", cwd=tracker)
    assert bad.exit_code == 1
    assert "--site: unknown value 'xyz'; expected one of: nor, nst, sea, sou" in bad.stderr


def test_site_filter_limits_columns(tracker: Path, run: Run) -> None:
    result = run("status", "--site", "sou", "--as-of", "2026-05-01", cwd=tracker)
    assert _row(result.lines, "hh-spread")[-1] == "◔✗"


def test_inactive_projects_only_with_all(tracker: Path, run: Run) -> None:
    path = tracker / "projects" / "hh-spread.yaml"
    path.write_text(
        path.read_text()
        .replace("phase: plan", "phase: sustain")
        .replace("to: plan,", "to: sustain,")
    )
    assert "No projects match." in run("status", cwd=tracker, env={"COLUMNS": "200"}).stdout
    assert "hh-spread" in run("status", "--all", cwd=tracker).stdout


def test_piped_output_has_no_colour_codes_and_file_text_is_not_markup(
    tracker: Path, run: Run
) -> None:
    org = tracker / "organisation.yaml"
    org.write_text(org.read_text().replace("region: North}", 'region: "[red]N\\e[2J"}'))
    result = run("status", "--group", "region", "--as-of", "2026-05-01", cwd=tracker)
    assert "\x1b" not in result.stdout
    assert "[red]N\\x1b[2J" in result.stdout


def test_a_broken_project_file_is_reported_not_hidden(tracker: Path, run: Run) -> None:
    (tracker / "projects" / "broken.yaml").write_text("id: broken\nphase: [\n")
    result = run("status", "--as-of", "2026-05-01", cwd=tracker)
    assert result.exit_code == 1
    assert "hh-spread" in result.stdout
    assert "1 problem(s) in 1 file(s) are not shown above; run 'diffuse validate'" in result.stderr


def test_narrow_terminal_lists_cells_below_each_project_and_cuts_nothing(
    tracker: Path, run: Run
) -> None:
    long_id = "hand-hygiene-spread-to-every-site"
    old = tracker / "projects" / "hh-spread.yaml"
    (tracker / "projects" / f"{long_id}.yaml").write_text(
        old.read_text().replace("id: hh-spread", f"id: {long_id}")
    )
    old.unlink()
    result = run(
        "status", "--as-of", "2026-05-01", "--group", "region", cwd=tracker, env={"COLUMNS": "72"}
    )
    at = next(i for i, line in enumerate(result.lines) if line.startswith("hand-hygiene"))
    assert result.lines[at].split() == [long_id, "plan", "1/3", "89/181", "✗", "off-track"]
    assert result.lines[at + 1] == "    forecast n/a  North 1/2!  South 0/1✗"
    assert max(len(line) for line in result.lines) <= 72


def test_no_color_wins_over_a_colour_terminal_and_symbols_remain(tracker: Path, run: Run) -> None:
    args = ("status", "--as-of", "2026-05-01", "--group", "site")
    coloured = run(*args, cwd=tracker, env={"FORCE_COLOR": "1"})
    assert _colours(coloured.stdout)
    plain = run(*args, cwd=tracker, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert not _colours(plain.stdout)
    assert "●✓" in plain.stdout and "◔✗" in plain.stdout and "✗ off-track" in plain.stdout


def _colours(text: str) -> set[str]:
    """Foreground and background colour codes in the terminal escapes of `text`."""
    codes = {code for params in re.findall(r"\x1b\[([0-9;]*)m", text) for code in params.split(";")}
    return {c for c in codes if c.isdigit() and (30 <= int(c) <= 49 or 90 <= int(c) <= 107)}
