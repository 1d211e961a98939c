"""A forged approval is refused however it is written: `check --verify-signoff` reads
approvals with the parser `validate` uses, at every version of the file, and compares them
as parsed records.

Each case is a pull request in a real repository: cy (not a member of the committee) marks
the fall-prevention practice approved and adds an approval by ben, a member, in some
spelling of the `approvals` key. Ben never commits it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO_ROOT, Run, git
from prflow import commit_as, edit, with_practice

ENTRY = "{body: cpc, by: ben, date: 2026-03-01}"

# The text that replaces `approvals: []`, and where the forged entry is (line, col).
SPELLINGS = {
    "the ordinary way": (f"approvals:\n  - {ENTRY}\n", (19, 5)),
    "double-quoted key": (f'"approvals":\n  - {ENTRY}\n', (19, 5)),
    "single-quoted key": (f"'approvals':\n  - {ENTRY}\n", (19, 5)),
    "escaped key": (f'"approv\\u0061ls":\n  - {ENTRY}\n', (19, 5)),
    "complex key": (f"? approvals\n: - {ENTRY}\n", (19, 5)),
    "tagged key": (f"!!str approvals:\n  - {ENTRY}\n", (19, 5)),
    "flow sequence": (f"approvals: [{ENTRY}]\n", (18, 13)),
    "anchored list": (f"approvals: &given\n  - {ENTRY}\n", (19, 5)),
    "alias for the approver": (
        "approvals:\n  - {body: cpc, by: *member, date: 2026-03-01}\n",
        (19, 5),
    ),
    # A one-line row is read before the parser (`flowrows`) only where the data is the same.
    "a row spaced oddly, with a comment": (
        "approvals:\n  - { body:  cpc ,by: ben,date: 2026-03-01 }   # agreed\n",
        (19, 5),
    ),
    "a row over two lines": (
        "approvals:\n  - {body: cpc, by: ben,\n     date: 2026-03-01}\n",
        (19, 5),
    ),
    "a row after one in a block of text": (
        f"summary: |\n  - {ENTRY}\napprovals:\n  - {ENTRY}\n",
        (21, 5),
    ),
    # The line scanner took the last column-0 `approvals:` line, here inside a string.
    "hidden behind a quoted string": (
        f"approvals:\n  - {ENTRY}\nsummary: 'Hourly rounding on every ward.\napprovals: []\n"
        "rounds: hourly'\n",
        (19, 5),
    ),
}


@pytest.fixture
def repo(git_tracker: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(git_tracker)
    edit(
        git_tracker / "organisation.yaml",
        "  target_months: 6",
        "  target_months: 6\n  signed_approvals: true",
    )
    commit_as(git_tracker, "ada", "Require signed approvals")
    return git_tracker


def _sha(repo: Path, rev: str = "HEAD") -> str:
    return git(repo, "rev-parse", "--short=10", rev).strip()


def _forged_by_cy(repo: Path, approvals: str) -> Path:
    practice = with_practice(repo)
    edit(practice, "status: proposed", "status: approved")
    edit(practice, "champion: ben", "champion: &member ben")
    edit(practice, "approvals: []\n", approvals)
    return practice


def _refused(line: int, col: int, sha: str) -> list[str]:
    return [
        f"practices/falls.yaml:{line}:{col}: error[signoff-author] approval: commit {sha} that "
        "adds it was authored by cy@example.org, not by 'ben'",
        "    fix: remove the entry; 'ben' records it from their own git identity with 'diffuse "
        "approve falls'",
    ]


@pytest.mark.parametrize("spelling", list(SPELLINGS))
def test_a_forged_approval_is_refused_however_the_key_is_written(
    repo: Path, run: Run, spelling: str
) -> None:
    text, (line, col) = SPELLINGS[spelling]
    _forged_by_cy(repo, text)
    commit_as(repo, "cy", "Approve fall prevention")
    # Without verification the parsed approval counts, as it would for a real one.
    assert run("check", "--base", "main", cwd=repo).exit_code == 0
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 1, result.stdout
    assert result.lines[:2] == _refused(line, col, _sha(repo))


@pytest.mark.parametrize("spelling", ["double-quoted key", "complex key", "flow sequence"])
def test_the_same_spelling_committed_by_the_approver_passes(
    git_tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch, spelling: str
) -> None:
    monkeypatch.chdir(git_tracker)
    _forged_by_cy(git_tracker, SPELLINGS[spelling][0])
    commit_as(git_tracker, "ben", "Approve fall prevention")
    result = run("check", "--base", "main", "--verify-signoff", cwd=git_tracker)
    assert result.exit_code == 0, result.stdout


def test_a_whole_file_as_one_flow_mapping_is_read_like_any_other(repo: Path, run: Run) -> None:
    practice = with_practice(repo)
    practice.write_text(
        "{id: falls, title: Fall prevention, status: approved, approving_body: cpc,\n"
        " owner: ada, evidence: [{site: nor, summary: harmful falls down by a third}],\n"
        " vetted_by: [nor, sou], goal: No harmful falls at any site.,\n"
        " key_principles: {fixed: [Hourly rounding]},\n"
        " leaders: {champion: ben, administrative: cy, physician: ada},\n"
        " support_elements: [{kind: measurement, title: Falls per 1000 patient days}],\n"
        f" approvals: [{ENTRY}]}}\n"
    )
    commit_as(repo, "cy", "Approve fall prevention")
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 1
    assert result.lines[:2] == _refused(7, 14, _sha(repo))


def test_a_repeated_key_is_refused_before_anything_counts(repo: Path, run: Run) -> None:
    _forged_by_cy(repo, f"approvals:\n  - {ENTRY}\napprovals: []\n")
    commit_as(repo, "cy", "Approve fall prevention")
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 1
    assert result.lines[0] == (
        "practices/falls.yaml:20:1: error[duplicate-key] duplicate key 'approvals' (first "
        "given on line 18)"
    )


def test_a_look_alike_key_is_an_unknown_field(repo: Path, run: Run) -> None:
    # The first letter is Cyrillic: to a reader it says approvals, to YAML it does not.
    _forged_by_cy(repo, f"\u0430pprovals:\n  - {ENTRY}\n")
    commit_as(repo, "cy", "Approve fall prevention")
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 1
    assert "error[unknown-field]" in result.lines[0]
    assert result.lines[0].startswith("practices/falls.yaml:18:1:")


def test_a_forgery_made_in_two_commits_is_traced_to_the_first(repo: Path, run: Run) -> None:
    practice = _forged_by_cy(repo, SPELLINGS["double-quoted key"][0])
    commit_as(repo, "cy", "Approve fall prevention")
    forged = _sha(repo)
    # Ben's later commit only respells the key the ordinary way; it adds no approval.
    edit(practice, '"approvals":', "approvals:")
    commit_as(repo, "ben", "Tidy the practice file")
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 1
    assert result.lines[:2] == _refused(19, 5, forged)


def test_a_forgery_through_a_broken_version_names_every_commit_of_it(repo: Path, run: Run) -> None:
    practice = _forged_by_cy(repo, f"approvals:\n  - {ENTRY}\n")
    edit(practice, "title: Fall prevention", "title: [Fall prevention")
    commit_as(repo, "cy", "Approve fall prevention")
    broken = _sha(repo)
    edit(practice, "title: [Fall prevention", "title: Fall prevention")
    commit_as(repo, "ben", "Fix the title")
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 1
    assert result.lines[:2] == _refused(19, 5, broken)


def test_an_approval_moved_from_a_project_file_is_refused(repo: Path, run: Run) -> None:
    practice = with_practice(repo)
    project = repo / "projects" / "hh-spread.yaml"
    edit(project, "  - {gate: plan", f"  - {ENTRY}\n  - {{gate: plan")
    commit_as(repo, "ben", "Approve the project's new title")
    edit(project, f"  - {ENTRY}\n", "")
    edit(practice, "status: proposed", "status: approved")
    edit(practice, "approvals: []\n", f"approvals:\n  - {ENTRY}\n")
    commit_as(repo, "cy", "Move the approval to where it is needed")
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 1
    assert result.lines[:2] == _refused(19, 5, _sha(repo))


def test_a_forged_gate_approval_in_a_project_is_refused(repo: Path, run: Run) -> None:
    git(repo, "checkout", "-q", "-b", "change")
    project = repo / "projects" / "hh-spread.yaml"
    edit(
        project,
        "approvals:\n  - {gate: plan",
        '"approvals":\n  - {gate: execute, body: cpc, by: ben, date: 2026-03-01}\n  - {gate: plan',
    )
    commit_as(repo, "cy", "Record the approval to execute")
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 1
    assert result.lines[0] == (
        f"projects/hh-spread.yaml:46:5: error[signoff-author] approval: commit {_sha(repo)} "
        "that adds it was authored by cy@example.org, not by 'ben'"
    )


def test_no_rule_reads_records_with_the_line_scanner() -> None:
    """The section scanner serves `history`'s speed; what it reads is shown, never trusted."""
    import ast

    package = REPO_ROOT / "diffuse"
    scanners = {"diffuse.reports.snapshot", "diffuse.files.plainscan"}
    allowed = {"reports/history.py", "cache/history.py", "reports/snapshot.py"}
    users = set()
    for module in package.rglob("*.py"):
        tree = ast.parse(module.read_text())
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        if imported & scanners:
            users.add(module.relative_to(package).as_posix())
    assert users <= allowed and "reports/history.py" in users


