"""Hostile files: each is a located problem, exit 1, no traceback, and nothing is written.

The corpus is `tests/fixtures/hostile/` (the cases git can store, and `expected.txt`, the
exact lines `diffuse validate` prints for the whole corpus) and the cases `make_cases` in
`tests/hostile_corpus.py` makes; `python tests/hostile_corpus.py` rewrites expected.txt
after a change to the messages; read the difference before keeping it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_ROOT, Run
from hostile_corpus import build, expected_lines, snapshot


def test_every_hostile_file_is_reported_exactly(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, outside = build(tmp_path)
    monkeypatch.chdir(root)
    result = run("validate")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == expected_lines(outside), (
        "the lines differ from tests/fixtures/hostile/expected.txt; after a deliberate change to a "
        "message, run python tests/hostile_corpus.py and read the difference"
    )
    assert "Traceback" not in result.stdout + result.stderr


def test_hostile_corpus_through_the_command_line_changes_nothing(tmp_path: Path) -> None:
    root, _ = build(tmp_path)
    before = snapshot(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "diffuse", "validate", "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert "internal error" not in done.stderr
    assert "problem(s) in" in done.stdout
    assert snapshot(tmp_path) == before


def test_status_and_show_still_work_beside_hostile_files(tmp_path: Path, run: Run) -> None:
    root, _ = build(tmp_path)
    before = snapshot(tmp_path)
    status = run("status", "--as-of", "2026-04-01", cwd=root)
    assert status.exit_code == 1
    assert "hh-spread" in status.stdout
    assert "problem(s) in" in status.stderr and "run 'diffuse validate'" in status.stderr
    show = run("show", "hh-spread", "--as-of", "2026-04-01", cwd=root)
    assert show.exit_code == 1 and "Hand hygiene everywhere" in show.stdout
    assert snapshot(tmp_path) == before


def test_clean_file_with_bom_and_crlf_is_accepted(tracker: Path, run: Run) -> None:
    practice = tracker / "practices" / "hand-hygiene.yaml"
    practice.write_bytes(b"\xef\xbb\xbf" + practice.read_bytes().replace(b"\n", b"\r\n"))
    assert run("validate", cwd=tracker).exit_code == 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file_is_a_located_problem(tracker: Path, run: Run) -> None:
    practice = tracker / "practices" / "hand-hygiene.yaml"
    practice.chmod(0)
    try:
        result = run("validate", str(practice), cwd=tracker)
    finally:
        practice.chmod(0o644)
    assert result.exit_code == 1
    assert "hand-hygiene.yaml: error[unreadable] cannot read this file: Permission denied" in (
        result.stdout
    )


def test_a_file_the_system_refuses_to_open_is_reported(
    tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root ignores permission bits, so the refusal is made the way the system makes it.
    from diffuse.files import loading

    real_open = os.open
    locked = tracker / "practices" / "hand-hygiene.yaml"

    def refuse(path: object, flags: int, *args: object) -> int:
        if Path(str(path)) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(loading.os, "open", refuse)
    result = run("validate", cwd=tracker)
    assert result.exit_code == 1
    assert "hand-hygiene.yaml: error[unreadable] cannot read this file: Permission denied" in (
        result.stdout
    )
    assert "error[unknown-reference] practice: no practice" not in result.stdout


def _set_limits(tracker: Path, limits: str) -> None:
    org = tracker / "organisation.yaml"
    text = org.read_text().replace("  target_months: 6\n", f"  target_months: 6\n  {limits}\n")
    org.write_text(text)


def test_limits_are_configurable_for_practices_and_projects(tracker: Path, run: Run) -> None:
    _set_limits(tracker, "limits: {max_file_bytes: 20000, max_values: 1000, max_depth: 8}")
    practices = tracker / "practices"
    (practices / "big.yaml").write_text("id: big\nsummary: >\n" + "  words\n" * 3000)
    (practices / "many.yaml").write_text("id: many\nsummary: [" + ",".join("a" * 1200) + "]\n")
    (practices / "deep.yaml").write_text("id: deep\nsummary: " + "[" * 10 + "]" * 10 + "\n")
    lines = run("validate", cwd=tracker).stdout
    assert "big.yaml:2500:6: error[too-large] file is 24,019 bytes; the limit is 20,000" in lines
    assert "many.yaml:2:2001: error[too-large] the document expands to more than 1,000" in lines
    assert "deep.yaml:2:18: error[too-deep] values are nested more than 8 levels deep" in lines
    # The organisation file itself is read with the defaults, whatever it says.
    assert "organisation.yaml" not in lines


def test_limits_have_ceilings(tracker: Path, run: Run) -> None:
    _set_limits(tracker, "limits: {max_depth: 100000}")
    result = run("validate", cwd=tracker)
    assert result.exit_code == 1
    assert (
        "organisation.yaml:5:23: error[out-of-range] settings.limits.max_depth: expected a "
        "value at most 200 (got '100000')" in result.stdout
    )


def test_file_text_is_shown_as_text_never_run(tracker: Path, run: Run) -> None:
    project = tracker / "projects" / "hh-spread.yaml"
    project.write_text(
        project.read_text()
        .replace(
            "title: Hand hygiene everywhere",
            r'title: "Hand \e]0;pwned\a\e[2J[bold red]everywhere[/]"',
        )
        .replace(
            "    health: off-track   # staffing crisis",
            "    health: off-track   # staffing crisis\n"
            r'    note: "[link=http://x]click[/link] \e[31mred\u202e"',
        )
    )
    org = tracker / "organisation.yaml"
    org.write_text(org.read_text().replace("region: South}", r'region: "South\e[5m[blink]"}'))
    practice = tracker / "practices" / "hand-hygiene.yaml"
    practice.write_text(practice.read_text() + '"bad\\e[31m\\nkey": 1\n')
    outputs = {
        "status": run("status", "--as-of", "2026-04-01", "--group", "region", cwd=tracker),
        "show": run("show", "hh-spread", "--as-of", "2026-04-01", cwd=tracker),
        "validate": run("validate", cwd=tracker),
    }
    for command, result in outputs.items():
        text = result.stdout + result.stderr
        assert "\x1b" not in text and "\u202e" not in text, command
        assert "Traceback" not in text, command
    assert "South\\x1b[5m[blink]" in outputs["status"].stdout
    show = outputs["show"].stdout
    assert "hh-spread: Hand \\x1b]0;pwned\\x07\\x1b[2J[bold red]everywhere[/]" in show
    assert "[link=http://x]click[/link]" in show.replace("\n", "")
    assert (
        "practices/hand-hygiene.yaml:21:1: error[unknown-field] bad\\x1b[31m\\nkey: unknown "
        "field 'bad\\x1b[31m\\nkey'" in outputs["validate"].stdout
    )


UNSAFE = re.compile(
    r"shell\s*=\s*True|\bos\.(?:system|popen|exec\w*)\(|\b(?:eval|exec)\(|\bpickle\b|\bmarshal\b"
    r"|\b(?:Full|Unsafe)?Loader\b(?!\s*=)|\b(?:unsafe|full)_load\b|yaml\.load\((?![^)]*Loader=)"
)


def test_no_code_runs_a_shell_or_loads_unsafely() -> None:
    # File content reaches git only through argument lists (repo/runner.py), never a shell, and
    # YAML is only ever read with the safe loaders.
    found = [
        f"{path.relative_to(REPO_ROOT)}:{number}: {line.strip()}"
        for path in sorted((REPO_ROOT / "diffuse").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if UNSAFE.search(line)
    ]
    assert found == []
