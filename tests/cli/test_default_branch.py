"""`check --base-default`, which the pre-push hook runs: the default branch is found, and
a repository without one gets a clear message rather than a made-up suggestion."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import REPO_ROOT, Run, git


def test_the_pre_push_hook_finds_the_default_branch() -> None:
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())
    check = next(h for h in hooks if h["id"] == "diffuse-check")
    assert check["entry"] == "diffuse check --base-default"


def test_a_local_main_is_the_default(git_tracker: Path, run: Run) -> None:
    git(git_tracker, "checkout", "-q", "-b", "change")
    result = run("check", "--base-default", "--format", "text", cwd=git_tracker)
    assert result.exit_code == 0
    assert result.lines[-1] == "check passed: 3 file(s) valid, 0 change(s) since main"


def test_the_remote_head_comes_first(git_tracker: Path, tmp_path: Path, run: Run) -> None:
    git(git_tracker, "branch", "-q", "-m", "main", "trunk")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(git_tracker), str(clone))
    result = run("check", "--base-default", "--format", "text", cwd=clone)
    assert result.exit_code == 0
    assert result.lines[-1].endswith("since origin/trunk")


def test_no_default_branch_is_a_clear_error(git_tracker: Path, run: Run) -> None:
    git(git_tracker, "branch", "-q", "-m", "main", "trunk")
    result = run("check", "--base-default", cwd=git_tracker)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "diffuse: no default branch to compare with: this repository has no origin/HEAD and "
        "none of origin/main, origin/master, main, master; after adding the remote run 'git "
        "remote set-head origin --auto', or pass --base REF"
    )


def test_an_explicit_base_wins(git_tracker: Path, run: Run) -> None:
    git(git_tracker, "branch", "-q", "-m", "main", "trunk")
    result = run("check", "--base-default", "--base", "trunk", "--format", "text", cwd=git_tracker)
    assert result.exit_code == 0 and result.lines[-1].endswith("since trunk")
