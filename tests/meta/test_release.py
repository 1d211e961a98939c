"""The release: a changelog whose section becomes the release notes, and a workflow that
builds, checks and publishes with trusted publishing on a version tag."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from conftest import REPO_ROOT

from diffuse import __version__

NOTES = REPO_ROOT / ".ci" / "release_notes.py"
RELEASE = REPO_ROOT / ".github" / "workflows" / "release.yml"

CHANGELOG = """\
# Changelog

## [Unreleased]

### Added

- remind

## [0.2.0] - 2027-01-04

### Added

- intake by issue form

### Output contracts

- `remind --format json` has `schema_version` 1

## [0.1.0] - 2026-12-01

- first

[0.2.0]: https://github.com/diffuse-tracker/diffuse/releases/tag/v0.2.0
"""


def _notes(tmp_path: Path, version: str, text: str = CHANGELOG) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "CHANGELOG.md"
    path.write_text(text)
    return subprocess.run(
        [sys.executable, str(NOTES), version, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_notes_are_the_versions_section_alone(tmp_path: Path) -> None:
    done = _notes(tmp_path, "v0.2.0")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "### Added\n\n- intake by issue form\n\n### Output contracts\n\n"
        "- `remind --format json` has `schema_version` 1\n"
    )
    assert _notes(tmp_path, "0.1.0").stdout == "- first\n"


def test_a_version_without_notes_cannot_be_released(tmp_path: Path) -> None:
    done = _notes(tmp_path, "0.3.0")
    assert done.returncode == 1
    assert "no notes under '## [0.3.0]'" in done.stderr
    empty = CHANGELOG.replace("- first\n", "")
    assert _notes(tmp_path, "0.1.0", empty).returncode == 1


def test_the_changelog_has_an_unreleased_section_with_output_contracts() -> None:
    text = (REPO_ROOT / "CHANGELOG.md").read_text()
    assert text.startswith("# Changelog\n")
    assert "\n## [Unreleased]\n" in text
    unreleased = text.split("\n## [Unreleased]\n", 1)[1].split("\n## [", 1)[0]
    assert "\n### Added\n" in unreleased
    assert "\n### Output contracts\n" in unreleased
    # Not released yet: no section claims the current version.
    assert f"## [{__version__}]" not in text


def test_the_release_workflow_publishes_with_trusted_publishing_only_where_needed() -> None:
    flow = yaml.safe_load(RELEASE.read_text())
    assert flow[True] == {"push": {"tags": ["v*"]}}  # `on:` reads as True
    assert flow["permissions"] == {"contents": "read"}
    jobs = flow["jobs"]
    holders = [name for name, job in jobs.items() if "id-token" in job.get("permissions", {})]
    assert holders == ["publish"]
    assert jobs["publish"]["permissions"] == {"id-token": "write"}
    assert jobs["publish"]["environment"]["name"] == "pypi"
    uses = [step.get("uses", "") for step in jobs["publish"]["steps"]]
    assert any(use.startswith("pypa/gh-action-pypi-publish@") for use in uses)
    build = "\n".join(step.get("run", "") for step in jobs["build"]["steps"])
    assert "python -m build" in build
    assert "twine check --strict dist/*" in build
    assert ".ci/release_notes.py" in build  # a tag without notes fails before publishing
    release = "\n".join(step.get("run", "") for step in jobs["github-release"]["steps"])
    assert "gh release create" in release and "--notes-file" in release
    assert jobs["github-release"]["permissions"] == {"contents": "write"}
