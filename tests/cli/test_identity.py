"""One identity for every command: --by, else git's author identity as git resolves it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Run, git
from editing import meet_execute_gate


def test_advance_reads_git_author_email_like_approve(
    git_tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = git_tracker / "projects" / "hh-spread.yaml"
    meet_execute_gate(project)
    git(git_tracker, "config", "--unset", "user.email")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "CY@example.org")
    result = run("advance", "hh-spread", "--date", "2026-03-05", cwd=git_tracker)
    assert result.exit_code == 0, result.stderr
    assert (
        "  - from: plan\n    to: execute\n    date: 2026-03-05\n    by: cy\n" in project.read_text()
    )


def test_nobody_matching_is_refused_with_the_email_git_uses(
    git_tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = git_tracker / "projects" / "hh-spread.yaml"
    meet_execute_gate(project)
    before = project.read_bytes()
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "eve@elsewhere.example")
    result = run("advance", "hh-spread", "--date", "2026-03-05", cwd=git_tracker)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "diffuse: cannot tell who is recording this: git's author email "
        "(eve@elsewhere.example) matches no person in organisation.yaml; pass --by PERSON, "
        "or set 'git config user.email' to the email listed for you there"
    )
    assert project.read_bytes() == before


def test_by_wins_over_git(git_tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "ada@example.org")
    result = run(
        "site",
        "hh-spread",
        "sou",
        "--note",
        "trained",
        "--by",
        "ben",
        "--date",
        "2026-04-02",
        cwd=git_tracker,
    )
    assert result.exit_code == 0, result.stderr
    text = (git_tracker / "projects" / "hh-spread.yaml").read_text()
    assert "    site: sou\n    text: trained\n    by: ben\n" in text


def test_approve_without_a_matching_email_names_the_only_remedy(
    git_tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # approve has no --by (its commit is the approver's signature), so it is not suggested.
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "eve@elsewhere.example")
    result = run("approve", "hh-spread", "--date", "2026-03-05", cwd=git_tracker)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "diffuse: cannot tell who is recording this: git's author email "
        "(eve@elsewhere.example) matches no person in organisation.yaml; set "
        "'git config user.email' to the email listed for you there"
    )
