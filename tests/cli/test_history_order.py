"""`history` lists in git's --topo-order, not the order of the commits' dates, whether it
reads every version (a first run) or finds what changed in its cache."""

from __future__ import annotations

from pathlib import Path

from conftest import Run, git
from prflow import commit_as, edit


def test_a_first_run_lists_what_a_repeat_run_lists_across_a_rename_and_an_old_branch(
    git_tracker: Path, run: Run
) -> None:
    old = git_tracker / "projects" / "hh-spread.yaml"
    git(git_tracker, "checkout", "-q", "-b", "late")
    # A branch whose commits are dated before main's, merged after them: the order git
    # walks in (by date) is not the order --topo-order gives.
    edit(old, "    status: planning\n", "    status: live\n")
    commit_as(git_tracker, "cy", "South is live", day="2026-01-05")
    git(git_tracker, "checkout", "-q", "main")
    edit(old, "phase: plan", "phase: initiate")
    commit_as(git_tracker, "ben", "Back to initiate", day="2026-02-01")
    git(git_tracker, "merge", "-q", "--no-ff", "--no-edit", "late")
    git(git_tracker, "mv", "projects/hh-spread.yaml", "projects/hh-later.yaml")
    text = (git_tracker / "projects" / "hh-later.yaml").read_text()
    (git_tracker / "projects" / "hh-later.yaml").write_text(
        text.replace("id: hh-spread", "id: hh-later")
    )
    commit_as(git_tracker, "ada", "Rename", day="2026-02-03")

    first = run("history", "hh-later", cwd=git_tracker)
    again = run("history", "hh-later", cwd=git_tracker)
    assert first.exit_code == 0, first.stderr
    assert (again.exit_code, again.stdout) == (0, first.stdout)
    ordered = git(
        git_tracker,
        "log",
        "--follow",
        "--topo-order",
        "--format=%h",
        "--abbrev=10",
        "--",
        "projects/hh-later.yaml",
    ).split()
    shown = list(dict.fromkeys(line.split()[1] for line in first.stdout.splitlines()[1:]))
    assert shown == [sha for sha in ordered if sha in shown]
    assert len(ordered) == 4  # the rename, the two changes and the first commit
    assert "phase     plan -> initiate" in first.stdout
    assert "sou: planning, off-track -> live, off-track" in first.stdout
