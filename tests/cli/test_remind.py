"""`diffuse remind`: each kind of item reaches the person who holds it, as of a date; and the
plan that keeps one reminder issue per person, carried out by the generated workflow
against a recording stand-in for `gh`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import REPO_ROOT, Run, git

from diffuse.edits.newrepo import REMIND_PATH, generated_files
from diffuse.edits.pins import source_from
from diffuse.reports.outputs import output_schema

DUTIES_IN_PLAN = [
    "sr-announce", "dm-stakeholders", "dm-change-plan", "dm-comms-plan", "dm-timeline",
    "dt-readiness", "dt-local-plan", "dt-messages", "dt-education", "it-requirements",
    "it-approval", "it-resources", "in-needs", "in-resources", "mc-plan", "mc-infrastructure",
]  # fmt: skip


def _remind(run: Run, root: Path, as_of: str, *extra: str) -> dict[str, Any]:
    result = run("remind", "--as-of", as_of, "--format", "json", *extra, cwd=root)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    jsonschema.Draft202012Validator(
        output_schema("remind"), format_checker=jsonschema.FormatChecker()
    ).validate(data)
    return data


def _items(data: dict[str, Any], person: str, kind: str) -> list[dict[str, Any]]:
    for entry in data["people"]:
        if entry["person"] == person:
            return [item for item in entry["items"] if item["kind"] == kind]
    return []


def test_a_review_reaches_the_practice_owner_when_due(run: Run) -> None:
    # The demo's long-QT practice: its next review is due 2025-10-02, listed 30 days ahead.
    def reviews(as_of: str) -> list[tuple[str, str, int | None]]:
        data = _remind(run, REPO_ROOT, as_of)
        items = [
            i for i in _items(data, "victor-chen", "review") if i["subject"] == "long-qt-alert"
        ]
        return [(i["subject"], i["due"], i["days_overdue"]) for i in items]

    assert reviews("2025-08-20") == []
    assert reviews("2025-09-15") == [("long-qt-alert", "2025-10-02", None)]
    assert reviews("2026-11-22") == [("long-qt-alert", "2025-10-02", 416)]


def test_a_stale_row_reaches_the_site_leader(git_tracker: Path, run: Run) -> None:
    run("site", "hh-spread", "nor", "--leader", "ben", "--date", "2026-03-02", cwd=git_tracker)
    assert _items(_remind(run, git_tracker, "2026-04-01"), "ben", "stale-site") == []
    stale = _items(_remind(run, git_tracker, "2026-05-01"), "ben", "stale-site")
    assert [(i["subject"], i["site"]) for i in stale] == [("hh-spread", "nor")]
    # The other sites have no leader: nobody holds them, and they are listed as such.
    unassigned = _remind(run, git_tracker, "2026-05-01")["unassigned"]
    assert {i["site"] for i in unassigned if i["kind"] == "stale-site"} == {"nst", "sou"}


def test_duties_due_in_the_current_phase_reach_the_role_holders(
    git_tracker: Path, run: Run
) -> None:
    data = _remind(run, git_tracker, "2026-05-01")
    assert [i["command"] for i in _items(data, "cy", "duty")] == [
        "diffuse duty hh-spread dm-stakeholders --done",
        "diffuse duty hh-spread dm-change-plan --done",
        "diffuse duty hh-spread dm-comms-plan --done",
        "diffuse duty hh-spread dm-timeline --done",
    ]
    run(
        "duty", "hh-spread", "dm-timeline", "--done", "--by", "cy", "--date", "2026-04-01",
        cwd=git_tracker,
    )  # fmt: skip
    after = _items(_remind(run, git_tracker, "2026-05-01"), "cy", "duty")
    assert "diffuse duty hh-spread dm-timeline --done" not in [i["command"] for i in after]
    # As of a day before it was done, it was still due.
    before = _items(_remind(run, git_tracker, "2026-03-31"), "cy", "duty")
    assert "diffuse duty hh-spread dm-timeline --done" in [i["command"] for i in before]


def test_a_barrier_open_too_long_is_escalated_to_oversight(git_tracker: Path, run: Run) -> None:
    run("site", "hh-spread", "sou", "--barrier", "No scanners on ward 3", cwd=git_tracker)
    git(git_tracker, "commit", "-qam", "Barrier at sou", "--date", "2026-03-02T10:00:00")
    # Four weeks (the default) after it was raised it is not escalated yet; a day more is.
    assert _items(_remind(run, git_tracker, "2026-03-30"), "ada", "barrier") == []
    data = _remind(run, git_tracker, "2026-04-06")
    for person in ("ada", "ben"):  # the project's sponsor-oversight role
        escalated = _items(data, person, "barrier")
        assert [(i["site"], i["days_overdue"]) for i in escalated] == [("sou", 7)]
        assert "open since 2026-03-02: No scanners on ward 3" in escalated[0]["text"]
    assert _items(data, "cy", "barrier") == []


def test_the_escalation_threshold_is_the_organisations(git_tracker: Path, run: Run) -> None:
    org = git_tracker / "organisation.yaml"
    org.write_text(
        org.read_text().replace(
            "  target_months: 6\n", "  target_months: 6\n  barrier_escalate_weeks: 2\n"
        )
    )
    run("site", "hh-spread", "sou", "--barrier", "No scanners", cwd=git_tracker)
    git(git_tracker, "commit", "-qam", "Barrier", "--date", "2026-03-02T10:00:00")
    data = _remind(run, git_tracker, "2026-03-20")
    assert data["escalate_weeks"] == 2
    assert [i["days_overdue"] for i in _items(data, "ada", "barrier")] == [4]


def test_an_approval_is_awaited_from_the_body_when_nothing_else_is_missing(
    git_tracker: Path, run: Run
) -> None:
    def approvals(as_of: str) -> list[str]:
        return [i["text"] for i in _items(_remind(run, git_tracker, as_of), "ben", "approval")]

    assert approvals("2026-05-01") == []
    # Each duty is settled by a holder of its role: ada holds sponsor readiness, cy the rest.
    for role in ("diffusion-team", "it-liaison", "measurement", "operational-owner"):
        assert run("role", "hh-spread", role, "cy", cwd=git_tracker).exit_code == 0
    assert run("role", "hh-spread", "infrastructure", "cy", cwd=git_tracker).exit_code == 0
    for by, duties in (("ada", DUTIES_IN_PLAN[:1]), ("cy", DUTIES_IN_PLAN[1:])):
        result = run(
            "duty", "hh-spread", *duties, "--na", "--reason", "not in this test",
            "--by", by, "--date", "2026-04-01", cwd=git_tracker,
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
    assert approvals("2026-05-01") == [
        "decide on hh-spread entering 'execute': everything else is ready"
    ]
    data = _remind(run, git_tracker, "2026-05-01")
    assert _items(data, "ada", "approval") != []  # every member of the body
    assert _items(data, "cy", "approval") == []


def test_text_and_markdown_show_the_same_items(git_tracker: Path, run: Run) -> None:
    text = run("remind", "--as-of", "2026-05-01", cwd=git_tracker)
    assert text.exit_code == 0
    assert "Cy Manager (cy): 4" in text.lines
    assert "      diffuse duty hh-spread dm-timeline --done" in text.lines
    markdown = run("remind", "--as-of", "2026-05-01", "--format", "markdown", cwd=git_tracker)
    assert "## Reminders for Cy Manager" in markdown.lines
    assert "<!-- diffuse-remind person=cy -->" in markdown.lines


def test_text_from_the_files_cannot_mention_or_mark_up(git_tracker: Path, run: Run) -> None:
    run("site", "hh-spread", "sou", "--barrier", "@everyone <b>see [here](x)</b>", cwd=git_tracker)
    git(git_tracker, "commit", "-qam", "Barrier", "--date", "2026-01-02T10:00:00")
    plan = _remind(run, git_tracker, "2026-05-01", "--open-issues", _issues(git_tracker, []))
    body = next(s["body"] for s in plan["plan"] if s["person"] == "ada")
    assert "@everyone" not in body and "<b>" not in body and "[here]" not in body
    assert "@\u200beveryone \\<b\\>see \\[here\\](x)\\</b\\>" in body


def _issues(root: Path, issues: list[dict[str, Any]]) -> str:
    path = root.parent / "open.json"
    path.write_text(json.dumps(issues))
    return str(path)


def test_bad_open_issues_are_refused_with_their_place(git_tracker: Path, run: Run) -> None:
    path = git_tracker.parent / "open.json"
    path.write_text('[{"number": 1,\n "body": }]')
    result = run("remind", "--open-issues", str(path), "--format", "json", cwd=git_tracker)
    assert result.exit_code == 1
    assert f"{path}:2:10: not JSON" in result.stderr
    path.write_text('[{"number": "1"}, {"number": 2, "body": 3}]')
    result = run("remind", "--open-issues", str(path), "--format", "json", cwd=git_tracker)
    assert result.exit_code == 1
    assert "[0]: expected an object with a whole 'number'" in result.stderr
    assert "[1]: expected 'title' and 'body' to be text" in result.stderr
    assert "Traceback" not in result.stderr


# -- the workflow, against a recording gh -----------------------------------------------------

FAKE_GH = r"""
import json, os, sys
store = os.environ["FAKE_GH_STORE"]
state = json.load(open(store)) if os.path.exists(store) else {"issues": [], "calls": []}
args = sys.argv[1:]
state["calls"].append(args)
out = ""
if args[:2] == ["issue", "list"]:
    out = json.dumps([{k: i[k] for k in ("number", "title", "body")}
                      for i in state["issues"] if i["open"]])
