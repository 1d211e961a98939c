"""`diffuse intake`: stored issue-form bodies, as GitHub writes them, made into edits in a
real repository; every refusal located in the body and the files left untouched; and the
generated intake workflow run against a recording stand-in for `gh`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from conftest import TESTS, Run, git

from diffuse.edits.issueforms import FORMS, INTAKE_PATH
from diffuse.edits.newrepo import generated_files
from diffuse.edits.pins import source_from

BODIES = TESTS / "data" / "intake"
PROJECT = Path("projects") / "hh-spread.yaml"


def _tracker_files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*.yaml")
        if ".git" not in p.parts
    }


def test_a_practice_proposed_on_the_form_becomes_a_practice_file(
    git_tracker: Path, run: Run
) -> None:
    result = run(
        "intake", str(BODIES / "practice.md"), "--form", "practice", "--commit",
        cwd=git_tracker,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.lines[0].startswith("practices/bedside-shift-handover.yaml: practice proposed")
    data = yaml.safe_load((git_tracker / "practices" / "bedside-shift-handover.yaml").read_text())
    assert data["title"] == "Bedside shift handover"
    assert data["status"] == "proposed"
    assert data["discovery"] == "grassroots"
    assert data["origin_sites"] == ["nst"]
    assert data["evidence"] == [
        {"site": "nst", "summary": "Missed plan changes fell from 14 to 3 a month."}
    ]
    assert "Contact: Ward 4 charge nurse" in data["summary"]
    assert git(git_tracker, "status", "--porcelain") == ""
    assert run("validate", cwd=git_tracker).exit_code == 0
    again = run("intake", str(BODIES / "practice.md"), "--form", "practice", cwd=git_tracker)
    assert again.exit_code == 1
    assert ":1:1: error[intake] Practice name: a practice 'bedside-shift-handover' exists" in (
        again.stderr
    )


def test_a_site_update_on_the_form_updates_the_row(git_tracker: Path, run: Run) -> None:
    result = run(
        "intake", str(BODIES / "site-update.md"), "--form", "site-update", "--by", "cy",
        cwd=git_tracker,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    sou = yaml.safe_load((git_tracker / PROJECT).read_text())["sites"]["sou"]
    assert sou["status"] == "implementing"
    assert str(sou["updated"]) == "2026-04-02"
    assert sou["barriers"] == ["No gel dispensers on ward 3 yet"]


def test_an_adaptation_request_on_the_form_is_recorded_for_oversight(
    git_tracker: Path, run: Run
) -> None:
    result = run(
        "intake", str(BODIES / "adaptation.md"), "--form", "adaptation", "--date",
        "2026-04-03", cwd=git_tracker,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    nst = yaml.safe_load((git_tracker / PROJECT).read_text())["sites"]["nst"]
    assert nst["adaptations"] == [
        {
            "description": "Gel at the clinic door rather than at every chair: the clinic has "
            "no beds.",
            "requested": date(2026, 4, 3),
        }
    ]


def test_by_a_github_login_records_that_person(git_tracker: Path, run: Run) -> None:
    run("org", "edit-person", "cy", "--github", "Cy-M", "--commit", cwd=git_tracker)
    update = (BODIES / "site-update.md").read_text().replace("_No response_", "Gel arrived")
    body = git_tracker.parent / "issue.md"
    body.write_text(update)
    result = run("intake", str(body), "--form", "site-update", "--by", "@cy-m", cwd=git_tracker)
    assert result.exit_code == 0, result.stderr
    updates = yaml.safe_load((git_tracker / PROJECT).read_text())["updates"]
    assert updates[-1]["by"] == "cy" and updates[-1]["text"] == "Gel arrived"


def test_patient_data_refuses_the_whole_form(git_tracker: Path, run: Run) -> None:
    before = _tracker_files(git_tracker)
    body = BODIES / "refused-patient.md"
    result = run("intake", str(body), "--form", "site-update", cwd=git_tracker)
    assert result.exit_code == 1
    assert f"{body.name}:23:42: error[patient-data] this looks like a patient identifier" in (
        result.stderr
    )
    assert "12345678" not in result.stderr
    assert _tracker_files(git_tracker) == before


def test_unknown_ids_and_bad_answers_are_all_located(git_tracker: Path, run: Run) -> None:
    before = _tracker_files(git_tracker)
    body = BODIES / "refused-ids.md"
    result = run("intake", str(body), "--form", "site-update", cwd=git_tracker)
    assert result.exit_code == 1
    assert [line.rpartition("/")[2] for line in result.stderr.splitlines()] == [
        f"{body.name}:1:1: error[intake] Project: no project 'hh-sprad'; known: hh-spread",
        f"{body.name}:13:1: error[intake] Date: '2026-13-01' is not a date (YYYY-MM-DD)",
        "diffuse: this issue cannot be taken in as it is; nothing was changed",
    ]
    assert _tracker_files(git_tracker) == before


def test_missing_answers_are_each_named(git_tracker: Path, run: Run) -> None:
    body = BODIES / "refused-missing.md"
    result = run("intake", str(body), "--form", "practice", cwd=git_tracker)
    assert result.exit_code == 1
    assert f"{body.name}:5:1: error[intake] 'The problem' needs an answer" in result.stderr
    assert f"{body.name}:17:1: error[intake] 'Results' needs an answer" in result.stderr
    assert not (git_tracker / "practices" / "early-mobility.yaml").exists()


def test_what_is_not_an_issue_body_is_refused_plainly(git_tracker: Path, run: Run) -> None:
    missing = git_tracker.parent / "missing.md"
    result = run("intake", str(missing), "--form", "practice", cwd=git_tracker)
    assert result.exit_code == 1 and "cannot read it" in result.stderr
    binary = git_tracker.parent / "binary.md"
    binary.write_bytes(b"\xff\xfe\x00 not text")
    result = run("intake", str(binary), "--form", "practice", cwd=git_tracker)
    assert result.exit_code == 1 and "not UTF-8 text" in result.stderr
    huge = git_tracker.parent / "huge.md"
    huge.write_text("### Practice name\n\n" + "x" * 1_000_001)
    result = run("intake", str(huge), "--form", "practice", cwd=git_tracker)
    assert result.exit_code == 1 and "not an issue body" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_form_is_refused(git_tracker: Path, run: Run) -> None:
    result = run("intake", str(BODIES / "practice.md"), "--form", "idea", cwd=git_tracker)
    assert result.exit_code == 1
    assert "--form: 'idea' is not one of: practice, site-update, adaptation" in result.stderr


def test_the_forms_ask_what_intake_reads() -> None:
    from diffuse.edits.intake import FORMS as QUESTIONS

    for path, text in FORMS.items():
        form = yaml.safe_load(text)
        labels = [e["attributes"]["label"] for e in form["body"] if e["type"] != "markdown"]
        assert labels == [label for label, _required in QUESTIONS[path.stem]], path
        assert form["labels"] == [f"intake: {path.stem}"]


# -- the workflow, against a recording gh ------------------------------------------------------

FAKE_GH = r"""
import json, os, sys
calls = os.environ["FAKE_GH_CALLS"]
args = sys.argv[1:]
record = {"args": args}
if args[:2] == ["issue", "view"]:
    print(open(os.environ["FAKE_GH_BODY"]).read())
