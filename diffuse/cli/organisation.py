"""`diffuse org`: add sites, people and approving bodies to the organisation file."""

from __future__ import annotations

from typing import Annotated

import typer

from diffuse.cli.app import (
    ByOpt,
    CommitOpt,
    DateOpt,
    RootOpt,
    _Group,
    app,
    edit_options,
    tracker_root,
)
from diffuse.cli.edit import DryRunOpt, echo_result
from diffuse.vocab import BodyKind, spoken

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
    echo_result(add_entry(tracker_root(root), entry, edit_options(dry_run, commit, by, on)))


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
