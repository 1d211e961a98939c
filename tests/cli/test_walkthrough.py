"""The documented command sequences, run line by line: the walkthrough page (a practice from
proposal to diffused and a project from initiate to sustain, with no hand-edited YAML) and
the README's five commands on a copy of the demo tracker."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO_ROOT, Run

PAGE = REPO_ROOT / "docs" / "walkthrough.md"
SECTION = "# Walkthrough: a practice from proposal to diffused"


def _block(text: str, after: str, kind: str = "sh") -> str:
    block = re.search(rf"```{kind}\n(.*?)```", text[text.index(after) :], re.S)
    assert block is not None
    return block.group(1)


def _commands(block: str) -> list[list[str]]:
    joined = block.replace("\\\n", " ")
    words = [shlex.split(line, comments=True) for line in joined.splitlines()]
    return [line for line in words if line]


def walkthrough() -> list[list[str]]:
    return _commands(_block(PAGE.read_text(), SECTION))


def test_the_readme_walkthrough_runs_without_editing_yaml(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for words in walkthrough():
        if words[0] == "export":
            for pair in words[1:]:
                name, _, value = pair.partition("=")
                monkeypatch.setenv(name, value)
        elif words[0] == "cd":
            monkeypatch.chdir(Path.cwd() / words[1])
        elif words[0] == "git":
            subprocess.run(words, check=True, capture_output=True)
        else:
            assert words[0] == "diffuse"
            result = run(*words[1:])
            assert result.exit_code == 0, f"{shlex.join(words)}\n{result.stdout}{result.stderr}"
    root = Path.cwd()
    assert (
        subprocess.run(
            ["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, check=True
        ).stdout
        == ""
    )
    project = (root / "projects" / "hh-2027.yaml").read_text()
    assert "phase: sustain" in project
    assert "    go_live_actual: 2027-04-01" in project
    practice = (root / "practices" / "hand-hygiene.yaml").read_text()
    assert "status: diffused" in practice
    assert "established: 2027-04-21" in practice
    assert "  last: 2028-05-10" in practice
    assert result.lines[4].split() == [
        "hh-2027",
        "sustain",
        "2/2",
        "131/181",
        "done",
        "✓",
        "on-track",
        "●✓",
        "●✓",
    ]


def test_the_readmes_five_commands_run_on_a_copy_of_the_demo(tmp_path: Path, run: Run) -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    demo = tmp_path / "demo"
    demo.mkdir()
    shutil.copy(REPO_ROOT / "organisation.yaml", demo)
    for folder in ("practices", "projects"):
        shutil.copytree(REPO_ROOT / folder, demo / folder)
    steps = _commands(_block(readme, "## Five commands"))
    assert [words[:2] for words in steps] == [
        ["diffuse", "status"],
        ["diffuse", "site"],
        ["diffuse", "duty"],
        ["diffuse", "advance"],
        ["diffuse", "validate"],
    ]
    results = [run(*words[1:], cwd=demo) for words in steps]
    assert [r.exit_code for r in results] == [0, 0, 0, 1, 0]
    shown = _block(readme, "## Five commands", "text")
    assert results[3].stdout + results[3].stderr == shown
    project = (demo / "projects" / "unit-handoffs-rollout.yaml").read_text()
    assert "go_live_actual: 2026-11-22" in project
    assert "phase: execute" in project
