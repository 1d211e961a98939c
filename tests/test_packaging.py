"""One version, and install instructions that work without a release."""

from __future__ import annotations

import re
import tomllib

from conftest import REPO_ROOT, Run

import diffuse


def test_the_version_is_pyprojects(run: Run) -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert diffuse.__version__ == project["version"]
    assert run("--version").stdout == f"diffuse {project['version']}\n"


def test_docs_name_no_tag_that_does_not_exist() -> None:
    # No release is tagged: the docs install from a commit, and pin hooks to one.
    for name in ("README.md", ".pre-commit-hooks.yaml", "action.yml"):
        text = (REPO_ROOT / name).read_text()
        assert not re.search(r"@v\d|rev: v\d", text), name
