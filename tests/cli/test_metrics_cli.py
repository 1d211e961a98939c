"""`diffuse metrics`: charts of the demo and of small files, their JSON/CSV, CSV import."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO_ROOT, Run

from diffuse.files.yamlbatch import apply_values

CVC = ("metrics", "cvc-standardization", "clabsi-rate", "--root", str(REPO_ROOT))
COMPLIANCE = """metrics:
  - id: compliance
    name: Observed hand hygiene compliance
    level: process
    kind: proportion
    direction: higher
    target: 90
    values:
      - {date: 2026-03-01, site: nor, numerator: 46, denominator: 50}   # audit 1
"""


def _with_metric(tracker: Path, text: str = COMPLIANCE) -> Path:
    path = tracker / "projects" / "hh-spread.yaml"
    path.write_text(path.read_text() + text)
    return path


# -- the demo's CLABSI chart ----------------------------------------------------------------


def test_cvc_demo_shows_the_shift_after_the_standard(run: Run) -> None:
    # The 13 baseline months are frozen: centre 247 / 193,540 line-days = 1.276 per 1,000.
    # Seventeen months in a row then fall below it, more than the 8 allowed for 30 points.
    result = run(*CVC)
    assert result.exit_code == 0, result.stderr
    assert result.lines[0] == "clabsi-rate · all sites · u-chart (rate metric)"
    assert "part 1 · 2009-07-01 to 2011-12-01 · 30 point(s) · centre 1.276" in result.lines
    assert (
        "  runs: longest 17 (limit 8) ✗ · crossings 6 (minimum 10) ✗ · 30 useful point(s)"
        in result.lines
    )
    assert "    RUNS SIGNAL: non-random variation" in result.lines
    assert (
        "    longest run 2010-08-01 to 2011-12-01: below the centre (the better side)"
        in result.lines
    )


def test_cvc_chart_fits_80_columns_and_keeps_its_symbols_without_colour(run: Run) -> None:
    result = run(*CVC, env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "\x1b" not in result.stdout
    row = next(line for line in result.lines if line.startswith("2011-05-01"))
    assert row.split()[1] == "0.682"
    for symbol in ("●", "│", "[", "]", "┆"):
        assert symbol in row
    assert "● point  ◆ outside the limits  ○ excluded  ✎ note" in result.lines


def test_json_carries_every_number(run: Run) -> None:
    data = json.loads(run(*CVC, "--format", "json").stdout)
    (chart,) = data["charts"]
    assert (chart["chart"], chart["freeze"], chart["multiplier"]) == ("u", 13, 1000.0)
    (part,) = chart["parts"]
    assert part["centre"] == pytest.approx(247 / 193540 * 1000)
    assert (part["longest_run"], part["longest_run_max"], part["longest_run_side"]) == (
        17,
        8,
        "below",
    )
    assert (part["n_crossings"], part["n_crossings_min"], part["runs_signal"]) == (6, 10, True)
    assert (part["longest_run_from"], part["longest_run_to"]) == ("2010-08-01", "2011-12-01")
    first = chart["points"][0]
    # u = 247/193540; 3 sqrt(u / 14020) per line-day, times 1,000.
    assert (first["value"], first["lcl"], first["ucl"]) == pytest.approx(
        (1.14123, 0.37109, 2.18135), abs=1e-5
    )
    assert (first["numerator"], first["denominator"], first["baseline"]) == (16, 14020, True)
    assert chart["points"][13]["baseline"] is False
    assert chart["signals"] == {"runs": True, "sigma": 0, "unfavourable": None}


def test_csv_has_a_line_per_point_with_its_part_figures(run: Run) -> None:
    rows = list(csv.DictReader(io.StringIO(run(*CVC, "--format", "csv").stdout)))
    assert len(rows) == 30
    assert rows[0]["date"] == "2009-07-01" and rows[0]["chart"] == "u"
    assert (rows[-1]["longest_run"], rows[-1]["runs_signal"]) == ("17", "True")


def test_split_freeze_and_exclude_from_the_command_line(run: Run) -> None:
    result = run(
        *CVC,
        "--split",
        "2010-08-01",
        "--freeze",
        "0",
        "--exclude",
        "2009-12-01=outbreak on one unit",
        "--format",
        "json",
    )
    (chart,) = json.loads(result.stdout)["charts"]
    assert chart["parts_from"] == ["2010-08-01"] and chart["freeze"] is None
    first, second = chart["parts"]
    # Part 2: 248 infections over 254,400 line-days. Part 1 leaves out December 2009
    # (25 over 15,710): 222 over 177,830.
    assert second["centre"] == pytest.approx(248 / 254400 * 1000)
    assert first["centre"] == pytest.approx(222 / 177830 * 1000)
    assert chart["points"][5]["excluded"] == "outbreak on one unit"
    text = run(*CVC, "--exclude", "2009-12-01=outbreak", env={"COLUMNS": "100"})
    assert any(
        line.startswith("2009-12-01") and "○ excluded: outbreak" in line for line in text.lines
    )


def test_parts_and_exclusions_recorded_in_the_file(tracker: Path, run: Run) -> None:
    _with_metric(tracker)
    path = tracker / "projects" / "hh-spread.yaml"
    text = path.read_text().replace("    target: 90\n", "    target: 90\n    parts: [2026-04-01]\n")
    text += "      - {date: 2026-04-01, site: nor, numerator: 40, denominator: 50}\n"
    closed = "      - {date: 2026-05-01, site: nor, numerator: 45, denominator: 50, "
    path.write_text(text + closed + "excluded: unit closed}\n")
    (chart,) = json.loads(run("metrics", "hh-spread", "--format", "json", cwd=tracker).stdout)[
        "charts"
    ]
    assert [p["start"] for p in chart["parts"]] == ["2026-03-01", "2026-04-01"]
    assert chart["points"][2]["excluded"] == "unit closed"
    # The command line replaces recorded parts.
    (one,) = json.loads(
        run("metrics", "hh-spread", "--split", "none", "--format", "json", cwd=tracker).stdout
    )["charts"]
    assert len(one["parts"]) == 1


def test_unknown_metric_site_or_project_and_bad_options(tracker: Path, run: Run) -> None:
    _with_metric(tracker)
    bad = run("metrics", "hh-spread", "nope", cwd=tracker)
    assert bad.exit_code == 1
    assert "no metric 'nope' in hh-spread; known: compliance" in bad.stderr
    assert "no project 'nope'" in run("metrics", "nope", cwd=tracker).stderr
    assert (
        "--site: unknown value 'xyz'"
        in run("metrics", "hh-spread", "--site", "xyz", cwd=tracker).stderr
    )
    usage = run("metrics", "hh-spread", "--exclude", "2026-03-01", cwd=tracker)
    assert usage.exit_code == 2 and "expected DATE=REASON" in usage.stderr


def test_a_part_with_every_point_excluded_has_no_centre(tracker: Path, run: Run) -> None:
    # As qicharts2 draws it: the point is shown, with no centre line and no limits.
    _with_metric(tracker)
    args = ("metrics", "hh-spread", "--exclude", "2026-03-01=audit void")
    result = run(*args, cwd=tracker)
    assert result.exit_code == 0, result.stdout
    assert "no centre and no limits: every point of the baseline is excluded" in result.stdout
    (chart,) = json.loads(run(*args, "--format", "json", cwd=tracker).stdout)["charts"]
    assert chart["parts"][0]["centre"] is None and chart["points"][0]["centre"] is None


def test_a_part_of_one_point_is_drawn_without_limits(tracker: Path, run: Run) -> None:
    # One point, as on the day a metric starts: the I chart is drawn, without limits.
    _with_metric(tracker)
    result = run("metrics", "hh-spread", "--chart", "i", "--format", "json", cwd=tracker)
    assert result.exit_code == 0, result.stdout
    (chart,) = json.loads(result.stdout)["charts"]
    (point,) = chart["points"]
    assert (point["value"], point["lcl"], point["ucl"]) == (92.0, None, None)
    assert chart["parts"][0]["mr_centre"] is None
    text = run("metrics", "hh-spread", "--chart", "i", cwd=tracker)
    assert text.exit_code == 0
    assert "  limits: none (the baseline has fewer than two points or does not vary)" in text.lines


DOOR_TO_NEEDLE = """metrics:
  - id: door-to-needle
    name: Door-to-needle time
    level: process
    kind: measurement
    unit: minutes
    direction: lower
    values:
