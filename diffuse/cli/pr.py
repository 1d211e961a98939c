"""Commands for pull requests and CI: check, approve, codeowners, history, schema."""

from __future__ import annotations

import enum
import json
import os
import stat
from pathlib import Path
from typing import Annotated

import typer

from diffuse.cli import ids as complete
from diffuse.cli.app import DateOpt, DetailFormat, RootOpt, app, parse_day, tracker_root


class CheckFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    JUNIT = "junit"
    MARKDOWN = "markdown"


@app.command()
def check(
    base: Annotated[
        str | None,
        typer.Option(
            metavar="REF",
            help="Compare with this branch, tag or commit (its merge base with HEAD); "
            "default: origin/$GITHUB_BASE_REF in a GitHub pull request, else files only.",
            show_default=False,
        ),
    ] = None,
    base_default: Annotated[
        bool,
        typer.Option(
            "--base-default",
            help="Compare with the default branch: origin/HEAD, else the first of "
            "origin/main, origin/master, main and master that exists.",
        ),
    ] = False,
    verify_signoff: Annotated[
        bool,
        typer.Option(
            "--verify-signoff",
            help="Count an added approval only if the commit that added it was authored "
            "(and, if the organisation requires it, signed) by the approver.",
        ),
    ] = False,
    output: Annotated[
        CheckFormat | None,
        typer.Option(
            "--format",
            help="Output format (default: github when GITHUB_ACTIONS=true, else text).",
            show_default=False,
        ),
    ] = None,
    root: RootOpt = None,
) -> None:
    """Validate everything and check every change of state since a base ref.

    Practice statuses and project phases move only along declared transitions; a practice
    moving to approved meets its readiness criteria and carries an approval by a member of
    its approving body; a project entering a phase meets its gate; approved records change
    in substance only with a new approval. Each failure names file, line, rule and fix.
    Exit 0 pass, 1 fail. Example: diffuse check --base-default --format junit > diffuse.xml"""
    from diffuse.pr.check import run_check
    from diffuse.pr.context import CheckRequest
    from diffuse.render.findings.check import append_step_summary, check_output, choose_format

    where = tracker_root(root)
    ref = base or (f"origin/{os.environ['GITHUB_BASE_REF']}" if _in_pull_request() else None)
    if base_default and not base:
        from diffuse.repo import default_branch

        ref = default_branch(where)
    report = run_check(where, CheckRequest(ref, verify_signoff))
    fmt = choose_format(output.value if output else None)
    typer.echo(check_output(report, fmt), nl=False)
    if fmt == "github":
        append_step_summary(report)
    raise typer.Exit(0 if report.passed else 1)


def _in_pull_request() -> bool:
    return bool(os.environ.get("GITHUB_BASE_REF"))


@app.command("approve")
def approve_item(
    item: Annotated[
        str,
        typer.Argument(
            metavar="ITEM",
            help="A practice or project id, or 'organisation' for its bodies.",
            autocompletion=complete.items,
        ),
    ],
    gate: Annotated[
        str | None,
        typer.Option(
            metavar="PHASE",
            help="For a project: the phase the approval lets it enter (default: the next).",
            show_default=False,
        ),
    ] = None,
    reference: Annotated[
        str | None,
        typer.Option(metavar="TEXT", help="Where the decision is minuted.", show_default=False),
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option(
            metavar="TEXT", help="Why (needed to move a practice back).", show_default=False
        ),
    ] = None,
    body: Annotated[
        str | None,
        typer.Option(
            metavar="BODY",
            help="For a practice: approve for this body instead of its approving body (a "
            "practice moving to another body needs the approval of the body it leaves).",
            show_default=False,
        ),
    ] = None,
    scope: Annotated[
        str | None,
        typer.Option(
            metavar="SITE",
            help="For a project: approve taking SITE out of scope (not-applicable), a "
            "decision of its own that opens no gate.",
            show_default=False,
        ),
    ] = None,
    substance: Annotated[
        bool,
        typer.Option(
            "--substance",
            help="For a project: approve its record as it stands (a new title, target or "
            "date), a decision that opens no gate.",
        ),
    ] = False,
    on: DateOpt = None,
    root: RootOpt = None,
) -> None:
    """Record an approval as the current git user and commit just that file.

    The approver is the person in organisation.yaml whose email is git's author email,
    and must be a member of the approving body (or of --body). 'diffuse approve
    organisation' makes an empty commit approving the current approving bodies and
    workflow.

    A gate approval is refused unless the gate is met on its date (--date): it counts
    only for a gate met that day, and only while nothing the gate checks has changed.

    \b
    Examples:
      diffuse approve hh-2027 --gate execute --reference "CPC minutes 2027-02-16"
      diffuse approve hh-2027 --scope sea   # sea taken out of scope (not-applicable)
      diffuse approve hh-2027 --substance   # e.g. a new target_months
      diffuse approve hand-hygiene --body cpc   # release it to the council it moves to
    """
    from diffuse.edits.approve import ApproveRequest, approve
    from diffuse.render import clean

    day = parse_day(on, "--date")
    request = ApproveRequest(item, day, gate, reference, reason, body, scope, substance)
    done = approve(tracker_root(root), request)
    what = f"{done.kind} {done.item}" + (f" to enter {done.gate}" if done.gate else "")
    what += f": {done.scope} out of scope" if done.scope else ""
    what += ": its record as it stands" if substance else ""
    what += f" for {done.body}" if body else ""
    typer.echo(f"approved {clean(what)} as {clean(done.person)}; committed {done.commit}")


