"""`advance` and `site`: gated phase moves and site updates that change only what they must."""

from __future__ import annotations

import difflib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import Run, git
from editing import meet_execute_gate

from diffuse.files import flowrows, nodes


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_advance_refuses_and_lists_what_is_missing_by_role(tracker: Path, run: Run) -> None:
    project = tracker / "projects" / "hh-spread.yaml"
    before = project.read_bytes()
    result = run("advance", "hh-spread", "--by", "cy", "--date", "2026-03-05", cwd=tracker)
    assert result.exit_code == 1
    lines = result.lines
    assert lines[0] == "hh-spread: plan -> execute: gate NOT met, 21 item(s) missing"
    assert "  Enterprise Diffusion Manager:" in lines
    assert "    ✗ [duty] dm-timeline: Set the project timeline" in lines
    assert (
        "    ✗ [role] it-liaison: assign someone to the role 'Information Technology "
        "Liaison'" in lines
    )
    assert (
        "    ✗ [approval] execute: record an approval to enter 'execute' by a member of "
        "Clinical Practice Committee" in lines
    )
    assert project.read_bytes() == before


def test_advance_records_the_transition_changing_only_its_lines(tracker: Path, run: Run) -> None:
    project = tracker / "projects" / "hh-spread.yaml"
    meet_execute_gate(project)
    before = project.read_text()
    result = run("advance", "hh-spread", "--by", "cy", "--date", "2026-03-05", cwd=tracker)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.lines[0] == "hh-spread: plan -> execute: gate met"
    after = project.read_text()
    assert _changed_lines(before, after) == [
        "-phase: plan",
        "+phase: execute",
        "+  - from: plan",
        "+    to: execute",
        "+    date: 2026-03-05",
        "+    by: cy",
    ]
    assert "# Spread of hand hygiene. Comments like this one must survive every edit." in after
    assert run("validate", cwd=tracker).exit_code == 0


def test_dry_run_changes_nothing(tracker: Path, run: Run) -> None:
    project = tracker / "projects" / "hh-spread.yaml"
    meet_execute_gate(project)
    before = project.read_bytes()
    result = run("advance", "hh-spread", "--dry-run", cwd=tracker)
    assert result.exit_code == 0
    assert result.lines[-1] == "dry run: nothing was changed"
    assert project.read_bytes() == before


def test_advance_cannot_skip_phases(tracker: Path, run: Run) -> None:
    result = run("advance", "hh-spread", "--to", "close", cwd=tracker)
    assert result.exit_code == 1
    assert "'hh-spread' cannot move from 'plan' to 'close'; allowed next: execute" in result.stderr


def test_advance_commit_commits_the_project_and_its_practice_as_the_git_user(
    git_tracker: Path, run: Run
) -> None:
    project = git_tracker / "projects" / "hh-spread.yaml"
    meet_execute_gate(project)
    git(git_tracker, "commit", "-qam", "Complete plan duties")
    (git_tracker / "organisation.yaml").write_text(
        (git_tracker / "organisation.yaml").read_text() + "# unrelated edit\n"
    )
    result = run("advance", "hh-spread", "--commit", "--date", "2026-03-05", cwd=git_tracker)
    assert result.exit_code == 0, result.stderr
    # The recorder is whoever git says is committing: ada@example.org is person 'ada'.
    assert "    by: ada" in project.read_text()
    head = git(git_tracker, "show", "-s", "--format=%an%n%s", "HEAD").splitlines()
    assert head == ["Ada Chair", "Advance hh-spread from plan to execute"]
    changed = git(git_tracker, "show", "--name-only", "--format=", "HEAD").split()
    # Entering execute makes the practice diffusing, in the same commit.
    assert changed == ["practices/hand-hygiene.yaml", "projects/hh-spread.yaml"]
    assert "status: diffusing" in (git_tracker / "practices" / "hand-hygiene.yaml").read_text()
    assert "organisation.yaml" in git(git_tracker, "status", "--porcelain")


def test_site_update_changes_only_that_site_and_logs_the_note(tracker: Path, run: Run) -> None:
    project = tracker / "projects" / "hh-spread.yaml"
    before = project.read_text()
    result = run(
        "site",
        "hh-spread",
        "sou",
        "--status",
        "implementing",
        "--health",
        "at-risk",
        "--adkar",
        "knowledge",
        "--note",
        "Agency staff trained: 40 of 55",
        "--date",
        "2026-04-02",
        "--by",
        "cy",
        cwd=tracker,
    )
    assert result.exit_code == 0, result.stderr
    assert _changed_lines(before, project.read_text()) == [
        "-    status: planning",
        "-    health: off-track   # staffing crisis",
        "+    status: implementing",
        "+    health: at-risk   # staffing crisis",
        "+    adkar: knowledge",
        "+    updated: 2026-04-02",
        "+    note: 'Agency staff trained: 40 of 55'".replace("'", '"'),
        "+updates:",
        "+  - date: 2026-04-02",
        "+    site: sou",
        '+    text: "Agency staff trained: 40 of 55"',
        "+    by: cy",
    ]


