"""The day each line of a file was last written, from one `git blame` run directly."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from diffuse.errors import DiffuseError
from diffuse.repo.filelog import _run

UNCOMMITTED = "0" * 40


def line_dates(path: Path) -> list[tuple[str, date | None]] | None:
    """Each line of the committed-or-edited file with the day its commit was made (None: the
    line is not committed yet); None when git cannot tell (no repository, file untracked)."""
    try:
        done = _run(path.parent, ["blame", "--line-porcelain", "--", path.name])
    except DiffuseError:  # no git at all: the dates are a nicety, never a failure
        return None
    if done.returncode != 0:
        return None
    lines: list[tuple[str, date | None]] = []
    sha, when = "", None
    for raw in done.stdout.decode("utf-8", errors="replace").split("\n"):
        if raw.startswith("\t"):
            lines.append((raw[1:], None if sha == UNCOMMITTED else when))
        elif raw.startswith("committer-time "):
            when = datetime.fromtimestamp(int(raw.split()[1]), UTC).date()
        elif len(raw) > 40 and raw[40] == " " and all(c in "0123456789abcdef" for c in raw[:40]):
            sha = raw[:40]
    return lines
