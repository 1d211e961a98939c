"""Commands for the routine edits of a project: a site's row, a duty, a role, a risk, its
dates, its dissemination plan (`cli.practice` and `cli.organisation` edit the other files).
Each changes only the lines it must and takes --dry-run, --commit, --by and --date."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from diffuse.cli import completion
from diffuse.cli.app import (
    CommitOpt,
    DateOpt,
    RootOpt,
    app,
    edit_options,
    parse_day,
    tracker_root,
)
from diffuse.cli.completion import ByOpt
from diffuse.vocab import Adkar, Health, RiskCategory, RiskStatus, SiteStatus, spoken

DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Show the lines that would change; write nothing.")
]
ProjectArg = completion.ProjectArg
TextOpt = Annotated[str | None, typer.Option(metavar="TEXT", show_default=False)]


if TYPE_CHECKING:
    from diffuse.edits.record import EditResult


def echo_result(result: EditResult) -> None:
    from diffuse.escape import clean

    # The summary and the changed lines repeat the command's own arguments: escaped, so a
    # control or reordering character in them shows as what it is.
    for line in result.lines():
        typer.echo(clean(line))


@app.command("site")
def site_update(
    project: ProjectArg,
    site: completion.SiteArg,
    status_: Annotated[
        str | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            help=f"{spoken(SiteStatus)}; live or sustained records the go-live date "
            "(--date) if none is recorded.",
        ),
    ] = None,
    health_: Annotated[
        str | None,
        typer.Option("--health", metavar="HEALTH", help=f"{spoken(Health)}."),
    ] = None,
    adkar: Annotated[
        str | None,
        typer.Option(metavar="STAGE", help=f"{spoken(Adkar)}."),
    ] = None,
    note: Annotated[
        str | None, typer.Option(metavar="TEXT", help="A status note, also added to the dated log.")
    ] = None,
    go_live: Annotated[
        str | None, typer.Option("--go-live", metavar="DATE", help="Planned go-live date.")
    ] = None,
    leader: Annotated[
        str | None, typer.Option(metavar="PERSON", help="The site's local leader.")
    ] = None,
    barrier: Annotated[
        list[str] | None, typer.Option(metavar="TEXT", help="Add a barrier (repeatable).")
    ] = None,
    resolve: Annotated[
        list[str] | None,
        typer.Option(metavar="TEXT|N", help="Remove a resolved barrier, by text or number."),
    ] = None,
    adaptation: Annotated[
        str | None, typer.Option(metavar="TEXT", help="Request a local adaptation.")
    ] = None,
    principle: Annotated[
        str | None,
        typer.Option(
            metavar="TEXT|N",
            help="With --adaptation: the fixed principle of the practice it departs from, "
            "by text or number; the practice owner then decides it, before close.",
        ),
    ] = None,
    approve_adaptation: Annotated[
        str | None,
        typer.Option(
            metavar="TEXT|N",
            help="Approve a requested adaptation (diffusion oversight: the project's "
            "sponsor-oversight role or a member of the approving body; the practice "
            "owner for one that departs from a fixed principle).",
        ),
    ] = None,
    refuse_adaptation: Annotated[
        str | None,
        typer.Option(
            metavar="TEXT|N",
            help="Refuse a requested adaptation (decided by the same people as approving).",
        ),
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option(metavar="TEXT", help="Why the site is not-applicable (needed for it)."),
    ] = None,
    excepted: Annotated[
        str | None,
        typer.Option(
            "--except",
            metavar="REASON",
            help="Let the site off the close gate without going live (a member of the "
            "approving body; recorded with who and --date).",
        ),
    ] = None,
    pause: Annotated[
        str | None,
        typer.Option(
            metavar="REASON",
            help="Pause the work at the site from --date to --until: 'diffuse review' "
            "then lists it as paused, not stale.",
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help="The last day of the pause (with --pause, or alone to move its end).",
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option("--resume", help="End the pause in force on --date; the clock runs again."),
    ] = False,
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    by: ByOpt = None,
    on: DateOpt = None,
    root: RootOpt = None,
) -> None:
    """Update one site's row of a project.

    Sets status, health, ADKAR stage, note, go-live dates, local leader, barriers, local
    adaptations, exceptions to the close gate and a pause of the work, stamps 'updated',
    and logs a note in the project's dated updates, changing only those lines.

    \b
    Example:
      diffuse site hh-spread nor --status live --date 2026-05-04
      diffuse site hh-spread sea --barrier "No sinks in bay 3" --go-live 2026-07-01
      diffuse site hh-spread sou --status not-applicable --reason "No inpatient beds"
      diffuse site hh-spread nst --adaptation "Gel only, no soap" --principle 1
      diffuse site hh-spread nst --refuse-adaptation 1   # as the practice owner
      diffuse site hh-spread sea --pause "Ward closed for refurbishment" --until 2026-09-30
      diffuse site hh-spread sea --resume --date 2026-08-15
    """
    from diffuse.edits.site import SiteRequest, update_site

    request = SiteRequest(
        project,
        site,
        status_,
        health_,
        adkar,
        note,
        leader,
        parse_day(go_live, "--go-live") if go_live else None,
        tuple(barrier or ()),
        tuple(resolve or ()),
        adaptation=adaptation,
        principle=principle,
        approve=approve_adaptation,
        refuse=refuse_adaptation,
        reason=reason,
        exception=excepted,
        pause=pause,
        until=parse_day(until, "--until") if until else None,
        resume=resume,
    )
    echo_result(update_site(tracker_root(root), request, edit_options(dry_run, commit, by, on)))


@app.command("duty")
def duty(
    project: ProjectArg,
    duty_ids: Annotated[
        list[str],
        typer.Argument(metavar="DUTY...", help="Duty ids of the checklist (a new one with --add)."),
    ],
    done: Annotated[bool, typer.Option("--done", help="Mark it done on --date.")] = False,
    na: Annotated[
        bool, typer.Option("--na", help="Mark it not applicable (needs --reason).")
    ] = False,
    reopen: Annotated[bool, typer.Option("--open", help="Mark it open again.")] = False,
    evidence: Annotated[
        str | None, typer.Option(metavar="URL", help="Where the work can be seen.")
    ] = None,
    reason: Annotated[
        str | None, typer.Option(metavar="TEXT", help="Why the duty does not apply.")
    ] = None,
    holder: Annotated[
        str | None,
        typer.Option(
            "--for",
            metavar="PERSON",
            help="With --done or --na: the holder of the duty's role who did it (or judged "
            "it not to apply), when you record it on their behalf (kept as 'by', you as "
            "'recorded_by').",
            show_default=False,
        ),
    ] = None,
    add: Annotated[
        bool,
        typer.Option(
            "--add",
            help="Add DUTY to this project's checklist (needs --role, --due and --title); "
            "the gates judge it like the workflow's duties.",
        ),
    ] = False,
    role_: Annotated[
        str | None,
        typer.Option("--role", metavar="ROLE", help="With --add: the role whose duty it is."),
    ] = None,
    due: Annotated[
        str | None,
        typer.Option(
            metavar="PHASE", help="With --add: the phase that cannot be left until it is done."
        ),
    ] = None,
    title: Annotated[
        str | None, typer.Option(metavar="TEXT", help="With --add: what the duty is.")
    ] = None,
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    by: ByOpt = None,
    on: DateOpt = None,
    root: RootOpt = None,
) -> None:
    """Record a checklist duty as done, not applicable or open again, or add one.

    Several duties may be given at once; each gets the same record. A duty is done (or
    marked na) by a holder of its role: you, or the holder named by --for.

    \b
    Example:
      diffuse duty hh-spread dm-charter --done --evidence https://intranet/charter
      diffuse duty hh-spread dm-charter --done --for cy   # cy did it; you record it
      diffuse duty hh-spread it-requirements --na --reason "No system changes needed"
      diffuse duty hh-spread dt-gel-audit --add --role diffusion-team --due execute \\
        --title "Audit gel stock weekly"
    """
    if add:
        from diffuse.edits.customduty import NewDuty, add_duty

        if len(duty_ids) != 1 or done or na or reopen:
            raise typer.BadParameter("--add takes one new DUTY id, without --done, --na or --open")
        request_new = NewDuty(project, duty_ids[0], role_, due, title)
        options = edit_options(dry_run, commit, by, on)
        echo_result(add_duty(tracker_root(root), request_new, options))
        return
    if role_ is not None or due is not None or title is not None:
        raise typer.BadParameter("--role, --due and --title go with --add")
    from diffuse.edits.checklist import DutyRequest, record_duty
    from diffuse.vocab import DutyStatus

    chosen = [
        s
        for s, flag in (
            (DutyStatus.DONE, done),
            (DutyStatus.NOT_APPLICABLE, na),
            (DutyStatus.OPEN, reopen),
        )
        if flag
    ]
    if len(chosen) != 1:
        raise typer.BadParameter("give exactly one of --done, --na or --open")
    request = DutyRequest(project, tuple(duty_ids), chosen[0], evidence, reason, holder)
    echo_result(record_duty(tracker_root(root), request, edit_options(dry_run, commit, by, on)))


@app.command("role")
def role(
    project: ProjectArg,
    role_id: Annotated[str, typer.Argument(metavar="ROLE", help="Role id of the workflow.")],
    people: Annotated[list[str], typer.Argument(metavar="PERSON...", help="Person ids.")],
    remove: Annotated[bool, typer.Option("--remove", help="Take them off the role.")] = False,
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    by: ByOpt = None,
    on: DateOpt = None,
    root: RootOpt = None,
) -> None:
    """Assign people to a project role (or --remove them).

    \b
    Example:
      diffuse role hh-spread diffusion-manager cy
    """
    from diffuse.edits.checklist import assign_role

    options = edit_options(dry_run, commit, by, on)
    echo_result(assign_role(tracker_root(root), project, role_id, people, remove, options))


@app.command("risk")
def risk(
    project: ProjectArg,
    risk_id: Annotated[
        str,
        typer.Argument(
            metavar="RISK",
            help=f"A risk category ({', '.join(RiskCategory)}) or the risk's number from 1; "
            "a category the project lacks adds a risk.",
        ),
    ],
    likelihood: Annotated[int | None, typer.Option(metavar="1-5", help="Likelihood.")] = None,
    impact: Annotated[int | None, typer.Option(metavar="1-5", help="Impact.")] = None,
    owner: Annotated[str | None, typer.Option(metavar="PERSON", help="Who owns it.")] = None,
    mitigation: Annotated[str | None, typer.Option(metavar="TEXT", help="The plan.")] = None,
    status_: Annotated[
        str | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            help=f"{spoken(RiskStatus)} (scoring an unassessed risk opens it).",
        ),
    ] = None,
    description: Annotated[str | None, typer.Option(metavar="TEXT", help="What it is.")] = None,
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    by: ByOpt = None,
    on: DateOpt = None,
    root: RootOpt = None,
) -> None:
    """Assess or update one of a project's risks.

    \b
    Example:
      diffuse risk hh-spread physician-time --likelihood 4 --impact 3 --owner cy \\
        --mitigation "Book FTE 90 days ahead"
    """
    from diffuse.edits.checklist import RiskRequest, update_risk

    request = RiskRequest(
        project, risk_id, likelihood, impact, owner, mitigation, status_, description
    )
    echo_result(update_risk(tracker_root(root), request, edit_options(dry_run, commit, by, on)))


@app.command("project")
def project_update(
    project: ProjectArg,
    approved: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="Day the sponsoring body approved the diffusion."),
    ] = None,
    target_months: Annotated[
        int | None,
        typer.Option(metavar="N", min=1, max=120, help="Months to reach every site."),
    ] = None,
    title: Annotated[str | None, typer.Option(metavar="TEXT", help="The title.")] = None,
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    by: ByOpt = None,
    on: DateOpt = None,
    root: RootOpt = None,
) -> None:
    """Set a project's approval date, target or title.

    The approval date starts the clock of the status grid's Days and the target date.

    \b
    Example:
      diffuse project hh-2027 --approved 2027-01-21 --target-months 6
    """
    from diffuse.edits.plan import update_project

    fields = {
        "approved": parse_day(approved, "--approved") if approved else None,
        "target_months": target_months,
        "title": title,
    }
    chosen = {k: v for k, v in fields.items() if v is not None}
    echo_result(
        update_project(tracker_root(root), project, chosen, edit_options(dry_run, commit, by, on))
    )


@app.command("disseminate")
def disseminate(
    project: ProjectArg,
    approach: Annotated[
        str,
        typer.Argument(
            metavar="APPROACH",
            help="written-materials, conferences, social-media, campaigns, change-champions, "
            "training, train-the-trainer, action-research, collaboratives or networks.",
        ),
    ],
    audience: Annotated[str | None, typer.Option(metavar="TEXT", help="Who it reaches.")] = None,
    owner: Annotated[str | None, typer.Option(metavar="PERSON", help="Who leads it.")] = None,
    start: Annotated[str | None, typer.Option(metavar="DATE", help="Start date.")] = None,
    end: Annotated[str | None, typer.Option(metavar="DATE", help="End date.")] = None,
    done: Annotated[bool, typer.Option("--done", help="Mark it done on --date.")] = False,
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    by: ByOpt = None,
    on: DateOpt = None,
    root: RootOpt = None,
) -> None:
    """Add to a project's dissemination plan, or update or finish a line of it.

    'diffuse show PROJECT' lists the plan with the strength of the evidence behind each
    approach (Health Foundation evidence scan) and warns when it leans only on weak ones.

    \b
    Example:
      diffuse disseminate hh-spread change-champions --audience "ward nurses" --owner cy \\
        --start 2026-04-01 --end 2026-06-30
    """
    from diffuse.edits.plan import DisseminationRequest
    from diffuse.edits.plan import disseminate as record

    request = DisseminationRequest(
        project,
        approach,
        audience,
        owner,
        parse_day(start, "--start") if start else None,
        parse_day(end, "--end") if end else None,
        done,
    )
    echo_result(record(tracker_root(root), request, edit_options(dry_run, commit, by, on)))
