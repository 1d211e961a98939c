"""How long each open barrier has been listed: the day the line holding it was committed.

Barriers are plain text in a site's row, without a date of their own, so the day comes
from git: the commit that last wrote the barrier's first line (`git blame`). Rewording a
barrier restarts its clock; a barrier not committed yet is new.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import NamedTuple

from diffuse.models import Project
from diffuse.repo.blame import line_dates


class Listed(NamedTuple):
    text: str
    since: date | None  # None: not known (no git, or the line could not be found)
    committed: bool  # False: the barrier is only in the working copy so far

    def age(self, as_of: date) -> str:
        if not self.committed:
            return "new, not committed yet"
        if self.since is None:
            return "open since: not known"
        if self.since > as_of:
            return f"listed {self.since.isoformat()}, after the report date"
        return f"open {(as_of - self.since).days} days, since {self.since.isoformat()}"


def barriers_listed(path: Path | None, project: Project) -> dict[str, list[Listed]]:
    """Each site's barriers with the day each was listed, by site id."""
    wanted = {site: state.barriers for site, state in project.sites.items() if state.barriers}
    if not wanted:
        return {}
    lines = line_dates(path) if path is not None else None
    found: dict[str, list[Listed]] = {}
    for site, barriers in wanted.items():
        start = _site_line(lines or [], site)
        found[site] = [_listed(lines, start, text) for text in barriers]
    return found


def _site_line(lines: list[tuple[str, date | None]], site: str) -> int:
    """The line of the site's key under `sites:` (0 when not found: search the whole file)."""
    under = next((n for n, (text, _) in enumerate(lines) if text.startswith("sites:")), 0)
    key = re.compile(rf"^\s+['\"]?{re.escape(site)}['\"]?\s*:")
    return next((n for n in range(under, len(lines)) if key.match(lines[n][0])), under)


def _listed(lines: list[tuple[str, date | None]] | None, start: int, text: str) -> Listed:
    if lines is None:
        return Listed(text, None, True)
    for content, when in lines[start:]:
        plain = content.strip().removeprefix("- ").strip().strip("'\"")
        if len(plain) >= 8 and text.startswith(plain[:40]):
            return Listed(text, when, when is not None)
    return Listed(text, None, True)
