"""`diffuse validate`: every problem in every file, in one pass."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from diffuse.errors import DiffuseError, Level, Location, Problem
from diffuse.layout import relative

if TYPE_CHECKING:
    from diffuse.rules.catalog import Catalog


@dataclass
class ValidationReport:
    problems: list[Problem]
    files: int
    paths: list[Path] = field(default_factory=list)  # the files checked, as shown

    @property
    def errors(self) -> int:
        return sum(p.level is Level.ERROR for p in self.problems)


def validate_tracker(
    root: Path, paths: list[Path], catalog: Catalog | None = None
) -> ValidationReport:
    """Every problem in the files under `paths` (all when empty); `catalog`, when the caller
    has already loaded the tracker, saves reading it again."""
    check_paths(paths)
    if catalog is None:
        # Imported here: a report kept from an earlier run (`reports.problems`) needs none
        # of pydantic and PyYAML.
        from diffuse.rules.load import load_catalog

        catalog = load_catalog(root, keep_models=False)
    return select(paths, catalog.all_problems(), [d.path for d in catalog.documents])


def check_paths(paths: list[Path]) -> None:
    missing = [str(p) for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        raise DiffuseError(f"no such file or folder: {', '.join(missing)}")


def select(paths: list[Path], problems: Sequence[Problem], files: list[Path]) -> ValidationReport:
    """The report on the files under `paths` (all when empty), from every problem of the
    tracker, in order, and every file read."""
    places = _Places([p.resolve() if p.is_dir() else _real(p) for p in paths])
    documents = [path for path in files if places.within(path)]
    found = [places.shown(p) for p in problems if places.within(p.location.path)]
    here, folders = Path.cwd().resolve(), dict[Path, str | None]()
    shown = [Path(_one_line(_relative(path, here, folders))) for path in documents]
    return ValidationReport(found, len(documents), shown)


def _relative(path: Path, here: Path, folders: dict[Path, str | None]) -> str:
    # As `relative` shows it (the folder resolved, the name kept), each folder worked out once.
    if path.parent not in folders:
        real = path.parent.resolve()
        inside = real.is_relative_to(here)
        folders[path.parent] = f"{real.relative_to(here)}/".removeprefix("./") if inside else None
    prefix = folders[path.parent]
    return str(path) if prefix is None else prefix + path.name


def _real(path: Path) -> Path:
    # The folder is resolved, not the name: a link is selected and shown as itself.
    return path.parent.resolve() / path.name


class _Places:
    """Which paths were asked for, and how each is shown; worked out once per file, as a
    file with thousands of problems would otherwise resolve its path thousands of times."""

    def __init__(self, selected: list[Path]) -> None:
        self.selected = selected
        self._within: dict[Path, bool] = {}
        self._shown: dict[Path, Path] = {}

    def within(self, path: Path) -> bool:
        if not self.selected:
            return True
        if path not in self._within:
            real = _real(path)
            self._within[path] = any(real == s or s in real.parents for s in self.selected)
        return self._within[path]

    def shown(self, problem: Problem) -> Problem:
        # One problem is one line: a line break in a file name or a value must not start a
        # second, made-up problem line in CI logs.
        loc = problem.location
        if loc.path not in self._shown:
            self._shown[loc.path] = Path(_one_line(str(relative(loc.path))))
        return Problem(
            Location(self._shown[loc.path], loc.line, loc.col),
            problem.code,
            _one_line(problem.message),
            problem.level,
            problem.fix,
        )


def _one_line(text: str) -> str:
    return text.replace("\n", "\\n").replace("\r", "\\r")
