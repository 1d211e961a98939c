"""What the user types: a path the system refuses is an error naming it (exit 1), never a
crash; an existing file is not replaced by something else; a --root that is not a folder
is refused; an argument that is not UTF-8 is a usage error (exit 2)."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_ROOT, Run

AS_OF = "2026-05-01"


NOT_A_FOLDER = os.strerror(errno.ENOTDIR)


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["report", "--as-of", AS_OF, "--out"], "{out}: cannot write a folder there ({why})"),
        (["export", "sqlite", "--as-of", AS_OF], "{out}: {why}"),
        (["schema", "--out"], "{out}: {why}"),
        (["codeowners", "--out"], "{parent}: {why}"),
    ],
)
def test_a_path_under_a_file_is_refused_in_one_line(
    run: Run, tracker: Path, tmp_path: Path, args: list[str], line: str
) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine\n")
    out = blocker / "sub" / "x"
    result = run(*args, str(out), cwd=tracker)
    assert result.exit_code == 1
    expected = line.format(out=out, parent=out.parent, why=NOT_A_FOLDER)
    assert result.stderr.splitlines() == [f"diffuse: {expected}"]
    assert blocker.read_text() == "mine\n"


def test_init_into_a_file_is_refused(run: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine\n")
    result = run("init", str(blocker), "--name", "X")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"diffuse: {blocker}: {os.strerror(errno.EEXIST)}"]
    assert blocker.read_text() == "mine\n"


@pytest.mark.parametrize("name", ["organisation.yaml", "projects"])
def test_export_never_replaces_what_is_not_its_database(run: Run, tracker: Path, name: str) -> None:
    target = tracker / name
    before = target.read_bytes() if target.is_file() else None
    result = run("export", "sqlite", str(target), "--as-of", AS_OF, cwd=tracker)
    assert result.exit_code == 1
    if before is not None:
        assert result.stderr.splitlines() == [
            f"diffuse: {target}: exists and is not a database written by 'diffuse export "
            "sqlite'; choose a new file name"
        ]
        assert target.read_bytes() == before


@pytest.mark.parametrize("command", [["validate"], ["status"], ["history", "hand-hygiene"]])
def test_a_root_that_is_not_a_folder_is_refused(
    run: Run, tracker: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    # Not the tracker around the working folder: a mistyped --root must not go unnoticed.
    monkeypatch.chdir(tracker)
    for given in ("no-such-folder", "organisation.yaml"):
        result = run(*command, "--root", given)
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [f"diffuse: --root: {given} is not a folder"]


@pytest.mark.parametrize(
    "args",
    [
        ["show", "x\udcff"],
        ["site", "hh-spread", "nor", "--barrier", "gel\udc85", "--by", "cy"],
        ["org", "add-person", "zz", "--name", "Z\udcff"],
        ["export", "sqlite", "t\udcff.db"],
    ],
)
def test_an_argument_that_is_not_utf8_is_a_usage_error(
    run: Run, tracker: Path, args: list[str]
) -> None:
    # What `diffuse show $'x\xff'` passes when the shell's bytes are not UTF-8.
    before = {p: p.read_bytes() for p in tracker.rglob("*.yaml")}
    result = run(*args, cwd=tracker)
    assert result.exit_code == 2
    bad = next(a for a in args if not a.isascii())
    shown = bad.encode("utf-8", "surrogateescape").decode("ascii", "backslashreplace")
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value: '{shown}' is not UTF-8 text; set the terminal or script to UTF-8"
    )
    assert {p: p.read_bytes() for p in tracker.rglob("*.yaml")} == before


def test_without_git_on_path_a_command_needing_it_says_so(
    git_tracker: Path, tmp_path: Path
) -> None:
    # git is looked up on PATH when a command first runs it; a fresh process shows it.
    env = {k: v for k, v in os.environ.items() if k != "GIT_PYTHON_GIT_EXECUTABLE"}
    env.update(PATH=str(tmp_path / "empty"), PYTHONPATH=str(REPO_ROOT))
    missing = "git could not be run: 'git version' must work (install git, put it on PATH or "
    missing += "set GIT_PYTHON_GIT_EXECUTABLE to its full path, and fix any error it prints)"

    def diffuse(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "diffuse", *args]
        return subprocess.run(command, cwd=git_tracker, env=env, capture_output=True, text=True)

    checked = diffuse("check", "--base", "main")
    assert (checked.returncode, checked.stderr) == (1, f"diffuse: {missing}\n")
    made = diffuse("init", "new", "--name", "X")
    assert made.returncode == 0
    assert made.stdout.splitlines()[-1] == (
        f"note: {missing}; the folder is not a git repository, so no CI workflow, pre-commit "
        "configuration or CODEOWNERS were written"
    )


@pytest.mark.parametrize(
    ("command", "failed"),
    [
        (["history", "hh-spread"], "git rev-parse failed: "),
        (["check", "--base", "main"], "git rev-parse failed: "),
        (
            ["site", "hh-spread", "nor", "--note", "x", "--by", "cy", "--commit"],
            "git commit failed: ",
        ),
    ],
)
def test_a_damaged_repository_is_reported_in_gits_words(
    git_tracker: Path, run: Run, command: list[str], failed: str
) -> None:
    with (git_tracker / ".git" / "config").open("a") as config:
        config.write("[core\nbroken")
    result = run(*command, cwd=git_tracker)
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"diffuse: {failed}fatal: ")
