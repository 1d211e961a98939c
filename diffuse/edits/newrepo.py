"""What `diffuse init` adds to make a new tracker repository ready for pull requests: the
CI workflow that runs `diffuse check` with verified sign-off, the Pages workflow that
publishes `diffuse report`, a pre-commit configuration, CODEOWNERS, and a first commit on
`main`, each naming a diffuse and actions that exist (`pins`); and another framework's
workflow, written into the organisation file where the organisation can adjust it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from diffuse.edits.issueforms import FORMS, INTAKE_PATH, INTAKE_WORKFLOW
from diffuse.edits.pins import ACTIONS, Source, installed_source
from diffuse.layout import ID_PATTERN

CI_PATH = Path(".github") / "workflows" / "diffuse.yml"
REPORT_PATH = Path(".github") / "workflows" / "report.yml"
REMIND_PATH = Path(".github") / "workflows" / "remind.yml"
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
      - uses: @CHECKOUT@
        with:
          # Whole history: the check reads the merge base and who committed each approval.
          fetch-depth: 0
          ref: ${{ github.event.pull_request.head.sha }}
          persist-credentials: false
      - uses: @SETUP_PYTHON@
        with:
          python-version: "3.12"
      - name: Install diffuse
        # @WHY@
        run: python -m pip install "@PIP@"
      - name: Check the tracker against the base branch
        run: diffuse check --base "origin/${{ github.base_ref }}" --verify-signoff
"""

REPORT_WORKFLOW = """\
# Publishes `diffuse report` with GitHub Pages on every push to main, so leadership
# bookmarks one address. Setup (once): Settings > Pages > Build and deployment > Source:
# "GitHub Actions".
name: report

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read

# One deployment at a time; a newer push waits rather than cancelling one under way.
concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: @CHECKOUT@
        with:
          persist-credentials: false
      - uses: @SETUP_PYTHON@
        with:
          python-version: "3.12"
      - name: Install diffuse
        # @WHY@
        run: python -m pip install "@PIP@"
      - name: Build the report
        # As of today; the date is printed on every page.
        run: diffuse report --out _site
      - uses: @UPLOAD_PAGES_ARTIFACT@
        with:
          path: _site

  deploy:
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: @DEPLOY_PAGES@
"""

REMIND_WORKFLOW = """\
# Every Monday, keeps one open issue per person listing what is theirs to do (`diffuse
# remind`): reviews due, stale site rows, overdue duties, barriers escalated to oversight
# and approvals awaited. Each issue is updated in place, assigned to the person's `github`
# login when organisation.yaml gives one, and closed when nothing is left. diffuse
# computes the plan; this workflow only carries it out with gh.
name: remind

on:
  schedule:
    - cron: "0 6 * * 1"
  workflow_dispatch:

permissions:
  contents: read
  issues: write

concurrency:
  group: remind
  cancel-in-progress: false

jobs:
  remind:
    runs-on: ubuntu-latest
    steps:
      - uses: @CHECKOUT@
        with:
          persist-credentials: false
      - uses: @SETUP_PYTHON@
        with:
          python-version: "3.12"
      - name: Install diffuse
        # @WHY@
        run: python -m pip install "@PIP@"
      - name: Open, update and close the reminder issues
        env:
          GH_TOKEN: ${{ github.token }}
          GH_REPO: ${{ github.repository }}
        run: |
          set -euo pipefail
          gh label create diffuse-reminder --color FBCA04 \\
            --description "What diffuse remind lists for one person" --force
          gh issue list --label diffuse-reminder --state open --limit 1000 \\
            --json number,title,body > "$RUNNER_TEMP/open.json"
          diffuse remind --open-issues "$RUNNER_TEMP/open.json" --format json \\
            > "$RUNNER_TEMP/plan.json"
          python - "$RUNNER_TEMP" <<'PLAN'
          import json, pathlib, subprocess, sys
          temp = pathlib.Path(sys.argv[1])
          for n, step in enumerate(json.loads((temp / "plan.json").read_text())["plan"]):
              body = temp / f"body-{n}.md"
              body.write_text(step["body"])
              who = ["--assignee", step["assignee"]] if step["assignee"] else []
              if step["action"] == "open":
                  command = ["issue", "create", "--title", step["title"], "--body-file",
                             str(body), "--label", "diffuse-reminder", *who]
              elif step["action"] == "update":
                  command = ["issue", "edit", str(step["number"]), "--title", step["title"],
                             "--body-file", str(body)]
              elif step["action"] == "close":
                  command = ["issue", "close", str(step["number"]), "--comment",
                             "Nothing is left to do here; diffuse remind closed this issue."]
              else:
                  continue
              print("gh", *command[:3], flush=True)
              subprocess.run(["gh", *command], check=True)
          PLAN
"""

PRE_COMMIT = """\
# https://pre-commit.com: 'pre-commit install' validates the tracker before each commit;
# 'pre-commit install --hook-type pre-push' also checks changes of state before a push.
repos:
  - repo: @REPO@
    # @WHY@
    rev: @REV@
    hooks:
      - id: diffuse-validate
      - id: diffuse-check
"""


def generated_files(source: Source) -> dict[Path, str]:
    """The workflows and pre-commit configuration a new tracker gets, naming `source`."""
    words = {
        "CHECKOUT": ACTIONS["checkout"],
        "SETUP_PYTHON": ACTIONS["setup-python"],
        "UPLOAD_PAGES_ARTIFACT": ACTIONS["upload-pages-artifact"],
        "DEPLOY_PAGES": ACTIONS["deploy-pages"],
        "WHY": source.why,
        "PIP": source.pip,
        "REPO": source.repo,
        "REV": source.rev,
    }
    files = {
        CI_PATH: CI_WORKFLOW,
        REPORT_PATH: REPORT_WORKFLOW,
        REMIND_PATH: REMIND_WORKFLOW,
        INTAKE_PATH: INTAKE_WORKFLOW,
        PRE_COMMIT_PATH: PRE_COMMIT,
        **FORMS,
    }
    pattern = re.compile("@(" + "|".join(words) + ")@")
    return {path: pattern.sub(lambda m: words[m.group(1)], text) for path, text in files.items()}


def ready_for_pull_requests(directory: Path, source: Source | None = None) -> list[Path]:
    """Write the workflows, pre-commit configuration and CODEOWNERS into a new repo."""
    from diffuse.pr.codeowners import write_codeowners

    written = []
    for relative, text in generated_files(source or installed_source()).items():
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
