"""`diffuse remind`: what each person has to do, and the plan for their reminder issues."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from diffuse.cli.app import AsOfOpt, RootOpt, app, parse_day, tracker_root, warn_problems


class RemindFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"


@app.command()
def remind(
    output: Annotated[
        RemindFormat, typer.Option("--format", help="Output format.")
    ] = RemindFormat.TEXT,
    open_issues: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="The open reminder issues, as 'gh issue list --label diffuse-reminder "
            "--json number,title,body' writes them: the JSON output then has a 'plan' of "
            "issues to open, update, close or keep.",
        ),
    ] = None,
    as_of: AsOfOpt = None,
    root: RootOpt = None,
) -> None:
    """List what each person has to do: reviews, site rows, duties, barriers, approvals.

    Per person: practice reviews due within 30 days or overdue (the owner), stale rows of
    sites they lead, duties of roles they hold due in the current phase or overdue,
    barriers open longer than settings.barrier_escalate_weeks (to oversight: the
    sponsor-oversight role, else the approving body), and gate approvals awaited from
    their body. Items nobody holds are listed apart. Exit 0.

    \b
    Examples:
      diffuse remind --as-of 2026-12-07
      gh issue list --label diffuse-reminder --json number,title,body > open.json
      diffuse remind --open-issues open.json --format json > plan.json
    """
    from diffuse.render.remind import remind_json, remind_markdown, remind_text
    from diffuse.reports.remind import remind_report
    from diffuse.reports.remindplan import plan, read_open_issues
    from diffuse.rules.load import load_tracker

    issues = read_open_issues(open_issues) if open_issues else None
    loaded = load_tracker(tracker_root(root))
    report = remind_report(loaded.catalog, parse_day(as_of, "--as-of"))
    if output is RemindFormat.JSON:
        steps = plan(report, issues) if issues is not None else None
        typer.echo(remind_json(report, steps), nl=False)
    elif output is RemindFormat.MARKDOWN:
        typer.echo(remind_markdown(report), nl=False)
    else:
        typer.echo(remind_text(report), nl=False)
    warn_problems(loaded.problems)
