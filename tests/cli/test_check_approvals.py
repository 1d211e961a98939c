"""An approval covers what it was given for, and only the body a practice leaves can let it go."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Run, git
from prflow import act_as, commit_as, edit, with_practice


@pytest.fixture
def repo(git_tracker: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(git_tracker)
    return git_tracker


def _short(repo: Path, rev: str = "HEAD") -> str:
    return git(repo, "rev-parse", "--short=10", rev).strip()


def test_a_goal_changed_after_the_approval_needs_a_new_one(repo: Path, run: Run) -> None:
    practice = with_practice(repo)
    edit(practice, "status: proposed", "status: approved")
    commit_as(repo, "cy", "Ask for approval")
    act_as(repo, "ben")
    assert run("approve", "falls", "--date", "2026-03-01", cwd=repo).exit_code == 0
    approval = _short(repo)
    edit(practice, "goal: No harmful falls at any site.", "goal: Fewer falls where convenient.")
    commit_as(repo, "cy", "Soften the goal")
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 1
    assert result.lines[:2] == [
        f"practices/falls.yaml:9:7: error[substance-after-approval] goal changed after the "
        f"approval in commit {approval}, which approved the content as it was then",
        "    fix: a member of Clinical Practice Committee approves the change with 'diffuse "
        "approve falls', or revert it",
    ]
    assert run("approve", "falls", "--date", "2026-03-02", cwd=repo).exit_code == 0
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 0, result.stdout


def test_principles_loosened_after_approving_a_change_are_caught(repo: Path, run: Run) -> None:
    git(repo, "checkout", "-q", "-b", "change")
    practice = repo / "practices" / "hand-hygiene.yaml"
    edit(practice, "goal: Every site at 90%", "goal: Every site at 95%")
    commit_as(repo, "cy", "Raise the goal")
    act_as(repo, "ben")
    assert run("approve", "hand-hygiene", "--date", "2026-04-01", cwd=repo).exit_code == 0
    approval = _short(repo)
    edit(practice, "fixed: [Gel at every bed]", "fixed: [Gel somewhere on the ward]")
    commit_as(repo, "cy", "Loosen the principle")
    result = run("check", "--base", "main", cwd=repo)
    assert result.exit_code == 1
    assert (
        f"practices/hand-hygiene.yaml:14:3: error[substance-after-approval] key_principles "
        f"changed after the approval in commit {approval}, which approved the content as it "
        "was then"
    ) in result.lines


def test_an_uncommitted_approval_covers_the_working_tree(repo: Path, run: Run) -> None:
    practice = with_practice(repo)
    edit(practice, "status: proposed", "status: approved")
    edit(practice, "goal: No harmful falls", "goal: No falls")
    edit(practice, "approvals: []", "approvals:\n  - {body: cpc, by: ben, date: 2026-03-01}")
    assert run("check", "--base", "main", cwd=repo).exit_code == 0


def _move_to_council(repo: Path) -> Path:
    """A new orthopaedics council (of cy) on main; on branch 'change', the practice moved to it."""
    org = repo / "organisation.yaml"
    text = org.read_text()
    org.write_text(
        text + "  - id: ortho\n    name: Orthopaedics Council\n    kind: specialty-council\n"
        "    members: [cy]\n"
    )
    commit_as(repo, "ada", "Add the orthopaedics council")
    git(repo, "checkout", "-q", "-b", "change")
    practice = repo / "practices" / "hand-hygiene.yaml"
    edit(practice, "approving_body: cpc", "approving_body: ortho")
    return practice


def test_moving_a_practice_to_another_body_needs_the_old_body(repo: Path, run: Run) -> None:
    practice = _move_to_council(repo)
    edit(practice, "goal: Every site at 90%", "goal: Every site at 50%")
    edit(
        practice,
        "  - {body: cpc, by: ada, date: 2026-01-15}",
        "  - {body: cpc, by: ada, date: 2026-01-15}\n  - {body: ortho, by: cy, date: 2026-03-01}",
    )
    commit_as(repo, "cy", "Move the practice to my council and approve it")
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 1
    assert result.lines[:2] == [
        "practices/hand-hygiene.yaml:5:17: error[approving-body-moved] approving_body moves "
        "from 'cpc' to 'ortho' without an approval by a member of Clinical Practice "
        "Committee, the body it leaves",
        "    fix: a member of Clinical Practice Committee runs 'diffuse approve hand-hygiene "
        "--body cpc' on this branch",
    ]
    edit(
        practice,
        "  - {body: ortho, by: cy, date: 2026-03-01}",
        "  - {body: ortho, by: cy, date: 2026-03-01}\n  - {body: cpc, by: ben, date: 2026-03-02}",
    )
    commit_as(repo, "ben", "Release the practice to the orthopaedics council")
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 0, result.stdout


def test_a_member_of_the_body_a_practice_leaves_approves_with_body(repo: Path, run: Run) -> None:
    practice = _move_to_council(repo)
    commit_as(repo, "cy", "Move the practice to the orthopaedics council")
    act_as(repo, "ben")
    # Without --body the approval would be the new council's, which ben does not sit on.
    plain = run("approve", "hand-hygiene", "--date", "2026-03-02", cwd=repo)
    assert plain.exit_code == 1
    assert plain.stderr.splitlines()[-1] == (
        "diffuse: 'ben' is not a member of Orthopaedics Council ('ortho'), which approves "
        "'hand-hygiene'; its members are: cy (for a body you sit on, give --body cpc)"
    )
    done = run("approve", "hand-hygiene", "--body", "cpc", "--date", "2026-03-02", cwd=repo)
    assert done.exit_code == 0, done.stderr
    assert done.stdout.startswith("approved practice hand-hygiene for cpc as ben; committed ")
    assert practice.read_text().endswith(
        "  - body: cpc\n    by: ben\n    date: 2026-03-02\nreview:\n  last: 2026-01-15\n"
        "leaders: {champion: ada, administrative: ben, physician: cy}\n"
        "support_elements: [{kind: measurement, title: Observation audit plan}]\n"
    )
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 0, result.stdout
    act_as(repo, "cy")
    stranger = run("approve", "hand-hygiene", "--body", "cpc", cwd=repo)
    assert stranger.stderr.splitlines()[-1] == (
        "diffuse: 'cy' is not a member of Clinical Practice Committee ('cpc'); its members "
        "are: ada, ben (for a body you sit on, give --body ortho)"
    )
    project = run("approve", "hh-spread", "--body", "cpc", cwd=repo)
    assert project.stderr.splitlines()[-1] == (
        "diffuse: --body: the gates of 'hh-spread' are approved by its practice's body "
        "('ortho'); --body is for a practice leaving a body"
    )
