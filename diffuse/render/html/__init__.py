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

from diffuse import gcpause
from diffuse.errors import DiffuseError
from diffuse.escape import clean
from diffuse.models import Project
from diffuse.render.html import pages
from diffuse.render.html.overtime import capacity_values
from diffuse.render.html.pack import chromium, pack_date, pack_values, print_pdf
from diffuse.reports.asof import Stood, project_at, project_on
from diffuse.reports.capacity import Loads
from diffuse.reports.portfolio import Parts, Portfolio
from diffuse.reports.risks import RiskLine, by_score, open_lines
from diffuse.reports.scorecard import Tallies
from diffuse.reports.status.build import Growing
from diffuse.reports.status.grid import Filters
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


class _Pass:
    """What the pages over every project keep of each, gathered in one pass over the
    tracker of the day (`Stood`): each project is read and dated once, its page made from
    it, and only the rows, counts and dates the other pages show are kept."""

    def __init__(self, loaded: Loaded, as_of: date) -> None:
        self.stood = Stood(loaded, as_of)
        self.loaded, self.as_of = self.stood.loaded, as_of
        catalog = self.loaded.catalog
        self.grid = Growing(catalog, as_of, Filters(include_inactive=True))
        self.parts = Parts(catalog, as_of)
        self.loads = Loads(catalog, as_of)

    def project_pages(self) -> Iterator[tuple[Project, pages.Page]]:
        """Each project as the pages show it (`dated`), with its page."""
        catalog, as_of = self.loaded.catalog, self.as_of
        for project in self.stood:
            row = self.grid.add(project)
            assert row is not None  # every project of the day has a row
            on_day = project_on(project, as_of)
            assert on_day is not None  # approved by the day
            self.loads.add(on_day)
            shown = project_at(catalog, project, as_of)  # as `dated` gives it
            assert shown is not None
            self.parts.add(row, shown)
            yield shown, pages.project_page(self.loaded, shown, row, as_of)

    def portfolio(self) -> tuple[Portfolio, list[pages.Page]]:
        """The portfolio, and its two pages: the tracker and the portfolio summary."""
        summary = self.parts.portfolio(self.grid.grid)
        return summary, [
            pages.index_page(summary, self.loaded.org),
            pages.portfolio_page(summary, self.parts.over_time()),
        ]


def site_pages(loaded: Loaded, as_of: date) -> Iterator[pages.Page]:
    """Every page of the site, made one at a time as they are written: a project's page
    as the pass comes to the project, then the pages over every project from what was
    kept of each (`_Pass`)."""
    # The tracker as it stood on the day: no chart point, risk or update recorded later.
    done = _Pass(loaded, as_of)
    loaded = done.loaded
    at_sites = pages.SitePages(loaded, as_of)
    scores = Tallies(loaded.catalog, as_of)
    lines: list[RiskLine] = []
    for project, page in done.project_pages():
        at_sites.add(project)
        scores.add(project)
        lines += open_lines(loaded.catalog, project)
        yield page
    yield from done.portfolio()[1]
    capacity = done.loads.capacity()
    yield pages.practices_page(loaded)
    yield pages.risks_page(by_score(lines))
    yield pages.sites_page(loaded, as_of, capacity, scores.sites)
    yield from at_sites.pages(capacity)


def write_pdf(loaded: Loaded, as_of: date, out: Path) -> int:
    """Print the board pack to `out`; returns the number of projects in it."""
    if out.is_dir():
        raise DiffuseError(f"{out}: is a folder; give the PDF file to write, e.g. {out}/pack.pdf")
    chromium()  # before any work: a missing browser is the likeliest failure
    done = _Pass(loaded, as_of)
    loaded = done.loaded
    with gcpause.paused():  # as in `write_report`
        project_pages = [page for _, page in done.project_pages()]
        summary, (tracker, summary_page) = done.portfolio()
    values = pack_values(summary, tracker, summary_page, project_pages)
    values["capacity"] = capacity_values(done.loads.capacity())
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
        # Each project's objects are made and dropped with no cycles among them: the
        # collector's full collections would only walk all that is kept, again and again.
        with gcpause.paused():
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
