"""A writer killed with SIGKILL at any step of a write blocks nobody and loses nothing.

Each case starts a real process that writes the project file and stops it at one step
(lock taken; temporary file written; renamed into place), announced on its stdout, then
kills it with SIGKILL. The next `diffuse site` must then succeed at once: a lock that
outlived its process would make it wait out its 10 s and fail, which the exit code shows.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_ROOT, Run

from diffuse.files.atomic import lock

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

PROJECT = Path("projects") / "hh-spread.yaml"

# Runs in the child: replace one step of the write with "announce, then wait forever".
CHILD = """
import os, sys, tempfile
from pathlib import Path
from diffuse.files import atomic

def stop(*args, **kwargs):
    print("stopped", flush=True)
    sys.stdin.read()

step = sys.argv[2]
if step == "locked":
    tempfile.mkstemp = stop
elif step == "temp-written":
    atomic.os.replace = stop
elif step == "renamed":
    atomic._sync_directory = stop
target = Path(sys.argv[1])
text = target.read_text(encoding="utf-8").replace("title: Hand", "title: Killed hand")
atomic.write_text_atomic(target, text, None)
"""


def _stopped_writer(target: Path, step: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(target), step],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "stopped\n"
    return child


def _kill(child: subprocess.Popen[str]) -> None:
    child.send_signal(signal.SIGKILL)
    assert child.wait(timeout=30) == -signal.SIGKILL
    for stream in (child.stdin, child.stdout):
        if stream is not None:
            stream.close()


@pytest.mark.parametrize("step", ["locked", "temp-written", "renamed"])
def test_a_writer_killed_at_any_step_blocks_nobody(tracker: Path, run: Run, step: str) -> None:
    project = tracker / PROJECT
    before = project.read_text()
    _kill(_stopped_writer(project, step))
    leftovers = sorted(p.name for p in project.parent.iterdir())
    assert "hh-spread.yaml.lock" in leftovers  # the file stays; its lock died with it
    after_kill = project.read_text()
    # The file is whole: the old text or the new, never a mix.
    assert after_kill in (before, before.replace("title: Hand", "title: Killed hand"))

    result = run("site", "hh-spread", "nor", "--note", "after the crash", "--by", "cy", cwd=tracker)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in project.parent.iterdir()) == ["hh-spread.yaml"]
    assert "after the crash" in project.read_text()


def test_a_lock_held_by_a_live_process_is_named_and_released_by_its_death(
    tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import functools

    from diffuse.edits import editing
    from diffuse.files import atomic

    project = tracker / PROJECT
    before = project.read_bytes()
    lock_file = project.with_name("hh-spread.yaml.lock")
    holder = _stopped_writer(project, "locked")
    monkeypatch.setattr(editing, "lock", functools.partial(atomic.lock, timeout=0.2))
    result = run("site", "hh-spread", "nor", "--status", "sustained", "--by", "cy", cwd=tracker)
    assert result.exit_code == 1
    assert (
        f"diffuse: {lock_file} has been held by process {holder.pid} for more than 0.2 s "
        "while another diffuse writes this file; try again when it has finished"
    ) in result.stderr
    assert project.read_bytes() == before
    _kill(holder)
    with lock(project, timeout=0.2):
        pass
    result = run("site", "hh-spread", "nor", "--status", "sustained", "--by", "cy", cwd=tracker)
    assert result.exit_code == 0, result.stderr
