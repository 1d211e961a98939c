"""Inputs that once crashed or passed: folders that are files, link loops in a pull request,
dates at the edges of the accepted range, and git output with control bytes in messages,
names and paths. Each is a located problem or a normal result, never exit 3."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from conftest import Run, git
from prflow import commit_as, edit

from diffuse.models import Project
from diffuse.reports.status.forecast import forecast


@pytest.fixture
def repo(git_tracker: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(git_tracker)
    return git_tracker


def test_a_file_where_the_practices_folder_should_be_is_named(tracker: Path, run: Run) -> None:
    for entry in (tracker / "practices").iterdir():
        entry.unlink()
    (tracker / "practices").rmdir()
    (tracker / "practices").write_text("id: hand-hygiene\n")
    result = run("validate", cwd=tracker)
    assert result.exit_code == 1
    assert (
        f"{tracker}/practices: error[not-a-folder] this should be the folder of practice "
        "files, but it is a file; move it aside and make the folder" in result.lines
    )


def test_a_link_loop_committed_in_a_pull_request_is_a_located_problem(repo: Path, run: Run) -> None:
    git(repo, "checkout", "-q", "-b", "change")
    os.symlink("loop.yaml", repo / "practices" / "loop.yaml")
    commit_as(repo, "cy", "Add a link to itself")
    commands = (("validate",), ("status", "--as-of", "2026-04-01"), ("check", "--base", "main"))
    for command in commands:
        result = run(*command, cwd=repo)
        assert result.exit_code == 1, (command, result.stdout, result.stderr)
    assert (
        "practices/loop.yaml: error[link-loop] a symbolic link that leads back to itself "
        "through a loop of links; point it at a file or delete it"
    ) in result.stdout


def test_every_command_works_on_the_last_and_first_accepted_dates(tracker: Path, run: Run) -> None:
    project = tracker / "projects" / "hh-spread.yaml"
    practice = tracker / "practices" / "hand-hygiene.yaml"
    edit(project, "approved: 2026-02-01", "approved: 2199-12-31")
    edit(practice, "  last: 2026-01-15", "  last: 2199-12-31")
    edit(practice, "established: 2026-01-15", "established: 1900-01-01")
    # Dates this far apart are reported (decades away, and out of order), never a crash.
    checked = run("validate", cwd=tracker)
    assert checked.exit_code == 1
    assert all("error[date-" in line for line in checked.lines[:-1]), checked.stdout
    # Every command still reports, and exits 1 only for the warning that problems exist.
    for as_of in ("1900-01-01", "2199-12-31"):
        for command in (("status",), ("show", "hh-spread"), ("show", "hand-hygiene")):
            result = run(*command, "--as-of", as_of, cwd=tracker)
            assert result.exit_code == 1, (command, as_of, result.stdout)
            assert result.stdout and "problem(s) in 2 file(s)" in result.stderr
        for command in (("review",), ("scorecard",)):
            result = run(*command, "--as-of", as_of, cwd=tracker)
            assert result.exit_code == 1 and result.stdout, (command, as_of)
    shown = run("show", "hh-spread", "--as-of", "2199-12-31", cwd=tracker).stdout
    assert "2200-06-30" in shown  # six months on from the last accepted day


def test_a_date_outside_the_range_is_refused_on_the_command_line(tracker: Path, run: Run) -> None:
    result = run("status", "--as-of", "9999-12-31", cwd=tracker)
    assert result.exit_code == 2
    assert (
        "Invalid value for --as-of: expected a date from 1900-01-01 to 2199-12-31, "
        "got '9999-12-31'" in " ".join(result.stderr.split())
    )


def test_a_forecast_beyond_the_last_date_is_no_date() -> None:
    # Two go-lives a day apart, then nothing for 170 years: the line never reaches 1,000.
    sites = {f"s{i}": {"status": "planning"} for i in range(998)}
    sites |= {"a": {"status": "live", "go_live_actual": "2026-01-01"}}
    sites |= {"b": {"status": "live", "go_live_actual": "2026-01-02"}}
    data = {"id": "p", "practice": "x", "title": "P", "phase": "execute", "sites": sites}
    result = forecast(Project.model_validate(data), list(sites), as_of=date(2199, 12, 31))
    assert result.day is None and result.label == "n/a"
    assert result.note.endswith("which reaches every site after 2199-12-31")


def test_control_bytes_in_messages_names_and_paths_are_read_as_text(repo: Path, run: Run) -> None:
    git(repo, "checkout", "-q", "-b", "change")
    edit(repo / "projects" / "hh-spread.yaml", "title: Hand", "title: The hand")
    git(repo, "add", "-A")
    message = "Retitle\x1e\x1f\x01 with : and\n\n:000000 100644 fake raw line\x1e"
    git(repo, "commit", "-q", "-m", message, author="Cy\x1e Manager", email="cy@example.org")
    odd = repo / "projects" / "odd\nname:\x1e.yaml"
    odd.write_text("id: odd\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "\x1e", author="Cy Manager", email="cy@example.org")
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 1, result.stderr
    assert (
        "projects/odd\\nname:\\x1e.yaml: error[bad-file-name] the file name "
        "'odd\\nname:\\x1e.yaml' is not an id: use lowercase letters, digits and '-' "
        "(at most 64), and rename the file" in result.lines
    )
    assert "  ✗ project hh-spread: edited" in result.lines
    history = run("history", "hh-spread", cwd=repo)
    assert history.exit_code == 0
