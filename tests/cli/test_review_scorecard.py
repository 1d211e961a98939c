"""`diffuse review` and `diffuse scorecard` on the small tracker, with answers by hand."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from conftest import Run
from lifecycle import write_project

# The fixture: hand-hygiene is approved, established and last reviewed 2026-01-15, with
# the organisation's 12-month cadence. hh-spread was approved 2026-02-01; nor, nst and sou
# are in scope (sea is not) and no site row has an 'updated' date.


def _edit(tracker: Path, name: str, old: str, new: str) -> None:
    path = tracker / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _review(run: Run, tracker: Path, *args: str) -> dict[str, object]:
    result = run("review", "--format", "json", *args, cwd=tracker)
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def _diffused(tracker: Path) -> None:
    """hand-hygiene diffused before the tracker was kept: no project file, review due
    2027-01-15."""
    _edit(tracker, "practices/hand-hygiene.yaml", "status: approved", "status: diffused")
    (tracker / "projects" / "hh-spread.yaml").unlink()


def test_practice_review_due_within_30_days_or_overdue(tracker: Path, run: Run) -> None:
    _diffused(tracker)
    assert _review(run, tracker, "--as-of", "2026-12-01", "--weeks", "104")["practices"] == []
    (due,) = _review(run, tracker, "--as-of", "2026-12-20", "--weeks", "104")["practices"]  # type: ignore[misc]
    assert (due["due"], due["days_left"], due["overdue"]) == ("2027-01-15", 26, False)
    assert (due["owner"], due["owner_name"], due["last"]) == ("ada", "Ada Chair", "2026-01-15")
    assert (due["cadence_months"], due["cadence_from"]) == (12, "organisation")
    text = run("review", "--as-of", "2027-02-01", "--weeks", "104", cwd=tracker)
    assert text.exit_code == 0
    assert text.lines[1] == "✗ 17 days overdue  hand-hygiene: Hand hygiene at the bedside"
    assert text.lines[2] == (
        "    due 2027-01-15 · last review 2026-01-15 · every 12 months (the organisation's "
        "cadence) · owner Ada Chair (ada)"
    )


def test_a_practice_cadence_overrides_the_organisation(tracker: Path, run: Run) -> None:
    _diffused(tracker)
    _edit(
        tracker,
        "practices/hand-hygiene.yaml",
        "  last: 2026-01-15",
        "  last: 2026-01-15\n  cadence_months: 6",
    )
    (item,) = _review(run, tracker, "--as-of", "2026-07-20", "--weeks", "104")["practices"]  # type: ignore[misc]
    assert (item["due"], item["days_left"], item["cadence_from"]) == ("2026-07-15", -5, "practice")


def test_site_rows_older_than_n_weeks_are_stale(tracker: Path, run: Run) -> None:
    # Never updated: counted from approval. 42 days (six weeks) is not yet stale; 43 is.
    assert _review(run, tracker, "--as-of", "2026-03-15")["stale_sites"] == []
    stale = _review(run, tracker, "--as-of", "2026-03-16")["stale_sites"]
    assert [(s["site"], s["updated"], s["days"]) for s in stale] == [  # type: ignore[index,union-attr]
        ("nor", None, 43),
        ("nst", None, 43),
        ("sou", None, 43),
    ]
    assert _review(run, tracker, "--as-of", "2026-03-16", "--weeks", "7")["stale_sites"] == []
    _edit(
        tracker,
        "projects/hh-spread.yaml",
        "    go_live_actual: 2026-03-01\n",
        "    go_live_actual: 2026-03-01\n    updated: 2026-03-10\n",
    )
    stale = _review(run, tracker, "--as-of", "2026-03-16")["stale_sites"]
    assert [s["site"] for s in stale] == ["nst", "sou"]  # type: ignore[index,union-attr]


def test_a_planned_pause_covering_the_date_is_not_flagged(tracker: Path, run: Run) -> None:
    _edit(
        tracker,
        "projects/hh-spread.yaml",
        "    barriers: [gel dispensers on back order]\n",
        "    barriers: [gel dispensers on back order]\n"
        "    pause: {reason: ward closed for refurbishment, until: 2026-06-30}\n",
    )
    data = _review(run, tracker, "--as-of", "2026-04-01")
    assert [s["site"] for s in data["stale_sites"]] == ["nor", "sou"]  # type: ignore[index,union-attr]
    (paused,) = data["paused_sites"]  # type: ignore[misc]
    assert (paused["site"], paused["pause_until"]) == ("nst", "2026-06-30")
    text = run("review", "--as-of", "2026-04-01", cwd=tracker, env={"COLUMNS": "200"})
    assert "nst (paused until 2026-06-30: ward closed for refurbishment)" in text.stdout
    after = _review(run, tracker, "--as-of", "2026-07-01")
    assert [s["site"] for s in after["stale_sites"]] == ["nor", "nst", "sou"]  # type: ignore[index,union-attr]


def test_a_pause_must_end_after_it_starts(tracker: Path, run: Run) -> None:
    _edit(
        tracker,
        "projects/hh-spread.yaml",
        "    barriers: [gel dispensers on back order]\n",
        "    barriers: [gel dispensers on back order]\n"
        "    pause: {reason: x, since: 2026-07-01, until: 2026-06-30}\n",
    )
    result = run("validate", cwd=tracker)
    assert result.exit_code == 1
    assert "a pause must start ('since') on or before its end ('until')" in result.stdout


def test_review_exits_0_and_strict_exits_1_when_anything_is_overdue(
    tracker: Path, run: Run
) -> None:
    assert run("review", "--as-of", "2026-03-16", cwd=tracker).exit_code == 0
    strict = run("review", "--as-of", "2026-03-16", "--strict", cwd=tracker)
    assert strict.exit_code == 1
    assert strict.lines[-1] == "0 review(s) overdue, 0 due soon; 3 stale site row(s); 0 paused"
    # Due soon is not overdue.
    assert run("review", "--as-of", "2026-03-01", "--strict", cwd=tracker).exit_code == 0


def test_closed_projects_keep_their_site_rows_watched_until_sustained(
    tracker: Path, run: Run
) -> None:
    sites = {
        "nor": "{status: sustained, go_live_actual: 2026-03-01}",
        "nst": "{status: live, go_live_actual: 2026-04-06}",
        "sou": "{status: live, go_live_actual: 2026-05-04, updated: 2026-08-20}",
        "sea": "{status: not-applicable, reason: no inpatient beds}",
    }
    write_project(tracker, "sustain", sites)
    assert run("validate", cwd=tracker).exit_code == 0
    stale = _review(run, tracker, "--as-of", "2026-09-01")["stale_sites"]
    assert [(s["site"], s["days"]) for s in stale] == [("nst", 212)]  # type: ignore[index]


# -- scorecard ----------------------------------------------------------------------------------


COMPLIANCE = """metrics:
  - id: compliance
    name: Observed hand hygiene compliance
    level: process
    kind: proportion
    direction: higher
    target: 90
    values:
      - {date: 2026-03-01, site: nor, numerator: 46, denominator: 50}
      - {date: 2026-03-01, site: nst, numerator: 30, denominator: 50}
