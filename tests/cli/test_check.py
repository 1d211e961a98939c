"""`diffuse check`: validation plus every change of state since a base ref, in real repos."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from conftest import Run, git
from prflow import act_as, commit_as, edit, with_practice


@pytest.fixture
def repo(git_tracker: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # Reports name files relative to the working directory, as in CI.
    monkeypatch.chdir(git_tracker)
    return git_tracker


def test_an_unchanged_tree_passes_against_the_pull_requests_base(repo: Path, run: Run) -> None:
    result = run("check", "--base", "main", cwd=repo)
    assert result.exit_code == 0, result.stdout
    assert result.lines[-2:] == [
        "  none",
        "check passed: 3 file(s) valid, 0 change(s) since main",
    ]
    # In a GitHub pull request the base defaults to origin/$GITHUB_BASE_REF.
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    result = run("check", "--format", "text", cwd=repo, env={"GITHUB_BASE_REF": "main"})
    assert result.exit_code == 0
    assert result.lines[-1] == "check passed: 3 file(s) valid, 0 change(s) since origin/main"


def test_a_base_that_does_not_exist_is_a_clear_error(repo: Path, run: Run) -> None:
    result = run("check", "--base", "origin/nope", cwd=repo)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "diffuse: no branch, tag or commit 'origin/nope' in this repository; give one that "
        "exists ('git branch -a' lists them; run 'git fetch origin' if it is a remote "
        "branch), or use --base-default to compare with the default branch"
    )


def test_a_shallow_clone_without_the_base_says_how_to_fetch_it(
    repo: Path, tmp_path: Path, run: Run
) -> None:
    git(repo, "checkout", "-q", "-b", "change")
    edit(repo / "projects" / "hh-spread.yaml", "title: Hand", "title: The hand")
    commit_as(repo, "cy", "Retitle")
    clone = tmp_path / "clone"
    source = f"file://{repo}"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", "--branch", "change", source, str(clone)],
        check=True,
        capture_output=True,
    )
    result = run("check", "--base", "origin/main", cwd=clone)
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert "shallow clone" in result.stderr
    assert "git fetch --depth=50 origin main" in result.stderr
    assert "fetch-depth: 0" in result.stderr


def test_a_skipped_status_fails_at_the_status_line(repo: Path, run: Run) -> None:
    practice = with_practice(repo)
    edit(practice, "status: proposed", "status: diffused")
    commit_as(repo, "cy", "Skip ahead")
    result = run("check", "--base", "main", cwd=repo)
    assert result.exit_code == 1
    assert (
        "practices/falls.yaml:3:9: error[status-transition] status moves from 'proposed' to "
        "'diffused', skipping approved, diffusing" in result.stdout
    )
    assert "    fix: move one step at a time: 'proposed' -> 'approved'" in result.lines
    assert "  ✗ practice falls: status proposed -> diffused" in result.lines


def test_approval_by_a_member_passes_and_readiness_is_checked(repo: Path, run: Run) -> None:
    practice = with_practice(repo)
    edit(practice, "status: proposed", "status: approved")
    commit_as(repo, "cy", "Ask for approval")
    missing = run("check", "--base", "main", cwd=repo)
    assert missing.exit_code == 1
    assert "error[approval-missing]" in missing.stdout
    act_as(repo, "ben")
    approved = run("approve", "falls", "--date", "2026-03-01", cwd=repo)
    assert approved.exit_code == 0, approved.stderr
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 0, result.stdout
    assert "  ✓ practice falls: status proposed -> approved" in result.lines


def test_a_practice_not_ready_lists_each_readiness_gap(repo: Path, run: Run) -> None:
    practice = with_practice(repo)
    edit(practice, "owner: ada\n", "")
    edit(practice, "  - {kind: measurement, title: Falls per 1000 patient days}\n", "")
    edit(practice, "support_elements:\n", "support_elements: []\n")
    edit(practice, "status: proposed", "status: approved")
    commit_as(repo, "cy", "Ask for approval")
    act_as(repo, "ben")
    assert run("approve", "falls", "--date", "2026-03-01", cwd=repo).exit_code == 0
    result = run("check", "--base", "main", cwd=repo)
    assert result.exit_code == 1
    rules = [line.split("[")[1].split("]")[0] for line in result.lines if "error[" in line]
    assert rules == ["readiness-owner", "readiness-metrics"]
    assert "practices/falls.yaml:3:9: error[readiness-owner] no Best Practice Owner" in result.lines
    assert (
        "    fix: add a support element of kind 'measurement' (the measurement plan)"
        in result.lines
    )


def test_an_approval_by_a_non_member_does_not_count(repo: Path, run: Run) -> None:
    practice = with_practice(repo)
    edit(practice, "status: proposed", "status: approved")
    edit(practice, "approvals: []", "approvals:\n  - {body: cpc, by: cy, date: 2026-03-01}")
    commit_as(repo, "cy", "Approve it myself")
    result = run("check", "--base", "main", cwd=repo)
    assert result.exit_code == 1
    assert (
        "practices/falls.yaml:19:21: error[not-a-member] approvals.0.by: 'cy' is not a member "
        "of Clinical Practice Committee ('cpc')" in result.lines
    )
    assert "error[approval-missing]" in result.stdout


def test_a_project_phase_must_meet_its_gate_and_not_skip(repo: Path, run: Run) -> None:
    git(repo, "checkout", "-q", "-b", "change")
    project = repo / "projects" / "hh-spread.yaml"
    edit(project, "phase: plan", "phase: close")
    edit(project, "by: cy}", "by: cy}\n  - {from: plan, to: close, date: 2026-03-01, by: cy}")
    commit_as(repo, "cy", "Jump to close")
    result = run("check", "--base", "main", cwd=repo)
    assert result.exit_code == 1
    assert (
        "projects/hh-spread.yaml:49:5: error[phase-transition] phase moves from 'plan' to "
        "'close', which the workflow does not allow (allowed next: execute)" in result.lines
    )


def test_entering_a_phase_reports_the_gate_by_rule(repo: Path, run: Run) -> None:
    git(repo, "checkout", "-q", "-b", "change")
    project = repo / "projects" / "hh-spread.yaml"
    edit(project, "phase: plan", "phase: execute")
    edit(project, "by: cy}", "by: cy}\n  - {from: plan, to: execute, date: 2026-03-01, by: cy}")
    commit_as(repo, "cy", "Enter execute")
    result = run("check", "--base", "main", "--format", "json", cwd=repo)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    rules = {p["rule"] for p in data["problems"]}
    # The practice did not follow its project into execute: a hand edit, not 'advance'.
    # `validate` sees, with no base, that execute's roles are empty in a project past it.
    assert rules == {"gate-duty", "gate-role", "gate-approval", "practice-status", "role-emptied"}
    approval = next(p for p in data["problems"] if p["rule"] == "gate-approval")
    assert approval["file"] == "projects/hh-spread.yaml" and approval["line"] == 46
    assert approval["fix"] == (
        "a member runs 'diffuse approve hh-spread --gate execute --date DAY' for a day the "
        "gate was met, on or before 2026-03-01"
    )
    assert data["changes"] == [
        {
            "kind": "project",
            "id": "hh-spread",
            "file": "projects/hh-spread.yaml",
            "change": "phase plan -> execute",
            "ok": False,
        }
    ]


def test_moving_back_needs_a_reason(repo: Path, run: Run) -> None:
    git(repo, "checkout", "-q", "-b", "change")
    project = repo / "projects" / "hh-spread.yaml"
    edit(project, "phase: plan", "phase: initiate")
    step = "  - {from: plan, to: initiate, date: 2026-03-01, by: cy}"
    edit(project, "by: cy}", f"by: cy}}\n{step}")
    commit_as(repo, "cy", "Back to initiate")
    result = run("check", "--base", "main", cwd=repo)
    assert result.exit_code == 1 and "error[phase-backward]" in result.stdout
    edit(project, step, step.replace("by: cy}", "by: cy, reason: charter reopened}"))
    commit_as(repo, "cy", "Say why")
    assert run("check", "--base", "main", cwd=repo).exit_code == 0


def test_substance_of_an_approved_practice_needs_a_new_approval(repo: Path, run: Run) -> None:
    git(repo, "checkout", "-q", "-b", "change")
    practice = repo / "practices" / "hand-hygiene.yaml"
    edit(practice, "fixed: [Gel at every bed]", "fixed: [Gel in every corridor]")
    commit_as(repo, "cy", "Loosen the principle")
    result = run("check", "--base", "main", cwd=repo)
    assert result.exit_code == 1
    assert (
        "practices/hand-hygiene.yaml:14:3: error[substance-unapproved] key_principles changed "
        "on an approved practice without a new approval" in result.lines
    )
    # Ada owns the practice; a member who does not approves the change.
    act_as(repo, "ben")
    assert run("approve", "hand-hygiene", "--date", "2026-04-01", cwd=repo).exit_code == 0
    assert run("check", "--base", "main", "--verify-signoff", cwd=repo).exit_code == 0


def test_earlier_approvals_cannot_be_rewritten(repo: Path, run: Run) -> None:
    git(repo, "checkout", "-q", "-b", "change")
    project = repo / "projects" / "hh-spread.yaml"
    edit(project, "{gate: plan, body: cpc, by: ben", "{gate: plan, body: cpc, by: ada")
    commit_as(repo, "cy", "Credit someone else")
    result = run("check", "--base", "main", cwd=repo)
    assert result.exit_code == 1 and "error[approval-rewritten]" in result.stdout


def test_changing_an_approving_body_needs_its_members(repo: Path, run: Run) -> None:
    git(repo, "checkout", "-q", "-b", "change")
    org = repo / "organisation.yaml"
    edit(org, "members: [ada, ben]", "members: [ada, ben, cy]")
    commit_as(repo, "cy", "Join the committee")
    result = run("check", "--base", "main", cwd=repo)
    assert result.exit_code == 1
    assert (
        "organisation.yaml:15:5: error[governance-unapproved] approving body 'cpc' changed "
        "without the approval of an existing member" in result.lines
    )
    assert "    fix: one of ada, ben runs 'diffuse approve organisation' on this branch" in (
        result.lines
    )
    act_as(repo, "ben")
    assert run("approve", "organisation", cwd=repo).exit_code == 0
    assert run("check", "--base", "main", "--verify-signoff", cwd=repo).exit_code == 0
    # The approval names what it approved: a later change needs approving again.
    edit(org, "members: [ada, ben, cy]", "members: [ben, cy]")
    commit_as(repo, "cy", "Drop the chair")
    again = run("check", "--base", "main", cwd=repo)
    assert again.exit_code == 1 and "approves an earlier version" in again.stdout


def test_a_governance_approval_typed_by_someone_else_fails_verification(
    repo: Path, run: Run
) -> None:
    git(repo, "checkout", "-q", "-b", "change")
    edit(repo / "organisation.yaml", "members: [ada, ben]", "members: [ada, ben, cy]")
    commit_as(repo, "cy", "Join the committee")
    act_as(repo, "ada")
    assert run("approve", "organisation", cwd=repo).exit_code == 0
    message = git(repo, "log", "-1", "--format=%B")
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    git(repo, "commit", "-q", "--allow-empty", "-m", message, author="Cy", email="cy@example.org")
    assert run("check", "--base", "main", cwd=repo).exit_code == 0
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 1
    assert "was authored by cy@example.org, not by 'ada'" in result.stdout


def test_github_junit_and_markdown_reports(repo: Path, run: Run, tmp_path: Path) -> None:
    practice = with_practice(repo)
    edit(practice, "status: proposed", "status: diffused")
    commit_as(repo, "cy", "Skip ahead")
    summary = tmp_path / "summary.md"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    result = run("check", "--base", "main", cwd=repo, env=env)
    assert result.exit_code == 1
    assert result.lines[0] == (
        "::error file=practices/falls.yaml,line=3,col=9,title=diffuse status-transition::"
        "status moves from 'proposed' to 'diffused', skipping approved, diffusing "
        "(fix: move one step at a time: 'proposed' -> 'approved')"
    )
    text = summary.read_text()
    assert "## diffuse check: ✗ failed" in text
    assert "| ✗ | practice | falls | status proposed -> diffused |" in text
    junit = run("check", "--base", "main", "--format", "junit", cwd=repo)
    suite = ET.fromstring(junit.stdout).find("testsuite")
    assert suite is not None and suite.get("failures") == "1"
    failure = suite.find("testcase/failure")
    assert failure is not None and failure.get("type") == "status-transition"
    markdown = run("check", "--base", "main", "--format", "markdown", cwd=repo)
    assert "### What is missing" in markdown.stdout
    assert "- `practices/falls.yaml:3:9` **status-transition**:" in markdown.stdout


@pytest.mark.parametrize(
    ("old", "new", "kind", "reaches_approved"),
    [
        ("proposed", "approved", "forward", True),
        ("approved", "diffusing", "forward", False),
        ("diffusing", "diffused", "forward", False),
        ("proposed", "diffused", "skip", False),
        ("diffused", "diffusing", "back", False),
        ("retired", "approved", "back", False),
        ("diffusing", "superseded", "end", False),
        (None, "diffused", "start", True),
        (None, "proposed", "start", False),
    ],
)
def test_practice_moves(old: str | None, new: str, kind: str, reaches_approved: bool) -> None:
    from diffuse.models import PracticeStatus
    from diffuse.rules.lifecycle import practice_move

    move = practice_move(PracticeStatus(old) if old else None, PracticeStatus(new))
    assert (move.kind, move.reaches_approved) == (kind, reaches_approved)


@pytest.mark.parametrize(
    ("changed", "old", "new"),
    [
        ("practices/hand-hygiene.yaml", "goal: Every site", "goal: Each site"),
        ("projects/hh-spread.yaml", "title: Hand hygiene everywhere", "title: Hand hygiene"),
    ],
)
def test_a_broken_organisation_with_other_changes_fails_on_its_own_problems(
    repo: Path, run: Run, changed: str, old: str, new: str
) -> None:
    edit(repo / "organisation.yaml", "name: Test Health", "name: [Test Health]")
    edit(repo / changed, old, new)
    result = run("check", "--base", "main", cwd=repo)
    assert result.exit_code == 1
    assert result.lines[:2] == [
        "organisation.yaml:2:7: error[wrong-type] name: expected text (got a list of 1)",
        "    fix: correct the file; 'diffuse validate' lists every problem",
    ]
    assert result.lines[-1].startswith("check FAILED: ")
