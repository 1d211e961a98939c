"""Nothing lost on write: concurrent edits, files changed behind diffuse's back, failed
writes, and what an edit keeps (permissions, line ends, BOM)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO_ROOT, Run

from diffuse.edits import advance, editing
from diffuse.errors import DiffuseError
from diffuse.files import atomic

PROJECT = Path("projects") / "hh-spread.yaml"


def _site(root: Path, site: str, note: str) -> subprocess.Popen[str]:
    argv = [sys.executable, "-m", "diffuse", "site", "hh-spread", site, "--note", note]
    argv += ["--by", "cy", "--date", "2026-04-02", "--root", str(root)]
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_two_processes_editing_one_file_lose_no_update(tracker: Path) -> None:
    project = tracker / PROJECT
    # Holding the lock while both start makes them meet at it, whatever the machine's speed.
    with atomic.lock(project):
        first = _site(tracker, "nor", "North audit done")
        second = _site(tracker, "sou", "South agency staff trained")
        time.sleep(0.8)
    outputs = [proc.communicate(timeout=30) for proc in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    text = project.read_text()
    assert 'note: "North audit done"' in text or "note: North audit done" in text
    assert "note: South agency staff trained" in text
    assert text.count("  - date: 2026-04-02\n") == 2
    assert not project.with_name("hh-spread.yaml.lock").exists()


def test_a_file_changed_while_being_edited_is_not_overwritten(tracker: Path) -> None:
    project = tracker / PROJECT
    by_hand = project.read_text() + "# saved from an editor meanwhile\n"

    def change(text: str) -> str:
        project.write_text(by_hand)  # another program writes between read and write
        return text.replace("phase: plan", "phase: execute")

    with pytest.raises(DiffuseError, match="changed on disk while diffuse was editing it"):
        editing.edit_file(project, change)
    assert project.read_text() == by_hand


def test_advance_is_refused_when_the_file_changed_after_the_gate_was_judged(
    tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tracker / PROJECT
    theirs = project.read_text().replace("phase: plan", "phase: execute")
    real_load = advance.load_tracker

    def load_then_someone_edits(root: Path) -> object:
        loaded = real_load(root)
        project.write_text(theirs)
        return loaded

    monkeypatch.setattr(advance, "load_tracker", load_then_someone_edits)
    monkeypatch.setattr(advance, "evaluate", _passing_gate(advance.evaluate))
    result = run("advance", "hh-spread", "--by", "cy", "--date", "2026-03-05", cwd=tracker)
    assert result.exit_code == 1
    assert "changed on disk while diffuse was editing it; nothing was written" in result.stderr
    assert project.read_text() == theirs


def _passing_gate(evaluate: object) -> object:
    def passing(*args: object, **kwargs: object) -> object:
        report = evaluate(*args, **kwargs)  # type: ignore[operator]
        report.gaps.clear()
        return report

    return passing


def test_a_failed_write_leaves_the_file_whole(
    tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tracker / PROJECT
    before = project.read_bytes()

    def disk_full(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", disk_full)
    result = run("site", "hh-spread", "nor", "--status", "sustained", "--by", "cy", cwd=tracker)
    assert result.exit_code == 1
    assert "No space left on device; nothing was written" in result.stderr
    assert project.read_bytes() == before
    assert sorted(p.name for p in project.parent.iterdir()) == ["hh-spread.yaml"]


def test_site_keeps_permissions_line_ends_and_bom(tracker: Path, run: Run) -> None:
    project = tracker / PROJECT
    original = project.read_bytes()
    project.write_bytes(b"\xef\xbb\xbf" + original.replace(b"\n", b"\r\n"))
    project.chmod(0o640)
    before = project.read_bytes()
    result = run(
        "site", "hh-spread", "sou", "--health", "at-risk", "--date", "2026-04-02", cwd=tracker
    )
    assert result.exit_code == 0, result.stderr
    after = project.read_bytes()
    assert stat.S_IMODE(project.stat().st_mode) == 0o640
    assert after.startswith(b"\xef\xbb\xbf# Spread of hand hygiene.")
    assert after.count(b"\n") == after.count(b"\r\n")
    changed = set(after.splitlines()) ^ set(before.splitlines())
    assert changed == {
        b"    health: off-track   # staffing crisis",
        b"    health: at-risk   # staffing crisis",
        b"    updated: 2026-04-02",
    }
