"""What every editing command shares: --dry-run, --commit, --by and --date, and its result.

Each command builds a `change(text) -> text` of surgical edits (`yamledit`); this runs it
through `edit_file` (validated, atomic, under a lock, untouched on refusal), shows the
changed lines when nothing is written, and commits just that file when asked.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import BaseModel

from diffuse.errors import DiffuseError
from diffuse.layout import relative
from diffuse.models.project import Project
from diffuse.rules.load import Loaded, load_tracker

Change = Callable[[str], str]


@dataclass(frozen=True)
class EditOptions:
    """The options every editing command takes."""

    on: date
    by: str | None = None
    dry_run: bool = False
    commit: bool = False


@dataclass
class EditResult:
    summary: str
    path: Path
    dry_run: bool = False
    diff: list[str] = field(default_factory=list)
    commit: str | None = None

    def lines(self) -> list[str]:
        if self.dry_run:
            shown = relative(self.path)
            return [
                f"{self.summary} (dry run: {shown} was not changed)",
                *(f"  {line}" for line in self.diff),
            ]
        return [self.summary + (f"; committed {self.commit}" if self.commit else "")]


def load(root: Path, options: EditOptions) -> Loaded:
    """The tracker, refusing early when --commit cannot work (no git repository, or a
    lock file of git's in the way)."""
    if options.commit and not options.dry_run:
        from diffuse.repo import open_for_commit

        open_for_commit(root)
    return load_tracker(root)


def apply(
    root: Path,
    path: Path,
    change: Change,
    summary: str,
    options: EditOptions,
    model: type[BaseModel] = Project,
    message: str | None = None,
) -> EditResult:
    """Make the edit (or, with --dry-run, only check it) and commit it when asked."""
    from diffuse.edits.editing import edit_file

    before, after = edit_file(path, change, model, dry_run=options.dry_run, today=options.on)
    if before == after:
        raise DiffuseError(f"{summary}: already so; {relative(path)} was not changed")
    result = EditResult(summary, path, options.dry_run)
    if options.dry_run:
        result.diff = diff_lines(before, after)
    elif options.commit:
        from diffuse.repo import commit_files, open_repo

        result.commit = commit_files(open_repo(root), [path], message or summary)
    return result


def diff_lines(before: str, after: str) -> list[str]:
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in lines if not line.startswith(("---", "+++"))]


def project_path(loaded: Loaded, project_id: str) -> tuple[Project, Path]:
    from diffuse.rules.load import find_project

    project = find_project(loaded, project_id)
    return project, loaded.catalog.document("project", project.id).path


def choice(option: str, value: str, allowed: list[str]) -> str:
    if value not in allowed:
        raise DiffuseError(f"{option}: '{value}' is not one of: {', '.join(allowed)}")
    return value


def person(loaded: Loaded, option: str, value: str) -> str:
    if loaded.org.person(value) is None:
        known = ", ".join(p.id for p in loaded.org.people) or "none"
        raise DiffuseError(f"{option}: no person '{value}' in organisation.yaml; known: {known}")
    return value


def site(loaded: Loaded, value: str) -> str:
    if loaded.org.site(value) is None:
        known = ", ".join(s.id for s in loaded.org.sites)
        raise DiffuseError(f"no site '{value}' in the organisation; known: {known}")
    return value
