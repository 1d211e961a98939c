"""Where a command writes is the user's choice: a path the system refuses is a located
error (exit 1), never a crash, and an existing file is not replaced by something else."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from conftest import Run

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
