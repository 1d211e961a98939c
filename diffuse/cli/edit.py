"""Commands for the routine edits: a site's row, a duty, a role, a risk, a practice, the
organisation, a project's dissemination plan. Each changes only the lines it must and takes
--dry-run, --commit, --by and --date."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from diffuse.cli.app import ByOpt, CommitOpt, DateOpt, RootOpt, _Group, app, parse_day, tracker_root

DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Show the lines that would change; write nothing.")
]
ProjectArg = Annotated[str, typer.Argument(metavar="PROJECT", help="Project id.")]
TextOpt = Annotated[str | None, typer.Option(metavar="TEXT", show_default=False)]


if TYPE_CHECKING:
    from diffuse.edits.record import EditOptions, EditResult


def _options(dry_run: bool, commit: bool, by: str | None, on: str | None) -> EditOptions:
    from diffuse.edits.record import EditOptions

    return EditOptions(parse_day(on, "--date"), by, dry_run, commit)


def _echo(result: EditResult) -> None:
    for line in result.lines():
        typer.echo(line)


@app.command("site")
def site_update(
    project: ProjectArg,
    site: Annotated[str, typer.Argument(metavar="SITE", help="Site id.")],
    status_: Annotated[
        str | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            help="not-started, planning, implementing, live, sustained or not-applicable; "
            "live or sustained records the go-live date (--date) if none is recorded.",
        ),
    ] = None,
    health_: Annotated[
        str | None,
        typer.Option("--health", metavar="HEALTH", help="on-track, at-risk or off-track."),
    ] = None,
    adkar: Annotated[
        str | None,
        typer.Option(
            metavar="STAGE", help="awareness, desire, knowledge, ability or reinforcement."
        ),
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
    approve_adaptation: Annotated[
        str | None,
        typer.Option(
            metavar="TEXT|N",
            help="Approve a requested adaptation (diffusion oversight: the project's "
            "sponsor-oversight role or a member of the approving body).",
        ),
    ] = None,
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    by: ByOpt = None,
    on: DateOpt = None,
    root: RootOpt = None,
) -> None:
    """Update one site's row of a project.

    Sets status, health, ADKAR stage, note, go-live dates, local leader, barriers and
    local adaptations, stamps 'updated', and logs a note in the project's dated updates,
    changing only those lines.

    \b
    Example:
      diffuse site hh-spread nor --status live --date 2026-05-04
      diffuse site hh-spread sea --barrier "No sinks in bay 3" --go-live 2026-07-01
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
        adaptation,
        approve_adaptation,
    )
    _echo(update_site(tracker_root(root), request, _options(dry_run, commit, by, on)))


