"""Commands for readers outside the terminal: the HTML report, practice search, the
portfolio's risks and the SQLite export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from diffuse.cli.app import (
    AsOfOpt,
    DetailFormat,
    DetailOpt,
    RootOpt,
    _Group,
    app,
    parse_day,
    tracker_root,
    warn_problems,
)

export_app = typer.Typer(
    cls=_Group,
    help="Write the tracker to a file other tools read.\n\n"
    "\b\n"
    "Example: diffuse export sqlite tracker.db",
    rich_markup_mode=None,
    no_args_is_help=True,
)
app.add_typer(export_app, name="export")


@app.command()
def report(
    out: Annotated[
        Path | None,
        typer.Option("--out", metavar="DIR", help="Folder to write the site into."),
    ] = None,
    pdf: Annotated[
        Path | None,
        typer.Option(
            "--pdf",
            metavar="FILE",
            help="Print the board pack to FILE through headless Chromium "
            "(Debian package 'chromium'), e.g. --pdf board-pack.pdf.",
        ),
    ] = None,
    as_of: AsOfOpt = None,
    root: RootOpt = None,
) -> None:
    """Write the tracker as a static HTML site for leadership, or a PDF board pack.

    The Status Tracker (with days since approval and the forecast), a portfolio summary
    and the portfolio over time, a page per project (timeline, checklist, risk heat map,
    sites, dissemination plan, adoption curve, control charts), a page per site, the
    practices with search, portfolio risks, site scorecards with the capacity
    heat map, and the review calendar. No server and nothing from
    the network: open DIR/index.html, or publish DIR. DIR is replaced whole. Every page
    prints on A4 landscape without menus or scrollbars.

    --pdf FILE prints one document for the meeting: a cover, the portfolio summary, the
    portfolio over time, capacity for change, the Status Tracker region by region, three
    pages per project and the sites that need attention. Give --out, --pdf or both.

    \b
    Example: diffuse report --out site --as-of 2026-11-22
    Example: diffuse report --pdf board-pack.pdf --as-of 2026-11-22"""
    from diffuse.render.html import write_pdf, write_report
    from diffuse.rules.load import load_tracker

    if out is None and pdf is None:
        raise typer.BadParameter("give --out DIR, --pdf FILE or both", param_hint="--out")
    day = parse_day(as_of, "--as-of")
    # Projects are built as each page needs them: a big tracker is never held whole.
    loaded = load_tracker(tracker_root(root), keep_models=False)
    if out is not None:
        count = write_report(loaded, day, out)
        typer.echo(f"wrote {count} pages to {out}")
    if pdf is not None:
        projects = write_pdf(loaded, day, pdf)
        typer.echo(f"wrote the board pack of {projects} projects to {pdf}")
    warn_problems(loaded.problems)


@app.command()
def search(
    query: Annotated[str, typer.Argument(metavar="QUERY", help="Words to find, all of them.")],
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            help="Only practices with this status, e.g. diffused (repeatable).",
        ),
    ] = None,
    output: DetailOpt = DetailFormat.TEXT,
    root: RootOpt = None,
) -> None:
    """Find practices whose text holds every word of QUERY.

    Searches id, title, summary, goal, principles, evidence, support elements, owner and
    approving body, ignoring case; the report's practices page searches the same way.

    \b
    Example: diffuse search "central line" --status diffused"""
    from diffuse.render.lists import search_json, search_text
    from diffuse.render.plain import text_width
    from diffuse.reports.practices import search as find
    from diffuse.rules.load import load_tracker

    loaded = load_tracker(tracker_root(root))
    statuses = tuple(status or ())
    hits = find(loaded.catalog, query, statuses)
    if output is DetailFormat.JSON:
        typer.echo(search_json(hits, query, statuses), nl=False)
    else:
        typer.echo(search_text(hits, query, text_width()), nl=False)
    warn_problems(loaded.problems)


@app.command()
def risks(
    by_category: Annotated[
        bool,
        typer.Option("--by-category", help="Group by the model's seven standard risks."),
    ] = False,
    output: DetailOpt = DetailFormat.TEXT,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="The risks as they stood on this date, YYYY-MM-DD, from the last commit "
            "dated by then (default: as the files are now).",
            show_default=False,
        ),
    ] = None,
    root: RootOpt = None,
) -> None:
    """List every open risk of the active projects, highest score first.

    Score is likelihood × impact (1-25).

    \b
    Example: diffuse risks --by-category --as-of 2026-11-22"""
    from diffuse.render.lists import risks_json, risks_text
    from diffuse.render.plain import text_width
    from diffuse.reports.risks import open_risks
    from diffuse.rules.load import load_tracker

    loaded = load_tracker(tracker_root(root))
    day = parse_day(as_of, "--as-of") if as_of else None
    lines = open_risks(loaded, day)
    if output is DetailFormat.JSON:
        # Without --as-of the risks are the files' as they are now: today's.
        typer.echo(risks_json(lines, day or parse_day(None, "--as-of")), nl=False)
    else:
        typer.echo(risks_text(lines, by_category, text_width()), nl=False)
    warn_problems(loaded.problems)


@export_app.command("sqlite")
def export_sqlite(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Database file to write.")],
    as_of: AsOfOpt = None,
    root: RootOpt = None,
) -> None:
    """Write the tracker to one SQLite database for BI tools.

    Tables of practices, projects, sites, their states, duties, risks, metric values,
    approvals, transitions and updates, with views of the grid and the SPC results (each
    table is described in docs/output.md). FILE is replaced whole: a reader never sees half
    of it.

    \b
    Example: diffuse export sqlite tracker.db --as-of 2026-11-22"""
    from diffuse.export.sqlite import export
    from diffuse.rules.load import load_tracker

    loaded = load_tracker(tracker_root(root), keep_models=False)
    counts = export(loaded, parse_day(as_of, "--as-of"), file)
    typer.echo(f"wrote {file}: " + ", ".join(f"{n} {t}" for t, n in counts.items()))
    warn_problems(loaded.problems)
