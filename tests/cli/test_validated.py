"""A repeated `validate` is served from the result cache, exactly as a fresh run reports it,
and no change to the tracker is missed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import Run

import diffuse.reading.handover
import diffuse.rules.load

FORMATS = ("text", "json", "junit", "github")


def _broken(tracker: Path) -> None:
    """A project with a problem of its own, and one with a problem found across files."""
    path = tracker / "projects" / "hh-spread.yaml"
    text = path.read_text()
    broken = text.replace("id: hh-spread", "id: b-broken").replace("phase: plan", "budget: 1", 1)
    (tracker / "projects" / "b-broken.yaml").write_text(broken)
    path.write_text(text.replace("owner: cy", "owner: zed", 1))


def _fresh(run: Run, tracker: Path, *args: str) -> tuple[int, str, str]:
    result = run("validate", *args, cwd=tracker, env={"DIFFUSE_NO_CACHE": "1"})
    return result.exit_code, result.stdout, result.stderr


def test_a_repeated_validate_reads_no_file_and_reports_what_a_fresh_run_does(
    tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    _broken(tracker)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tracker))
    selections = [(), (str(tracker / "projects" / "b-broken.yaml"),), (str(tracker),)]
    runs = [("--format", fmt, *args) for fmt in FORMATS for args in selections]
    expected = [_fresh(run, tracker, *args) for args in runs]
    run("validate", cwd=tracker)

    def unreachable(*args: object, **kwargs: object) -> None:
        raise AssertionError("the tracker was read again")

    monkeypatch.setattr(diffuse.rules.load, "load_catalog", unreachable)
    for args, fresh in zip(runs, expected, strict=True):
        cached = run("validate", *args, cwd=tracker)
        assert (cached.exit_code, cached.stdout, cached.stderr) == fresh
        assert cached.exit_code == 1 and "b-broken.yaml" in cached.stdout


def test_a_damaged_report_is_worked_out_again(tracker: Path, run: Run) -> None:
    _broken(tracker)
    first = run("validate", cwd=tracker)
    reports = list(Path(os.environ["DIFFUSE_CACHE_DIR"]).glob("*.json"))
    assert len(reports) == 1
    damages = (b"{not json", b"[]", b'{"problems": [["x", "1", 1, "c", "m", "error", ""]]}')
    for damage in (*damages, b'{"problems": [], "files": 3}'):
        reports[0].write_bytes(damage)
        again = run("validate", cwd=tracker)
        assert (again.exit_code, again.stdout) == (1, first.stdout)


def test_a_folder_swapped_for_a_link_to_the_same_files_is_seen(
    tracker: Path, run: Run, tmp_path: Path
) -> None:
    assert run("validate", cwd=tracker).exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    shutil.move(tracker / "projects", elsewhere)
    (tracker / "projects").symlink_to(elsewhere, target_is_directory=True)
    result = run("validate", cwd=tracker)
    assert (result.exit_code, result.stdout, result.stderr) == _fresh(run, tracker)
    assert result.exit_code == 1 and "error[outside-tracker]" in result.stdout


@pytest.mark.parametrize("command", [("validate",), ("status", "--as-of", "2026-05-01")])
@pytest.mark.parametrize("kept", [True, False])
def test_a_file_saved_while_the_tracker_is_read_leaves_no_report_under_the_old_bytes(
    tracker: Path,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    command: tuple[str, ...],
    kept: bool,
) -> None:
    """The reading takes each file's bytes from the look that made the key (`kept`), and
    so reports the files as they were then; or, past the budget of bytes kept, reads the
    file again and sees it saved meanwhile, and then keeps no report. Either way no report
    is kept under the key of bytes it was not made from."""
    if not kept:
        monkeypatch.setattr(diffuse.reading.handover, "BUDGET", 0)
    path = tracker / "projects" / "hh-spread.yaml"
    before = path.read_text()
    changed = before.replace("owner: cy", "owner: zed", 1)
    loader = "load_catalog" if command[0] == "validate" else "load_tracker"
    real = getattr(diffuse.rules.load, loader)

    def saved_meanwhile(*args: object, **kwargs: object) -> object:
        path.write_text(changed)
        return real(*args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(diffuse.rules.load, loader, saved_meanwhile)
        assert run(*command, cwd=tracker).exit_code == (0 if kept else 1)
    assert run(*command, cwd=tracker).exit_code == 1  # the saved file, read in the next run
    path.write_text(before)
    again = run(*command, cwd=tracker)
    assert (again.exit_code, "zed" in again.stdout + again.stderr) == (0, False)


@pytest.mark.parametrize("command", [("validate",), ("status", "--as-of", "2026-05-01")])
def test_a_run_that_reads_the_tracker_opens_each_file_once(
    tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    """The look that keys the result cache reads every file; the reading after it takes
    those bytes instead of opening each file again."""
    opened: list[str] = []
    real_open = os.open

    def counted(path: object, *args: object, **kwargs: object) -> int:
        if str(path).endswith(".yaml"):
            opened.append(os.path.relpath(str(path), tracker))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as patched:
        patched.setattr(os, "open", counted)
        run(*command, cwd=tracker)
    files = [
        str(p.relative_to(tracker))
        for p in sorted(tracker.rglob("*.yaml"))
        if ".git" not in p.parts and "cache" not in p.parts
    ]
    assert sorted(opened) == files