"""


def _second_project(tracker: Path) -> None:
    # A second spread of the same practice, approved 2026-01-01, where nor went live on
    # day 50 and nst on day 59; sou is not applicable.
    text = (tracker / "projects" / "hh-spread.yaml").read_text()
    text = text.replace("id: hh-spread", "id: hh-again").replace(
        "approved: 2026-02-01", "approved: 2026-01-01"
    )
    text = text.replace("go_live_actual: 2026-03-01", "go_live_actual: 2026-02-20")
    text = text.replace(
        "    status: implementing\n", "    status: live\n    go_live_actual: 2026-03-01\n"
    )
    text = text.replace("    status: planning\n", "    status: not-applicable\n")
    (tracker / "projects" / "hh-again.yaml").write_text(text)
    path = tracker / "projects" / "hh-spread.yaml"
    path.write_text(path.read_text() + COMPLIANCE)


def test_scorecard_compares_sites_across_projects(tracker: Path, run: Run) -> None:
    _second_project(tracker)
    result = run("scorecard", "--as-of", "2026-05-01", "--format", "json", cwd=tracker)
    assert result.exit_code == 0, result.stderr
    sites = {s["site"]: s for s in json.loads(result.stdout)["sites"]}
    # nor: live in both, 28 days (hh-spread) and 50 days (hh-again): median 39.
    nor = sites["nor"]
    assert (nor["live"], nor["in_scope"], nor["share_live"], nor["median_days_to_live"]) == (
        2,
        2,
        1.0,
        39,
    )
    # nor's latest compliance after go-live is 92% against 90%: met. nst is not live in
    # hh-spread, so its 60% is not judged there.
    assert (nor["compliance_measured"], nor["compliance_met"], nor["open_risks"]) == (1, 1, 0)
    # nst: live in hh-again only (59 days); hh-spread's two open risks count against it.
    nst = sites["nst"]
    assert (nst["live"], nst["in_scope"], nst["median_days_to_live"], nst["open_risks"]) == (
        1,
        2,
        59,
        2,
    )
    # sou: in hh-spread only, not live; sea: in scope nowhere.
    assert (sites["sou"]["in_scope"], sites["sou"]["open_risks"]) == (1, 2)
    assert (sites["sea"]["in_scope"], sites["sea"]["share_live"]) == (0, None)
    overall = sites["all"]
    assert (overall["live"], overall["in_scope"], overall["median_days_to_live"]) == (3, 5, 50)


def test_scorecard_text_and_site_detail(tracker: Path, run: Run) -> None:
    _second_project(tracker)
    result = run("scorecard", "--as-of", "2026-05-01", cwd=tracker)
    rows = {line.split()[0]: line.split() for line in result.lines if line.split()}
    assert rows["nor"][-5:] == ["2/2", "100%", "39", "1/1", "0"]
    assert rows["sea"][-5:] == ["0/0", "-", "-", "-", "0"]
    detail = run("scorecard", "--site", "nor", "--as-of", "2026-05-01", cwd=tracker)
    assert "nor: North Hospital" in detail.lines
    assert "  ✓ hh-spread compliance 92% on 2026-03-01 (target 90%)" in detail.lines
    bad = run("scorecard", "--site", "xyz", cwd=tracker)
    assert bad.exit_code == 1 and "--site: unknown value 'xyz'" in bad.stderr


def test_scorecard_csv_has_one_line_per_site_and_the_total(tracker: Path, run: Run) -> None:
    result = run("scorecard", "--as-of", "2026-05-01", "--format", "csv", cwd=tracker)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["site"] for r in rows] == ["nor", "nst", "sou", "sea", "all"]
    assert (rows[0]["live"], rows[0]["median_days_to_live"]) == ("1", "28")


def test_projects_approved_after_the_date_are_left_out(tracker: Path, run: Run) -> None:
    result = run("scorecard", "--as-of", "2026-01-15", "--format", "json", cwd=tracker)
    assert json.loads(result.stdout)["projects"] == []
