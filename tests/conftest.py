"""Shared fixtures: a small real tracker on disk, a git identity that ignores the user's
config, and a CLI runner with a fixed terminal width.

The tests mirror the package:

- `unit/<subpackage>/`: tests that call the library (`unit/files/`, `unit/rules/`,
  `unit/reports/status/`, ...);
- `cli/`: tests through the command line, as a user runs it;
- `hostile/`: attacks and hostile inputs (forged approvals, gate attacks, hostile files,
  fuzzing, killed writers, formulas in CSV);
- `meta/`: the project as a whole (its layers, packaging, release, README, workflows);
- `fixtures/` (the small tracker, the hostile corpus) and `data/` (labelled and
  reference data) hold what the tests read;
- this folder holds this file and the shared helpers, importable from every test
  (`from conftest import ...`, `from editing import ...`): `editing`, `hostile_corpus`,
  `prflow`, `lifecycle`, `browser`, `phi_labelled`, `spcref` and `readme_help`.

A test file's name is unique across the folders (they are not packages).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diffuse.cli import app

TESTS = Path(__file__).parent  # helpers here; data in data/ and fixtures/
FIXTURE = TESTS / "fixtures" / "tracker"
REPO_ROOT = TESTS.parent


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.stdout.splitlines()]


Run = Callable[..., Result]


@pytest.fixture(autouse=True)
def _isolated_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # Tests never see the developer's git config, terminal, colour settings or timezone.
    empty = tmp_path_factory.mktemp("gitconfig") / "config"
    empty.write_text("")
    for name in ("GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM"):
        monkeypatch.setenv(name, str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("DIFFUSE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    for name in (
        "NO_COLOR",
        "FORCE_COLOR",
        "CLICOLOR_FORCE",
        "PAGER",
        "DIFFUSE_ROOT",
        "GITHUB_ACTIONS",
        "DIFFUSE_NO_CACHE",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    """A copy of the small test tracker: four sites, one practice, one project in 'plan'."""
    root = tmp_path / "tracker"
    shutil.copytree(FIXTURE, root)
    return root


@pytest.fixture
def run() -> Run:
    def invoke(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Result:
        runner = CliRunner()
        argv = list(args)
        if cwd is not None:
            argv += ["--root", str(cwd)] if _takes_root(argv) else []
        result = runner.invoke(app, argv, env=env, catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr)

    return invoke


def _takes_root(argv: list[str]) -> bool:
    return bool(argv) and argv[0] not in ("init",) and "--root" not in argv


def git(repo: Path, *args: str, author: str = "Ada Chair", email: str = "ada@example.org") -> str:
    env = {
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": author,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
        "PATH": "/usr/bin:/bin",
        "HOME": str(repo),
    }
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


@pytest.fixture
def git_tracker(tracker: Path) -> Path:
    """The test tracker as a git repository with one commit and a fixed identity."""
    git(tracker, "init", "-q", "-b", "main")
    git(tracker, "config", "user.name", "Ada Chair")
    git(tracker, "config", "user.email", "ada@example.org")
    git(tracker, "add", "-A")
    git(tracker, "commit", "-q", "-m", "Start tracker")
    return tracker
