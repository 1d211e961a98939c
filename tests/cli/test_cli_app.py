"""The command table `diffuse --help` shows without importing commands stays true."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from conftest import Run

from diffuse.cli import COMMANDS, app


def test_every_listed_command_exists_with_the_listed_summary() -> None:
    group = typer.main.get_command(app)
    ctx = group.make_context("diffuse", ["--help"], resilient_parsing=True)
    for name, (_, summary) in COMMANDS.items():
        command = group.get_command(ctx, name)
        assert command is not None, name
        assert (command.help or "").strip().splitlines()[0] == summary, name


def test_help_imports_no_command_module() -> None:
    code = (
        "import sys; from diffuse.cli import main; sys.argv = ['diffuse', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = [m for m in sys.modules if m.startswith('diffuse.') and m not in "
        "('diffuse.cli', 'diffuse.cli.app', 'diffuse.cli.bare', 'diffuse.cli.early', "
        "'diffuse.errors')]\n"
        "print('LOADED', sorted(loaded))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "LOADED []" in out.stdout


def test_validate_loads_only_what_plain_text_needs(tracker: Path) -> None:
    # Rich's console, git, Jinja2 and the worker processes are each slow to import, and
    # validating a small tracker to plain text needs none of them.
    code = (
        "import sys; from diffuse.cli import main; sys.argv = ['diffuse', 'validate']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('rich.console', 'git', 'jinja2', 'multiprocessing', 'xml.etree')\n"
        "print('LOADED', sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tracker, capture_output=True, text=True, check=True
    )
    assert "ok:" in out.stdout
    assert "LOADED []" in out.stdout


def test_every_command_that_prints_json_has_a_schema() -> None:
    # Read from the app, so a new command with `--format json` cannot be left without the
    # schema `diffuse schema --output` writes and the JSON contract test checks.
    from readme_help import COMMANDS as EVERY

    from diffuse.reports.outputs import OUTPUTS

    root = typer.main.get_command(app)
    missing = []
    for path in EVERY[1:]:
        command, ctx = root, root.make_context("diffuse", ["--help"], resilient_parsing=True)
        for name in path:
            command = command.get_command(ctx, name)
            ctx = command.make_context(name, ["--help"], parent=ctx, resilient_parsing=True)
        formats = [p for p in command.params if "--format" in getattr(p, "opts", ())]
        offers_json = formats and "json" in getattr(formats[0].type, "choices", ())
        if offers_json and " ".join(path) not in OUTPUTS and path[0] not in OUTPUTS:
            missing.append(" ".join(path))
    assert missing == []


def test_a_command_made_alone_is_the_one_the_whole_app_makes() -> None:
    """Running a command builds it alone; its options, arguments and help are the same as
    when every command of the app is built."""
    from diffuse.cli import _one_command
    from diffuse.cli.app import app as registry

    group = typer.main.get_command(app)
    ctx = group.make_context("diffuse", ["--help"], resilient_parsing=True)
    for name in COMMANDS:
        group.get_command(ctx, name)  # imports the module that registers it
    whole: Any = typer.main.get_command(registry)
    alone_made = 0
    for name in COMMANDS:
        alone = _one_command(name)
        if alone is None:
            continue  # a group of commands, made with the whole app
        alone_made += 1
        expected = whole.get_command(ctx, name)
        assert expected is not None, name
        assert _described(alone) == _described(expected), name
        assert alone.get_help(ctx) == expected.get_help(ctx), name
    assert alone_made >= 20


def _described(command: Any) -> tuple[Any, ...]:
    params = [
        (p.name, p.opts, p.secondary_opts, p.required, repr(p.default), getattr(p, "help", None))
        for p in command.params
    ]
    return command.name, command.help, command.hidden, params


@pytest.mark.parametrize(
    "args",
    [
        ["status", "--as-of", "2026-11-22", "--format", "json"],
        ["validate", "--format", "json"],
        ["show", "nosuch-project"],
        ["validate", "--format", "nosuch"],
    ],
)
def test_the_program_prints_and_exits_as_the_app_does(
    tracker: Path, run: Run, args: list[str]
) -> None:
    # The program ends read-only commands without tearing the interpreter down: what it
    # printed must still all be there, and its exit code the app's.
    (tracker / "projects" / "broken.yaml").write_text("id: broken\nphase: [\n", encoding="utf-8")
    expected = run(*args, cwd=tracker)
    done = subprocess.run(
        [sys.executable, "-m", "diffuse", *args, "--root", str(tracker)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == expected.exit_code
    assert done.stdout == expected.stdout
    assert done.stderr.strip().splitlines()[-1:] == expected.stderr.strip().splitlines()[-1:]


@pytest.mark.parametrize("args", [["validate"], ["status", "--as-of", "2026-11-22"]])
def test_a_first_run_without_the_cache_loads_no_json(tracker: Path, args: list[str]) -> None:
    # Text output with the cache turned off reads and writes no JSON.
    code = (
        f"import sys; from diffuse.cli import main; sys.argv = ['diffuse', *{args!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('LOADED', 'json' in sys.modules)"
    )
    env = {**os.environ, "DIFFUSE_NO_CACHE": "1", "COLUMNS": "200"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tracker, env=env, capture_output=True, text=True
    )
    assert out.stdout.splitlines()[-1] == "LOADED False"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["validate"], ["status", "--as-of", "2026-11-22"]])
def test_a_full_disk_is_reported_as_the_machines_error_not_a_bug(
    tracker: Path, args: list[str]
) -> None:
    with open("/dev/full", "w", encoding="utf-8") as full:
        done = subprocess.run(
            [sys.executable, "-m", "diffuse", *args, "--root", str(tracker)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert done.returncode == 1
    assert "bug" not in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1
