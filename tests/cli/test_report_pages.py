"""The report's drill-down pages and its charts' display policy, as a user runs `diffuse
report` on the small test tracker (the browser checks are in test_report_browser.py)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import Run

AS_OF = "2026-11-22"
NS = {"s": "http://www.w3.org/2000/svg"}
# Compliance with hand hygiene at North Hospital, monthly from March 2025, in percent.
VALUES = [71, 74, 73, 78, 80, 82, 85, 88, 90, 91, 93, 92, 94, 95]
METRIC = """
metrics:
  - id: hh-compliance
    name: Hand hygiene compliance
    level: process
    kind: proportion
    direction: higher
    target: 90
    notes:
      - {{date: 2026-03-20, text: "gel <b>dispensers</b> installed", site: nor}}
      - {{date: 2026-05-10, text: new audit form}}
      - {{date: 2026-06-10, text: only at South, site: sou}}
    values:
{values}
"""


def _with_metric(tracker: Path, points: int) -> None:
    rows = "\n".join(
        f"      - {{date: 2025-{m:02d}-01, site: nor, numerator: {v}, denominator: 100}}"
        if m <= 12
        else f"      - {{date: 2026-{m - 12:02d}-01, site: nor, numerator: {v}, denominator: 100}}"
        for m, v in zip(range(3, points + 3), VALUES, strict=False)
    )
    project = tracker / "projects" / "hh-spread.yaml"
    text = project.read_text().replace("\nsites:\n", METRIC.format(values=rows) + "\nsites:\n", 1)
    project.write_text(text)


def _report(run: Run, tracker: Path, out: Path) -> str:
    result = run("report", "--out", str(out), "--as-of", AS_OF, cwd=tracker)
    assert result.exit_code == 0, result.stderr
    return (out / "project-hh-spread.html").read_text()


def _chart(page: str) -> ET.Element:
    found = re.search(
        r"<svg class=\"chart\"(?:(?!</svg>).)*Hand hygiene compliance.*?</svg>", page, re.S
    )
    assert found, "no chart of the metric"
    return ET.fromstring(found.group(0))


def _classes(svg: ET.Element) -> list[str]:
    return [el.get("class", "") for el in svg.iter(f"{{{NS['s']}}}line")]


def test_a_part_with_too_few_points_is_a_run_chart_that_says_why(
    run: Run, tracker: Path, tmp_path: Path
) -> None:
    _with_metric(tracker, 8)
    page = _report(run, tracker, tmp_path / "site")
    svg = _chart(page)
    assert "ucl" not in _classes(svg) and "lcl" not in _classes(svg)
    assert "median" in _classes(svg)
    assert "8 points so far, so a run chart: control limits are drawn once there are 12" in page
    ticks = [t.text or "" for t in svg.findall("s:text[@class='tick']", NS)]
    percents = [float(t.rstrip("%")) for t in ticks if t.endswith("%")]
    assert percents and all(0 <= p <= 100 for p in percents)


def test_limits_are_drawn_once_a_part_has_enough_points(
    run: Run, tracker: Path, tmp_path: Path
) -> None:
    _with_metric(tracker, 14)
    page = _report(run, tracker, tmp_path / "site")
    assert {"ucl", "centre"} <= set(_classes(_chart(page)))
    assert "so a run chart" not in page
    assert "Meeting the 90% target since" in page


def test_the_threshold_is_an_organisation_setting(run: Run, tracker: Path, tmp_path: Path) -> None:
    _with_metric(tracker, 8)
    org = tracker / "organisation.yaml"
    org.write_text(
        org.read_text().replace(
            "  target_months: 6\n", "  target_months: 6\n  min_points_for_limits: 6\n"
        )
    )
    assert "ucl" in _classes(_chart(_report(run, tracker, tmp_path / "six")))
    org.write_text(org.read_text().replace("min_points_for_limits: 6", "min_points_for_limit: 6"))
    refused = run("report", "--out", str(tmp_path / "bad"), "--as-of", AS_OF, cwd=tracker)
    assert refused.exit_code == 1
    assert "organisation.yaml:5:3: error[unknown-field]" in refused.stderr
    assert "min_points_for_limit" in refused.stderr
    org.write_text(org.read_text().replace("min_points_for_limit: 6", "min_points_for_limits: 1"))
    refused = run("report", "--out", str(tmp_path / "low"), "--as-of", AS_OF, cwd=tracker)
    assert refused.exit_code == 1 and "min_points_for_limits" in refused.stderr


def test_go_lives_and_notes_are_numbered_markers_with_their_text(
    run: Run, tracker: Path, tmp_path: Path
) -> None:
    _with_metric(tracker, 14)
    page = _report(run, tracker, tmp_path / "site")
    flags = _chart(page).findall("s:g[@class='flag']/s:title", NS)
    assert [f.text for f in flags] == [
        "1. 2026-03-01: go-live at North Hospital",
        "2. 2026-03-20: gel <b>dispensers</b> installed",
    ]
    assert "<li>2026-03-20: gel &lt;b&gt;dispensers&lt;/b&gt; installed</li>" in page
    assert "<li>2026-05-10: new audit form (outside the charted dates)</li>" in page
    assert "only at South" not in page


def test_a_site_page_lists_every_project_there_with_names_and_barrier_age(
    run: Run, tracker: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    _report(run, tracker, out)
    clinic = (out / "site-nst.html").read_text()
    assert "<h1>North Street Clinic (nst)</h1>" in clinic
    assert 'href="project-hh-spread.html#site-nst"' in clinic
    assert "gel dispensers on back order" in clinic
    assert "open since: not known" in clinic  # the test tracker is not a git repository
    seaside = (out / "site-sea.html").read_text()
    assert "Projects that leave this site out" in seaside
    index = (out / "index.html").read_text()
    assert 'href="project-hh-spread.html#site-nst"' in index
    assert 'href="site-nst.html"' in index
    project = (out / "project-hh-spread.html").read_text()
    assert '<tr id="site-nst">' in project
    assert '<span class="who" title="cy">Cy Manager</span>' in project


def test_the_dissemination_plan_shows_the_evidence_behind_each_approach(
    run: Run, tracker: Path, tmp_path: Path
) -> None:
    project = tracker / "projects" / "hh-spread.yaml"
    plan = "dissemination:\n  - {approach: written-materials, audience: ward nurses, owner: cy}\n"
    project.write_text(project.read_text().replace("\nsites:\n", "\n" + plan + "\nsites:\n", 1))
    page = _report(run, tracker, tmp_path / "site")
    assert "written-materials" in page and "large amount, good quality" in page
    assert "weak evidence of changing practice" in page


def test_the_pdf_needs_chromium_and_names_the_package(
    run: Run, tracker: Path, tmp_path: Path
) -> None:
    pdf = tmp_path / "pack.pdf"
    result = run(
        "report", "--pdf", str(pdf), "--as-of", AS_OF, cwd=tracker, env={"PATH": str(tmp_path)}
    )
    assert result.exit_code == 1
    assert "'chromium' package" in result.stderr
    assert not pdf.exists()
    folder = run("report", "--pdf", str(tmp_path), "--as-of", AS_OF, cwd=tracker)
    assert folder.exit_code == 1
    assert f"{tmp_path}: is a folder" in folder.stderr
    neither = run("report", "--as-of", AS_OF, cwd=tracker)
    assert neither.exit_code == 2
    assert "--out" in neither.stderr and "--pdf" in neither.stderr


def test_a_month_over_the_capacity_limit_is_marked_by_symbol_and_word(
    run: Run, tracker: Path, tmp_path: Path
) -> None:
    project = tracker / "projects" / "hh-spread.yaml"
    text = project.read_text().replace(
        "    barriers: [gel dispensers on back order]\n",
        "    barriers: [gel dispensers on back order]\n    go_live_planned: 2026-12-10\n",
    )
    project.write_text(text)
    (tracker / "projects" / "hh-again.yaml").write_text(
        text.replace("id: hh-spread", "id: hh-again").replace("2026-12-10", "2026-12-20")
    )
    org = tracker / "organisation.yaml"
    org.write_text(
        org.read_text().replace(
            "  target_months: 6\n", "  target_months: 6\n  max_golives_per_month: 1\n"
        )
    )
    out = tmp_path / "site"
    assert run("report", "--out", str(out), "--as-of", AS_OF, cwd=tracker).exit_code == 0
    for page in ("sites.html", "site-nst.html"):
        html = (out / page).read_text()
        cell = re.search(r'<td class="load over" title="([^"]*)">▲ 2<span class="sr">([^<]*)', html)
        assert cell, page
        assert cell.group(1).startswith("December 2026: 2 go-lives, over the limit")
        assert "hh-again 2026-12-20 (planned)" in cell.group(1)
        assert cell.group(2) == "2 go-lives, over the limit"
    listed = "<li>December 2026: 2 go-lives, over the limit: hh-spread 2026-12-10 (planned)"
    assert listed in (out / "site-nst.html").read_text()
    assert '<td class="load over"' not in (out / "site-nor.html").read_text()


def test_the_portfolio_page_shows_time_to_full_diffusion_against_target_and_average(
    run: Run, tracker: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    assert run("report", "--out", str(out), "--as-of", AS_OF, cwd=tracker).exit_code == 0
    page = (out / "portfolio.html").read_text()
    assert "The model's target is 6 months; its reported average, 18." in page
    assert re.search(r'<th scope="row">hh-spread</th><td>2026-02-01</td>', page)
    assert "Projects started and closed, by quarter" in page
    assert '<th scope="row">2026-Q1</th><td>1: hh-spread</td>' in page


def test_a_baseline_with_every_point_excluded_draws_no_centre_line(
    tracker: Path, run: Run, tmp_path: Path
) -> None:
    # The first three months set the centre (freeze: 3) but are all left out with a reason:
    # as in qicharts2 the chart has no centre and no limits, and the page draws its points
    # as a run chart around their median, never a line at 'nan'.
    _with_metric(tracker, 14)
    org = tracker / "organisation.yaml"
    org.write_text(
        org.read_text().replace("settings:\n", "settings:\n  min_points_for_limits: 10\n")
    )
    project = tracker / "projects" / "hh-spread.yaml"
    text = project.read_text()
    for month in ("03", "04", "05"):
        row = f"{{date: 2025-{month}-01, site: nor,"
        text = text.replace(
            row, f"{{excluded: audit tool miscounted, date: 2025-{month}-01, site: nor,"
        )
    text = text.replace(
        "    direction: higher\n    target: 90\n",
        "    direction: higher\n    target: 90\n    freeze: 3\n",
    )
    project.write_text(text)
    page = _report(run, tracker, tmp_path / "site")
    svg = ET.tostring(_chart(page), encoding="unicode")
    assert not re.search(r"\bnan\b", svg, re.IGNORECASE)
    assert "centre" not in _classes(_chart(page))
    assert "median" in _classes(_chart(page))
