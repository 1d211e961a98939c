"""The contract behind the per-project cache and the partial `check --base`: a project's
own checks (`rules.load.project_checks`) read its file, the organisation and the practices,
and never another project.

Its problems are kept in the file cache keyed by the project's bytes, the organisation and
the practices, and `check --base` reads only the projects a change can affect; a rule that
looked at another project would be served stale by the one and miss a change in the other.
Each check runs here on a tracker whose other projects raise when anything about them is
touched, and a rule that reads another project is shown to fail it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO_ROOT

from diffuse.errors import Problem
from diffuse.models import Project
from diffuse.rules import load
from diffuse.rules.tracker.model import Tracker


class OtherProjectRead(AssertionError):
    pass


class Guarded(dict[str, Any]):
    """A mapping whose keys `allowed` refuses raise when read, listed or tested for."""

    def __init__(self, items: dict[str, Any], allowed: Callable[[str], bool]) -> None:
        super().__init__(items)
        self.allowed = allowed

    def _guard(self, key: object) -> None:
        if not self.allowed(str(key)):
            raise OtherProjectRead(f"a per-project check read {key!r}")

    def __getitem__(self, key: str) -> Any:
        self._guard(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self._guard(key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self._guard(key)
        return super().__contains__(key)

    def __iter__(self) -> Iterator[str]:
        raise OtherProjectRead("a per-project check listed the projects")

    def keys(self) -> Any:
        raise OtherProjectRead("a per-project check listed the projects")

    def values(self) -> Any:
        raise OtherProjectRead("a per-project check listed the projects")

    def items(self) -> Any:
        raise OtherProjectRead("a per-project check listed the projects")

    def __len__(self) -> int:
        raise OtherProjectRead("a per-project check counted the projects")


class Untouchable:
    """Stands for what only holds projects: any use of it raises."""

    def __getattr__(self, name: str) -> Any:
        raise OtherProjectRead(f"a per-project check used the projects ({name})")

    def __iter__(self) -> Iterator[Any]:
        raise OtherProjectRead("a per-project check listed the projects or the files")

    def __len__(self) -> int:
        raise OtherProjectRead("a per-project check counted the projects or the files")

    def __contains__(self, key: object) -> bool:
        raise OtherProjectRead("a per-project check looked among the projects")

    def __getitem__(self, key: object) -> Any:
        raise OtherProjectRead("a per-project check looked among the projects")


def alone(catalog: Tracker, project_id: str) -> Tracker:
    """The tracker as one project's checks may see it: the organisation, the practices and
    the project's own file; every other project, and everything kept per project, raises."""
    mine = f"project/{project_id}"

    def not_another_project(key: str) -> bool:
        return not key.startswith("project/") or key == mine

    fields: dict[str, Any] = {
        "sources": Guarded(catalog.sources, not_another_project),
        "broken": Guarded(catalog.broken, not_another_project),
        "partial": Guarded(catalog.partial, not_another_project),
        "memo": dict(catalog.memo),
        # The project's own dates, found as its file was read: its entry alone.
        "spans": Guarded(catalog.spans, lambda key: key == project_id),
    }
    per_project = ("projects", "documents", "practice_of", "phase_of", "phases_named")
    fields |= {name: Untouchable() for name in (*per_project, "checked", "cache")}
    return dataclasses.replace(catalog, **fields)


def checked_alone(root: Path) -> dict[str, list[Problem]]:
    catalog = load.load_catalog(root)
    assert len(catalog.projects) > 1
    found = {}
    for project_id in catalog.projects:
        project = catalog.projects[project_id]
        found[project_id] = load.project_checks(alone(catalog, project_id), project)
        assert found[project_id] == load.project_checks(catalog, project)
    return found


@pytest.fixture
def demo_with_problems(tmp_path: Path) -> Path:
    """The demo, with problems a per-project check finds, so its rules all have work."""
    import shutil

    root = tmp_path / "demo"
    root.mkdir()
    shutil.copy(REPO_ROOT / "organisation.yaml", root)
    shutil.copytree(REPO_ROOT / "practices", root / "practices")
    shutil.copytree(REPO_ROOT / "projects", root / "projects")
    project = root / "projects" / "readmissions-rollout.yaml"
    text = project.read_text().replace("practice-owner: [marcus-bell]", "practice-owner: [nobody]")
    project.write_text(text.replace("phase: execute", "phase: close", 1))
    return root


def test_every_per_project_check_reads_no_other_project(demo_with_problems: Path) -> None:
    found = checked_alone(demo_with_problems)
    codes = {p.code for p in found["readmissions-rollout"]}
    assert {"unknown-reference", "history-mismatch"} <= codes


def test_a_rule_that_reads_another_project_breaks_the_contract(
    demo_with_problems: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = load.project_problems

    def same_title_elsewhere(catalog: Tracker, project: Project) -> list[Problem]:
        others = [p for p in catalog.projects.values() if p.id != project.id]
        clash = [p for p in others if p.title == project.title]
        return rules(catalog, project) + [
            Problem(catalog.document("project", project.id).locate(("title",)), "same-title", "")
            for _ in clash
        ]

    monkeypatch.setattr(load, "project_problems", same_title_elsewhere)
    with pytest.raises(OtherProjectRead):
        checked_alone(demo_with_problems)


def test_a_rule_that_looks_up_another_projects_file_breaks_the_contract(
    demo_with_problems: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = load.project_problems

    def sibling_file(catalog: Tracker, project: Project) -> list[Problem]:
        catalog.sources.get("project/bcma-rollout")
        return rules(catalog, project)

    monkeypatch.setattr(load, "project_problems", sibling_file)
    with pytest.raises(OtherProjectRead):
        checked_alone(demo_with_problems)
