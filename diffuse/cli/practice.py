"""`diffuse practice`: fill in a practice, move its status one step, record its review."""

from __future__ import annotations

from typing import Annotated

import typer

from diffuse.cli import completion
from diffuse.cli.app import CommitOpt, DateOpt, RootOpt, app, edit_options, tracker_root
from diffuse.cli.completion import ByOpt
from diffuse.cli.edit import DryRunOpt, echo_result
from diffuse.vocab import DecisionType, Discovery, ElementStatus, spoken


@app.command("practice")
def practice(
    practice_id: Annotated[
        str, typer.Argument(metavar="ID", help="Practice id.", autocompletion=completion.practices)
    ],
    status_: Annotated[
        str | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            help="Next status: proposed, approved (needs readiness met), diffusing, diffused "
            "(records 'established'), retired or superseded.",
        ),
    ] = None,
    title: Annotated[str | None, typer.Option(metavar="TEXT", help="The title.")] = None,
    summary: Annotated[str | None, typer.Option(metavar="TEXT", help="What it is.")] = None,
    discovery: Annotated[
        str | None,
        typer.Option(metavar="APPROACH", help=f"How it was found: {spoken(Discovery)}."),
    ] = None,
    decision: Annotated[
        str | None,
        typer.Option(metavar="TYPE", help=f"How sites adopt it: {spoken(DecisionType)}."),
    ] = None,
    origin_site: Annotated[
        list[str] | None,
        typer.Option(
            "--origin-site", metavar="SITE", help="A site where it was first used (repeatable)."
        ),
    ] = None,
    remove_origin_site: Annotated[
        list[str] | None,
        typer.Option(
            "--remove-origin-site", metavar="SITE", help="Take a site off the origin sites."
        ),
    ] = None,
    goal: Annotated[str | None, typer.Option(metavar="TEXT", help="Goal and aim.")] = None,
    owner: Annotated[
        str | None, typer.Option(metavar="PERSON", help="The Best Practice Owner.")
    ] = None,
    body: Annotated[
        str | None, typer.Option(metavar="BODY", help="The approving body's id.")
    ] = None,
    champion: Annotated[str | None, typer.Option(metavar="PERSON", help="Champion.")] = None,
    administrative: Annotated[
        str | None, typer.Option(metavar="PERSON", help="Administrative leader.")
    ] = None,
    physician: Annotated[
        str | None, typer.Option(metavar="PERSON", help="Physician leader.")
    ] = None,
    evidence: Annotated[
        list[str] | None,
        typer.Option(metavar="SITE=TEXT", help="Evidence it worked at a site (repeatable)."),
    ] = None,
    vetted_by: Annotated[
        list[str] | None,
        typer.Option("--vetted-by", metavar="SITE", help="A site that vetted it (repeatable)."),
    ] = None,
    principle: Annotated[
        list[str] | None,
        typer.Option(metavar="TEXT", help="A fixed key principle (repeatable)."),
    ] = None,
    adaptable: Annotated[
        list[str] | None,
        typer.Option(metavar="TEXT", help="Where sites may vary (repeatable)."),
    ] = None,
    support: Annotated[
        list[str] | None,
        typer.Option(
            metavar="KIND=TITLE",
            help="A support element, e.g. measurement=Measurement plan (repeatable).",
        ),
    ] = None,
    element: Annotated[
        str | None,
        typer.Option(
            metavar="N|TITLE",
            help="A support element, by number from 1 or title, to change with "
            "--element-status or --element-link.",
        ),
    ] = None,
    element_status: Annotated[
        str | None,
        typer.Option(metavar="STATUS", help=f"With --element: {spoken(ElementStatus)}."),
    ] = None,
    element_link: Annotated[
        str | None,
        typer.Option(metavar="URL", help="With --element: where the element can be found."),
    ] = None,
    reviewed: Annotated[
        bool, typer.Option("--reviewed", help="Record its periodic review as done on --date.")
    ] = False,
    outcome: Annotated[
        str | None, typer.Option(metavar="TEXT", help="What the review found.")
    ] = None,
    cadence: Annotated[
        int | None, typer.Option(metavar="MONTHS", min=1, help="Months between reviews.")
    ] = None,
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    by: ByOpt = None,
    on: DateOpt = None,
    root: RootOpt = None,
) -> None:
    """Fill in a practice, move its status one step, or record its review.

    Also sets its title, discovery approach, decision type and origin sites, and the status
    and link of a support element.

    \b
    Example:
      diffuse practice hand-hygiene --owner ada --goal "95% compliance at every site"
      diffuse practice hand-hygiene --status approved
      diffuse practice hand-hygiene --reviewed --outcome "No change needed"
      diffuse practice hand-hygiene --discovery alpha-beta --origin-site sou
      diffuse practice hand-hygiene --element 1 --element-status published \\
        --element-link https://intranet/audit-plan
    """
    from diffuse.edits.practice import PracticeRequest, update_practice

    fields = {"summary": summary, "goal": goal, "owner": owner, "approving_body": body}
    fields |= {"title": title, "discovery": discovery, "decision": decision}
    leaders = {"champion": champion, "administrative": administrative, "physician": physician}
    request = PracticeRequest(
        practice_id,
        status_,
        {k: v for k, v in fields.items() if v is not None},
        {k: v for k, v in leaders.items() if v is not None},
        tuple(evidence or ()),
        tuple(vetted_by or ()),
        tuple(principle or ()),
        tuple(adaptable or ()),
        tuple(support or ()),
        reviewed,
        outcome,
        cadence,
        tuple(origin_site or ()),
        tuple(remove_origin_site or ()),
        element,
        element_status,
        element_link,
    )
    echo_result(update_practice(tracker_root(root), request, edit_options(dry_run, commit, by, on)))
