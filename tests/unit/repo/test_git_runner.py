"""Every git process goes through `repo/runner.py`: the user's config cannot change what
diffuse reads, and a failing git is reported in git's own words."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from conftest import Run, git
from prflow import READY_PRACTICE, commit_as, edit, with_practice

from diffuse.errors import DiffuseError
from diffuse.repo import open_repo
from diffuse.repo.runner import GitFailed, output

PACKAGE = Path(__file__).resolve().parents[3] / "diffuse"


def _history(repo: Path, run: Run) -> dict[str, object]:
    result = run("history", "falls", "--format", "json", cwd=repo)
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_history_reads_the_same_whatever_the_users_log_settings(
    git_tracker: Path, run: Run
) -> None:
    practice = with_practice(git_tracker, READY_PRACTICE)
    edit(practice, "status: proposed", "status: approved")
    git(git_tracker, "add", "-A")
    git(git_tracker, "commit", "-q", "-m", "Approved", author="Zoë Ærø", email="zoe@example.org")
    before = _history(git_tracker, run)
    for setting in (
        "i18n.logOutputEncoding=ISO-8859-1",
        "log.showSignature=true",
        "color.ui=always",
        "log.follow=false",
        "core.quotePath=true",
    ):
        name, value = setting.split("=")
        git(git_tracker, "config", name, value)
    assert _history(git_tracker, run) == before
    authors = {e["author"] for e in before["events"]}  # type: ignore[attr-defined]
    assert "Zoë Ærø" in authors


def test_check_compares_the_same_whatever_the_users_log_settings(
    git_tracker: Path, run: Run
) -> None:
    practice = with_practice(git_tracker)
    edit(practice, "status: proposed", "status: approved")
    commit_as(git_tracker, "cy", "Ask for approval")
    before = run("check", "--base", "main", "--format", "json", cwd=git_tracker)
    git(git_tracker, "config", "i18n.logOutputEncoding", "ISO-8859-1")
    git(git_tracker, "config", "log.showSignature", "true")
    after = run("check", "--base", "main", "--format", "json", cwd=git_tracker)
    assert (after.exit_code, after.stdout) == (before.exit_code, before.stdout)


def test_a_failing_git_is_a_user_error_in_gits_words(git_tracker: Path) -> None:
    with pytest.raises(GitFailed) as failed:
        output(git_tracker, ["rev-parse", "--verify", "no-such-branch"])
    assert str(failed.value).startswith("git rev-parse failed: fatal: ")
    assert isinstance(failed.value, DiffuseError)


def test_a_path_is_never_a_pattern(git_tracker: Path) -> None:
    (git_tracker / "a*.txt").write_text("x")
    (git_tracker / "ab.txt").write_text("y")
    git(git_tracker, "add", "-A")
    git(git_tracker, "commit", "-q", "-m", "two files")
    repo = open_repo(git_tracker)
    listed = repo.git("ls-files", "-z", "--", "a*.txt").decode().split("\0")
    assert [name for name in listed if name] == ["a*.txt"]


def test_outside_a_repository_the_user_is_told_to_run_git_init(tmp_path: Path) -> None:
    with pytest.raises(DiffuseError) as refused:
        open_repo(tmp_path, "first")
    assert refused.value.message == (
        f"{tmp_path} is not inside a git repository; run 'git init' there first"
    )


def _runs_a_process(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.Import | ast.ImportFrom)
        and "subprocess" in ([a.name for a in node.names] + [getattr(node, "module", "") or ""])
        for node in ast.walk(tree)
    )


def test_only_the_runner_starts_git() -> None:
    starters = {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if _runs_a_process(path)
    }
    # The others start a browser for the PDF and the user's pager, never git.
    assert starters == {"repo/runner.py", "render/html/pack.py", "cli/app.py"}
    for name in starters - {"repo/runner.py"}:
        assert '"git"' not in (PACKAGE / name).read_text(encoding="utf-8")
