"""The demo report in a real browser: headless Debian chromium, one launch for the module.

Skipped when chromium is not installed, unless DIFFUSE_REQUIRE_BROWSER=1 (set by .ci/run,
which installs it), so CI always runs them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from browser import Browser, executable
from conftest import REPO_ROOT

from diffuse.render.html import write_report
from diffuse.reports.measures import ChartOptions, project_charts
from diffuse.reports.status.build import build_grid
from diffuse.reports.status.grid import Filters
from diffuse.rules.load import load_tracker

AS_OF = date(2026, 11, 22)
AXE = Path(__file__).parent / "data" / "axe.min.js"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "site"
    write_report(load_tracker(REPO_ROOT), AS_OF, out)
    return out


def _needs(tool: str | None, package: str) -> None:
    if tool is None:
        if os.environ.get("DIFFUSE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{package} is not installed (apt-get install {package})")
        pytest.skip(f"{package} is not installed")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    exe = executable()
    _needs(exe, "chromium")
    assert exe is not None
    driver = Browser(exe)
    yield driver
    driver.close()


def _demo() -> tuple[list[dict[str, object]], int]:
    loaded = load_tracker(REPO_ROOT)
    grid = build_grid(loaded.catalog, AS_OF, Filters())
    rows = [{"project": r.project, "health": r.health.value} for r in grid.rows]
    return rows, len(loaded.org.sites)


def test_every_page_loads_without_a_console_error(browser: Browser, site: Path) -> None:
    pages = sorted(site.glob("*.html"))
    assert len(pages) >= 7
    for page in pages:
        browser.open(page)
        assert browser.errors == [], page.name
        assert browser.eval("document.querySelector('h1').textContent") != ""


def test_the_grid_has_one_cell_per_project_and_site(browser: Browser, site: Path) -> None:
    rows, sites = _demo()
    browser.open(site / "index.html")
    assert browser.eval("document.querySelectorAll('#grid tbody tr').length") == len(rows)
    assert browser.eval("document.querySelectorAll('#grid td.cell').length") == len(rows) * sites


def test_a_filter_hides_rows(browser: Browser, site: Path) -> None:
    rows, _ = _demo()
    at_risk = sorted(r["project"] for r in rows if r["health"] == "at-risk")
    assert 0 < len(at_risk) < len(rows)
    browser.open(site / "index.html")
    shown = browser.eval(
        """(() => {
        const s = document.querySelector('select[data-filter=health]');
        s.value = 'at-risk'; s.dispatchEvent(new Event('change'));
        return [...document.querySelectorAll('#grid tbody tr')].filter(r => !r.hidden)
          .map(r => r.querySelector('th a').textContent).sort();
        })()"""
    )
    assert shown == at_risk
    assert browser.eval("document.getElementById('shown').textContent") == (
        f"{len(at_risk)} of {len(rows)} projects shown"
    )


def test_health_reasons_show_on_keyboard_focus(browser: Browser, site: Path) -> None:
    browser.open(site / "index.html")
    visible = browser.eval(
        """(() => {
        const b = document.querySelector('.health-cell button');
        const tip = document.getElementById(b.getAttribute('aria-describedby'));
        const before = getComputedStyle(tip).display;
        b.focus();
        return [before, getComputedStyle(tip).display, tip.textContent.trim().length > 0];
        })()"""
    )
    assert visible == ["none", "block", True]


def test_search_finds_a_practice_by_a_word_of_its_summary(browser: Browser, site: Path) -> None:
    loaded = load_tracker(REPO_ROOT)
    summary = loaded.catalog.practices["delirium-prevention"].summary
    word = max(summary.split(), key=len).strip(".,;:()").upper()
    browser.open(site / "catalogue.html")
    found = browser.eval(
        f"""(() => {{
        const box = document.getElementById('search');
        box.value = {json.dumps(word)}; box.dispatchEvent(new Event('input'));
        return [...document.querySelectorAll('article.entry')].filter(a => !a.hidden)
          .map(a => a.id);
        }})()"""
    )
    assert "practice-delirium-prevention" in found
    assert len(found) < len(loaded.catalog.practices)


def test_a_control_chart_draws_the_limits_diffuse_metrics_computes(
    browser: Browser, site: Path
) -> None:
    browser.open(site / "project-cvc-standardization.html")
    drawn = browser.eval(
        """(() => {
        const svg = [...document.querySelectorAll('svg.chart')]
          .find(s => s.querySelector('line.ucl') && s.querySelector('line.centre'));
        const values = k => [...svg.querySelectorAll('line.' + k)].map(l => +l.dataset.value);
        return {ucl: values('ucl'), lcl: values('lcl'), centre: values('centre'),
                title: svg.querySelector('title').textContent,
                desc: svg.querySelector('desc').textContent};
        })()"""
    )
    project = load_tracker(REPO_ROOT).catalog.projects["cvc-standardization"]
    charts = project_charts(project, None, ChartOptions())
    chart = next(c for c in charts if f"({c.metric.id}), {c.series.label}" in drawn["title"])
    assert chart.result is not None
    points = chart.result.points
    assert set(drawn["ucl"]) == {float(f"{p.ucl:.6g}") for p in points if p.ucl is not None}
    assert set(drawn["lcl"]) == {float(f"{p.lcl:.6g}") for p in points if p.lcl is not None}
    assert drawn["centre"] == [float(f"{part.centre:.6g}") for part in chart.result.parts]
    assert "centre line" in drawn["desc"]


def test_axe_finds_no_serious_violation_on_any_page(browser: Browser, site: Path) -> None:
    script = AXE.read_text(encoding="utf-8") + "\n;0"
    # Injected before each page's own scripts, so it is compiled once and cached.
    added = browser.send("Page.addScriptToEvaluateOnNewDocument", {"source": script}, session=True)
    found = {}
    pages = sorted(site.glob("*.html"))
    assert {"index.html", "site-rvh.html", "project-readmissions-rollout.html"} <= {
        p.name for p in pages
    }
    try:
        for page in pages:
            browser.open(page)
            found[page.name] = _axe(browser)
    finally:
        browser.send("Page.removeScriptToEvaluateOnNewDocument", added, session=True)
    assert {name: v for name, v in found.items() if v} == {}


def _axe(browser: Browser) -> list[str]:
    return browser.eval(  # type: ignore[no-any-return]
        """axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag',
                 values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
               .then(r => r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                 .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' '))))"""
    )


def test_a_grid_cell_leads_to_the_sites_row_and_on_to_the_site_page(
    browser: Browser, site: Path
) -> None:
    org = load_tracker(REPO_ROOT).org
    rvh = org.site("rvh")
    assert rvh is not None
    browser.open(site / "index.html")
    project = browser.eval("document.querySelector('#grid tbody tr th a').textContent")
    browser.click("#grid tbody tr:first-child td.cell[data-site=rvh] a")
    assert browser.eval("location.pathname.split('/').pop()") == f"project-{project}.html"
    assert browser.eval("document.querySelector(':target').id") == "site-rvh"
    assert browser.eval("document.querySelector(':target th').textContent") == rvh.name
    browser.click(":target th a")
    assert browser.eval("document.querySelector('h1').textContent") == f"{rvh.name} (rvh)"
    rows = browser.eval("[...document.querySelectorAll('tbody tr')].map(r => r.id)")
    assert f"project-{project}" in rows


# A4 landscape less the stylesheet's 10 mm margins, in CSS pixels (96 per inch).
PAGE_WIDTH, PAGE_HEIGHT = round((297 - 20) / 25.4 * 96), round((210 - 20) / 25.4 * 96)


def test_printed_on_a4_landscape_every_region_is_there_and_nothing_is_wider(
    browser: Browser, site: Path
) -> None:
    rows, _ = _demo()
    org = load_tracker(REPO_ROOT).org
    regions: dict[str, int] = {}
    for s in org.sites:
        regions[s.region or "(none)"] = regions.get(s.region or "(none)", 0) + 1
    widest = """Math.max(document.documentElement.scrollWidth,
        ...[...document.querySelectorAll('body *')].map(e => e.getBoundingClientRect().right))"""
    browser.print_media(PAGE_WIDTH, PAGE_HEIGHT)
    try:
        browser.open(site / "index.html")
        printed = browser.eval(
            """[...document.querySelectorAll('section[data-print-region]')].map(s =>
                [s.dataset.printRegion, s.offsetHeight > 0, s.querySelectorAll('tbody tr').length,
                 s.querySelectorAll('tbody tr:first-child td.cell').length])"""
        )
        assert printed == [[name, True, len(rows), count] for name, count in regions.items()]
        hidden = browser.eval(
            """['#grid', '.filters', 'header.top'].map(s =>
                getComputedStyle(document.querySelector(s)).display)"""
        )
        assert hidden == ["none", "none", "none"]
        for page in ("index.html", "project-bcma-rollout.html", "site-lmc.html", "sites.html"):
            browser.open(site / page)
            assert browser.eval(widest) <= PAGE_WIDTH + 1, page
    finally:
        browser.screen_media()


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The demo's board pack, printed as a user prints it, one string per PDF page."""
    _needs(executable(), "chromium")
    pdftotext = shutil.which("pdftotext")
    _needs(pdftotext, "poppler-utils")
    assert pdftotext is not None
    pdf = tmp_path_factory.mktemp("pack") / "board-pack.pdf"
    argv = [sys.executable, "-m", "diffuse", "report", "--pdf", str(pdf), "--as-of"]
    done = subprocess.run(
        [*argv, AS_OF.isoformat(), "--root", str(REPO_ROOT)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]  # pdftotext ends every page with a form feed


def test_the_board_pack_has_a_sheet_for_each_region_and_three_for_each_project(
    pack: list[str],
) -> None:
    loaded = load_tracker(REPO_ROOT)
    projects = [
        r.project for r in build_grid(loaded.catalog, AS_OF, Filters(include_inactive=True)).rows
    ]
    regions = list(dict.fromkeys(s.region or "(none)" for s in loaded.org.sites))
    # cover, portfolio summary, over time and capacity; a sheet per region, three per
    # project; the sites that need attention
    assert len(pack) == 4 + len(regions) + 3 * len(projects) + 1
    heads = [" ".join(page.split()[:6]) for page in pack]
    assert "board pack" in pack[0] and "Portfolio summary" in heads[1]
    assert heads[2].startswith("Portfolio over time") and heads[3].startswith("Capacity")
    for n, region in enumerate(regions, 4):
        assert heads[n].startswith(f"Status Tracker: {region}"), heads[n]
    first = 4 + len(regions)
    for n, project in enumerate(projects):
        assert heads[first + 3 * n].startswith(f"{project}:"), heads[first + 3 * n]
        assert heads[first + 3 * n + 1].startswith(f"{project}: sites")
        assert heads[first + 3 * n + 2].startswith(f"{project}: key charts")
    assert heads[-1].startswith("Sites that need attention")
    every_word = " ".join(pack)
    assert all(p in every_word for p in projects)
    assert all(s.name in every_word for s in loaded.org.sites)
