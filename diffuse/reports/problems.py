"""`validate`'s report, kept in the result cache: a tracker whose files did not change
since the last run has the same problems, found without pydantic or PyYAML.

The entry is keyed by every tracker file's bytes and where the tracker is
(`results.look`), and written only when the reading saw those very bytes; it holds
every problem, the days they hold on (`cache.days`) and every file read, named from
the tracker's folder, and the files asked for are picked from them as `validate_tracker`
picks them. After a change the tracker is read again, mostly from the file cache.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from diffuse import gcpause
from diffuse.cache import results
from diffuse.cache.days import holds
from diffuse.errors import Level, Location, Problem
from diffuse.reading import handover
from diffuse.rules.validation import ValidationReport, check_paths, select


def validation_report(root: Path, paths: list[Path], today: date) -> ValidationReport:
    """Every problem in the files under `paths` (all when empty), as `validate_tracker`
    finds them, dates checked against `today`."""
    check_paths(paths)
    with gcpause.paused():
        return _report(root, paths, today)


def _report(root: Path, paths: list[Path], today: date) -> ValidationReport:
    files = results.look(root)
    # Not keyed by the day: the entry says on which days its problems hold. No entry at all
    # with DIFFUSE_NO_CACHE=1: its key would only be thrown away.
    entry = results.key(root, "validate", files=files.digest) if results.enabled() else None
    cached = None if entry is None else results.get(entry)
    if isinstance(cached, dict) and holds(cached.get("days"), today):
        try:
            problems = [_problem(root, p) for p in cached["problems"]]
            named = [root / str(name) for name in cached["files"]]
            return select(paths, problems, named)
        except (KeyError, TypeError, ValueError):
            pass  # not what this diffuse writes: worked out again
    # Imported here: reading the tracker needs pydantic and PyYAML, a kept report does not.
    from diffuse.rules.load import load_catalog

    with handover.handed(files.kept):
        catalog = load_catalog(root, keep_models=False, today=today)
    problems, files_read = catalog.all_problems(), [d.path for d in catalog.documents]
    prefix = f"{root}{os.sep}"
    if entry is None or not results.unchanged(root, files, catalog.read):
        return select(paths, problems, files_read)  # or a file changed while it was read
    results.put(
        entry,
        {
            "problems": [_stored(prefix, p) for p in problems],
            "files": [_name(prefix, path) for path in files_read],
            "days": catalog.validity(),
        },
    )
    return select(paths, problems, files_read)


def _name(prefix: str, path: Path) -> str:
    # Every file is read as `root / folder / name`: its text starts with the root's.
    text = str(path)
    return text.removeprefix(prefix) if text.startswith(prefix) else text


def _stored(prefix: str, problem: Problem) -> list[Any]:
    loc = problem.location
    level, fix = problem.level.value, problem.fix
    return [_name(prefix, loc.path), loc.line, loc.col, problem.code, problem.message, level, fix]


def _problem(root: Path, stored: list[Any]) -> Problem:
    path, line, col, code, message, level, fix = stored
    if not isinstance(path, str) or not all(isinstance(v, int) for v in (line, col)):
        raise ValueError("not a problem")
    return Problem(
        Location(root / path, line, col), str(code), str(message), Level(level), str(fix)
    )
