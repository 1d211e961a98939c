"""`diffuse intake`: an issue form's answers made into the edit they ask for."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from diffuse.cli.app import CommitOpt, DateOpt, RootOpt, app, edit_options, tracker_root
from diffuse.cli.completion import ByOpt
from diffuse.cli.edit import DryRunOpt, echo_result


@app.command()
def intake(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="The issue's body, as GitHub wrote it.")
    ],
    form: Annotated[
        str,
        typer.Option(
            metavar="FORM",
            help="practice (propose a practice), site-update or adaptation: the issue "
            "form the body comes from.",
        ),
    ],
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    by: ByOpt = None,
    on: DateOpt = None,
    root: RootOpt = None,
) -> None:
    """Make the edit an issue form asks for: a practice, a site update, an adaptation.

    Reads the '### Label' answers GitHub writes for the forms 'diffuse init' puts in
    .github/ISSUE_TEMPLATE/ and makes the edit with the usual rules. Patient identifiers,
    unknown ids and missing answers are refused, each at its line of FILE, in words to
    post back on the issue. --by @LOGIN records the person with that GitHub login.

    \b
    Example:
      diffuse intake issue.md --form site-update --by @dana-diaz --commit
      (issue.md saved with: gh issue view 42 --json body --jq .body > issue.md)
    """
    from diffuse.edits.intake import intake as record

    options = edit_options(dry_run, commit, by, on)
    echo_result(record(tracker_root(root), file, form, options))
