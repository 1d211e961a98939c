"""`init`, `new`, `show`, and how the command line fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Run


def test_init_new_practice_new_project_give_a_valid_tracker(tmp_path: Path, run: Run) -> None:
    root = tmp_path / "health"
    result = run("init", str(root), "--name", "Test: Health")
    assert result.exit_code == 0, result.stderr
    assert (root / ".git").is_dir() and (root / "practices").is_dir()
    assert (
        run("new", "practice", "hand-hygiene", "--title", "Hand hygiene", cwd=root).exit_code == 0
    )
    assert run("new", "project", "hh", "--practice", "hand-hygiene", cwd=root).exit_code == 0
    assert run("validate", cwd=root).exit_code == 0
    project = (root / "projects" / "hh.yaml").read_text()
    assert "  dm-charter: {status: open}   # by initiate: Complete the project charter" in project
    assert "  - {category: physician-time, status: unassessed}" in project
    assert project.splitlines()[project.splitlines().index("sites:") - 3 :][:3] == [
        "# Every site is in scope, unless marked not-applicable with a reason",
        "# ('diffuse site PROJECT SITE --status not-applicable --reason TEXT') or excepted",
        "# by diffusion oversight ('diffuse site PROJECT SITE --except REASON').",
    ]


def test_new_refuses_to_overwrite_and_rejects_bad_ids(tracker: Path, run: Run) -> None:
    before = (tracker / "practices" / "hand-hygiene.yaml").read_bytes()
    again = run("new", "practice", "hand-hygiene", cwd=tracker)
    assert again.exit_code == 1 and "already exists; nothing was changed" in again.stderr
    assert (tracker / "practices" / "hand-hygiene.yaml").read_bytes() == before
    bad = run("new", "practice", "../escape", cwd=tracker)
    assert bad.exit_code == 1 and "is not a valid id" in bad.stderr
    assert not (tracker.parent / "escape.yaml").exists()
    assert run("new", "project", "x", "--practice", "nope", cwd=tracker).exit_code == 1


def test_init_refuses_an_existing_tracker(tracker: Path, run: Run) -> None:
    result = run("init", str(tracker))
    assert result.exit_code == 1 and "already exists" in result.stderr


def test_show_project_lists_checklist_by_role_risks_by_score_and_sites(
    tracker: Path, run: Run
) -> None:
    result = run("show", "hh-spread", "--as-of", "2026-05-01", cwd=tracker)
    assert result.exit_code == 0
    lines = result.lines
    assert "Enterprise Diffusion Manager: Cy Manager (cy)  [4/10]" in lines
    assert any(line.split()[:3] == ["✓", "done", "dm-charter"] for line in lines)
    assert any(line.split()[:3] == ["–", "n/a", "sr-budget"] for line in lines)
    risks = [line.split()[0] for line in lines if "×" in line and "score" not in line]
    assert risks == ["16", "6"]
    assert any(line.split()[:4] == ["sou", "◔", "planning", "✗"] for line in lines)
    assert "hh-spread: plan -> execute: gate NOT met, 21 item(s) missing" in lines


def test_show_practice_flags_an_overdue_review(tracker: Path, run: Run) -> None:
    practice = tracker / "practices" / "hand-hygiene.yaml"
    practice.write_text(practice.read_text().replace("status: approved", "status: diffused"))
    (tracker / "projects" / "hh-spread.yaml").unlink()
    due = run("show", "hand-hygiene", "--as-of", "2027-02-01", cwd=tracker)
    assert "last 2026-01-15; next due 2027-01-15  ! OVERDUE" in due.stdout
    data = json.loads(
        run("show", "hand-hygiene", "--format", "json", "--as-of", "2026-06-01", cwd=tracker).stdout
    )
    assert data["review_due"] == "2027-01-15" and data["review_overdue"] is False


def test_show_json_of_a_project_carries_scores_and_the_next_gate(tracker: Path, run: Run) -> None:
    data = json.loads(
        run("show", "hh-spread", "--format", "json", "--as-of", "2026-05-01", cwd=tracker).stdout
    )
    assert [r["score"] for r in data["risks"]] == [16, 6]
    assert data["next_gate"]["to"] == "execute" and data["next_gate"]["met"] is False
    assert data["history"][0] == {
        "from": "initiate",
        "to": "plan",
        "date": "2026-02-01",
        "by": "cy",
        "reason": None,
    }


def test_unknown_id_and_missing_tracker_are_clear_errors(
    tracker: Path, tmp_path: Path, run: Run
) -> None:
    result = run("show", "nope", cwd=tracker)
    assert result.exit_code == 1
    assert "no practice or project 'nope'; known: hand-hygiene, hh-spread" in result.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("status", "--root", str(empty))
    assert result.exit_code == 1 and "run 'diffuse init'" in result.stderr


def test_bad_option_value_is_a_usage_error(tracker: Path, run: Run) -> None:
    assert run("status", "--as-of", "2026-13-01", cwd=tracker).exit_code == 2


def test_a_bug_exits_3_with_one_line(
    tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import diffuse.rules.load

    def broken(*args: object, **options: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(diffuse.rules.load, "load_tracker", broken)
    result = run("status", cwd=tracker)
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1
    assert "internal error (KeyError: 'boom'); this is a bug, please report it" in result.stderr


def test_show_json_carries_the_forecast_beside_the_target(tracker: Path, run: Run) -> None:
    data = json.loads(
        run("show", "hh-spread", "--format", "json", "--as-of", "2026-05-01", cwd=tracker).stdout
    )
    assert data["target_date"] == "2026-08-01"
    assert data["forecast"]["date"] is None and data["forecast"]["done"] is False
    assert data["forecast"]["days_after_target"] is None
