"""`diffuse approve` and `check --verify-signoff`: an approval is its approver's own commit."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import Run, git
from lifecycle import write_project
from prflow import act_as, commit_as, edit, with_practice


@pytest.fixture
def repo(git_tracker: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(git_tracker)
    return git_tracker


def test_approve_records_the_git_user_and_commits_only_that_file(repo: Path, run: Run) -> None:
    practice = with_practice(repo)
    (repo / "notes.txt").write_text("unrelated work in progress\n")
    act_as(repo, "ben")
    result = run(
        "approve", "falls", "--date", "2026-03-01", "--reference", "CPC minutes item 4", cwd=repo
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("approved practice falls as ben; committed ")
    assert practice.read_text().endswith(
        "approvals:\n  - body: cpc\n    by: ben\n    date: 2026-03-01\n"
        "    reference: CPC minutes item 4\n"
    )
    assert git(repo, "show", "-s", "--format=%ae %s", "HEAD") == "ben@example.org Approve falls\n"
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["practices/falls.yaml"]
    assert "notes.txt" in git(repo, "status", "--porcelain")


def test_a_project_approval_names_the_next_gate(repo: Path, run: Run) -> None:
    project = repo / "projects" / "hh-spread.yaml"
    before = project.read_bytes()
    unmet = run("approve", "hh-spread", "--date", "2026-03-01", cwd=repo)
    assert unmet.exit_code == 1
    assert "the gate to enter 'execute' is not met on 2026-03-01" in unmet.stderr
    assert "  ✗ [duty] sr-announce: " in unmet.stderr
    assert project.read_bytes() == before
    write_project(repo, "plan", duties_before="execute")
    commit_as(repo, "cy", "Plan done")
    result = run("approve", "hh-spread", "--date", "2026-03-01", cwd=repo)
    assert result.exit_code == 0, result.stderr
    assert "approved project hh-spread to enter execute as ada" in result.stdout
    text = (repo / "projects" / "hh-spread.yaml").read_text()
    assert "  - body: cpc\n    by: ada\n    date: 2026-03-01\n    gate: execute\nhistory:" in text
    again = run("approve", "hh-spread", "--date", "2026-03-01", cwd=repo)
    assert again.exit_code == 1 and "already approved 'hh-spread'" in again.stderr


def test_a_non_member_or_a_stranger_cannot_approve(repo: Path, run: Run) -> None:
    practice = with_practice(repo)
    before = practice.read_bytes()
    act_as(repo, "cy")
    refused = run("approve", "falls", cwd=repo)
    assert refused.exit_code == 1
    assert "'cy' is not a member of Clinical Practice Committee ('cpc')" in refused.stderr
    git(repo, "config", "user.email", "eve@elsewhere.example")
    stranger = run("approve", "falls", cwd=repo)
    assert stranger.exit_code == 1
    assert "(eve@elsewhere.example) matches no person in organisation.yaml" in stranger.stderr
    assert practice.read_bytes() == before
    assert git(repo, "rev-list", "--count", "HEAD") == "2\n"


def test_approve_refuses_a_file_with_uncommitted_changes(repo: Path, run: Run) -> None:
    practice = with_practice(repo)
    edit(practice, "status: proposed", "status: approved")
    act_as(repo, "ben")
    result = run("approve", "falls", cwd=repo)
    assert result.exit_code == 1
    assert "practices/falls.yaml has uncommitted changes" in result.stderr


def test_an_approval_typed_in_by_someone_else_fails_verify_signoff(repo: Path, run: Run) -> None:
    practice = with_practice(repo)
    edit(practice, "status: proposed", "status: approved")
    edit(practice, "approvals: []", "approvals:\n  - {body: cpc, by: ben, date: 2026-03-01}")
    commit_as(repo, "cy", "Approved by Ben (he said so in the corridor)")
    assert run("check", "--base", "main", cwd=repo).exit_code == 0
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 1
    sha = git(repo, "rev-parse", "--short=10", "HEAD").strip()
    assert (
        f"practices/falls.yaml:19:5: error[signoff-author] approval: commit {sha} that adds "
        "it was authored by cy@example.org, not by 'ben'" in result.lines
    )


def test_an_approval_survives_a_merge_from_main(repo: Path, run: Run) -> None:
    practice = with_practice(repo)
    edit(practice, "status: proposed", "status: approved")
    commit_as(repo, "cy", "Ask for approval")
    act_as(repo, "ben")
    assert run("approve", "falls", "--date", "2026-03-01", cwd=repo).exit_code == 0
    git(repo, "checkout", "-q", "main")
    edit(repo / "projects" / "hh-spread.yaml", "title: Hand", "title: The hand")
    commit_as(repo, "cy", "Retitle on main")
    git(repo, "checkout", "-q", "change")
    git(repo, "merge", "-q", "--no-edit", "main", author="Cy Manager", email="cy@example.org")
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 0, result.stdout


def test_an_uncommitted_approval_is_not_verified(repo: Path, run: Run) -> None:
    practice = with_practice(repo)
    edit(practice, "approvals: []", "approvals:\n  - {body: cpc, by: ben, date: 2026-03-01}")
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 1 and "error[signoff-missing]" in result.stdout


def _ssh_key(repo: Path, who: str) -> Path:
    key = repo.parent / f"{who}_key"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", who, "-f", str(key)], check=True
    )
    return key


def test_signed_approvals_are_verified_with_git_verify_commit(repo: Path, run: Run) -> None:
    edit(
        repo / "organisation.yaml",
        "  target_months: 6",
        "  target_months: 6\n  signed_approvals: true",
    )
    commit_as(repo, "ada", "Require signed approvals")
    practice = with_practice(repo)
    edit(practice, "status: proposed", "status: approved")
    commit_as(repo, "cy", "Ask for approval")
    act_as(repo, "ben")
    assert run("approve", "falls", "--date", "2026-03-01", cwd=repo).exit_code == 0
    unsigned = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert unsigned.exit_code == 1 and "error[signoff-unsigned]" in unsigned.stdout
    key = _ssh_key(repo, "ben")
    signers = repo.parent / "allowed_signers"
    signers.write_text(f"ben@example.org {key.with_suffix('.pub').read_text()}")
    for name, value in {
        "gpg.format": "ssh",
        "user.signingkey": str(key),
        "gpg.ssh.allowedSignersFile": str(signers),
    }.items():
        git(repo, "config", name, value)
    git(
        repo,
        "commit",
        "-q",
        "--amend",
        "--no-edit",
        "-S",
        author="Ben Member",
        email="ben@example.org",
    )
    signed = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert signed.exit_code == 0, signed.stdout