elif args[:2] == ["issue", "create"]:
    opt = dict(zip(args[2::2], args[3::2]))
    number = len(state["issues"]) + 1
    state["issues"].append({"number": number, "title": opt["--title"], "open": True,
                            "body": open(opt["--body-file"]).read(),
                            "assignee": opt.get("--assignee")})
elif args[:2] == ["issue", "edit"]:
    issue = state["issues"][int(args[2]) - 1]
    opt = dict(zip(args[3::2], args[4::2]))
    issue["title"], issue["body"] = opt["--title"], open(opt["--body-file"]).read()
elif args[:2] == ["issue", "close"]:
    state["issues"][int(args[2]) - 1]["open"] = False
json.dump(state, open(store, "w"))
print(out)
"""


def _carry_out(root: Path, tmp: Path, as_of: str) -> dict[str, Any]:
    """Run the step of the generated remind.yml that calls gh, with gh recording."""
    flow = yaml.safe_load(generated_files(source_from(None, "1.0.0"))[REMIND_PATH])
    script = flow["jobs"]["remind"]["steps"][-1]["run"]
    bin_dir = tmp / "bin"
    bin_dir.mkdir(exist_ok=True)
    gh = bin_dir / "gh"
    gh.write_text(f"#!{sys.executable}\n{FAKE_GH}")
    gh.chmod(0o755)
    diffuse = bin_dir / "diffuse"
    # The installed diffuse, pinned to the date so the plan does not depend on today.
    diffuse.write_text(f'#!/bin/sh\nexec {sys.executable} -m diffuse "$@" --as-of {as_of}\n')
    diffuse.chmod(0o755)
    (bin_dir / "python").symlink_to(sys.executable) if not (bin_dir / "python").exists() else None
    temp = tmp / "runner"
    temp.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "RUNNER_TEMP": str(temp),
        "FAKE_GH_STORE": str(tmp / "gh.json"),
    }
    done = subprocess.run(
        ["bash", "-c", script], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    state: dict[str, Any] = json.loads((tmp / "gh.json").read_text())
    calls, state["calls"] = state["calls"], []
    (tmp / "gh.json").write_text(json.dumps(state))
    return {"calls": [c[:2] + c[2:3] for c in calls], "issues": state["issues"]}


def test_the_workflow_opens_updates_and_closes_one_issue_per_person(
    git_tracker: Path, run: Run, tmp_path: Path
) -> None:
    org = git_tracker / "organisation.yaml"
    org.write_text(
        org.read_text().replace("email: cy@example.org}", "email: cy@example.org, github: cy-m}")
    )
    first = _carry_out(git_tracker, tmp_path, "2026-05-01")
    created = [c for c in first["calls"] if c[:2] == ["issue", "create"]]
    assert len(created) == 2  # ada and cy have items; ben has none
    by_person = {i["title"]: i for i in first["issues"]}
    assert set(by_person) == {"Reminders for Ada Chair", "Reminders for Cy Manager"}
    assert by_person["Reminders for Cy Manager"]["assignee"] == "cy-m"
    assert "dm-timeline" in by_person["Reminders for Cy Manager"]["body"]

    # The same day again: nothing to open, update or close.
    again = _carry_out(git_tracker, tmp_path, "2026-05-01")
    assert [c[:2] for c in again["calls"]] == [["label", "create"], ["issue", "list"]]

    # Cy finishes one duty: cy's issue is updated in place, ada's is kept.
    run(
        "duty", "hh-spread", "dm-timeline", "--done", "--by", "cy", "--date", "2026-05-01",
        cwd=git_tracker,
    )  # fmt: skip
    third = _carry_out(git_tracker, tmp_path, "2026-05-01")
    assert [c for c in third["calls"] if c[0] == "issue" and c[1] != "list"] == [
        ["issue", "edit", "2"]
    ]
    assert "dm-timeline" not in third["issues"][1]["body"]
    assert third["issues"][1]["open"]

    # Ada's duty is done: ada's issue is closed, nothing new is opened.
    run(
        "duty", "hh-spread", "sr-announce", "--done", "--by", "ada", "--date", "2026-05-01",
        cwd=git_tracker,
    )  # fmt: skip
    fourth = _carry_out(git_tracker, tmp_path, "2026-05-01")
    assert [c for c in fourth["calls"] if c[0] == "issue" and c[1] != "list"] == [
        ["issue", "close", "1"]
    ]
    assert [i["open"] for i in fourth["issues"]] == [False, True]


@pytest.mark.parametrize("title", ["Reminders for Cy Manager", "An old title"])
def test_the_plan_finds_a_persons_issue_by_its_marker(
    git_tracker: Path, run: Run, title: str
) -> None:
    markdown = run("remind", "--as-of", "2026-05-01", "--format", "markdown", cwd=git_tracker)
    body = markdown.stdout.split("## Reminders for Cy Manager\n\n", 1)[1]
    issues = [
        {"number": 7, "title": title, "body": body},
        {"number": 9, "title": "Reminders for Cy Manager", "body": body},  # a duplicate
        {"number": 11, "title": "Reminders for Ben", "body": "<!-- diffuse-remind person=ben -->"},
        {"number": 12, "title": "Someone else's issue", "body": "no marker"},
    ]
    data = _remind(run, git_tracker, "2026-05-01", "--open-issues", _issues(git_tracker, issues))
    steps = {(s["action"], s["person"], s["number"]) for s in data["plan"]}
    cy = "keep" if title == "Reminders for Cy Manager" else "update"
    assert steps == {
        ("open", "ada", None),
        (cy, "cy", 7),
        ("close", "cy", 9),
        ("close", "ben", 11),
    }


def test_without_git_no_barrier_is_escalated_and_the_rest_is_listed(
    git_tracker: Path, run: Run
) -> None:
    run("site", "hh-spread", "sou", "--barrier", "No scanners", cwd=git_tracker)
    git(git_tracker, "commit", "-qam", "Barrier", "--date", "2026-01-02T10:00:00")
    result = run(
        "remind", "--as-of", "2026-05-01", "--format", "json", cwd=git_tracker,
        env={"GIT_PYTHON_GIT_EXECUTABLE": str(git_tracker / "no-git-here")},
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert _items(data, "ada", "barrier") == []
    assert _items(data, "cy", "duty") != []
