"""Commands over the tracker files: init, new, validate, status, show, advance."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from diffuse.cli import bare, completion
from diffuse.cli.app import (
    AsOfOpt,
    CommitOpt,
    DateOpt,
    DetailFormat,
    NoPagerOpt,
    RootOpt,
    app,
    edit_options,
    new_app,
    page,
    pager_command,
    parse_day,
    tracker_root,
    warn_problems,
)
from diffuse.cli.bare import TEXT_LIMIT, Format, GroupBy, SortBy, ValidateFormat
from diffuse.cli.completion import ByOpt


@app.command()
def init(
    directory: Annotated[
        Path, typer.Argument(metavar="DIR", help="Folder to create the tracker in.")
    ] = Path("."),
    name: Annotated[
        str, typer.Option(metavar="TEXT", help="Name of the organisation.")
    ] = "My Health System",
    framework: Annotated[
        str,
        typer.Option(
            metavar="NAME",
            help="Workflow template: mayo (the Mayo Clinic Model of Diffusion), ihi-spread "
            "(IHI Framework for Spread), ihi-scale-up (IHI Scale-up Framework) or his "
            "(Healthcare Improvement Scotland).",
        ),
    ] = "mayo",
    chair: Annotated[
        str | None,
        typer.Option(
            metavar="ID",
            help="Id of the first member of the Clinical Practice Committee (with "
            "--chair-email). Default: a placeholder 'chair' at chair@example.org.",
        ),
    ] = None,
    chair_email: Annotated[
        str | None,
        typer.Option(metavar="EMAIL", help="The email the chair commits with."),
    ] = None,
    chair_name: Annotated[
        str | None, typer.Option(metavar="TEXT", help="The chair's full name (default: the id).")
    ] = None,
) -> None:
    """Create a tracker folder.

    Writes organisation.yaml, practices/, projects/, schemas/ and a README. In a folder
    not yet under git it also makes the repository ready for pull requests: git on branch
    main, the CI workflow running 'diffuse check --base ... --verify-signoff', the
    Pages workflow publishing 'diffuse report', a .pre-commit-config.yaml and
    CODEOWNERS, all in a first commit. They name the installed diffuse's commit (or its
    release), and actions pinned by commit.

    \b
    Example:
      diffuse init lakeland --name "Lakeland Health" --framework ihi-scale-up \\
        --chair ada --chair-email ada@lakeland.example --chair-name "Ada Lovelace"
    """
    from diffuse.edits.scaffold import Chair, init_tracker

    first = Chair.given(chair, chair_email, chair_name)
    outcome = init_tracker(directory, name, framework, first)
    for path in outcome.created:
        typer.echo(f"created {path}")
    if outcome.commit:
        typer.echo(f"committed {outcome.commit} on main")
    for note in outcome.notes:
        typer.echo(f"note: {note}")


@new_app.command("practice")
def new_practice(
    practice_id: Annotated[str, typer.Argument(metavar="ID", help="Id of the new practice.")],
    title: Annotated[
        str | None, typer.Option(metavar="TEXT", help="Title of the practice.")
    ] = None,
    root: RootOpt = None,
) -> None:
    """Create practices/ID.yaml with every field explained.

    \b
    Example: diffuse new practice early-mobility --title 'Early mobility'"""
    from diffuse.edits.scaffold import missing_schemas
    from diffuse.edits.scaffold import new_practice as create

    where = tracker_root(root)
    typer.echo(f"created {create(where, practice_id, title)}")
    for path in missing_schemas(where):
        typer.echo(f"wrote {path}")


@new_app.command("project")
def new_project(
    project_id: Annotated[str, typer.Argument(metavar="ID", help="Id of the new project.")],
    practice: Annotated[
        str,
        typer.Option(
            "--practice",
            metavar="ID",
            help="Id of the practice it diffuses.",
            autocompletion=completion.practices,
        ),
    ],
    root: RootOpt = None,
) -> None:
    """Create projects/ID.yaml with the checklist, the standard risks and every site.

    \b
    Example: diffuse new project early-mobility-rollout --practice early-mobility"""
    from diffuse.edits.scaffold import missing_schemas
    from diffuse.edits.scaffold import new_project as create

    where = tracker_root(root)
    typer.echo(f"created {create(where, project_id, practice)}")
    for path in missing_schemas(where):
        typer.echo(f"wrote {path}")


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH", help="Files or folders to report on (default: the whole tracker)."
        ),
    ] = None,
    output: Annotated[
        ValidateFormat | None,
        typer.Option(
            "--format",
            help="Output format (default: github when GITHUB_ACTIONS=true, else text).",
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Day the dates are checked against, YYYY-MM-DD (default: today): no date "
            "may lie further before or after it than settings.dates allows.",
            show_default=False,
        ),
    ] = None,
    root: RootOpt = None,
) -> None:
    """Check every file and report all problems.

    Each file is checked against its schema and every id it names against the other files,
    including the ids in the fields that parsed of a file with schema errors, and its dates
    against each other (a go-live before the approval is an error). Problems print as
    path:line:col: error[code] message, then a summary line. Exit 0 clean, 1 problems
    found. Example: diffuse validate --format junit > diffuse.xml"""
    day = parse_day(as_of, "--as-of")
    raise typer.Exit(bare.validate(paths or [], output.value if output else None, day, root))


@app.command()
def status(
    practice: Annotated[
        list[str] | None,
        typer.Option(
            metavar="ID",
            help="Only projects of this practice (repeatable).",
            autocompletion=completion.practices,
        ),
    ] = None,
    phase: Annotated[
        list[str] | None,
        typer.Option(metavar="PHASE", help="Only projects in this phase (repeatable)."),
    ] = None,
    site: Annotated[
        list[str] | None,
        typer.Option(
            metavar="SITE",
            help="Only this site's column (repeatable).",
            autocompletion=completion.sites,
        ),
    ] = None,
    health: Annotated[
        list[str] | None,
        typer.Option(
            metavar="HEALTH",
            help="Only projects whose overall health is this: on-track, "
            "at-risk or off-track (repeatable).",
        ),
    ] = None,
    group: Annotated[
        GroupBy,
        typer.Option(
            help="Columns per site, or per region/kind of site; auto groups by region when "
            "the sites do not fit the width."
        ),
    ] = GroupBy.AUTO,
    all_projects: Annotated[
        bool, typer.Option("--all", help="Include closed and sustained projects.")
    ] = False,
    sort: Annotated[
        SortBy,
        typer.Option(
            help="Row order: by project id (name), worst health first (health), fewest "
            "sites live first (live) or most days since approval first (days)."
        ),
    ] = SortBy.NAME,
    limit: Annotated[
        int | None,
        typer.Option(
            min=0,
            metavar="N",
            help=f"Show at most N rows, after sorting; 0 shows all (default: {TEXT_LIMIT} "
            "for text, all for the other formats).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TEXT,
    as_of: AsOfOpt = None,
    root: RootOpt = None,
) -> None:
    """Show the Status Tracker grid.

    One row per active project (phase, share of sites live, days since approval against the
    target, overall health) and one column per site, each cell a symbol for the site's state
    and health. When the sites do not fit, one column per region; when that does not fit
    either, a line per project with its cells listed below it. Plain text when piped or
    NO_COLOR is set. When rows are cut, a last line says how many are shown (on stderr for
    json and csv). Example, the 20 projects most in trouble: diffuse status --sort health
    --limit 20"""
    day = parse_day(as_of, "--as-of")
    picked = (tuple(practice or ()), tuple(phase or ()), tuple(site or ()), tuple(health or ()))
    code = bare.status(
        picked, all_projects, group.value, sort.value, limit, output.value, day, root
    )
    if code:
        raise typer.Exit(code)


@app.command()
def show(
    item_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="A practice or project id.", autocompletion=completion.items
        ),
    ],
    output: Annotated[
        DetailFormat, typer.Option("--format", help="Output format.")
    ] = DetailFormat.TEXT,
    no_pager: NoPagerOpt = False,
    as_of: AsOfOpt = None,
    root: RootOpt = None,
) -> None:
    """Print one practice or project in full.

    A project shows its checklist by role, the next gate, risks by score, metrics and sites;
    a practice its principles, support elements, approvals and review dates. With --as-of,
    a project as it stood that day, as status --as-of shows it. On a terminal the text goes
    through a pager, as git's does: $DIFFUSE_PAGER, $PAGER or less -FRX. Example: diffuse
    show cvc-standardization --as-of 2010-09-01 --no-pager"""
    import os
    import sys

    from diffuse.render.show import item_view
    from diffuse.render.terminal import make_console, rendered
    from diffuse.reports.status.report import as_it_stood, item_json, show_data
    from diffuse.rules.load import find_item, load_tracker

    day = parse_day(as_of, "--as-of")
    loaded = load_tracker(tracker_root(root))
    kind, item = find_item(loaded, item_id)
    item = as_it_stood(loaded, kind, item, day if as_of else None)
    if output is DetailFormat.JSON:
        typer.echo(item_json(loaded, kind, item, day), nl=False)
    else:
        console = make_console()
        view = item_view(show_data(loaded, kind, item, day), console.width)
        pager = pager_command(no_pager, sys.stdout.isatty(), os.environ)
        colour = (console.is_terminal or pager is not None) and not console.no_color
        text = rendered(view, console.width, colour)
        if pager is None:
            # click strips colour from piped output unless told: FORCE_COLOR decided it.
            typer.echo(text, nl=False, color=colour)
        else:
            page(text, pager)
    warn_problems(loaded.problems)


@app.command()
def advance(
    project: Annotated[
        str,
        typer.Argument(metavar="PROJECT", help="Project id.", autocompletion=completion.projects),
    ],
    to: Annotated[
        str | None,
        typer.Option("--to", metavar="PHASE", help="Phase to enter (default: the next)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check the gate; change nothing.")
    ] = False,
    commit: CommitOpt = False,
    by: ByOpt = None,
    on: DateOpt = None,
    reason: Annotated[
        str | None, typer.Option(metavar="TEXT", help="Why, recorded with the transition.")
    ] = None,
    root: RootOpt = None,
) -> None:
    """Move a project to its next phase if the gate is met.

    The gate: every checklist duty due by the current phase done or na, the roles the next
    phase needs assigned, its approval recorded and, as the workflow asks, every in-scope
    site live (close) and duties truly done (sustain: measurement handed to the owner).
    When it is not met, lists what is missing by role and site and exits 1 with the files
    unchanged. When it is, records the transition (from, to, date, by) changing only those
    lines, and moves the practice with it (diffusing, diffused) in the same edit and
    commit. Example: diffuse advance hh-spread --dry-run"""
    from diffuse.edits.advance import AdvanceRequest, advance_project

    request = AdvanceRequest(project, to, edit_options(dry_run, commit, by, on), reason)
    from diffuse.render.gates import advance_text
    from diffuse.render.plain import fit, text_width

    outcome = advance_project(tracker_root(root), request)
    typer.echo(fit(advance_text(outcome), text_width()), nl=False)
    raise typer.Exit(0 if outcome.passed else 1)