def test_a_forgery_through_a_merge_that_breaks_the_file_is_refused(repo: Path, run: Run) -> None:
    practice = with_practice(repo)
    edit(practice, "status: proposed", "status: approved")
    commit_as(repo, "cy", "Ask for approval")
    git(repo, "checkout", "-q", "-b", "side", "main")
    edit(practice, "goal: No harmful falls at any site.", "goal: No harmful falls.")
    commit_as(repo, "cy", "Shorter goal")
    git(repo, "checkout", "-q", "change")
    git(repo, "merge", "-q", "--no-ff", "--no-commit", "side")
    # The merge's own version (no commit's diff shows it) adds the entry and breaks the file.
    edit(practice, "approvals: []\n", f"approvals:\n  - {ENTRY}\n")
    edit(practice, "title: Fall prevention", "title: [Fall prevention")
    commit_as(repo, "cy", "Merge side")
    edit(practice, "title: [Fall prevention", "title: Fall prevention")
    commit_as(repo, "ben", "Fix the title")
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 1
    assert result.lines[:2] == [
        "practices/falls.yaml:19:5: error[signoff-missing] approval by 'ben' came in through a "
        "version of the file that no commit since the base made (a merge)",
        "    fix: commit it: 'ben' records it with 'diffuse approve falls'",
    ]
