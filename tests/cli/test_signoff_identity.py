"""Who a commit is: one email names one person, a member's identity changes only with the
approval of another member, and a practice's owner cannot approve it alone.

Real repositories; the organisation is the test tracker's: ada and ben sit on the
Clinical Practice Committee, cy does not.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Result, Run, git
from prflow import act_as, commit_as, edit, with_practice

ORG = "organisation.yaml"
BEN = "  - {id: ben, name: Ben Member, email: ben@example.org}"


@pytest.fixture
def repo(git_tracker: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(git_tracker)
    return git_tracker


def _sha(repo: Path) -> str:
    return git(repo, "rev-parse", "--short=10", "HEAD").strip()


# -- one email, one person ----------------------------------------------------------------


def test_an_email_two_people_share_is_a_problem_on_both_lines(
    tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tracker)
    edit(tracker / ORG, BEN, f"{BEN}\n  - {{id: dana, name: Dana Other, email: BEN@Example.org}}")
    result = run("validate", cwd=tracker)
    assert result.exit_code == 1
    assert [line for line in result.lines if "duplicate-email" in line] == [
        "organisation.yaml:12:40: error[duplicate-email] people.1.email: 'ben@example.org' is "
        "also the email of 'dana' (emails are compared without regard to case); give each "
        "person their own",
        "organisation.yaml:13:41: error[duplicate-email] people.2.email: 'BEN@Example.org' is "
        "also the email of 'ben' (emails are compared without regard to case); give each "
        "person their own",
    ]


def test_a_shared_email_records_nobody_rather_than_the_first(repo: Path, run: Run) -> None:
    edit(repo / ORG, BEN, f"  - {{id: dana, name: Dana Other, email: BEN@example.org}}\n{BEN}")
    commit_as(repo, "ada", "Add Dana")
    act_as(repo, "ben")
    practice = repo / "practices" / "hand-hygiene.yaml"
    before = practice.read_bytes()
    result = run("approve", "hand-hygiene", "--date", "2026-04-01", cwd=repo)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "diffuse: git's author email (ben@example.org) is the email of more than one person "
        "in organisation.yaml (dana, ben; emails are compared without regard to case), so it "
        "cannot tell who is recording this; give each person their own"
    )
    assert practice.read_bytes() == before


def test_adding_a_person_with_a_taken_email_is_refused(repo: Path, run: Run) -> None:
    before = (repo / ORG).read_bytes()
    result = run(
        "org", "add-person", "dana", "--name", "Dana Other", "--email", "Ben@Example.org",
        cwd=repo,
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "diffuse: --email: Ben@Example.org is already the email of 'ben' (emails are compared "
        "without regard to case); each person needs their own; nothing was changed"
    )
    assert (repo / ORG).read_bytes() == before


def test_an_approval_typed_under_a_shared_email_is_nobodys(repo: Path, run: Run) -> None:
    # On main, before emails had to differ: dee (no member) is listed first with ben's
    # address in another case. The pull request gives dee an address of her own, so the
    # head is valid, but the base decides whose commits are whose.
    edit(repo / ORG, BEN, f"  - {{id: dee, name: Dee Other, email: BEN@example.org}}\n{BEN}")
    commit_as(repo, "ada", "Add Dee")
    practice = with_practice(repo)
    edit(repo / ORG, "email: BEN@example.org", "email: dee@example.org")
    edit(practice, "status: proposed", "status: approved")
    edit(practice, "approvals: []", "approvals:\n  - {body: cpc, by: ben, date: 2026-03-01}")
    commit_as(repo, "ben", "Approve fall prevention")
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 1
    assert result.lines[0] == (
        f"practices/falls.yaml:19:5: error[signoff-author] approval: commit {_sha(repo)} that "
        "adds it was authored by ben@example.org, which organisation.yaml gives to more than "
        "one person (ben, dee), so it cannot be told to be 'ben''s"
    )


# -- a member's identity is governance ----------------------------------------------------


def _unapproved(line: int, person: str, who: str) -> str:
    return (
        f"organisation.yaml:{line}:5: error[governance-unapproved] the identity (email, "
        f"signing keys, id) of member '{person}' changed without the approval of an existing "
        f"member; fix: one of {who} runs 'diffuse approve organisation' on this branch"
    )


def _findings(result: Result) -> list[str]:
    """Each finding with its fix on one line."""
    lines = result.lines
    return [
        f"{line}; fix: {lines[i + 1].strip().removeprefix('fix: ')}"
        for i, line in enumerate(lines)
        if "error[" in line
    ]


def test_a_members_new_email_needs_another_members_approval(repo: Path, run: Run) -> None:
    git(repo, "checkout", "-q", "-b", "change")
    edit(repo / ORG, "email: ben@example.org", "email: ben@elsewhere.example")
    commit_as(repo, "cy", "Update Ben's address")
    result = run("check", "--base", "main", cwd=repo)
    assert result.exit_code == 1
    assert _findings(result) == [_unapproved(12, "ben", "ada")]
    # Ben cannot approve his own new identity, from the new address or any other.
    git(repo, "config", "user.email", "ben@elsewhere.example")
    assert run("approve", "organisation", cwd=repo).exit_code == 0
    assert _findings(run("check", "--base", "main", cwd=repo)) == [_unapproved(12, "ben", "ada")]
    act_as(repo, "ada")
    assert run("approve", "organisation", cwd=repo).exit_code == 0
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 0, result.stdout
    assert (
        "  ✓ organisation organisation: approving bodies, members, workflow or signing changed"
        in result.lines
    )


def test_a_new_signing_key_for_a_member_needs_approval(repo: Path, run: Run) -> None:
    git(repo, "checkout", "-q", "-b", "change")
    key = "SHA256:" + "k" * 43
    edit(repo / ORG, "email: ben@example.org}", f"email: ben@example.org, signing_keys: [{key}]}}")
    commit_as(repo, "cy", "Register a key for Ben")
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 1
    assert _findings(result) == [_unapproved(12, "ben", "ada")]


def test_renaming_a_member_changes_the_body_and_the_identity(repo: Path, run: Run) -> None:
    git(repo, "checkout", "-q", "-b", "change")
    edit(repo / ORG, "{id: ben,", "{id: benjamin,")
    edit(repo / ORG, "members: [ada, ben]", "members: [ada, benjamin]")
    commit_as(repo, "cy", "Use Ben's full name as his id")
    result = run("check", "--base", "main", cwd=repo)
    assert result.exit_code == 1
    # Besides the governance findings, every approval by 'ben' now names no one.
    assert [line for line in _findings(result) if "governance" in line] == [
        "organisation.yaml:11:3: error[governance-unapproved] the identity (email, signing "
        "keys, id) of member 'ben' changed without the approval of an existing member; fix: "
        "one of ada runs 'diffuse approve organisation' on this branch",
        "organisation.yaml:15:5: error[governance-unapproved] approving body 'cpc' changed "
        "without the approval of an existing member; fix: one of ada, ben runs 'diffuse "
        "approve organisation' on this branch",
    ]


def test_a_non_members_email_is_free_but_a_members_in_another_case_is_not(
    repo: Path, run: Run
) -> None:
    git(repo, "checkout", "-q", "-b", "change")
    edit(repo / ORG, "email: cy@example.org", "email: cy@elsewhere.example")
    commit_as(repo, "cy", "Update my address")
    assert run("check", "--base", "main", "--verify-signoff", cwd=repo).exit_code == 0
    # A member's email in another case is still a change of what identifies them.
    edit(repo / ORG, "email: ben@example.org", "email: Ben@Example.org")
    commit_as(repo, "cy", "Capitalise Ben's address")
    result = run("check", "--base", "main", cwd=repo)
    assert _findings(result) == [_unapproved(12, "ben", "ada")]


# -- an owner does not approve alone ------------------------------------------------------


def test_a_practice_owner_cannot_approve_it_alone(repo: Path, run: Run) -> None:
    practice = with_practice(repo)  # its owner is ada, who sits on the committee
    edit(practice, "status: proposed", "status: approved")
    commit_as(repo, "cy", "Ask for approval")
    act_as(repo, "ada")
    assert run("approve", "falls", "--date", "2026-03-01", cwd=repo).exit_code == 0
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 1
    assert _findings(result) == [
        "practices/falls.yaml:19:3: error[approval-missing] moving to approved needs a new "
        "approval by a member of Clinical Practice Committee, recorded in this change; fix: a "
        "member of Clinical Practice Committee runs 'diffuse approve falls' on this branch",
        "practices/falls.yaml:19:5: error[approval-by-owner] the approval by 'ada', who owns "
        "the practice, does not count alone: an owner's approval needs one by another member "
        "of Clinical Practice Committee beside it; fix: another member of Clinical Practice "
        "Committee runs 'diffuse approve falls' on this branch",
    ]
    act_as(repo, "ben")
    assert run("approve", "falls", "--date", "2026-03-02", cwd=repo).exit_code == 0
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 0, result.stdout


def test_handing_the_practice_over_in_the_same_change_does_not_help(repo: Path, run: Run) -> None:
    practice = with_practice(repo)
    edit(practice, "status: proposed", "status: approved")
    edit(practice, "owner: ada", "owner: cy")
    commit_as(repo, "ada", "Hand over fall prevention")
    act_as(repo, "ada")
    assert run("approve", "falls", "--date", "2026-03-01", cwd=repo).exit_code == 0
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 1
    assert "error[approval-by-owner] the approval by 'ada'" in result.stdout
