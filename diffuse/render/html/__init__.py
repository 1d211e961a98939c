"""The HTML report: a static site rendered from Jinja2 templates with autoescaping on.

The only importer of Jinja2, imported by `diffuse report` alone so no other command pays
for it. The site needs no server and loads nothing from the network: one stylesheet and
one script sit beside the pages, and every chart is inline SVG.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from diffuse.errors import DiffuseError
from diffuse.escape import clean
from diffuse.render.html import pages
from diffuse.render.html.overtime import capacity_values
from diffuse.render.html.pack import chromium, pack_date, pack_values, print_pdf
from diffuse.reports.asof import tracker_on
from diffuse.reports.capacity import site_capacity
from diffuse.reports.portfolio import Portfolio, dated, portfolio, portfolio_over_time
from diffuse.rules.load import Loaded

HERE = Path(__file__).parent
MARKER = ".diffuse-report"  # written into every report folder; only such a folder is replaced


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_shown,
    )


def _shown(value: object) -> object:
    """Text from the files with control and reordering characters written as escapes, as
    the terminal shows it: autoescaping stops markup, not a line that reads backwards.
    Markup the templates made (SVG, JSON for the search) is left as it is."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return clean(value)
    return value


def site_pages(loaded: Loaded, as_of: date) -> Iterator[pages.Page]:
    """Every page of the site, made one at a time as they are written: a project's page is
    made from the project alone, and the site pages keep only what they show of each."""
    # The tracker as it stood on the day: no chart point, risk or update recorded later.
    loaded = tracker_on(loaded, as_of)
    catalog = loaded.catalog
    summary = portfolio(catalog, as_of)
    yield pages.index_page(summary, loaded.org)
    yield pages.portfolio_page(summary, portfolio_over_time(catalog, as_of))
    at_sites = pages.SitePages(loaded, as_of)
    rows = {row.project: row for row in summary.grid.rows}
    for project_id in sorted(rows):
        project = dated(catalog, project_id, as_of)
        at_sites.add(project)
        yield pages.project_page(loaded, project, rows[project_id], as_of)
    capacity = site_capacity(catalog, as_of)
    yield pages.practices_page(loaded)
    yield pages.risks_page(loaded)
    yield pages.sites_page(loaded, as_of, capacity)
    yield from at_sites.pages(capacity)


def _core(loaded: Loaded, as_of: date) -> tuple[Portfolio, list[pages.Page]]:
    """The portfolio and the pages the board pack shares with the site: the tracker, the
    portfolio summary and a page per project."""
    summary = portfolio(loaded.catalog, as_of)
    rows = {row.project: row for row in summary.grid.rows}
    built = [
        pages.index_page(summary, loaded.org),
        pages.portfolio_page(summary, portfolio_over_time(loaded.catalog, as_of)),
        *(
            pages.project_page(loaded, dated(loaded.catalog, p, as_of), rows[p], as_of)
            for p in sorted(rows)
        ),
    ]
    return summary, built


def write_pdf(loaded: Loaded, as_of: date, out: Path) -> int:
    """Print the board pack to `out`; returns the number of projects in it."""
    if out.is_dir():
        raise DiffuseError(f"{out}: is a folder; give the PDF file to write, e.g. {out}/pack.pdf")
    chromium()  # before any work: a missing browser is the likeliest failure
    loaded = tracker_on(loaded, as_of)
    summary, built = _core(loaded, as_of)
    tracker, summary_page, *project_pages = built
    values = pack_values(summary, tracker, summary_page, project_pages)
    values["capacity"] = capacity_values(site_capacity(loaded.catalog, as_of))
    html = (
        _environment()
        .get_template("pack.html.j2")
        .render(
            **values,
            title="Board pack",
            org=loaded.org.name,
            as_of=as_of.isoformat(),
            as_of_words=pack_date(as_of),
            who=pages.Names(loaded.org),
        )
    )
    print_pdf(html, HERE / "static" / "style.css", out)
    return len(project_pages)


def write_report(loaded: Loaded, as_of: date, out: Path) -> int:
    """Write the site into `out`, replacing it whole; returns the number of pages.

    The pages are written into a sibling folder first, so a reader of `out` sees the old
    report or the new one, never a half-written mix. A folder that exists, holds files and
    was not written by this command is refused rather than replaced."""
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise DiffuseError(
            f"{out}: exists and is not a report folder written by 'diffuse report'; "
            "choose an empty or new folder"
        )
    env = _environment()
    names = pages.Names(loaded.org)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    except OSError as exc:
        raise DiffuseError(f"{out}: cannot write a folder there ({exc.strerror})") from None
    written = 0
    try:
        for page in site_pages(loaded, as_of):
            template = env.get_template(page.template)
            # Written as it is made: the tracker page of a big tracker is tens of MB.
            template.stream(
                **page.values,
                title=page.title,
                page=page.file,
                nav=pages.NAV,
                org=loaded.org.name,
                as_of=as_of.isoformat(),
                who=names,
            ).dump(str(staging / page.file), encoding="utf-8")
            written += 1
        for name in ("style.css", "report.js"):
            shutil.copyfile(HERE / "static" / name, staging / name)
        (staging / MARKER).write_text("written by diffuse report\n", encoding="utf-8")
        _swap(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    old = out.with_name(f".{out.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)
