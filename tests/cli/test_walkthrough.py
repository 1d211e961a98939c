"""The README's walkthrough, run line by line: a practice from proposal to diffused and a
project from initiate to sustain, with no hand-edited YAML."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest
from conftest import REPO_ROOT, Run

SECTION = "## Walkthrough: a practice from proposal to diffused"


def walkthrough() -> list[list[str]]:
    text = (REPO_ROOT / "README.md").read_text()
    body = text[text.index(SECTION) :]
    block = re.search(r"```sh\n(.*?)```", body, re.S)
    assert block is not None
    joined = block.group(1).replace("\\\n", " ")
    words = [shlex.split(line, comments=True) for line in joined.splitlines()]
    return [line for line in words if line]


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
