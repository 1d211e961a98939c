"""`validate` and `status` read their arguments without Typer only where Typer would read
them the same way (`diffuse.cli.quick`): the program prints and exits as the app does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from conftest import REPO_ROOT, Run

from diffuse.cli import app, quick

DAY = ["--as-of", "2026-11-22"]


def _program(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> Any:
    return subprocess.run(
        [sys.executable, "-m", "diffuse", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
    )


def _params(name: str) -> list[Any]:
    group = typer.main.get_command(app)
    ctx = group.make_context("diffuse", ["--help"], resilient_parsing=True)
    command = group.get_command(ctx, name)
    assert command is not None
    return [p for p in command.params if p.name != "help"]


@pytest.mark.parametrize("name", sorted(quick.OPTIONS))
def test_the_table_holds_every_option_typer_reads_and_no_other(name: str) -> None:
    # An option added to the command but not to the table would reach the command's body
    # with no value; one left in the table after it is gone would be read by the program.
    table = dict(quick.OPTIONS[name])
    for param in _params(name):
        if isinstance(param, typer.core.TyperArgument):
            assert quick.ARGUMENTS.get(name) == param.name
            continue
        assert param.opts[0] in table, param.opts
        assert not param.secondary_opts
        key, kind = table.pop(param.opts[0])
        assert key == param.name
        choices = getattr(param.type, "choices", None)
        if choices is not None:
            assert kind == frozenset(choices)
        elif param.is_flag:
            assert kind == quick.FLAG
        elif param.multiple:
            assert kind == quick.MANY
        elif type(param.type).__name__ == "IntRange":
            assert (kind, param.type.min, param.type.max) == (quick.COUNT, 0, None)
        elif type(param.type).__name__ == "TyperPath":
            assert kind == quick.PATH
        else:
            assert kind == quick.TEXT
        assert quick.ENVVARS.get(key) == param.envvar
    assert table == {}


DEMO_ARGS = [
    ["status", *DAY],
    ["status", "--as-of=2026-11-22", "--format", "csv", "--limit", "2", "--sort", "health"],
    ["status", *DAY, "--practice", "bcma", "--practice", "nosuch", "--all", "--format", "json"],
    ["status", *DAY, "--group", "site", "--limit=0", "--format", "markdown", "--health", "at-risk"],
    ["status", *DAY, "--sort", "days", "--sort", "live", "--phase", "sustain", "--site", "metro"],
    ["status", "--as-of", "20261122", "--format", "json"],  # Python's ISO form without dashes
    ["status", "--as-of", "2026-02-30"],
    ["status", "--as-of", "1000-01-01"],
    ["status", *DAY, "--limit", "-1"],
    ["status", *DAY, "--limit", "+3"],
    ["status", *DAY, "--limit", "three"],
    ["status", *DAY, "--format", "JSON"],
    ["status", *DAY, "--format"],
    ["status", *DAY, "--all=yes"],
    ["status", *DAY, "--practice", ""],
    ["status", *DAY, "--practice", "-x"],
    ["status", *DAY, "--site", "Ålesund"],
    ["status", *DAY, "extra"],
    ["status", *DAY, "--", "--all"],
    ["status", *DAY, "--statu"],
    ["validate", *DAY],
    ["validate", *DAY, "--format", "github"],
    ["validate", "projects", "--format=junit", *DAY],
    ["validate", *DAY, "projects/bcma-rollout.yaml", "practices", "--format", "json"],
    ["validate", *DAY, "nosuch.yaml"],
    ["validate", *DAY, "--root", "nosuch-folder"],
    ["validate", *DAY, "--root", "organisation.yaml"],
    ["validate", *DAY, "-"],
]


@pytest.mark.parametrize("args", DEMO_ARGS, ids=" ".join)
def test_the_program_reads_arguments_as_the_app_does(
    run: Run, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO_ROOT)
    expected = run(*args)
    done = _program(args, REPO_ROOT)
    assert (done.returncode, done.stdout, done.stderr) == (
        expected.exit_code,
        _named(expected.stdout),
        _named(expected.stderr),
    )


def _named(text: str) -> str:
    # The test runner names the program `root` in usage and help.
    return text.replace("Usage: root ", "Usage: diffuse ").replace("'root ", "'diffuse ")


@pytest.mark.parametrize(
    "args", [["validate", *DAY], ["status", *DAY], ["status", *DAY, "--format", "json"]]
)
def test_a_broken_tracker_is_reported_as_the_app_reports_it(
    tracker: Path, run: Run, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tracker)
    (tracker / "projects" / "broken.yaml").write_text("id: broken\nphase: [\n", encoding="utf-8")
    (tracker / "projects" / "odd.yaml").write_text("id: odd\nnosuch: 1\n", encoding="utf-8")
    expected = run(*args)
    done = _program(args, tracker)
    assert expected.exit_code == 1
    assert (done.returncode, done.stdout, done.stderr) == (
        expected.exit_code,
        expected.stdout,
        expected.stderr,
    )


def test_the_tracker_named_by_diffuse_root_is_read(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    env = {"DIFFUSE_ROOT": str(REPO_ROOT)}
    for args in (["status", *DAY, "--limit", "3"], ["validate", *DAY]):
        expected = run(*args, env=env)
        done = _program(args, tmp_path, env)
        assert expected.exit_code == 0
        assert (done.returncode, done.stdout) == (expected.exit_code, expected.stdout)
    # An empty DIFFUSE_ROOT is no folder: the tracker is looked for around the working one.
    done = _program(["validate", *DAY], tmp_path, {"DIFFUSE_ROOT": ""})
    expected = run("validate", *DAY, env={"DIFFUSE_ROOT": ""})
    assert (done.returncode, done.stderr) == (expected.exit_code, expected.stderr)


def _loads_typer(args: list[str]) -> bool:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "diffuse", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    return any(line.split("|")[-1].strip() == "typer" for line in done.stderr.splitlines())


def test_only_what_the_program_reads_itself_runs_without_typer() -> None:
    assert not _loads_typer(["status", *DAY, "--format", "csv"])
    assert not _loads_typer(["validate", *DAY, "projects"])
    assert _loads_typer(["status", *DAY, "--format", "JSON"])
    assert _loads_typer(["validate", "--help"])


def test_arguments_typer_would_read_differently_are_left_to_it() -> None:
    options = quick.OPTIONS["status"]
    assert quick.arguments(["--limit", "3", "--all"], options, False) == (
        {"limit": 3, "all_projects": True},
        [],
    )
    for args in (["--limit", "٣"], ["--all", "--help"], ["--group", "Site"], ["x"], ["--root="]):
        assert quick.arguments(args, options, False) is None, args