""" + "".join(
    f"      - {{date: 2026-{month:02d}-01, site: nor, value: {value}}}\n"
    for month, value in zip(range(1, 11), (10, 11, 10, 11, 10, 11, 10, 11, 10, 30), strict=True)
)


def test_no_screen_mr_keeps_every_moving_range(tracker: Path, run: Run) -> None:
    # Mean 12.4; moving ranges eight 1s and one 20, AMR 28 / 9. Screened, the 20 goes
    # and the limits are 12.4 -+ 3 / 1.128 x 1; unscreened, 12.4 -+ 3 / 1.128 x 28 / 9.
    _with_metric(tracker, DOOR_TO_NEEDLE)

    def limits(*extra: str) -> tuple[float, float]:
        result = run("metrics", "hh-spread", "--format", "json", *extra, cwd=tracker)
        point = json.loads(result.stdout)["charts"][0]["points"][0]
        return point["lcl"], point["ucl"]

    assert limits() == pytest.approx((12.4 - 3 / 1.128, 12.4 + 3 / 1.128))
    half = 3 / 1.128 * 28 / 9
    assert limits("--no-screen-mr") == pytest.approx((12.4 - half, 12.4 + half))


def test_multiply_charts_proportions_as_fractions(tracker: Path, run: Run) -> None:
    path = _with_metric(tracker)
    path.write_text(
        path.read_text()
        + "      - {date: 2026-04-01, site: nor, numerator: 40, denominator: 50}\n"
        + "      - {date: 2026-05-01, site: nor, numerator: 45, denominator: 50}\n"
    )
    data = json.loads(run("metrics", "hh-spread", "--format", "json", cwd=tracker).stdout)
    (percent,) = data["charts"]
    assert percent["multiplier"] == 100.0
    assert percent["points"][0]["value"] == pytest.approx(92.0)
    args = ("metrics", "hh-spread", "--multiply", "1")
    (plain,) = json.loads(run(*args, "--format", "json", cwd=tracker).stdout)["charts"]
    assert plain["multiplier"] == 1.0
    # 131 / 150 either way; the limits scale with the values.
    assert plain["parts"][0]["centre"] == pytest.approx(131 / 150)
    for scaled, point in zip(percent["points"], plain["points"], strict=True):
        assert point["value"] * 100 == pytest.approx(scaled["value"])
        assert point["ucl"] * 100 == pytest.approx(scaled["ucl"])
    # In text the scale drops the % sign and the 90% target moves to 0.9: the same place.
    text = run(*args, env={"COLUMNS": "100"}, cwd=tracker)
    assert text.exit_code == 0
    assert "part 1 · 2026-03-01 to 2026-05-01 · 3 point(s) · centre 0.873" in text.lines
    assert "  limits 0.732 to 1.000 · no point outside ✓" in text.lines
    in_percent = run("metrics", "hh-spread", env={"COLUMNS": "100"}, cwd=tracker)
    marks = [next(x for x in t.lines if x.startswith("date")) for t in (text, in_percent)]
    assert marks[0] == marks[1] and "T" in marks[0]
    for given in ("0", "1e300", "nan"):
        bad = run(*args[:2], "--multiply", given, cwd=tracker)
        assert bad.exit_code == 2
        assert "expected a number above 0 and at most 1,000,000,000,000,000" in bad.stderr


def test_help_explains_both_uses(run: Run) -> None:
    text = run("metrics", "--help").stdout
    assert "diffuse metrics PROJECT [METRIC] [--site S]" in text
    assert "diffuse metrics import PROJECT METRIC FILE.csv" in text
    assert run("metrics").exit_code in (0, 2)


# -- status from measures -------------------------------------------------------------------


def test_compliance_below_target_after_go_live_puts_the_site_at_risk(
    tracker: Path, run: Run
) -> None:
    _with_metric(tracker)
    path = tracker / "projects" / "hh-spread.yaml"
    path.write_text(
        path.read_text() + "      - {date: 2026-04-01, site: nor, numerator: 40, denominator: 50}\n"
    )
    result = run("status", "--as-of", "2026-05-01", "--group", "site", cwd=tracker)
    row = next(line.split() for line in result.lines if line.strip().startswith("hh-spread"))
    assert row[-4] == "●!"
    data = json.loads(
        run("status", "--as-of", "2026-05-01", "--format", "json", cwd=tracker).stdout
    )
    (project,) = data["projects"]
    assert project["columns"]["nor"]["health"] == "at-risk"
    assert (
        "nor: compliance 80% on 2026-04-01 misses the 90% target after go-live"
        in project["reasons"]
    )
    shown = run("show", "hh-spread", "--as-of", "2026-05-01", cwd=tracker)
    assert (
        "  - nor: compliance 80% on 2026-04-01 misses the 90% target after go-live" in shown.lines
    )
    # Before the April audit the site met its target.
    early = run("status", "--as-of", "2026-03-15", "--format", "json", cwd=tracker).stdout
    assert json.loads(early)["projects"][0]["columns"]["nor"]["health"] == "on-track"


# -- CSV import -------------------------------------------------------------------------------


def test_import_appends_values_and_changes_no_other_line(tracker: Path, run: Run) -> None:
    path = _with_metric(tracker)
    before = path.read_text()
    data = tracker / "audit.csv"
    data.write_text("Site,Period,Numerator,Denominator\nnor,2026-04,45,50\n,2026-05-15,80,100\n")
    result = run(
        "metrics",
        "import",
        "hh-spread",
        "compliance",
        str(data),
        "--period",
        "implementation",
        cwd=tracker,
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("added 2 and replaced 0 value(s) of compliance in ")
    after = path.read_text()
    assert after.startswith(before)
    assert after[len(before) :] == (
        "      - date: 2026-04-01\n"
        "        site: nor\n"
        "        numerator: 45\n"
        "        denominator: 50\n"
        "        period: implementation\n"
        "      - date: 2026-05-15\n"
        "        numerator: 80\n"
        "        denominator: 100\n"
        "        period: implementation\n"
    )
    assert run("validate", cwd=tracker).exit_code == 0


def test_a_bad_csv_reports_every_problem_and_leaves_the_file_alone(tracker: Path, run: Run) -> None:
    path = _with_metric(tracker)
    before = path.read_bytes()
    data = tracker / "bad.csv"
    data.write_text(
        "site,period,numerator,denominator\n"
        "nor,2026-13,45,50\n"
        'xyz,2026-04,"4x",0\n'
        "nor,2026-03,47,50\n"
        "nor,2026-05,60,50\n"
        "nor,2026-06,,\n"
        "sou,2026-06,5\n"
    )
    result = run("metrics", "import", "hh-spread", "compliance", str(data), cwd=tracker)
    assert result.exit_code == 1
    assert path.read_bytes() == before
    lines = [line.replace(str(data), "bad.csv") for line in result.stderr.splitlines()]
    assert lines == [
        "bad.csv:2:5: error[invalid-date] not a real calendar day (got '2026-13')",
        "bad.csv:3:1: error[unknown-site] no site 'xyz' in the organisation; "
        "known: nor, nst, sea, sou",
        "bad.csv:3:13: error[invalid-number] numerator: expected a number like 12 or 0.5 "
        "(got '4x')",
        "bad.csv:3:18: error[out-of-range] denominator must be above 0",
        "bad.csv:4:1: error[already-recorded] nor 2026-03-01 is already recorded at "
        "projects/hh-spread.yaml:57:9; pass --replace to overwrite it",
        "bad.csv:5:13: error[out-of-range] numerator 60 is above the denominator 50",
        "bad.csv:6:13: error[missing-value] no value, numerator or denominator",
        "bad.csv:7:1: error[cell-count] 3 cell(s); the header names 4",
        "diffuse: bad.csv: 8 problem(s); projects/hh-spread.yaml was not changed",
    ]


def test_a_bad_header_is_reported_at_its_column(tracker: Path, run: Run) -> None:
    _with_metric(tracker)
    data = tracker / "h.csv"
    data.write_text("site,month,value\n")
    result = run("metrics", "import", "hh-spread", "compliance", str(data), cwd=tracker)
    assert result.exit_code == 1
    assert f"{data}:1:6: error[unknown-column] unknown column 'month'" in result.stderr
    assert f"{data}:1:1: error[missing-column] the header needs column(s): period" in result.stderr


def test_replace_overwrites_and_dry_run_writes_nothing(tracker: Path, run: Run) -> None:
    path = _with_metric(tracker)
    data = tracker / "fix.csv"
    data.write_text("site,period,numerator,denominator\nnor,2026-03,44,50\n")
    before = path.read_bytes()
    dry = run(
        "metrics",
        "import",
        "hh-spread",
        "compliance",
        str(data),
        "--replace",
        "--dry-run",
        cwd=tracker,
    )
    assert dry.stdout.startswith("dry run: would add 0 and replace 1 value(s)")
    assert path.read_bytes() == before
    assert (
        run(
            "metrics", "import", "hh-spread", "compliance", str(data), "--replace", cwd=tracker
        ).exit_code
        == 0
    )
    assert path.read_text() == before.decode().replace("numerator: 46,", "numerator: 44,")


@pytest.mark.parametrize("dry_run", [["--dry-run"], []])
def test_a_dry_run_refuses_what_the_import_would(
    tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch, dry_run: list[str]
) -> None:
    # Each figure is fine; the rate they make is not, which only the new file shows.
    monkeypatch.chdir(tracker)
    rate = COMPLIANCE.replace("kind: proportion", "kind: rate\n    multiplier: 1000")
    path = _with_metric(tracker, rate)
    before = path.read_bytes()
    data = tracker / "tiny.csv"
    data.write_text("site,period,numerator,denominator\nsou,2026-03,5,1e-300\n")
    result = run("metrics", "import", "hh-spread", "compliance", str(data), *dry_run)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "projects/hh-spread.yaml:50:5: error[invalid-value] metrics.0: 2026-03-01: numerator "
        "/ denominator x 1000 is larger than 1,000,000,000,000,000; check the denominator",
        "diffuse: the edit would leave the file invalid; nothing was written",
    ]
    assert path.read_bytes() == before


def test_replace_refuses_to_change_a_value_into_a_ratio(tracker: Path, run: Run) -> None:
    _with_metric(tracker)
    data = tracker / "v.csv"
    data.write_text("site,period,value\nnor,2026-03,91\n")
    result = run(
        "metrics", "import", "hh-spread", "compliance", str(data), "--replace", cwd=tracker
    )
    assert result.exit_code == 1
    assert (
        "error[cannot-replace] nor 2026-03-01 is recorded at projects/hh-spread.yaml:57:9 "
        "as numerator/denominator" in result.stderr
    )


ITEMS = [
    {"date": date(2026, 4, 1), "value": 1},
    {"date": date(2026, 5, 1), "value": 2.5},
    {"date": date(2026, 6, 1), "value": 3, "excluded": "x: y"},
]
APPENDED = (
    "      - date: 2026-04-01\n"
    "        value: 1\n"
    "      - date: 2026-05-01\n"
    "        value: 2.5\n"
    "      - date: 2026-06-01\n"
    "        value: 3\n"
    '        excluded: "x: y"'
)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # No final newline: the file still ends without one.
        (
            "metrics:\n  - id: x\n    values:\n      - {date: 2026-03-01, value: 3}",
            'metrics:\n  - id: x\n    values:\n      - {date: 2026-03-01, value: "a, b"}\n'
            + APPENDED,
        ),
        # CRLF line ends, a comment after the item and one below the list stay put.
        (
            "metrics:\r\n  - id: x\r\n    values:\r\n      - {date: 2026-03-01, value: 3}  # c\r\n"
            "      # below\r\nsites: {}\r\n",
            'metrics:\r\n  - id: x\r\n    values:\r\n      - {date: 2026-03-01, value: "a, b"}'
            "  # c\r\n" + APPENDED.replace("\n", "\r\n") + "\r\n      # below\r\nsites: {}\r\n",
        ),
        # An empty list, or none at all, is created in block style.
        (
            "metrics:\n  - id: x\n    values: []   # none yet\nsites: {}\n",
            "metrics:\n  - id: x\n    values:   # none yet\n" + APPENDED + "\nsites: {}\n",
        ),
        ("metrics:\n  - id: x\n", "metrics:\n  - id: x\n    values:\n" + APPENDED + "\n"),
    ],
)
def test_many_values_in_one_edit_keep_every_other_byte(before: str, after: str) -> None:
    changes = [(0, {"value": "a, b"})] if "2026-03-01" in before else []
    assert apply_values(before, ("metrics", 0, "values"), changes, ITEMS) == after


def test_a_large_import_is_one_quick_edit(tracker: Path, run: Run) -> None:
    path = _with_metric(tracker)
    rows = [
        f"{s},{y}-{m:02d},45,50"
        for y in (2026, 2027)
        for m in range(1, 13)
        for s in ("nor", "nst", "sou")
    ]
    data = tracker / "year.csv"
    data.write_text(
        "site,period,numerator,denominator\n"
        + "\n".join(r for r in rows if not r.startswith("nor,2026-03"))
    )
    result = run("metrics", "import", "hh-spread", "compliance", str(data), cwd=tracker)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("added 71 and replaced 0")
    assert path.read_text().count("        denominator: 50\n") == 71


def test_semicolons_crlf_blank_lines_and_bad_encoding_are_located(tracker: Path, run: Run) -> None:
    _with_metric(tracker)
    data = tracker / "excel.csv"
    data.write_bytes(b"\r\nsite;period;value\r\nnor;2026-04;91\r\nnor;2026-05;abc\r\n")
    result = run("metrics", "import", "hh-spread", "compliance", str(data), cwd=tracker)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"{data}:4:13: error[invalid-number] value: expected a number like 12 or 0.5 (got 'abc')"
    )
    data.write_bytes(b"site,period,value\nnor,2026-04,9\xe91\n")
    result = run("metrics", "import", "hh-spread", "compliance", str(data), cwd=tracker)
    assert f"{data}:2:14: error[encoding] not UTF-8 text" in result.stderr
