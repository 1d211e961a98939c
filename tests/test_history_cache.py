"""`diffuse history` keeps what it found in the cache folder; the output never depends on it."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_ROOT, Run, git
from prflow import commit_as, edit

from diffuse.cache import history


def _packs() -> list[Path]:
    folder = Path(os.environ["DIFFUSE_CACHE_DIR"]) / "history"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def _histories(run: Run, repo: Path) -> list[str]:
    found = []
    for args in (["hh-spread"], ["hh-spread", "--format", "json"], ["hand-hygiene"]):
        result = run("history", *args, cwd=repo)
        assert result.exit_code == 0, result.stderr
        found.append(result.stdout)
    return found


def _sealed(body: bytes, pack: Path | None = None) -> bytes:
    """`body` as the pack of the first file, its digest matching."""
    tag = (pack or _packs()[0]).read_bytes().split(b" ", 1)[0]
    return tag + f" {hashlib.sha256(body).hexdigest()}\n".encode() + body


@pytest.fixture
def changed(git_tracker: Path) -> Path:
    project = git_tracker / "projects" / "hh-spread.yaml"
    edit(project, "    status: planning\n", "    status: live\n")
    commit_as(git_tracker, "cy", "South is live")
    edit(project, "phase: plan", "phase: initiate")
    commit_as(git_tracker, "ben", "Back to initiate")
    return git_tracker


def test_history_reads_the_same_with_its_cache_without_it_and_from_a_damaged_one(
    changed: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _histories(run, changed)
    assert "sou: planning, off-track -> live, off-track" in first[0]
    [pack, _] = _packs()
    assert _histories(run, changed) == first
    text = pack.read_bytes()
    body = text.partition(b"\n")[2]
    damaged = [
        text[: len(text) // 2],
        b"not a pack",
        body,
        _sealed(b"[1]"),
        _sealed(b"{}"),
        _sealed(body.replace(b'"changes":{', b'"changes":{"x y":[-1,0],')),
        _sealed(body.replace(b'"changes":{', b'"changes":{"x y":[0],')),
        _sealed(body.replace(b'"strings":[', b'"strings":[1,')),
    ]
    for bad in damaged:
        pack.write_bytes(bad)
        assert bad != text
        assert _histories(run, changed) == first, bad[:40]
    shutil.rmtree(pack.parent)
    monkeypatch.setenv("DIFFUSE_NO_CACHE", "1")
    assert _histories(run, changed) == first
    assert _packs() == []


def test_a_pack_for_another_file_is_not_read(changed: Path, run: Run) -> None:
    first = _histories(run, changed)
    one, other = _packs()
    one.write_bytes(other.read_bytes())
    assert _histories(run, changed) == first


def test_a_new_commit_is_read_on_top_of_the_cache(
    changed: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    _histories(run, changed)
    project = changed / "projects" / "hh-spread.yaml"
    edit(project, "phase: initiate", "phase: plan")
    commit_as(changed, "cy", "Plan again", day="2026-03-05")
    cached = _histories(run, changed)
    assert "initiate -> plan" in cached[0].splitlines()[1]
    monkeypatch.setenv("DIFFUSE_NO_CACHE", "1")
    assert _histories(run, changed) == cached


def test_two_runs_at_once_both_read_right_and_leave_a_pack(changed: Path, run: Run) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    command = [sys.executable, "-m", "diffuse", "history", "hh-spread", "--root", str(changed)]
    both = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE) for _ in range(2)]
    outputs = [process.communicate()[0].decode() for process in both]
    assert [p.returncode for p in both] == [0, 0]
    assert outputs[0] == outputs[1] == _histories(run, changed)[0]
    assert len(_packs()) == 2  # hh-spread's, then hand-hygiene's from _histories


def test_the_oldest_packs_are_let_go(
    changed: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history, "MAX_PACKS", 1)
    first = _histories(run, changed)
    assert len(_packs()) == 1
    assert _histories(run, changed) == first


def test_a_version_git_cannot_read_is_not_kept(changed: Path, run: Run) -> None:
    blob = git(changed, "rev-parse", "HEAD:projects/hh-spread.yaml").strip()
    stored = changed / ".git" / "objects" / blob[:2] / blob[2:]
    good = stored.read_bytes()
    stored.chmod(0o644)
    stored.write_bytes(b"damaged")
    damaged = run("history", "hh-spread", cwd=changed)
    assert damaged.exit_code == 0, damaged.stderr
    assert "file removed" in damaged.lines[1]
    stored.write_bytes(good)
    mended = run("history", "hh-spread", cwd=changed)
    assert mended.lines[1].endswith("phase     plan -> initiate")
