"""A site out of scope (not-applicable, or excepted by diffusion oversight) counts neither
for nor against a project in any report; `review --as-of` reads the dated records."""

from __future__ import annotations

from pathlib import Path

from conftest import Run
from lifecycle import write_project

EXCEPTED = {
    "nor": "{status: live, go_live_actual: 2026-03-01}",
    "nst": "{status: live, go_live_actual: 2026-04-06}",
    "sou": "{status: implementing, health: off-track, exception: {reason: ward closed for a "
    "rebuild, approved_by: ben, date: 2026-06-15}}",
    "sea": "{status: not-applicable, reason: no inpatient beds}",
}


def _row(run: Run, tracker: Path, day: str) -> list[str]:
    result = run("status", "--as-of", day, cwd=tracker)
    assert result.exit_code == 0, result.stderr
    return next(line.split() for line in result.lines if line.strip().startswith("hh-spread"))


def test_an_excepted_site_leaves_the_grid_figures_from_its_exception_date(
    tracker: Path, run: Run
) -> None:
    write_project(tracker, "execute", EXCEPTED)
    # Before the exception the off-track site holds the project back.
    assert _row(run, tracker, "2026-06-01") == [
        "hh-spread", "execute", "2/3", "120/181", "2026-08-25", "✗", "off-track",
        "●✓", "●✓", "◑✗", "–",
    ]  # fmt: skip
    legend = run("status", "--as-of", "2026-07-01", cwd=tracker).lines[-4]
    assert legend.endswith("★ sustained  – not-applicable or excepted")
    assert _row(run, tracker, "2026-07-01") == [
        "hh-spread", "execute", "2/2", "150/181", "done", "✓", "on-track", "●✓", "●✓", "–", "–"
    ]  # fmt: skip


def test_an_exception_by_someone_outside_oversight_counts_for_nothing(
    tracker: Path, run: Run
) -> None:
    sites = dict(EXCEPTED, sou=EXCEPTED["sou"].replace("approved_by: ben", "approved_by: cy"))
    write_project(tracker, "execute", sites)
    assert _row(run, tracker, "2026-07-01")[2:7] == [
        "2/3",
        "150/181",
        "2026-11-08",
        "✗",
        "off-track",
    ]


def test_trend_and_scorecard_leave_the_excepted_site_out(tracker: Path, run: Run) -> None:
    write_project(tracker, "execute", EXCEPTED)
    trend = run("trend", "hh-spread", "--as-of", "2026-07-01", cwd=tracker)
    assert trend.lines[1:4] == [
        "as of 2026-07-01: 2 of 2 in-scope site(s) live",
        "target: every site live by 2026-08-01 (6 months)",
        "forecast: done, every in-scope site is live",
    ]
    card = run("scorecard", "--as-of", "2026-07-01", cwd=tracker)
    assert card.lines[4:7] == [
        "sou   South Hospital        0/0      -       -          -      0",
        "sea   Seaside Hospital      0/0      -       -          -      0",
        "all   all sites shown       2/2   100%      46          -      0",
    ]


def test_review_does_not_ask_for_updates_from_an_excepted_site(tracker: Path, run: Run) -> None:
    sites = dict(EXCEPTED, nor="{status: sustained, go_live_actual: 2026-03-01}")
    sites["nst"] = "{status: sustained, go_live_actual: 2026-04-06}"
    write_project(tracker, "execute", sites)
    before = run("review", "--as-of", "2026-06-01", "--weeks", "4", cwd=tracker)
    assert before.lines[4:6] == [
        "project    status          last update                       age  sites",
        "hh-spread  ◑ implementing  never (approved 2026-02-01)  120 days  sou",
    ]
    after = run("review", "--as-of", "2026-07-01", "--weeks", "4", cwd=tracker)
    assert after.lines[3:] == ["Site rows not yet sustained and not updated for more than 4 weeks "
                               "(28 days)", "  none", "", "0 review(s) overdue, 0 due soon; 0 "
                               "stale site row(s); 0 paused"]  # fmt: skip


def test_review_as_of_reads_the_site_updates_dated_by_then(tracker: Path, run: Run) -> None:
    sites = dict(EXCEPTED, sou="{status: live, go_live_actual: 2026-05-04, updated: 2026-06-20}")
    sites["nor"] = "{status: live, go_live_actual: 2026-03-01, updated: 2026-06-20}"
    project = write_project(tracker, "execute", sites)
    with project.open("a") as out:
        out.write("updates:\n  - {date: 2026-04-10, site: sou, text: training half done}\n")
    result = run("review", "--as-of", "2026-05-01", "--weeks", "4", cwd=tracker)
    assert result.exit_code == 0, result.stderr
    # On 2026-05-01 the June updates were not yet made: nor was live (since 2026-03-01)
    # and not heard of since approval; sou, not yet live, was last heard of on 2026-04-10.
    assert result.lines[3:7] == [
        "Site rows not yet sustained and not updated for more than 4 weeks (28 days)",
        "project    status  last update                      age  sites",
        "hh-spread  ● live  never (approved 2026-02-01)  89 days  nor, nst",
        "",
    ]
    later = run("review", "--as-of", "2026-05-20", "--weeks", "4", cwd=tracker)
    assert later.lines[6] == "hh-spread  ● live  2026-04-10                    40 days  sou"


def test_review_as_of_leaves_out_a_practice_review_recorded_later(tracker: Path, run: Run) -> None:
    write_project(tracker, "close", {**EXCEPTED, "sou": "{status: live}"})
    practice = tracker / "practices" / "hand-hygiene.yaml"
    text = practice.read_text().replace("  last: 2026-01-15", "  last: 2026-09-01")
    practice.write_text(text.replace("review:\n", "review:\n  cadence_months: 6\n"))
    # On 2026-08-01 the September review had not happened: the one due from establishment
    # (2026-01-15) was overdue.
    result = run("review", "--as-of", "2026-08-01", "--weeks", "104", cwd=tracker)
    assert result.lines[:2] == [
        "Practice reviews as of 2026-08-01 (overdue, or due within 30 days)",
        "✗ 17 days overdue  hand-hygiene: Hand hygiene at the bedside",
    ]


def test_show_says_why_a_site_is_out_of_scope(tracker: Path, run: Run) -> None:
    write_project(tracker, "execute", EXCEPTED)
    result = run("show", "hh-spread", cwd=tracker, env={"COLUMNS": "160"})
    rows = {line.split()[0]: line for line in result.lines if line[:4] in ("sou ", "sea ")}
    assert rows["sou"].endswith("excepted by ben: ward closed for a rebuild")
    assert rows["sea"].endswith("no inpatient beds")
