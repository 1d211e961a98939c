"""What `diffuse init` adds to make a new tracker repository ready for pull requests: the
CI workflow that runs `diffuse check` with verified sign-off, a pre-commit configuration,
CODEOWNERS, and a first commit on `main`; and another framework's workflow, written into
the organisation file where the organisation can adjust it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from diffuse import __version__
from diffuse.layout import ID_PATTERN

CI_PATH = Path(".github") / "workflows" / "diffuse.yml"
PRE_COMMIT_PATH = Path(".pre-commit-config.yaml")

CI_WORKFLOW = """\
# Runs `diffuse check` on every pull request: every file valid, every change of state
# allowed, and every approval by a member of the right body, committed by that member.
# Protect `main` so this check and a code owner's review are required before merging.
name: diffuse check

on:
  pull_request:

permissions:
  contents: read

jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          # Whole history: the check reads the merge base and who committed each approval.
          fetch-depth: 0
          ref: ${{ github.event.pull_request.head.sha }}
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install diffuse
        run: python -m pip install "diffuse-tracker @ git+https://github.com/diffuse-tracker/diffuse@vVERSION"
      - name: Check the tracker against the base branch
        run: diffuse check --base "origin/${{ github.base_ref }}" --verify-signoff
""".replace("VERSION", __version__)

PRE_COMMIT = """\
# https://pre-commit.com: 'pre-commit install' validates the tracker before each commit;
# 'pre-commit install --hook-type pre-push' also checks changes of state before a push.
repos:
  - repo: https://github.com/diffuse-tracker/diffuse
    rev: vVERSION
    hooks:
      - id: diffuse-validate
      - id: diffuse-check
""".replace("VERSION", __version__)


def ready_for_pull_requests(directory: Path) -> list[Path]:
    """Write the CI workflow, pre-commit configuration and CODEOWNERS into a new repo."""
    from diffuse.pr.codeowners import write_codeowners

    written = []
    for relative, text in ((CI_PATH, CI_WORKFLOW), (PRE_COMMIT_PATH, PRE_COMMIT)):
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    written.append(write_codeowners(directory, directory / ".github" / "CODEOWNERS"))
    return written


def workflow_yaml(data: dict[str, Any]) -> str:
    """The `workflow:` block of the organisation file for a framework's data."""
    lines = [
        f"# The workflow of the {data['name']}: phases, checklist roles and duties (each",
        "# due by a phase), and what entering a phase needs. Adjust it to your own practice.",
        "workflow:",
        f"  name: {_text(data['name'])}",
        f"  phases: [{', '.join(data['phases'])}]",
        "  roles:",
        *(f"    - {_flow(role)}" for role in data["roles"]),
        "  duties:",
        *(f"    - {_flow(duty)}" for duty in data["duties"]),
        "  gates:",
        *(f"    {phase}: {_gate(gate)}" for phase, gate in data["gates"].items()),
    ]
    return "\n".join(lines) + "\n"


def _gate(gate: dict[str, Any]) -> str:
    parts = []
    for key, value in gate.items():
        if isinstance(value, bool):
            text = str(value).lower()
        elif isinstance(value, list):
            text = "[" + ", ".join(value) + "]"
        else:
            text = str(value)
        parts.append(f"{key}: {text}")
    return "{" + ", ".join(parts) + "}"


def _flow(mapping: dict[str, str]) -> str:
    return "{" + ", ".join(f"{key}: {_text(value)}" for key, value in mapping.items()) + "}"


def _text(value: str) -> str:
    if ID_PATTERN.fullmatch(value):
        return value
    # Double quotes read the same inside a flow mapping and out.
    return json.dumps(value, ensure_ascii=False)
