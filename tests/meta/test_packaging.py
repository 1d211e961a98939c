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
    pages = sorted((REPO_ROOT / "docs").glob("*.md"))
    for path in [REPO_ROOT / n for n in ("README.md", ".pre-commit-hooks.yaml", "action.yml")]:
        text = path.read_text()
        assert not re.search(r"@v\d|rev: v\d", text), path.name
    for path in pages:
        # Actions in the docs are pinned by commit, with their version in a comment.
        text = re.sub(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+", "", path.read_text())
        assert not re.search(r"@v\d|rev: v\d", text), path.name


def test_the_sdist_carries_what_the_tests_read() -> None:
    # Checked for real by building one (python -m build --sdist) and running its tests;
    # here, that MANIFEST.in still names everything the tests read outside diffuse/.
    words = (REPO_ROOT / "MANIFEST.in").read_text().split()
    for needed in ("tests", "practices", "projects", ".github", "docs"):
        assert needed in words[words.index("graft") :], needed
    for needed in (
        "organisation.yaml",
        "action.yml",
        ".pre-commit-hooks.yaml",
        ".ci/constraints.txt",
        "mkdocs.yml",
    ):
        assert needed in words, needed