for flag in ("--body-file",):
    if flag in args:
        record["file"] = open(args[args.index(flag) + 1]).read()
with open(calls, "a") as out:
    out.write(json.dumps(record) + "\n")
"""


def _run_intake_workflow(root: Path, tmp: Path, body: Path, label: str) -> tuple[int, list[Any]]:
    flow = yaml.safe_load(generated_files(source_from(None, "1.0.0"))[INTAKE_PATH])
    script = flow["jobs"]["intake"]["steps"][-1]["run"]
    bin_dir = tmp / "bin"
    bin_dir.mkdir(exist_ok=True)
    gh = bin_dir / "gh"
    gh.write_text(f"#!{sys.executable}\n{FAKE_GH}")
    gh.chmod(0o755)
    diffuse = bin_dir / "diffuse"
    diffuse.write_text(f'#!/bin/sh\nexec {sys.executable} -m diffuse "$@" --date 2026-04-05\n')
    diffuse.chmod(0o755)
    calls = tmp / "calls.jsonl"
    calls.unlink(missing_ok=True)
    temp = tmp / "runner"
    temp.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "RUNNER_TEMP": str(temp),
        "FAKE_GH_CALLS": str(calls),
        "FAKE_GH_BODY": str(body),
        "NUMBER": "42",
        "LABEL": label,
        "AUTHOR": "someone",
        "GIT_CONFIG_GLOBAL": "/dev/null",
    }
    done = subprocess.run(
        ["bash", "-c", script], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    recorded = (
        [json.loads(line) for line in calls.read_text().splitlines()] if calls.exists() else []
    )
    return done.returncode, recorded


def _with_remote(git_tracker: Path, tmp_path: Path) -> Path:
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    git(git_tracker, "remote", "add", "origin", str(remote))
    return remote


def test_the_workflow_pushes_a_branch_and_opens_a_pull_request_closing_the_issue(
    git_tracker: Path, tmp_path: Path
) -> None:
    remote = _with_remote(git_tracker, tmp_path)
    code, calls = _run_intake_workflow(
        git_tracker, tmp_path, BODIES / "site-update.md", "intake: site-update"
    )
    assert code == 0, calls
    assert [c["args"][:2] for c in calls] == [["issue", "view"], ["pr", "create"]]
    pr = calls[-1]["args"]
    assert pr[pr.index("--head") + 1] == "intake/issue-42"
    assert pr[pr.index("--body") + 1].startswith("Closes #42.")
    pushed = git(remote, "show", "intake/issue-42:projects/hh-spread.yaml")
    assert "barriers: [No gel dispensers on ward 3 yet]" in pushed
    assert git(remote, "log", "-1", "--format=%s", "intake/issue-42") == (
        "Take in issue #42 (site-update)\n"
    )


def test_the_workflow_comments_the_refusal_on_the_issue_and_pushes_nothing(
    git_tracker: Path, tmp_path: Path
) -> None:
    remote = _with_remote(git_tracker, tmp_path)
    code, calls = _run_intake_workflow(
        git_tracker, tmp_path, BODIES / "refused-ids.md", "intake: site-update"
    )
    assert code == 1
    assert [c["args"][:2] for c in calls] == [["issue", "view"], ["issue", "comment"]]
    comment = calls[-1]["file"]
    assert comment.startswith("This issue could not be taken in; nothing was changed:")
    assert "issue:1:1: error[intake] Project: no project 'hh-sprad'" in comment
    assert "issue:13:1: error[intake] Date: '2026-13-01'" in comment
    assert str(tmp_path) not in comment
    assert git(remote, "branch", "--list") == ""
    assert shutil.which("git")
