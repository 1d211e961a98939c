"""A list of problems in the user's files, one a line as `path:line:col: ...`, and its
summary: what `validate` prints and what every command prints when it refuses a file."""

from __future__ import annotations

from collections.abc import Iterable

from diffuse.errors import Problem
from diffuse.escape import clean


def problems_text(problems: Iterable[Problem]) -> str:
    return "\n".join(clean(p) for p in problems)


def problems_summary(problems: list[Problem], files: int) -> str:
    if not problems:
        return f"ok: {files} file(s) valid"
    broken = len({p.location.path for p in problems})
    return f"{len(problems)} problem(s) in {broken} of {files} file(s)"
