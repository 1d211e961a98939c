"""Commands for the board pack's figures: the portfolio over time and each site's load."""

from __future__ import annotations

import enum
from typing import Annotated

import typer

from diffuse.cli import completion
from diffuse.cli.app import AsOfOpt, RootOpt, app, parse_day, tracker_root, warn_problems


class BoardFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


FormatOpt = Annotated[BoardFormat, typer.Option("--format", help="Output format.")]


@app.command()
def portfolio(
    months: Annotated[
        int,
        typer.Option(
            metavar="N",
            min=1,
            max=240,
            help="Months of sites live to show, up to the date's month, and the quarters they "
            "touch; e.g. --months 12.",
        ),
    ] = 24,
    output: FormatOpt = BoardFormat.TEXT,
    as_of: AsOfOpt = None,
    root: RootOpt = None,
) -> None:
    """Show the portfolio over time: time to every site live, sites live by month.

    Per project approved by the date, closed or not: months from approval to every
    in-scope site live (the day it happened, or the forecast at the pace of go-lives so
    far) against its target and the model's reported 18-month average. Then the site rows
    live across the portfolio at the end of each month, and the projects approved and
    closed (entering the phase that needs every site live) in each quarter.

    \b
    Example: diffuse portfolio --as-of 2026-11-22 --format markdown"""
    from diffuse.render.portfolio import WRITERS
    from diffuse.reports.portfolio import portfolio_over_time
    from diffuse.rules.load import load_tracker

    loaded = load_tracker(tracker_root(root))
    over = portfolio_over_time(loaded.catalog, parse_day(as_of, "--as-of"), months)
    typer.echo(WRITERS[output.value](over), nl=False)
    warn_problems(loaded.problems)


@app.command()
def sites(
    site: Annotated[
        str | None,
        typer.Argument(
            metavar="[SITE]",
            help="Show this site in detail: its row in every project.",
            autocompletion=completion.sites,
        ),
    ] = None,
    output: FormatOpt = BoardFormat.TEXT,
    as_of: AsOfOpt = None,
    root: RootOpt = None,
) -> None:
    """Show each site's projects in flight and go-lives per month.

    A go-live counts in the month a site went live, or plans to while it is not live
    yet; months from 3 before the date to 12 after it. A month with more go-lives than
    the organisation's settings.max_golives_per_month (default 2) is marked ▲ and listed
    as over the limit. In flight: active projects whose site row is not live yet. With
    SITE: every project at the site with its state, go-live planned and actual, leader,
    ADKAR stage, open barriers and how long they have been open, and adaptations.

    \b
    Examples:
      diffuse sites --as-of 2026-11-22
      diffuse sites pfh --format json"""
    from diffuse.render.capacity import SITE_WRITERS, SITES_WRITERS
    from diffuse.reports.capacity import site_capacity, site_detail
    from diffuse.rules.load import load_tracker

    loaded = load_tracker(tracker_root(root))
    day = parse_day(as_of, "--as-of")
    if site is None:
        text = SITES_WRITERS[output.value](site_capacity(loaded.catalog, day))
    else:
        text = SITE_WRITERS[output.value](site_detail(loaded.catalog, site, day))
    typer.echo(text, nl=False)
    warn_problems(loaded.problems)
