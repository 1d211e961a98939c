"""`status` with DIFFUSE_NO_CACHE=1: the same grid as a cached run, without the work that
only the cache needs (its keys, the commit of the day for a key, packing the rows)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import Run

PROJECT = Path("projects") / "hh-spread.yaml"
COLD = {"DIFFUSE_NO_CACHE": "1"}


def _commit(root: Path, message: str, day: str) -> None:
    stamp = f"{day}T12:00:00+00:00"
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Ada Chair",
        "GIT_AUTHOR_EMAIL": "ada@example.org",
        "GIT_COMMITTER_NAME": "Ada Chair",
        "GIT_COMMITTER_EMAIL": "ada@example.org",
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_DATE": stamp,
    }
    for args in (["add", "-A"], ["commit", "-q", "-m", message]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


@pytest.fixture
def history(tracker: Path) -> Path:
    """Committed on 2026-03-10; on 2026-04-20 the culture risk closed and site nst's row
    changed to off track without a date of its own, so a day between reads it from git."""
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=tracker, check=True)
    _commit(tracker, "March", "2026-03-10")
    path = tracker / PROJECT
    text = path.read_text().replace(
        "    health: at-risk\n    barriers", "    health: off-track\n    barriers"
    )
    path.write_text(
        text.replace("mitigation: peer champions}", "mitigation: peer champions, status: closed}")
    )
    _commit(tracker, "April", "2026-04-20")
    return tracker


@pytest.mark.parametrize("form", ["text", "json", "csv"])
def test_a_cold_status_shows_what_a_cached_one_does(history: Path, run: Run, form: str) -> None:
    args = ("status", "--all", "--as-of", "2026-04-01", "--format", form)
    cold = run(*args, cwd=history, env=COLD)
    first = run(*args, cwd=history)
    cached = run(*args, cwd=history)
    assert cold.exit_code == first.exit_code == cached.exit_code == 0, cold.stderr
    assert cold.stdout == first.stdout == cached.stdout
    assert cold.stderr == first.stderr == cached.stderr


def test_a_cold_status_reads_the_day_from_git(history: Path, run: Run) -> None:
    # The row as committed on the day, not as the file holds it now.
    args = ("status", "--all", "--as-of", "2026-04-01", "--format", "csv", "--group", "site")
    then = run(*args, cwd=history, env=COLD).stdout
    now = run(*args[:3], "2026-04-25", *args[4:], cwd=history, env=COLD).stdout
    assert "nst,implementing,at-risk" in then and "nst,implementing,off-track" in now


def _git_runs(run: Run, root: Path, trace: Path, env: dict[str, str]) -> int:
    result = run("status", "--as-of", "2026-04-01", cwd=root, env={**env, "GIT_TRACE": str(trace)})
    assert result.exit_code == 0 and "hh-spread" in result.stdout, result.stderr
    runs = trace.read_text().count("trace: built-in: git") if trace.exists() else 0
    trace.unlink(missing_ok=True)
    return runs


def test_a_cold_status_asks_git_only_what_the_day_needs(
    history: Path, run: Run, tmp_path: Path
) -> None:
    # With the day's rows read from git (the default), git is asked for that alone; with
    # them read from the files as they are, a cold run asks git nothing, while a run that
    # keeps its result still keys it by the commit of the day.
    trace = tmp_path / "git.trace"
    from_git = _git_runs(run, history, trace, COLD)
    org = history / "organisation.yaml"
    org.write_text(
        org.read_text().replace("settings:\n", "settings:\n  as_of_from_git: false\n", 1)
    )
    assert _git_runs(run, history, trace, COLD) == 0
    assert _git_runs(run, history, trace, {}) > 0 < from_git
