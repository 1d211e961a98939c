"""The issue forms `diffuse init` writes, and the workflow that takes them in.

A labelled issue (`intake: practice`, `intake: site-update`, `intake: adaptation`, which
the forms apply) runs `diffuse intake` on its body: the edit goes to a pull request that
closes the issue when merged, and a refusal is posted back on the issue. The body is read
with `gh`, never pasted into the script, so its text cannot run as code.
"""

from __future__ import annotations

from pathlib import Path

TEMPLATES = Path(".github") / "ISSUE_TEMPLATE"
INTAKE_PATH = Path(".github") / "workflows" / "intake.yml"

_PRIVACY = """\
  - type: markdown
    attributes:
      value: >-
        Describe patients only in general terms: no names, record numbers or dates of
        birth. An issue holding them is refused."""

# Both project forms ask which project and site first; intake reads them by these labels.
_PROJECT_AND_SITE = """\
  - type: input
    id: project
    attributes:
      label: Project
      description: The project id (the file name in projects/, without .yaml).
    validations:
      required: true
  - type: input
    id: site
    attributes:
      label: Site
      description: Your site's id, as in organisation.yaml.
    validations:
      required: true
"""

PRACTICE_FORM = f"""\
name: Propose a practice
description: An idea from the front line that worked at your site and could help others.
title: "Practice: "
labels: ["intake: practice"]
body:
{_PRIVACY}
  - type: input
    id: name
    attributes:
      label: Practice name
      description: A short name, e.g. "Hand hygiene at the bedside".
    validations:
      required: true
  - type: textarea
    id: problem
    attributes:
      label: The problem
      description: What went wrong, or could be better, before?
    validations:
      required: true
  - type: textarea
    id: done
    attributes:
      label: What was done
      description: What you changed, who took part and how.
    validations:
      required: true
  - type: input
    id: site
    attributes:
      label: Site
      description: The id of the site where it was done, as in organisation.yaml (e.g. nor).
    validations:
      required: true
  - type: textarea
    id: results
    attributes:
      label: Results
      description: What improved, with numbers where you have them.
    validations:
      required: true
  - type: input
    id: contact
    attributes:
      label: Contact
      description: Who to ask about it (your name and role).
    validations:
      required: true
"""

SITE_UPDATE_FORM = f"""\
name: Site update
description: Report where your site stands in a diffusion project.
title: "Site update: "
labels: ["intake: site-update"]
body:
{_PRIVACY}
{_PROJECT_AND_SITE}  - type: dropdown
    id: state
    attributes:
      label: New state
      options:
        - no change
        - planning
        - implementing
        - live
        - sustained
      default: 0
  - type: input
    id: date
    attributes:
      label: Date
      description: When it happened, YYYY-MM-DD (empty for the day the issue is taken in).
  - type: textarea
    id: barrier
    attributes:
      label: Barrier
      description: Something in the way that oversight should help remove.
  - type: textarea
    id: note
    attributes:
      label: Note
"""

ADAPTATION_FORM = f"""\
name: Adaptation request
description: Ask diffusion oversight to approve a local variation of a practice.
title: "Adaptation: "
labels: ["intake: adaptation"]
body:
{_PRIVACY}
{_PROJECT_AND_SITE}  - type: textarea
    id: adaptation
    attributes:
      label: Adaptation
      description: What your site would do differently, which adaptable principle it
        touches, and why.
    validations:
      required: true
"""

INTAKE_WORKFLOW = """\
# Takes in an issue made with one of the forms in .github/ISSUE_TEMPLATE/ when it gets its
# 'intake: ...' label: `diffuse intake` makes the edit on a branch and a pull request that
# closes the issue when merged goes through the usual review; a refusal is commented on the
# issue. Create the three labels once: gh label create "intake: practice" (and
# "intake: site-update", "intake: adaptation"). A pull request opened with the workflow's
# token does not start other workflows: run the check by closing and reopening it.
name: intake

on:
  issues:
    types: [labeled]

permissions:
  contents: read

concurrency:
  group: intake-${{ github.event.issue.number }}
  cancel-in-progress: false

jobs:
  intake:
    if: startsWith(github.event.label.name, 'intake:')
    runs-on: ubuntu-latest
    permissions:
      contents: write
      pull-requests: write
      issues: write
    steps:
      - uses: @CHECKOUT@
      - uses: @SETUP_PYTHON@
        with:
          python-version: "3.12"
      - name: Install diffuse
        # @WHY@
        run: python -m pip install "@PIP@"
      - name: Make the edit and open a pull request, or say why not
        env:
          GH_TOKEN: ${{ github.token }}
          GH_REPO: ${{ github.repository }}
          NUMBER: ${{ github.event.issue.number }}
          LABEL: ${{ github.event.label.name }}
          AUTHOR: ${{ github.event.issue.user.login }}
        run: |
          set -euo pipefail
          form="${LABEL#intake:}"
          form="${form# }"
          gh issue view "$NUMBER" --json body --jq .body > "$RUNNER_TEMP/issue.md"
          if ! diffuse intake "$RUNNER_TEMP/issue.md" --form "$form" --by "@$AUTHOR" \\
              > "$RUNNER_TEMP/said.txt" 2>&1; then
            {
              echo "This issue could not be taken in; nothing was changed:"
              echo
              echo '```text'
              sed "s|$RUNNER_TEMP/issue.md|issue|" "$RUNNER_TEMP/said.txt"
              echo '```'
              echo
              echo "Edit the issue, then remove its label and add it again."
            } > "$RUNNER_TEMP/comment.md"
            gh issue comment "$NUMBER" --body-file "$RUNNER_TEMP/comment.md"
            exit 1
          fi
          branch="intake/issue-$NUMBER"
          git config user.name "github-actions[bot]"
          git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
          git switch -c "$branch"
          git add -A practices projects
          git commit -q -m "Take in issue #$NUMBER ($form)"
          git push --force origin "$branch"
          gh pr create --head "$branch" --title "Take in issue #$NUMBER ($form)" \\
            --body "Closes #$NUMBER. Made by diffuse intake from the issue form."
"""

FORMS = {
    TEMPLATES / "practice.yml": PRACTICE_FORM,
    TEMPLATES / "site-update.yml": SITE_UPDATE_FORM,
    TEMPLATES / "adaptation.yml": ADAPTATION_FORM,
}
