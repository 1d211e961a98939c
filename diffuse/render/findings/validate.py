"""Reports of `diffuse validate` for people and CI: text, json, github and junit.

The same shapes as `diffuse check` (render.findings.check), so one CI setup reads both.
"""

from __future__ import annotations

import os
from pathlib import Path

from diffuse.errors import Level, Problem
from diffuse.escape import clean
from diffuse.render.findings.check import annotation, junit_suite, problem_record
from diffuse.render.findings.problems import problems_summary, problems_text
from diffuse.vocab import output_schema_version

FORMATS = ("text", "json", "github", "junit")


def validation_output(problems: list[Problem], files: list[Path], fmt: str) -> str:
    """`problems` and `files` as the user is shown them (relative to the current folder)."""
    summary = problems_summary(problems, len(files))
    if fmt == "json":
        import json  # only this format needs it

        data = {
            "schema_version": output_schema_version("validate"),
            "passed": not any(p.level is Level.ERROR for p in problems),
            "files": len(files),
            "problems": [problem_record(p, p.location.path.as_posix()) for p in problems],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "junit":
        findings = [(p.location.path.as_posix(), p) for p in problems]
        return junit_suite("diffuse validate", [f.as_posix() for f in files], findings)
    if fmt == "github":
        lines = [annotation(p, _from_workspace(p.location.path)) for p in problems]
        return "\n".join([*lines, summary]) + "\n"
    return "\n".join([problems_text(problems), summary] if problems else [summary]) + "\n"


def _from_workspace(path: Path) -> str:
    # Annotations name files from the top of the checked-out repository.
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace:
        try:
            return (Path.cwd() / path).resolve().relative_to(Path(workspace).resolve()).as_posix()
        except ValueError:
            pass
    return clean(path.as_posix())