@app.command()
def codeowners(
    out: Annotated[
        str | None,
        typer.Option(
            metavar="PATH",
            help="File to write, or - for standard output (default: .github/CODEOWNERS "
            "at the top of the repository).",
            show_default=False,
        ),
    ] = None,
    root: RootOpt = None,
) -> None:
    """Write a CODEOWNERS file naming each file's approvers.

    Each practice and project file is owned by the members of its practice's approving
    body (by their email), so the hosting service requests their review.

    \b
    Example: diffuse codeowners --out -"""
    from diffuse.pr.codeowners import render_codeowners, write_codeowners

    where = tracker_root(root)
    if out == "-":
        typer.echo(render_codeowners(where), nl=False)
        return
    typer.echo(f"wrote {write_codeowners(where, Path(out) if out else None)}")


@app.command()
def history(
    item: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="A practice or project id.", autocompletion=complete.items
        ),
    ],
    output: Annotated[
        DetailFormat, typer.Option("--format", help="Output format.")
    ] = DetailFormat.TEXT,
    root: RootOpt = None,
) -> None:
    """Show the life of a practice or project from git, newest first.

    Every status or phase change, approval and site change, with its date, author and
    commit, read in one pass over the file's history. What each change said is kept in the
    cache folder, so a later run reads from git only the versions that new commits made
    (DIFFUSE_NO_CACHE=1 turns it off).
    Example: diffuse history bcma-rollout --format json"""
    from diffuse.render.plain import fit, text_width
    from diffuse.reports.history import history_json, history_text, item_history

    found = item_history(tracker_root(root), item)
    if output is DetailFormat.JSON:
        typer.echo(history_json(found), nl=False)
    else:
        # An event's text wraps under itself, past its date and commit.
        head, _, events = history_text(found).partition("\n")
        width = text_width()
        typer.echo(fit(head, width) + fit(events, width, hang=24), nl=False)


@app.command()
def schema(
    out: Annotated[
        str | None,
        typer.Option(
            metavar="DIR",
            help="Folder to write to, or - for standard output (one JSON object keyed by "
            "file name); default: schemas/ in the tracker folder.",
            show_default=False,
        ),
    ] = None,
    outputs: Annotated[
        bool,
        typer.Option(
            "--output",
            help="Write the schemas of every command's --format json output instead "
            "(COMMAND.output.schema.json).",
        ),
    ] = False,
    root: RootOpt = None,
) -> None:
    """Write JSON Schema files for editors: organisation, practice and project.

    Files from 'diffuse new' start with a yaml-language-server line pointing at them.
    With --output, the shapes of the JSON that validate, check, status, show, history,
    metrics, trend, review and scorecard print. Example: diffuse schema --output --out -"""
    from diffuse.errors import DiffuseError
    from diffuse.reports.outputs import all_output_schemas
    from diffuse.reports.schema import SCHEMA_DIR, all_schemas, write_json_files

    found = all_output_schemas() if outputs else all_schemas()
    text = json.dumps(found, indent=2, ensure_ascii=False) + "\n"
    target = Path(out) if out else tracker_root(root) / SCHEMA_DIR
    if out == "-":
        typer.echo(text, nl=False)
        return
    if _is_stream(target):
        with open(target, "w", encoding="utf-8") as stream:
            stream.write(text)
        return
    if target.exists() and not target.is_dir():
        raise DiffuseError(f"--out: {target} is a file; give a folder, or - for standard output")
    for path in write_json_files(target, found):
        typer.echo(f"wrote {path}")


def _is_stream(path: Path) -> bool:
    # /dev/stdout, a pipe or a terminal: written to as standard output is.
    try:
        return not stat.S_ISDIR(path.stat().st_mode) and not stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False