def test_a_site_update_reads_the_tracker_once_and_parses_the_project_twice(
    tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = ("site", "hh-spread", "nst")
    assert run(*site, "--status", "live", "--date", "2026-05-02", cwd=tracker).exit_code == 0
    parsed: Counter[str] = Counter()
    compose_all = yaml.compose_all

    def counting(text: str, *args: Any, **kwargs: Any) -> Any:
        parsed[text] += 1
        return compose_all(text, *args, **kwargs)

    nodes.forget()
    monkeypatch.setattr(yaml, "compose_all", counting)
    project = tracker / "projects" / "hh-spread.yaml"
    before = project.read_text()
    result = run(*site, "--health", "at-risk", "--date", "2026-05-03", cwd=tracker)
    assert result.exit_code == 0, result.stderr
    # Every file once as the tracker is read, the project with its one-line rows read
    # without the parser (`flowrows`); the project as written as the edit starts, and its
    # result once, to check it and to validate it.
    spliced = flowrows.splice(before)
    assert spliced is not None
    assert parsed[spliced.text] == parsed[before] == parsed[project.read_text()] == 1
    assert sorted(parsed.values()) == [1, 1, 1, 1, 1]


def test_site_update_refuses_bad_values_and_leaves_file_alone(tracker: Path, run: Run) -> None:
    project = tracker / "projects" / "hh-spread.yaml"
    before = project.read_bytes()
    result = run("site", "hh-spread", "sou", "--status", "golive", cwd=tracker)
    assert result.exit_code == 1
    assert (
        "--status: 'golive' is not one of: not-started, planning, implementing, live, "
        "sustained, not-applicable" in result.stderr
    )
    assert run("site", "hh-spread", "mars", "--status", "live", cwd=tracker).exit_code == 1
    assert project.read_bytes() == before


def test_site_update_keeps_crlf_line_ends(tracker: Path, run: Run) -> None:
    project = tracker / "projects" / "hh-spread.yaml"
    project.write_bytes(project.read_bytes().replace(b"\n", b"\r\n"))
    assert (
        run(
            "site", "hh-spread", "nst", "--status", "live", "--date", "2026-04-02", cwd=tracker
        ).exit_code
        == 0
    )
    data = project.read_bytes()
    assert b"    status: live\r\n    health: at-risk\r\n" in data
    assert data.count(b"\n") == data.count(b"\r\n")


def test_site_missing_from_the_file_gets_its_own_block(tracker: Path, run: Run) -> None:
    project = tracker / "projects" / "hh-spread.yaml"
    project.write_text(project.read_text().replace("  sea:\n    status: not-applicable\n", ""))
    before = project.read_text()
    result = run(
        "site", "hh-spread", "sea", "--status", "planning", "--date", "2026-04-02", cwd=tracker
    )
    assert result.exit_code == 0, result.stderr
    assert _changed_lines(before, project.read_text()) == [
        "+  sea:",
        "+    status: planning",
        "+    updated: 2026-04-02",
    ]


def test_commit_outside_a_repository_refuses_before_touching_the_file(
    tracker: Path, run: Run
) -> None:
    project = tracker / "projects" / "hh-spread.yaml"
    before = project.read_bytes()
    result = run("site", "hh-spread", "sou", "--status", "live", "--commit", cwd=tracker)
    assert result.exit_code == 1
    assert "is not inside a git repository" in result.stderr
    assert project.read_bytes() == before


def test_unknown_recorder_is_refused(git_tracker: Path, run: Run) -> None:
    project = git_tracker / "projects" / "hh-spread.yaml"
    meet_execute_gate(project)
    before = project.read_bytes()
    git(git_tracker, "config", "user.email", "stranger@example.org")
    result = run("advance", "hh-spread", "--date", "2026-03-05", cwd=git_tracker)
    assert result.exit_code == 1
    assert "git's author email (stranger@example.org) matches no person" in result.stderr
    assert project.read_bytes() == before


def test_refused_edit_names_the_file_as_the_user_typed_it(
    tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tracker)
    result = run(
        "site",
        "hh-spread",
        "sou",
        "--note",
        "MRN 12345678 fell",
        "--date",
        "2026-04-02",
        cwd=tracker,
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("projects/hh-spread.yaml:")
    assert "nothing was written" in result.stderr
