"""What a check compares and what it found: the values `check` and `signoff` share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from diffuse.errors import Level, Location, Problem
from diffuse.files.loading import Document, model_from_bytes
from diffuse.layout import ORGANISATION_FILE, PRACTICES_DIR, PROJECTS_DIR, resolved
from diffuse.models import Organisation, Practice, Project
from diffuse.rules import lifecycle as lc
from diffuse.rules.tracker.model import Tracker

M = TypeVar("M", bound=BaseModel)


@dataclass
class StateChange:
    kind: str  # practice, project or organisation
    item: str
    path: Path
    what: str
    ok: bool = True


@dataclass(frozen=True)
class CheckRequest:
    base: str | None = None
    verify_signoff: bool = False
    full: bool = False  # with a base, still read every file in full


@dataclass
class CheckReport:
    root: Path
    files: int
    findings: list[Problem] = field(default_factory=list)
    changes: list[StateChange] = field(default_factory=list)
    base: str | None = None
    base_commit: str | None = None
    toplevel: Path | None = None
    verified: bool = False

    @property
    def errors(self) -> list[Problem]:
        return [f for f in self.findings if f.level is Level.ERROR]

    @property
    def passed(self) -> bool:
        return not self.errors


@dataclass
class Context:
    """Both ends of the comparison: the tracker on disk and the files at the base."""

    root: Path
    top: Path
    catalog: Tracker
    old_files: dict[str, bytes]
    report: CheckReport
    docs: dict[Path, Document] = field(default_factory=dict)
    commits: list[Any] | None = None  # base..HEAD, read once when a rule needs it
    signatures: dict[str, Any] | None = None  # of those commits, read once when needed
    repo: Any = None  # the git repository, when comparing with a base

    def rel(self, path: Path) -> str:
        return resolved(path).relative_to(self.top).as_posix()

    def old(self, path: Path, model: type[M]) -> M | None:
        raw = self.old_files.get(self.rel(path))
        return None if raw is None else model_from_bytes(path, raw, model)

    def kind(self, path: Path) -> type[Practice] | type[Project] | None:
        """The record a file under the tracker holds, by its folder: what the catalog reads."""
        folder = path.parent.resolve()
        if folder == (self.root / PRACTICES_DIR).resolve():
            return Practice
        return Project if folder == (self.root / PROJECTS_DIR).resolve() else None

    def current(self, kind: str, path: Path) -> Any:
        """The practice or project in `path` as `validate` read it; None when the file is
        gone, failed validation, or is not the one the catalog took for its id."""
        items: Mapping[str, Any] = (
            self.catalog.practices if kind == "practice" else self.catalog.projects
        )
        item = items.get(path.stem)
        source = self.catalog.sources.get(f"{kind}/{path.stem}")
        return item if source is not None and resolved(source.path) == resolved(path) else None

    def at(self, path: Path, loc: lc.Loc) -> Location:
        doc = self.docs.get(resolved(path))
        return doc.locate(loc) if doc is not None else Location(path)

    def add(self, path: Path, gap: lc.Gap) -> None:
        finding = Problem(self.at(path, gap.loc), gap.rule, gap.message, fix=gap.fix)
        self.report.findings.append(finding)

    @cached_property
    def old_org(self) -> Organisation | None:
        return self.old(self.root / ORGANISATION_FILE, Organisation)
