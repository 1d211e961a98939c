"""`diffuse org`: add sites, people and approving bodies to the organisation file."""

from __future__ import annotations

from typing import Annotated

import typer

from diffuse.cli.app import (
    CommitOpt,
    DateOpt,
    RootOpt,
    _Group,
    app,
    edit_options,
    tracker_root,
)
from diffuse.cli.completion import ByOpt
from diffuse.cli.edit import DryRunOpt, echo_result
from diffuse.vocab import BodyKind, spoken

GitHubOpt = Annotated[
    str | None,
    typer.Option(metavar="LOGIN", help="Their GitHub login, without '@' (for reminders)."),
]

org_app = typer.Typer(
    cls=_Group,
    help="Add, change and remove sites, people and approving bodies in the organisation "
    "file.\n\n"
    "\b\n"
    "Example:\n"
    '  diffuse org add-site lkw --name "Lakewood Hospital" --region West\n'
    '  diffuse org add-person dee --name "Dee Owner" --email dee@example.org\n'
    "  diffuse org add-member cpc dee\n"
    "  diffuse org rename-site lkw lakewood",
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
    echo_result(add_entry(tracker_root(root), entry, edit_options(dry_run, commit, by, on)))


@org_app.command("add-person")
def add_person(
    person_id: Annotated[str, typer.Argument(metavar="ID", help="New person id.")],
    name: Annotated[str, typer.Option(metavar="TEXT", help="Full name.")],
    email: Annotated[
        str | None, typer.Option(metavar="EMAIL", help="The email they commit with.")
    ] = None,
    title: Annotated[str | None, typer.Option(metavar="TEXT", help="Job title.")] = None,
    github: GitHubOpt = None,
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    by: ByOpt = None,
    on: DateOpt = None,
    root: RootOpt = None,
) -> None:
    """Add a person.

    \b
    Example:
      diffuse org add-person dee --name "Dee Owner" --email dee@example.org --github dee-o
    """
    from diffuse.edits.organisation import Entry, add_entry

    fields = {"name": name, "email": email, "title": title, "github": github}
    entry = Entry("person", person_id, fields)
    echo_result(add_entry(tracker_root(root), entry, edit_options(dry_run, commit, by, on)))


@org_app.command("add-body")
def add_body(
    body_id: Annotated[str, typer.Argument(metavar="ID", help="New body id.")],
    name: Annotated[str, typer.Option(metavar="TEXT", help="Body name.")],
    kind: Annotated[
        str,
        typer.Option(metavar="KIND", help=f"{spoken(BodyKind)}."),
    ] = BodyKind.SPECIALTY_COUNCIL.value,
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
    echo_result(add_entry(tracker_root(root), entry, edit_options(dry_run, commit, by, on)))


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

    echo_result(record(tracker_root(root), body_id, person, edit_options(dry_run, commit, by, on)))


@org_app.command("edit-person")
def edit_person(
    person_id: Annotated[str, typer.Argument(metavar="ID", help="Person id.")],
    name: Annotated[str | None, typer.Option(metavar="TEXT", help="Full name.")] = None,
    email: Annotated[
        str | None, typer.Option(metavar="EMAIL", help="The email they commit with.")
    ] = None,
    title: Annotated[str | None, typer.Option(metavar="TEXT", help="Job title.")] = None,
    github: GitHubOpt = None,
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    by: ByOpt = None,
    on: DateOpt = None,
    root: RootOpt = None,
) -> None:
    """Change a person's name, email, title or GitHub login; the rest stays as written.

    \b
    Example:
      diffuse org edit-person chair --name "Ada Lovelace" --email ada@lakeland.example
    """
    from diffuse.edits.organisation import edit_person as record

    fields = {"name": name, "email": email, "title": title, "github": github}
    options = edit_options(dry_run, commit, by, on)
    echo_result(record(tracker_root(root), person_id, fields, options))


@org_app.command("remove-person")
def remove_person(
    person_id: Annotated[str, typer.Argument(metavar="ID", help="Person id.")],
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    by: ByOpt = None,
    on: DateOpt = None,
    root: RootOpt = None,
) -> None:
    """Remove a person whom no file names any more (refused, listing each place, while a
    body, practice or project still names them).

    \b
    Example:
      diffuse org remove-person dee --commit
    """
    from diffuse.edits.organisation import remove_person as record

    echo_result(record(tracker_root(root), person_id, edit_options(dry_run, commit, by, on)))


@org_app.command("remove-member")
def remove_member(
    body_id: Annotated[str, typer.Argument(metavar="BODY", help="Approving body id.")],
    person: Annotated[str, typer.Argument(metavar="PERSON", help="Person id.")],
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    by: ByOpt = None,
    on: DateOpt = None,
    root: RootOpt = None,
) -> None:
    """Remove a person from an approving body (a change of governance; a body keeps one
    member at least).

    \b
    Example:
      diffuse org remove-member cpc dee
    """
    from diffuse.edits.organisation import remove_member as record

    echo_result(record(tracker_root(root), body_id, person, edit_options(dry_run, commit, by, on)))


@org_app.command("rename-site")
def rename_site(
    old: Annotated[str, typer.Argument(metavar="SITE", help="The site's id now.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="Its new id.")],
    dry_run: DryRunOpt = False,
    commit: CommitOpt = False,
    by: ByOpt = None,
    on: DateOpt = None,
    root: RootOpt = None,
) -> None:
    """Rename a site's id in the organisation and in every practice and project that names
    it (all files or none; comments kept).

    \b
    Example:
      diffuse org rename-site lkw lakewood --dry-run
    """
    from diffuse.edits.organisation import rename_site as record

    echo_result(record(tracker_root(root), old, new, edit_options(dry_run, commit, by, on)))
