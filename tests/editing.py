"""Helpers of the tests of edit commands: what an edit changed, an edit that must pass or
be refused with the file untouched, and a project made ready for its execute gate."""

from __future__ import annotations

import difflib
from pathlib import Path

from conftest import Run

PROJECT = Path("projects") / "hh-spread.yaml"
PRACTICE = Path("practices") / "hand-hygiene.yaml"


def changed(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def edit(git_tracker: Path, run: Run, *args: str, file: Path = PROJECT) -> list[str]:
    before = (git_tracker / file).read_text()
    result = run(*args, cwd=git_tracker)
    assert result.exit_code == 0, result.stdout + result.stderr
    return changed(before, (git_tracker / file).read_text())


def refused(git_tracker: Path, run: Run, *args: str, file: Path = PROJECT) -> str:
    before = (git_tracker / file).read_bytes()
    result = run(*args, cwd=git_tracker)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert (git_tracker / file).read_bytes() == before
    return result.stderr.strip()


PLAN_DUTIES = [
    "sr-announce",
    "dm-stakeholders",
    "dm-change-plan",
    "dm-comms-plan",
    "dm-timeline",
    "dt-readiness",
    "dt-local-plan",
    "dt-messages",
    "dt-education",
    "it-requirements",
    "it-approval",
    "it-resources",
    "in-needs",
    "in-resources",
    "mc-plan",
    "mc-infrastructure",
]


def meet_execute_gate(project: Path) -> None:
    text = project.read_text()
    done = "".join(f"  {d}: {{status: done, date: 2026-03-01}}\n" for d in PLAN_DUTIES)
    roles = "".join(
        f"  {r}: [cy]\n"
        for r in ("diffusion-team", "it-liaison", "measurement", "operational-owner")
    )
    text = text.replace("\nrisks:", done + "\nrisks:").replace(
        "\nchecklist:", roles + "\nchecklist:"
    )
    text = text.replace(
        "approvals:\n", "approvals:\n  - {gate: execute, body: cpc, by: ada, date: 2026-03-02}\n"
    )
    project.write_text(text)
