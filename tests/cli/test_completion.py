"""Shell completion: the scripts, and the ids offered from the tracker without validating it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_ROOT, Run


def _complete(cwd: Path, shell: str, words: str, **extra: str) -> list[str]:
    """What a shell set up by `diffuse completion SHELL` is offered for `words`."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "_DIFFUSE_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        env |= {"COMP_WORDS": words, "COMP_CWORD": str(len(words.split(" ")) - 1)}
    else:
        env |= {"_TYPER_COMPLETE_ARGS": words, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    env |= extra
    done = subprocess.run(
        [sys.executable, "-m", "diffuse"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.split()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_script(shell: str, run: Run) -> None:
    result = run("completion", shell)
    assert result.exit_code == 0
    assert "_DIFFUSE_COMPLETE=complete_" + shell in result.stdout


def test_ids_of_practices_and_projects_complete(tracker: Path) -> None:
    assert _complete(tracker, "bash", "diffuse show ") == ["hand-hygiene", "hh-spread"]
    assert _complete(tracker, "bash", "diffuse advance h") == ["hh-spread"]
    assert _complete(tracker, "fish", "diffuse status --practice ") == ["hand-hygiene"]


def test_sites_and_people_complete(tracker: Path) -> None:
    assert _complete(tracker, "bash", "diffuse site hh-spread s") == ["sea", "sou"]
    assert _complete(tracker, "fish", "diffuse status --site n") == ["nor", "nst"]
    offered = " ".join(_complete(tracker, "zsh", "diffuse advance hh-spread --by "))
    assert re.findall(r'"(\w+)"', offered) == ["ada", "ben", "cy"]


def test_ids_complete_from_root_and_from_a_broken_tracker(tracker: Path, tmp_path: Path) -> None:
    words = f"diffuse show --root {tracker} "
    assert _complete(tmp_path, "bash", words) == ["hand-hygiene", "hh-spread"]
    # Completion reads names, not content: a file that fails validation still completes.
    (tracker / "projects" / "broken.yaml").write_text("id: [\n")
    assert "broken" in _complete(tracker, "bash", "diffuse show ")


def test_outside_a_tracker_nothing_is_offered(tmp_path: Path) -> None:
    assert _complete(tmp_path, "bash", "diffuse show ") == []