@app.command("duty")
def duty(
    project: ProjectArg,
    duty_ids: Annotated[
        list[str], typer.Argument(metavar="DUTY...", help="Duty ids of the checklist.")
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
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    by: ByOpt = None,
    on: DateOpt = None,
    root: RootOpt = None,
) -> None:
    """Record a checklist duty as done, not applicable, or open again.

    Several duties may be given at once; each gets the same record.

    \b
    Example:
      diffuse duty hh-spread dm-charter --done --evidence https://intranet/charter
      diffuse duty hh-spread it-requirements --na --reason "No system changes needed"
    """
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
    request = DutyRequest(project, tuple(duty_ids), chosen[0], evidence, reason)
    _echo(record_duty(tracker_root(root), request, _options(dry_run, commit, by, on)))


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

    options = _options(dry_run, commit, by, on)
    _echo(assign_role(tracker_root(root), project, role_id, people, remove, options))


@app.command("risk")
def risk(
    project: ProjectArg,
    risk_id: Annotated[
        str,
        typer.Argument(
            metavar="RISK",
            help="A risk category (documentation, ownership, measurement, it-approval, "
            "it-changes, physician-time, competing-priorities, culture, other) or the "
            "risk's number from 1; a category the project lacks adds a risk.",
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
            help="unassessed, open, mitigated, accepted or closed (scoring an unassessed "
            "risk opens it).",
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
    _echo(update_risk(tracker_root(root), request, _options(dry_run, commit, by, on)))


@app.command("practice")
def practice(
    practice_id: Annotated[str, typer.Argument(metavar="ID", help="Practice id.")],
    status_: Annotated[
        str | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            help="Next status: proposed, approved (needs readiness met), diffusing, diffused "
            "(records 'established'), retired or superseded.",
        ),
    ] = None,
    summary: Annotated[str | None, typer.Option(metavar="TEXT", help="What it is.")] = None,
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

    \b
    Example:
      diffuse practice hand-hygiene --owner ada --goal "95% compliance at every site"
      diffuse practice hand-hygiene --status approved
      diffuse practice hand-hygiene --reviewed --outcome "No change needed"
    """
    from diffuse.edits.practice import PracticeRequest, update_practice

    fields = {"summary": summary, "goal": goal, "owner": owner, "approving_body": body}
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
    )
    _echo(update_practice(tracker_root(root), request, _options(dry_run, commit, by, on)))


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
    _echo(update_project(tracker_root(root), project, chosen, _options(dry_run, commit, by, on)))


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
    _echo(record(tracker_root(root), request, _options(dry_run, commit, by, on)))


org_app = typer.Typer(
    cls=_Group,
    help="Add sites, people and approving bodies to the organisation file.\n\n"
    "\b\n"
    "Example:\n"
    '  diffuse org add-site lkw --name "Lakewood Hospital" --region West\n'
    '  diffuse org add-person dee --name "Dee Owner" --email dee@example.org\n'
    "  diffuse org add-member cpc dee",
    rich_markup_mode=None,
    no_args_is_help=True,
)
app.add_typer(org_app, name="org")


@org_app.command("add-site")
def add_site(
    site_id: Annotated[str, typer.Argument(metavar="ID", help="New site id.")],
    name: Annotated[str, typer.Option(metavar="TEXT", help="Site name.")],
    region: Annotated[str | None, typer.Option(metavar="TEXT", help="Region.")] = None,
    kind: Annotated[
        str | None, typer.Option(metavar="TEXT", help="hospital, clinic, ... (default hospital).")
    ] = None,
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    by: ByOpt = None,
    on: DateOpt = None,
    root: RootOpt = None,
) -> None:
    """Add a site; every project then counts it in scope.

    \b
    Example:
      diffuse org add-site lkw --name "Lakewood Hospital" --region West
    """
    from diffuse.edits.organisation import Entry, add_entry

    entry = Entry("site", site_id, {"name": name, "region": region, "kind": kind})
    _echo(add_entry(tracker_root(root), entry, _options(dry_run, commit, by, on)))


@org_app.command("add-person")
def add_person(
    person_id: Annotated[str, typer.Argument(metavar="ID", help="New person id.")],
    name: Annotated[str, typer.Option(metavar="TEXT", help="Full name.")],
    email: Annotated[
        str | None, typer.Option(metavar="EMAIL", help="The email they commit with.")
    ] = None,
    title: Annotated[str | None, typer.Option(metavar="TEXT", help="Job title.")] = None,
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    by: ByOpt = None,
    on: DateOpt = None,
    root: RootOpt = None,
) -> None:
    """Add a person.

    \b
    Example:
      diffuse org add-person dee --name "Dee Owner" --email dee@example.org
    """
    from diffuse.edits.organisation import Entry, add_entry

    entry = Entry("person", person_id, {"name": name, "email": email, "title": title})
    _echo(add_entry(tracker_root(root), entry, _options(dry_run, commit, by, on)))


@org_app.command("add-body")
def add_body(
    body_id: Annotated[str, typer.Argument(metavar="ID", help="New body id.")],
    name: Annotated[str, typer.Option(metavar="TEXT", help="Body name.")],
    kind: Annotated[
        str,
        typer.Option(
            metavar="KIND", help="clinical-practice-committee, specialty-council or other."
        ),
    ] = "specialty-council",
    specialty: Annotated[str | None, typer.Option(metavar="TEXT", help="Specialty.")] = None,
    member: Annotated[
        list[str] | None, typer.Option(metavar="PERSON", help="A member (repeatable).")
    ] = None,
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    by: ByOpt = None,
    on: DateOpt = None,
    root: RootOpt = None,
) -> None:
    """Add an approving body (a change of governance: 'diffuse check' wants it approved).

    \b
    Example:
      diffuse org add-body ortho --name "Orthopedics Council" --specialty orthopedics \\
        --member ada
    """
    from diffuse.edits.organisation import Entry, add_entry

    fields = {"name": name, "kind": kind, "specialty": specialty}
    entry = Entry("body", body_id, fields, tuple(member or ()))
    _echo(add_entry(tracker_root(root), entry, _options(dry_run, commit, by, on)))


@org_app.command("add-member")
def add_member(
    body_id: Annotated[str, typer.Argument(metavar="BODY", help="Approving body id.")],
    person: Annotated[str, typer.Argument(metavar="PERSON", help="Person id.")],
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    by: ByOpt = None,
    on: DateOpt = None,
    root: RootOpt = None,
) -> None:
    """Add a person to an approving body.

    \b
    Example:
      diffuse org add-member cpc dee
    """
    from diffuse.edits.organisation import add_member as record

    _echo(record(tracker_root(root), body_id, person, _options(dry_run, commit, by, on)))
