"""`diffuse validate`: every problem in every file, in one pass."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from diffuse.catalog import load_catalog, relative
from diffuse.errors import DiffuseError, Level, Location, Problem


@dataclass
class ValidationReport:
    problems: list[Problem]
    files: int

    @property
    def errors(self) -> int:
        return sum(p.level is Level.ERROR for p in self.problems)


def validate_tracker(root: Path, paths: list[Path]) -> ValidationReport:
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise DiffuseError(f"no such file or folder: {', '.join(missing)}")
    catalog = load_catalog(root)
    selected = [p.resolve() for p in paths]
    documents = [d.path for d in catalog.documents if _within(d.path, selected)]
    problems = [_shown(p) for p in catalog.all_problems() if _within(p.location.path, selected)]
    return ValidationReport(problems, len(documents))


def _within(path: Path, selected: list[Path]) -> bool:
    if not selected:
        return True
    resolved = path.resolve()
    return any(resolved == s or s in resolved.parents for s in selected)


def _shown(problem: Problem) -> Problem:
    loc = problem.location
    return Problem(
        Location(relative(loc.path), loc.line, loc.col),
        problem.code,
        problem.message,
        problem.level,
    )
