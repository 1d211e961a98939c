"""The demo report in a real browser: headless Debian chromium, one launch for the module.

Skipped when chromium is not installed, unless DIFFUSE_REQUIRE_BROWSER=1 (set by .ci/run,
which installs it), so CI always runs them."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from browser import Browser, executable
from conftest import REPO_ROOT

from diffuse.render.html import write_report
from diffuse.reports.grid import Filters
from diffuse.reports.measures import ChartOptions, project_charts
from diffuse.reports.tracker import build_grid
from diffuse.rules.load import load_tracker

AS_OF = date(2026, 11, 22)
AXE = Path(__file__).parent / "data" / "axe.min.js"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "site"
    write_report(load_tracker(REPO_ROOT), AS_OF, out)
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    exe = executable()
    if exe is None:
        if os.environ.get("DIFFUSE_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is not installed (apt-get install chromium)")
        pytest.skip("chromium is not installed")
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


@pytest.mark.parametrize(
    "page", ["index.html", "project-readmissions-rollout.html", "catalogue.html", "risks.html"]
)
def test_axe_finds_no_serious_violation(browser: Browser, site: Path, page: str) -> None:
    browser.open(site / page)
    browser.eval(AXE.read_text(encoding="utf-8") + "\n;0")
    found = browser.eval(
        """axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
           .then(r => r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
             .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' '))))"""
    )
    assert found == []
