"""Routine edits that needed a text editor before: a site's pause, a practice's own fields
and support elements, a duty of one project, and block lists written with comments. Each
is run through the CLI in a temporary tracker: the edit, comments kept, --dry-run and
refusals leave the file untouched, --commit commits in a real git repository."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Run, git
from test_routine_edits import PROJECT, edit, refused


def _review(run: Run, root: Path, as_of: str) -> dict[str, list[dict[str, str]]]:
    result = run("review", "--as-of", as_of, "--format", "json", cwd=root)
    assert result.exit_code == 0, result.stdout + result.stderr
    data: dict[str, list[dict[str, str]]] = json.loads(result.stdout)
    return data


def test_a_pause_stops_the_staleness_clock_until_resumed(git_tracker: Path, run: Run) -> None:
    site = ("site", "hh-spread", "nst")
    lines = edit(
        git_tracker, run, *site, "--pause", "ward closed", "--until", "2026-06-30",
        "--date", "2026-03-02",
    )  # fmt: skip
    assert lines == [
        "+    updated: 2026-03-02",
        "+    pause:",
        "+      reason: ward closed",
        "+      since: 2026-03-02",
        "+      until: 2026-06-30",
    ]
    paused = _review(run, git_tracker, "2026-05-01")["paused_sites"]
    assert [s["site"] for s in paused] == ["nst"]
    # Moving its end keeps the reason and the start.
    lines = edit(git_tracker, run, *site, "--until", "2026-07-31", "--date", "2026-03-03")
    assert lines == [
        "-    updated: 2026-03-02",
        "+    updated: 2026-03-03",
        "-      until: 2026-06-30",
        "+      until: 2026-07-31",
    ]
    lines = edit(git_tracker, run, *site, "--resume", "--date", "2026-04-01")
    assert "+      until: 2026-04-01" in lines
    assert "nst" in [s["site"] for s in _review(run, git_tracker, "2026-05-20")["stale_sites"]]
    assert "# Spread of hand hygiene." in (git_tracker / PROJECT).read_text()


def test_pause_refusals_leave_the_file_untouched(git_tracker: Path, run: Run) -> None:
    site = ("site", "hh-spread", "nst", "--date", "2026-03-02")
    assert "--pause needs --until" in refused(git_tracker, run, *site, "--pause", "closed")
    assert "before the pause starts" in refused(
        git_tracker, run, *site, "--pause", "closed", "--until", "2026-03-01"
    )
    assert "no pause is recorded" in refused(git_tracker, run, *site, "--resume")
    assert "none is recorded" in refused(git_tracker, run, *site, "--until", "2026-05-01")
    bad_day = run(*site, "--pause", "x", "--until", "someday", cwd=git_tracker)
    assert bad_day.exit_code == 2 and "--until" in bad_day.stderr
    edit(git_tracker, run, *site, "--pause", "closed", "--until", "2026-06-30")
    assert "not in force on 2026-07-02" in refused(
        git_tracker, run, "site", "hh-spread", "nst", "--resume", "--date", "2026-07-02"
    )


def test_pause_dry_run_writes_nothing_and_commit_commits(git_tracker: Path, run: Run) -> None:
    args = ("site", "hh-spread", "sou", "--pause", "staff leave", "--until", "2026-05-01")
    before = (git_tracker / PROJECT).read_bytes()
    result = run(*args, "--date", "2026-03-02", "--dry-run", cwd=git_tracker)
    assert result.exit_code == 0, result.stderr
    assert "+      reason: staff leave" in result.stdout
    assert (git_tracker / PROJECT).read_bytes() == before
    result = run(*args, "--date", "2026-03-02", "--commit", cwd=git_tracker)
    assert result.exit_code == 0, result.stderr
    assert git(git_tracker, "status", "--porcelain") == ""
    assert "pause reason=staff leave" in git(git_tracker, "log", "-1", "--format=%s")
    assert "# staffing crisis" in (git_tracker / PROJECT).read_text()
