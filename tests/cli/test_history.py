"""`diffuse history`: the life of a practice or project, from one pass over git."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO_ROOT, Run, git
from prflow import READY_PRACTICE, act_as, commit_as, edit, with_practice

from diffuse.reports.snapshot import SectionReader


def test_practice_history_lists_changes_newest_first_across_a_merge(
    git_tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    practice = with_practice(git_tracker)
    edit(practice, "status: proposed", "status: approved")
    commit_as(git_tracker, "cy", "Ask for approval", day="2026-03-02")
    act_as(git_tracker, "ben")
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-03-03T12:00:00+00:00")
    assert run("approve", "falls", "--date", "2026-03-01", cwd=git_tracker).exit_code == 0
    git(git_tracker, "checkout", "-q", "main")
    git(git_tracker, "merge", "-q", "--no-ff", "--no-edit", "change")
    edit(practice, "vetted_by: [nor, sou]", "vetted_by: [nor, sou, sea]")
    commit_as(git_tracker, "ada", "Seaside vetted it too", day="2026-03-04")
    result = run("history", "falls", cwd=git_tracker)
    assert result.exit_code == 0, result.stderr
    shas = git(
        git_tracker,
        "log",
        "--topo-order",
        "--format=%h",
        "--abbrev=10",
        "--",
        "practices/falls.yaml",
    )
    vetted, approval, status, created = shas.split()
    assert result.lines == [
        "falls (practice, practices/falls.yaml): 4 event(s) in 4 commit(s), newest first",
        f"2026-03-04  {vetted}  Ada Chair   site      sea: added (vetted)",
        f"2026-03-03  {approval}  Ben Member  approval  cpc by ben on 2026-03-01",
        f"2026-03-02  {status}  Cy Manager  status    proposed -> approved",
        f"2026-03-01  {created}  Cy Manager  created   status proposed",
    ]


def test_project_history_shows_phase_reasons_and_site_changes_as_json(
    git_tracker: Path, run: Run
) -> None:
    project = git_tracker / "projects" / "hh-spread.yaml"
    edit(project, "    status: planning\n", "    status: live\n")
    commit_as(git_tracker, "cy", "South is live")
    edit(project, "phase: plan", "phase: initiate")
    edit(
        project,
        "by: cy}",
        "by: cy}\n  - {from: plan, to: initiate, date: 2026-03-01, by: cy, reason: redo}",
    )
    commit_as(git_tracker, "ben", "Back to initiate")
    result = run("history", "hh-spread", "--format", "json", cwd=git_tracker)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["kind"] == "project" and data["commits"] == 3
    changes = [(e["author"], e["kind"], e["change"]) for e in data["events"]]
    assert changes == [
        ("Ben Member", "phase", "plan -> initiate (redo)"),
        ("Cy Manager", "site", "sou: planning, off-track -> live, off-track"),
        ("Ada Chair", "created", "phase plan"),
        ("Ada Chair", "approval", "cpc by ben on 2026-02-01, gate plan"),
    ]
    assert data["events"][0]["email"] == "ben@example.org"


def test_history_of_an_unknown_item_is_a_clear_error(git_tracker: Path, run: Run) -> None:
    result = run("history", "nothing", cwd=git_tracker)
    assert result.exit_code == 1
    assert "no practice or project 'nothing'" in result.stderr


def test_history_outside_a_repository_says_to_run_git_init(tracker: Path, run: Run) -> None:
    result = run("history", "hh-spread", cwd=tracker)
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(
        "is not inside a git repository; run 'git init' there first: history is read from git"
    )


def test_history_in_a_repository_without_commits_is_empty(tracker: Path, run: Run) -> None:
    git(tracker, "init", "-q", "-b", "main")
    result = run("history", "hh-spread", cwd=tracker)
    assert (result.exit_code, result.lines) == (
        0,
        ["hh-spread (project, projects/hh-spread.yaml): 0 event(s) in 0 commit(s), newest first"],
    )


DOCUMENTS = [
    "status: live\nsites:\n  nor: {status: live}\n  sou:\n    status: planning\n",
    "approvals:\n- body: cpc\n  by: ada\n- {body: cpc, by: ben}\n# end\n",
    "approvals:   # who approved\n  # the first one\n  - body: cpc\n\n    by: ada\n",
    "sites: {nor: {status: live}}\napprovals: []\n",
    "a: &x {status: live}\nsites:\n  nor: *x\n",
    "approvals:\r\n  - body: cpc\r\n    by: ada\r\n",
    "summary: |\n  text\n  approvals: not a key\napprovals:\n  - by: 'ada'\n",
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_section_reader_reads_what_a_whole_parse_reads(text: str) -> None:
    whole = yaml.load(text, Loader=yaml.BaseLoader)
    keys = ("sites", "approvals")
    expected = {k: whole[k] for k in keys if k in whole}
    got = SectionReader().values(text, keys)
    assert got is not None
    assert json.dumps(got, sort_keys=True) == json.dumps(expected, sort_keys=True).replace(
        '""', "null"
    )


def test_history_looks_in_the_trackers_folders() -> None:
    from diffuse import layout
    from diffuse.reports import history

    assert history.FOLDERS == (
        ("practice", layout.PRACTICES_DIR),
        ("project", layout.PROJECTS_DIR),
    )
    assert history.SUFFIXES == layout.SUFFIXES


def test_history_shows_control_and_reordering_characters_escaped(
    git_tracker: Path, run: Run
) -> None:
    # An author name that would colour the terminal and reverse the rest of the line.
    with_practice(git_tracker)
    (git_tracker / "practices" / "falls.yaml").write_text(
        READY_PRACTICE.replace("status: proposed", "status: approved")
    )
    git(git_tracker, "add", "-A")
    git(git_tracker, "commit", "-q", "-m", "Approve", author="Eve\x1b[31m\u202edesrever\u2066")
    result = run("history", "falls", cwd=git_tracker)
    assert result.exit_code == 0, result.stderr
    assert "Eve\\x1b[31m\\u202edesrever\\u2066" in result.stdout
    assert not any(char in result.stdout for char in "\x1b\u202a\u202e\u2066\u2069")


@pytest.mark.parametrize("events", [0, 1, 3])
def test_history_json_is_laid_out_as_json_dumps_lays_it_out(events: int) -> None:
    from diffuse.reports.history import Event, History, history_json

    odd = 'Zo\u00eb "Q" \\ \x1b[31m \u2028 \udcff \U0001f600\n'
    history = History("hh-spread", "project", "projects/hh spread.yaml", events)
    history.events = [
        Event(f"{n:040x}", "2026-03-01T12:00:00+01:00", odd, f"{n}@x", "site", odd * n)
        for n in range(events)
    ]
    expected = {
        "schema_version": 2,
        "kind": history.kind,
        "project": history.item,
        "as_of": "2026-03-01" if events else None,
        "file": history.path,
        "commits": history.commits,
        "events": [
            {
                "date": e.date,
                "commit": e.commit,
                "author": e.author,
                "email": e.email,
                "kind": e.kind,
                "change": e.text,
            }
            for e in history.events
        ],
    }
    assert history_json(history) == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"


def test_history_run_as_its_own_process_reads_as_in_process(
    git_tracker: Path, run: Run, tmp_path: Path
) -> None:
    # Run as a command, history starts git before its options are parsed: in the tracker
    # the command line names (--root, DIFFUSE_ROOT), not the one it runs in.
    other = tmp_path / "other"
    shutil.copytree(git_tracker, other)
    project = git_tracker / "projects" / "hh-spread.yaml"
    edit(project, "    status: planning\n", "    status: live\n")
    commit_as(git_tracker, "cy", "South is live")
    expected = run("history", "hh-spread", cwd=git_tracker).stdout
    as_json = run("history", "hh-spread", "--format", "json", cwd=git_tracker).stdout
    assert "sou: planning, off-track -> live, off-track" in expected
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "COLUMNS": "200", "DIFFUSE_NO_CACHE": "1"}
    env.pop("DIFFUSE_ROOT", None)
    command = [sys.executable, "-m", "diffuse", "history"]
    cases = [
        (["hh-spread"], git_tracker / "projects", {}, expected),
        (["hh-spread", "--root", str(git_tracker)], other, {}, expected),
        ([f"--root={git_tracker}", "--format=json", "hh-spread"], other, {}, as_json),
        (["--format", "json", "hh-spread"], other, {"DIFFUSE_ROOT": str(git_tracker)}, as_json),
        (["hh-spread", "--root", str(git_tracker), "--root", str(other)], git_tracker, {}, ""),
    ]
    cases[-1] = (*cases[-1][:3], run("history", "hh-spread", cwd=other).stdout)
    for args, cwd, extra, output in cases:
        done = subprocess.run(
            [*command, *args], cwd=cwd, env={**env, **extra}, capture_output=True, text=True
        )
        assert (done.returncode, done.stdout) == (0, output), (args, done.stderr)
