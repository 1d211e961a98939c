"""Long runs show a progress bar on a terminal, and nothing when piped or in CI.

Whether the bar shows is decided without timing: the delay is set through
DIFFUSE_PROGRESS_AFTER or a clock passed in, and the terminal is forced (FORCE_COLOR).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import Run
from rich.console import Console

from diffuse import progress
from diffuse.render.progressbar import DelayedBar, stderr_bar

SHOW_AT_ONCE = {"FORCE_COLOR": "1", "DIFFUSE_PROGRESS_AFTER": "0"}


def _terminal() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True, width=80), out


def test_the_bar_waits_for_its_delay() -> None:
    console, out = _terminal()
    now = [0.0]
    bar = DelayedBar("reading files", 3, console, after=1.0, clock=lambda: now[0])
    bar.advance()
    assert out.getvalue() == ""
    now[0] = 1.0
    bar.advance()
    bar.close()
    assert "reading files" in out.getvalue() and "2/3" in out.getvalue()


def test_nothing_is_shown_off_a_terminal_or_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("DIFFUSE_PROGRESS_AFTER", "0")
    piped = Console(file=io.StringIO(), force_terminal=False)
    assert isinstance(stderr_bar("reading files", 3, piped), progress.Silent)
    console, _ = _terminal()
    assert isinstance(stderr_bar("reading files", 3, console), DelayedBar)
    monkeypatch.setenv("CI", "true")
    assert isinstance(stderr_bar("reading files", 3, console), progress.Silent)


def test_the_core_is_silent_when_nobody_listens() -> None:
    previous = progress.install(None)
    try:
        with progress.task("reading files", 2) as step:
            step.advance()
        assert isinstance(step, progress.Silent)
    finally:
        progress.install(previous)


def test_validate_shows_progress_on_stderr_on_a_terminal(
    tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    result = run("validate", cwd=tracker, env=SHOW_AT_ONCE)
    assert result.exit_code == 0
    assert "reading files" in result.stderr
    assert "reading files" not in result.stdout


def test_validate_shows_no_progress_in_ci_or_when_piped(tracker: Path, run: Run) -> None:
    in_ci = run("validate", cwd=tracker, env={**SHOW_AT_ONCE, "CI": "true"})
    piped = run("validate", cwd=tracker, env={"DIFFUSE_PROGRESS_AFTER": "0"})
    for result in (in_ci, piped):
        assert result.exit_code == 0
        assert "reading files" not in result.stderr + result.stdout
