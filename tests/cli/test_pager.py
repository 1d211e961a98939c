"""`show` pages on a terminal as git does, and not when piped or told not to."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_ROOT, Run

from diffuse.cli.app import pager_command


@pytest.mark.parametrize(
    ("no_pager", "interactive", "env", "expected"),
    [
        (False, True, {}, "less -FRX"),
        (False, False, {}, None),
        (True, True, {}, None),
        (False, True, {"PAGER": "more"}, "more"),
        (False, True, {"PAGER": "more", "DIFFUSE_PAGER": "most"}, "most"),
        (False, True, {"PAGER": ""}, None),
        (False, True, {"PAGER": "cat"}, None),
        (True, True, {"PAGER": "more"}, None),
    ],
)
def test_which_pager(
    no_pager: bool, interactive: bool, env: dict[str, str], expected: str | None
) -> None:
    assert pager_command(no_pager, interactive, env) == expected


def _show_on_a_terminal(tracker: Path, tmp_path: Path, *extra: str) -> tuple[str, Path]:
    """Run `diffuse show` with its output on a pseudo-terminal; the pager saves its input."""
    import pty

    paged = tmp_path / "paged.txt"
    pager = tmp_path / "pager"
    pager.write_text(f"#!/bin/sh\ncat > '{paged}'\n")
    pager.chmod(0o755)
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "PAGER": str(pager),
        "COLUMNS": "80",
        "LINES": "24",
    }
    leader, follower = pty.openpty()
    args = ["show", "hh-spread", "--as-of", "2026-05-01", "--root", str(tracker), *extra]
    done = subprocess.run(
        [sys.executable, "-m", "diffuse", *args],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
        timeout=60,
        check=False,
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert done.returncode == 0, done.stderr
    return seen.decode(), paged


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_show_pages_on_a_terminal(tracker: Path, tmp_path: Path) -> None:
    seen, paged = _show_on_a_terminal(tracker, tmp_path)
    assert "hh-spread: Hand hygiene everywhere" in paged.read_text()
    assert "Hand hygiene everywhere" not in seen


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_no_pager_prints_to_the_terminal(tracker: Path, tmp_path: Path) -> None:
    seen, paged = _show_on_a_terminal(tracker, tmp_path, "--no-pager")
    assert not paged.exists()
    assert "Hand hygiene everywhere" in seen


def test_show_is_not_paged_when_piped(tracker: Path, run: Run, tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    pager = tmp_path / "pager"
    pager.write_text(f"#!/bin/sh\ncat > '{paged}'\n")
    pager.chmod(0o755)
    result = run(
        "show", "hh-spread", "--as-of", "2026-05-01", cwd=tracker, env={"PAGER": str(pager)}
    )
    assert result.exit_code == 0 and "Hand hygiene everywhere" in result.stdout
    assert not paged.exists()


def test_show_at_80_columns_stacks_sites_and_never_cuts_a_date(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run(
        "show",
        "bcma-rollout",
        "--as-of",
        "2026-11-22",
        "--root",
        str(REPO_ROOT),
        env={"COLUMNS": "80"},
    )
    assert result.exit_code == 0
    assert max(len(line) for line in result.lines) <= 80
    assert not any(line != line.rstrip() for line in result.stdout.splitlines())
    assert "…" not in result.stdout
    at = result.lines.index("lmc  ★ sustained  ✓ on-track")
    assert result.lines[at + 1 : at + 3] == [
        "    ADKAR reinforcement · go-live planned 2026-05-04 · actual 2026-05-04",
        "    leader ben-castillo · updated 2026-11-16",
    ]
    # Wrapped text continues under its start, not at column 0.
    gate = result.lines.index(
        "    ✗ [approval] close: record an approval to enter 'close' by a member of"
    )
    assert result.lines[gate + 1] == "      Clinical Practice Committee"


def test_show_on_a_wide_terminal_keeps_the_site_table(run: Run) -> None:
    result = run(
        "show",
        "bcma-rollout",
        "--as-of",
        "2026-11-22",
        "--root",
        str(REPO_ROOT),
        env={"COLUMNS": "200"},
    )
    head = next(line for line in result.lines if line.startswith("site "))
    assert head.split()[:4] == ["site", "status", "health", "ADKAR"]
