"""`diffuse portfolio` and `diffuse sites` on the small tracker, in every format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
from conftest import Run

from diffuse.reports.outputs import output_schema

AS_OF = "2026-11-22"


def _busy(tracker: Path) -> None:
    """North Street Clinic plans three go-lives in January 2027."""
    for project, day in (("two", "2027-01-11"), ("three", "2027-01-25")):
        (tracker / "projects" / f"{project}.yaml").write_text(
            f"id: {project}\npractice: hand-hygiene\ntitle: {project}\nphase: initiate\n"
            f"approved: 2026-10-01\nsites:\n  nst: {{status: planning, go_live_planned: {day}}}\n",
            encoding="utf-8",
        )
    path = tracker / "projects" / "hh-spread.yaml"
    text = path.read_text(encoding="utf-8")
    old = "    barriers: [gel dispensers on back order]\n"
    assert old in text
    path.write_text(
        text.replace(old, f"{old}    go_live_planned: 2027-01-04\n    leader: cy\n"),
        encoding="utf-8",
    )


def _json(run: Run, tracker: Path, *args: str) -> dict[str, object]:
    result = run(*args, "--as-of", AS_OF, "--format", "json", cwd=tracker)
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    jsonschema.Draft202012Validator(
        output_schema(args[0]), format_checker=jsonschema.FormatChecker()
    ).validate(data)
    return data


# -- portfolio ------------------------------------------------------------------------------


def test_portfolio_text(tracker: Path, run: Run) -> None:
    result = run("portfolio", "--as-of", AS_OF, cwd=tracker)
    assert result.exit_code == 0, result.stderr
    lines = result.lines
    assert lines[0] == "Portfolio over time as of 2026-11-22"
    assert lines[1] == (
        "Time to every site live: no project finished yet; target 6 months; "
        "reported average 18 months"
    )
    row = next(line for line in lines if line.startswith("hh-spread"))
    assert row.split() == ["hh-spread", "plan", "2026-02-01", "no", "forecast", "1/3", "-", "-"]
    assert next(line for line in lines if line.startswith("2026-03")).split() == [
        "2026-03",
        "1",
        "3",
        "33%",
    ]
    assert next(line for line in lines if line.startswith("2026-Q1")).split() == [
        "2026-Q1",
        "1",
        "(hh-spread)",
        "0",
    ]


def test_portfolio_json(tracker: Path, run: Run) -> None:
    data = _json(run, tracker, "portfolio")
    assert data["as_of"] == AS_OF
    assert (data["target_months"], data["reported_average_months"]) == (6, 18)
    [project] = data["projects"]  # type: ignore[misc]
    assert project["project"] == "hh-spread"
    assert (project["target_date"], project["full_date"], project["actual"]) == (
        "2026-08-01",
        None,
        False,
    )
    months = data["months"]
    assert isinstance(months, list) and len(months) == 24
    assert months[-1] == {"month": "2026-11", "date": "2026-11-01", "live": 1, "in_scope": 3}


def test_portfolio_months_option(tracker: Path, run: Run) -> None:
    data = _json(run, tracker, "portfolio", "--months", "3")
    assert [m["month"] for m in data["months"]] == ["2026-09", "2026-10", "2026-11"]  # type: ignore[union-attr,index]
    assert [q["quarter"] for q in data["quarters"]] == ["2026-Q3", "2026-Q4"]  # type: ignore[union-attr,index]
    bad = run("portfolio", "--months", "0", cwd=tracker)
    assert bad.exit_code == 2


def test_portfolio_csv(tracker: Path, run: Run) -> None:
    result = run("portfolio", "--as-of", AS_OF, "--format", "csv", cwd=tracker)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    kinds = [r["record"] for r in rows]
    assert kinds.count("project") == 1 and kinds.count("month") == 24
    project = rows[0]
    assert (project["project"], project["live"], project["in_scope"]) == ("hh-spread", "1", "3")
    quarter = next(r for r in rows if r["quarter"] == "2026-Q1")
    assert (quarter["record"], quarter["started"], quarter["closed"]) == (
        "quarter",
        "hh-spread",
        "",
    )


def test_portfolio_markdown(tracker: Path, run: Run) -> None:
    result = run("portfolio", "--as-of", AS_OF, "--format", "markdown", cwd=tracker)
    assert result.exit_code == 0, result.stderr
    assert result.lines[0] == "## Portfolio over time as of 2026-11-22"
    assert "| hh-spread | plan | 2026-02-01 | no forecast | 1/3 | - | - |" in result.lines
    assert "| 2026-03 | 1 | 3 | 33% |" in result.lines


def test_portfolio_shows_a_finished_project_against_its_target(tracker: Path, run: Run) -> None:
    (tracker / "projects" / "done.yaml").write_text(
        "id: done\npractice: hand-hygiene\ntitle: Done\nphase: close\napproved: 2025-09-01\n"
        "target_months: 9\nsites:\n"
        "  nor: {status: live, go_live_actual: 2025-12-15}\n"
        "  nst: {status: live, go_live_actual: 2026-01-20}\n"
        "  sou: {status: live, go_live_actual: 2026-04-30}\n"
        "  sea: {status: not-applicable, reason: no wards}\n"
        "history:\n  - {from: execute, to: close, date: 2026-05-12, by: cy}\n",
        encoding="utf-8",
    )
    result = run("portfolio", "--as-of", AS_OF, cwd=tracker)
    row = next(line for line in result.lines if line.startswith("done"))
    assert row.split() == [
        "done",
        "close",
        "2025-09-01",
        "2026-04-30",
        "actual",
        "3/3",
        "7.9",
        "✓",
        "1.1",
        "under",
        "9",
    ]
    assert "median 7.9 months (1 finished project(s))" in result.lines[1]
    assert next(line for line in result.lines if line.startswith("2026-Q2")).split()[-2:] == [
        "1",
        "(done)",
    ]


def test_a_bad_as_of_is_a_usage_error(tracker: Path, run: Run) -> None:
    for command in ("portfolio", "sites"):
        result = run(command, "--as-of", "2026-13-01", cwd=tracker)
        assert result.exit_code == 2
        assert "expected YYYY-MM-DD" in result.stderr


# -- sites ----------------------------------------------------------------------------------


def test_sites_text_marks_a_month_over_the_limit(tracker: Path, run: Run) -> None:
    _busy(tracker)
    result = run("sites", "--as-of", AS_OF, cwd=tracker)
    assert result.exit_code == 0, result.stderr
    lines = result.lines
    assert lines[0] == "Capacity for change as of 2026-11-22: go-lives per site and month (limit 2)"
    heads = next(line for line in lines if line.startswith("site")).split()
    assert heads[:5] == ["site", "in", "flight", "Aug", "Sep"]
    nst = next(line for line in lines if line.startswith("nst")).split()
    # in flight, then Aug 2026 .. Nov 2027: the three January go-lives are over the limit.
    assert nst[1] == "3"
    assert nst[2 + heads[3:].index("Jan")] == "3▲"
    assert "▲ over the limit: nst in 2027-01, 3 go-lives (hh-spread, two, three)" in lines
    years = lines[2]
    assert years.split() == ["2026", "2027"]


def test_sites_without_a_month_over_the_limit_says_so(tracker: Path, run: Run) -> None:
    result = run("sites", "--as-of", AS_OF, cwd=tracker)
    assert "no site has more than 2 go-lives in a month" in result.lines


def test_the_limit_is_an_organisation_setting(tracker: Path, run: Run) -> None:
    _busy(tracker)
    path = tracker / "organisation.yaml"
    path.write_text(
        path.read_text().replace(
            "  target_months: 6\n", "  target_months: 6\n  max_golives_per_month: 3\n"
        )
    )
    data = _json(run, tracker, "sites")
    assert data["limit"] == 3
    assert all(not s["flagged_months"] for s in data["sites"])  # type: ignore[union-attr,index]


def test_a_bad_limit_is_reported_with_its_place(tracker: Path, run: Run) -> None:
    path = tracker / "organisation.yaml"
    path.write_text(
        path.read_text().replace(
            "  target_months: 6\n", "  target_months: 6\n  max_golives_per_month: 0\n"
        )
    )
    result = run("validate", cwd=tracker)
    assert result.exit_code == 1
    assert "organisation.yaml:5:26: error[out-of-range]" in result.stdout
    assert "max_golives_per_month" in result.stdout + result.stderr


def test_sites_json(tracker: Path, run: Run) -> None:
    _busy(tracker)
    data = _json(run, tracker, "sites")
    assert (data["as_of"], data["limit"]) == (AS_OF, 2)
    assert data["months"][0] == "2026-08" and len(data["months"]) == 16  # type: ignore[index,arg-type]
    nst = next(s for s in data["sites"] if s["site"] == "nst")  # type: ignore[union-attr,index]
    assert nst["in_flight"] == ["hh-spread", "three", "two"]
    assert nst["flagged_months"] == ["2027-01"]
    january = next(m for m in nst["months"] if m["month"] == "2027-01")
    assert (january["go_lives"], january["flagged"]) == (3, True)
    assert january["projects"][0] == {"project": "hh-spread", "date": "2027-01-04", "actual": False}
    nor = next(s for s in data["sites"] if s["site"] == "nor")  # type: ignore[union-attr,index]
    # Live in hh-spread; not listed by two and three, so in their scope and not started.
    assert nor["in_flight"] == ["three", "two"]


def test_sites_csv(tracker: Path, run: Run) -> None:
    _busy(tracker)
    result = run("sites", "--as-of", AS_OF, "--format", "csv", cwd=tracker)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 4 * 16
    flagged = [r for r in rows if r["flagged"] == "True"]
    assert [(r["site"], r["month"], r["go_lives"], r["projects"]) for r in flagged] == [
        ("nst", "2027-01", "3", "hh-spread two three")
    ]


def test_sites_markdown(tracker: Path, run: Run) -> None:
    _busy(tracker)
    result = run("sites", "--as-of", AS_OF, "--format", "markdown", cwd=tracker)
    assert result.exit_code == 0, result.stderr
    assert result.lines[0] == "## Capacity for change as of 2026-11-22"
    nst = next(line for line in result.lines if line.startswith("| nst |"))
    assert "| 3▲ |" in nst
    assert "- ▲ over the limit: nst in 2027-01, 3 go-lives (hh-spread, two, three)" in result.lines


def test_an_unknown_site_is_refused(tracker: Path, run: Run) -> None:
    result = run("sites", "nowhere", "--as-of", AS_OF, cwd=tracker)
    assert result.exit_code == 1
    assert "unknown site 'nowhere'" in result.stderr
    assert "nor" in result.stderr
    assert "Traceback" not in result.stderr


# -- one site -------------------------------------------------------------------------------


def _with_history(tracker: Path) -> None:
    path = tracker / "projects" / "hh-spread.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    health: at-risk\n", "    health: at-risk\n    updated: 2026-11-02\n")
    text += (
        "updates:\n"
        "  - {date: 2026-09-14, site: nst, text: 'Gel dispensers on back order until December'}\n"
    )
    path.write_text(text, encoding="utf-8")


def test_one_site_in_text(tracker: Path, run: Run) -> None:
    _busy(tracker)
    _with_history(tracker)
    result = run("sites", "nst", "--as-of", AS_OF, cwd=tracker)
    assert result.exit_code == 0, result.stderr
    lines = result.lines
    assert lines[0] == "nst: North Street Clinic (North, clinic) as of 2026-11-22"
    assert lines[1] == "in flight: hh-spread, three, two"
    assert lines[2] == "go-lives by month (limit 2): 2027-01 3 ▲ over the limit"
    row = next(line for line in lines if line.startswith("hh-spread"))
    assert row.split() == [
        "hh-spread",
        "plan",
        "◑",
        "implementing",
        "!",
        "at-risk",
        "2027-01-04",
        "-",
        "Cy",
        "Manager",
        "(cy)",
    ]
    assert (
        "  barrier, open 69 days (since 2026-09-14, named in an update): "
        "gel dispensers on back order"
    ) in lines


def test_one_site_in_json(tracker: Path, run: Run) -> None:
    _busy(tracker)
    _with_history(tracker)
    data = _json(run, tracker, "sites", "nst")
    [site] = data["sites"]  # type: ignore[misc]
    assert (site["site"], site["kind"]) == ("nst", "clinic")
    assert [p["project"] for p in site["projects"]] == ["hh-spread", "three", "two"]
    first = site["projects"][0]
    assert (first["status"], first["health"], first["leader"], first["leader_name"]) == (
        "implementing",
        "at-risk",
        "cy",
        "Cy Manager",
    )
    assert first["barriers"] == [
        {
            "text": "gel dispensers on back order",
            "since": "2026-09-14",
            "source": "update",
            "days_open": 69,
        }
    ]


def test_one_site_in_csv_and_markdown(tracker: Path, run: Run) -> None:
    _with_history(tracker)
    result = run("sites", "nst", "--as-of", AS_OF, "--format", "csv", cwd=tracker)
    [row] = list(csv.DictReader(io.StringIO(result.stdout)))
    assert (row["project"], row["status"], row["barriers"], row["longest_barrier_days"]) == (
        "hh-spread",
        "implementing",
        "gel dispensers on back order",
        "69",
    )
    result = run("sites", "nst", "--as-of", AS_OF, "--format", "markdown", cwd=tracker)
    assert result.lines[0] == "## nst: North Street Clinic (North, clinic) as of 2026-11-22"
    assert any(
        line.startswith("| hh-spread | plan | ◑ implementing | ! at-risk |")
        for line in result.lines
    )


def test_a_site_out_of_scope_shows_no_health(tracker: Path, run: Run) -> None:
    result = run("sites", "sea", "--as-of", AS_OF, cwd=tracker)
    row = next(line for line in result.lines if line.startswith("hh-spread"))
    assert row.split()[2:5] == ["–", "not-applicable", "-"]


def test_text_from_files_is_escaped(tracker: Path, run: Run) -> None:
    path = tracker / "projects" / "hh-spread.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "barriers: [gel dispensers on back order]",
            'barriers: ["=HYPERLINK(1) \\e[31mred\\e[0m"]',
        ),
        encoding="utf-8",
    )
    result = run("sites", "nst", "--as-of", AS_OF, cwd=tracker)
    assert "\x1b" not in result.stdout
    assert "\\x1b[31mred" in result.stdout
    sheet = run("sites", "nst", "--as-of", AS_OF, "--format", "csv", cwd=tracker)
    [row] = list(csv.DictReader(io.StringIO(sheet.stdout)))
    assert row["barriers"].startswith("'=HYPERLINK")


def test_another_spelling_of_the_limit_is_an_error_not_a_silent_default(
    tracker: Path, run: Run
) -> None:
    path = tracker / "organisation.yaml"
    path.write_text(
        path.read_text().replace(
            "  target_months: 6\n", "  target_months: 6\n  max-golives-per-month: 5\n"
        )
    )
    result = run("validate", cwd=tracker)
    assert result.exit_code == 1
    assert "organisation.yaml:5:3: error[unknown-field]" in result.stdout
    # The limit written as text is read as the number it says.
    path.write_text(
        path.read_text().replace("  max-golives-per-month: 5\n", "  max_golives_per_month: '3'\n")
    )
    assert run("validate", cwd=tracker).exit_code == 0
    assert _json(run, tracker, "sites")["limit"] == 3


def test_a_site_excepted_by_oversight_is_not_counted(tracker: Path, run: Run) -> None:
    _busy(tracker)
    path = tracker / "projects" / "two.yaml"
    path.write_text(
        path.read_text().replace(
            "  nst: {status: planning, go_live_planned: 2027-01-11}\n",
            "  nst:\n    status: planning\n    go_live_planned: 2027-01-11\n"
            "    exception: {reason: clinic closes in 2027, approved_by: ada, date: 2026-11-01}\n",
        )
    )
    data = _json(run, tracker, "sites")
    nst = next(s for s in data["sites"] if s["site"] == "nst")  # type: ignore[union-attr,index]
    assert nst["in_flight"] == ["hh-spread", "three"]
    assert nst["flagged_months"] == []
    # Before the exception was approved, the site still counted.
    earlier = run("sites", "--as-of", "2026-10-15", "--format", "json", cwd=tracker)
    nst = next(s for s in json.loads(earlier.stdout)["sites"] if s["site"] == "nst")
    assert nst["in_flight"] == ["hh-spread", "three", "two"]
