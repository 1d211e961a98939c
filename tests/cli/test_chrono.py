"""Time is one order: `validate` reports dates that contradict the record's own order, with
both dates and their places, and every edit that would add one is refused, leaving the file
byte for byte as it was. Honest records (a baseline before the approval, an origin site
live before it) pass."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO_ROOT, Run

PROJECT = Path("projects") / "hh-spread.yaml"
PRACTICE = Path("practices") / "hand-hygiene.yaml"
DAY = "2026-06-01"  # the reference day of every check here


def replace(root: Path, file: Path, old: str, new: str) -> None:
    path = root / file
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def problems(run: Run, root: Path, *args: str) -> list[str]:
    result = run("validate", "--as-of", DAY, *args, cwd=root)
    assert result.exit_code == 1, result.stdout
    prefix = f"{root}/"
    return [line.removeprefix(prefix) for line in result.lines if "error[" in line]


def line_of(root: Path, file: Path, text: str) -> int:
    lines = (root / file).read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def at(root: Path, file: Path, text: str, value: str) -> str:
    """`file:line:col` of `value` on the first line holding `text`."""
    line = line_of(root, file, text)
    col = (root / file).read_text().splitlines()[line - 1].index(value) + 1
    return f"{file}:{line}:{col}"


def refused(run: Run, root: Path, *args: str, file: Path = PROJECT) -> str:
    before = (root / file).read_bytes()
    result = run(*args, cwd=root)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert (root / file).read_bytes() == before
    return result.stderr


def test_the_fixture_and_the_demo_keep_time_in_order(tracker: Path, run: Run) -> None:
    assert run("validate", "--as-of", DAY, cwd=tracker).exit_code == 0
    demo = REPO_ROOT
    result = run("validate", "--as-of", "2026-11-22", "--root", str(demo))
    assert result.exit_code == 0, result.stdout


def test_a_go_live_before_the_approval_names_both_dates_and_lines(tracker: Path, run: Run) -> None:
    replace(
        tracker,
        PROJECT,
        "    status: planning\n",
        "    status: live\n    go_live_actual: 2026-01-10\n",
    )
    found = problems(run, tracker)
    go_live = line_of(tracker, PROJECT, "go_live_actual: 2026-01-10")
    approved = line_of(tracker, PROJECT, "approved: 2026-02-01")
    assert found == [
        f"projects/hh-spread.yaml:{go_live}:21: error[date-order] sites.sou.go_live_actual "
        f"2026-01-10 is before the project's approval 2026-02-01 "
        f"(projects/hh-spread.yaml:{approved}:11)"
    ]


def test_a_go_live_before_the_approval_is_refused(tracker: Path, run: Run) -> None:
    err = refused(
        run, tracker, "site", "hh-spread", "sou", "--status", "live", "--date", "2026-01-10"
    )
    assert "nothing was written" in err
    assert "sites.sou.go_live_actual 2026-01-10 is before the project's approval 2026-02-01" in err
    # The same go-live after the approval is a plain update.
    ok = run("site", "hh-spread", "sou", "--status", "live", "--date", "2026-02-10", cwd=tracker)
    assert ok.exit_code == 0, ok.stderr


def test_an_origin_site_may_be_live_before_the_approval(tracker: Path, run: Run) -> None:
    # nor is the practice's origin site: it used the practice before the diffusion began.
    replace(tracker, PROJECT, "go_live_actual: 2026-03-01", "go_live_actual: 2025-11-03")
    assert run("validate", "--as-of", DAY, cwd=tracker).exit_code == 0


def test_a_site_moved_back_from_live_keeps_no_go_live(tracker: Path, run: Run) -> None:
    replace(
        tracker,
        PROJECT,
        "    status: live\n    health: on-track\n    go_live_actual",
        "    status: planning\n    health: on-track\n    go_live_actual",
    )
    found = problems(run, tracker)
    assert len(found) == 1
    assert (
        "error[go-live-status] sites.nor is planning but keeps go_live_actual 2026-03-01"
        in found[0]
    )


def test_moving_a_site_back_from_live_drops_its_go_live(tracker: Path, run: Run) -> None:
    result = run(
        "site", "hh-spread", "nor", "--status", "planning", "--date", "2026-04-01", cwd=tracker
    )
    assert result.exit_code == 0, result.stderr
    assert "go_live_actual: null" in (tracker / PROJECT).read_text()
    assert run("validate", "--as-of", DAY, cwd=tracker).exit_code == 0


def test_spreading_before_the_practice_is_approved(tracker: Path, run: Run) -> None:
    # The practice is approved on 1 March: the project, commissioned in February, cannot
    # have left initiate before then, nor taken a site live.
    replace(
        tracker,
        PRACTICE,
        "{body: cpc, by: ada, date: 2026-01-15}",
        "{body: cpc, by: ada, date: 2026-03-01}",
    )
    replace(
        tracker,
        PROJECT,
        "    status: planning\n",
        "    status: live\n    go_live_actual: 2026-02-20\n",
    )
    approval = at(tracker, PRACTICE, "date: 2026-03-01", "2026-03-01")
    found = [p for p in problems(run, tracker) if p.startswith("projects/")]
    assert (
        f"{at(tracker, PROJECT, 'go_live_actual: 2026-02-20', '2026-02-20')}: "
        "error[date-order] sites.sou.go_live_actual 2026-02-20 is before the practice was "
        f"approved on 2026-03-01 ({approval})"
    ) in found
    assert any("error[practice-not-approved]" in p for p in found)


def test_entering_execute_before_the_practice_is_approved(tracker: Path, run: Run) -> None:
    replace(
        tracker,
        PRACTICE,
        "{body: cpc, by: ada, date: 2026-01-15}",
        "{body: cpc, by: ada, date: 2026-03-01}",
    )
    replace(
        tracker,
        PROJECT,
        "history:\n  - {from: initiate, to: plan, date: 2026-02-01, by: cy}\n",
        "history:\n  - {from: initiate, to: plan, date: 2026-02-01, by: cy}\n"
        "  - {from: plan, to: execute, date: 2026-02-20, by: cy}\n",
    )
    replace(tracker, PROJECT, "phase: plan", "phase: execute")
    found = [p for p in problems(run, tracker) if "date-order" in p]
    assert any(
        "history[1].date 2026-02-20: the project entered 'execute' before its practice was "
        "approved on 2026-03-01 (practices/hand-hygiene.yaml:" in p
        for p in found
    ), found


def test_a_review_before_the_practice_was_approved(tracker: Path, run: Run) -> None:
    replace(tracker, PRACTICE, "  last: 2026-01-15", "  last: 2026-01-02")
    found = problems(run, tracker)
    assert found == [
        f"{at(tracker, PRACTICE, 'last: 2026-01-02', '2026-01-02')}: error[date-order] "
        "review.last 2026-01-02 is before the practice was approved on 2026-01-15 "
        f"({at(tracker, PRACTICE, 'by: ada, date', '2026-01-15')})"
    ]


def test_a_review_before_the_practice_was_approved_is_refused(tracker: Path, run: Run) -> None:
    err = refused(
        run,
        tracker,
        "practice",
        "hand-hygiene",
        "--reviewed",
        "--date",
        "2026-01-02",
        file=PRACTICE,
    )
    assert "review.last 2026-01-02 is before the practice was approved on 2026-01-15" in err


def test_a_dissemination_that_ends_before_it_starts(tracker: Path, run: Run) -> None:
    err = refused(
        run,
        tracker,
        "disseminate",
        "hh-spread",
        "training",
        "--start",
        "2026-05-01",
        "--end",
        "2026-04-01",
        "--date",
        "2026-04-10",
    )
    assert "dissemination[0].end 2026-04-01 is before its start 2026-05-01" in err
    replace(
        tracker,
        PROJECT,
        "sites:\n",
        "dissemination:\n  - {approach: training, start: 2026-05-01, done: 2026-04-30}\nsites:\n",
    )
    done = at(tracker, PROJECT, "approach: training", "2026-04-30")
    start = at(tracker, PROJECT, "approach: training", "2026-05-01")
    assert problems(run, tracker) == [
        f"{done}: error[date-order] dissemination[0].done 2026-04-30 is before its start "
        f"2026-05-01 ({start})"
    ]


def test_a_duty_done_years_before_the_project(tracker: Path, run: Run) -> None:
    err = refused(
        run,
        tracker,
        "duty",
        "hh-spread",
        "dm-budget",
        "--done",
        "--by",
        "cy",
        "--date",
        "2023-03-01",
    )
    assert (
        "checklist.dm-budget.date 2023-03-01 is before the project's approval on 2026-02-01" in err
    )
    # Readiness work in the weeks before the approval is honest.
    ok = run(
        "duty",
        "hh-spread",
        "dm-budget",
        "--done",
        "--by",
        "cy",
        "--date",
        "2026-01-05",
        cwd=tracker,
    )
    assert ok.exit_code == 0, ok.stderr


def test_the_lead_before_approval_is_the_organisation_s_to_set(tracker: Path, run: Run) -> None:
    replace(
        tracker,
        PROJECT,
        "dm-budget: {status: done, date: 2026-02-10}",
        "dm-budget: {status: done, date: 2024-12-10}",
    )
    assert any("checklist.dm-budget.date 2024-12-10" in p for p in problems(run, tracker))
    replace(
        tracker, Path("organisation.yaml"), "settings:\n", "settings:\n  dates: {lead_days: 450}\n"
    )
    assert run("validate", "--as-of", DAY, cwd=tracker).exit_code == 0


def test_transitions_before_the_approval_and_out_of_order(tracker: Path, run: Run) -> None:
    replace(tracker, PROJECT, "date: 2026-02-01, by: cy}", "date: 2026-01-25, by: cy}")
    found = problems(run, tracker)
    assert any(
        "history[0].date 2026-01-25 is before the project's approval 2026-02-01" in p for p in found
    ), found
    replace(
        tracker,
        PROJECT,
        "  - {from: initiate, to: plan, date: 2026-01-25, by: cy}\n",
        "  - {from: initiate, to: plan, date: 2026-03-01, by: cy}\n"
        "  - {from: plan, to: execute, date: 2026-02-20, by: cy}\n",
    )
    replace(tracker, PROJECT, "phase: plan", "phase: execute")
    assert any(
        "history[1].date 2026-02-20 is before the move before it (initiate -> plan) 2026-03-01" in p
        for p in problems(run, tracker)
    )


def test_approvals_updates_exceptions_measures_before_the_project(tracker: Path, run: Run) -> None:
    replace(
        tracker,
        PROJECT,
        "{gate: plan, body: cpc, by: ben, date: 2026-02-01}",
        "{gate: plan, body: cpc, by: ben, date: 2026-01-28}",
    )
    replace(
        tracker,
        PROJECT,
        "    status: not-applicable\n",
        "    status: planning\n"
        "    exception: {reason: no beds, approved_by: ada, date: 2026-01-29}\n",
    )
    replace(
        tracker,
        PROJECT,
        "sites:\n",
        "updates:\n  - {date: 2024-01-02, text: kick-off}\n"
        "metrics:\n  - id: c\n    name: Compliance\n    level: process\n    direction: higher\n"
        "    values:\n"
        "      - {date: 2026-01-01, site: sou, value: 50, period: baseline}\n"
        "      - {date: 2026-01-15, site: sou, value: 60, period: implementation}\n"
        "      - {date: 2026-01-15, site: nor, value: 80, period: implementation}\n"
        "sites:\n",
    )
    text = "\n".join(problems(run, tracker))
    assert "approvals[0].date 2026-01-28 is before the project's approval 2026-02-01" in text
    assert "sites.sea.exception.date 2026-01-29 is before the project's approval 2026-02-01" in text
    assert "updates[0].date 2024-01-02 is before the project's approval on 2026-02-01" in text
    assert "metrics[0].values[1].date 2026-01-15 is an implementation value before" in text
    # A baseline before the approval, and a value from the origin site, are honest.
    assert "values[0]" not in text and "values[2]" not in text


def test_a_gate_passed_before_its_approval(tracker: Path, run: Run) -> None:
    replace(
        tracker,
        PROJECT,
        "{gate: plan, body: cpc, by: ben, date: 2026-02-01}",
        "{gate: plan, body: cpc, by: ben, date: 2026-02-05}",
    )
    found = problems(run, tracker)
    assert any(
        "history[0].date 2026-02-01: the project entered 'plan' before its approval to enter "
        "it, dated 2026-02-05 (projects/hh-spread.yaml:" in p
        for p in found
    ), found


def test_an_adaptation_approved_before_it_was_requested(tracker: Path, run: Run) -> None:
    replace(
        tracker,
        PROJECT,
        "    barriers: [gel dispensers on back order]\n",
        "    barriers: [gel dispensers on back order]\n    adaptations:\n"
        "      - {description: foam, requested: 2026-03-10, approved_by: ada, date: 2026-03-02}\n",
    )
    assert any(
        "sites.nst.adaptations[0].date 2026-03-02 is before its request 2026-03-10" in p
        for p in problems(run, tracker)
    )


@pytest.mark.parametrize("day", ["1925-03-01", "2075-03-01"])
def test_dates_decades_away(tracker: Path, run: Run, day: str) -> None:
    replace(
        tracker,
        PROJECT,
        "    health: at-risk\n",
        f"    health: at-risk\n    go_live_planned: {day}\n",
    )
    found = problems(run, tracker)
    side = "before" if day < DAY else "after"
    years = 30 if side == "before" else 10
    assert any(
        f"error[date-range] sites.nst.go_live_planned {day} is more than {years} years {side} "
        f"{DAY}" in p
        for p in found
    ), found
    # The window is the organisation's to widen, and the day is the one given.
    replace(
        tracker,
        Path("organisation.yaml"),
        "settings:\n",
        "settings:\n  dates: {past_years: 150, future_years: 60}\n",
    )
    assert run("validate", "--as-of", DAY, cwd=tracker).exit_code == 0


def test_an_edit_far_from_its_date_is_refused(tracker: Path, run: Run) -> None:
    err = refused(
        run, tracker, "site", "hh-spread", "nst", "--go-live", "2075-03-01", "--date", DAY
    )
    assert "sites.nst.go_live_planned 2075-03-01 is more than 10 years after 2026-06-01" in err


def test_an_edit_elsewhere_in_a_file_with_an_old_problem_goes_through(
    tracker: Path, run: Run
) -> None:
    replace(
        tracker,
        PROJECT,
        "dm-budget: {status: done, date: 2026-02-10}",
        "dm-budget: {status: done, date: 2023-06-10}",
    )
    result = run(
        "site", "hh-spread", "nst", "--health", "on-track", "--date", "2026-04-01", cwd=tracker
    )
    assert result.exit_code == 0, result.stderr
    # ... and validate still reports the old one.
    assert any("checklist.dm-budget.date 2023-06-10" in p for p in problems(run, tracker))


def test_an_approval_before_the_project_is_refused(
    git_tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(git_tracker)
    err = refused(run, git_tracker, "approve", "hh-spread", "--substance", "--date", "2026-01-10")
    assert "approvals[1].date 2026-01-10 is before the project's approval 2026-02-01" in err
    done = run("approve", "hh-spread", "--substance", "--date", "2026-03-01", cwd=git_tracker)
    assert done.exit_code == 0, done.stderr


def test_an_exception_before_the_approval_is_refused(tracker: Path, run: Run) -> None:
    args = ("site", "hh-spread", "sou", "--except", "ward closed", "--by", "ada")
    err = refused(run, tracker, *args, "--date", "2026-01-10")
    assert "sites.sou.exception.date 2026-01-10 is before the project's approval 2026-02-01" in err
    assert run(*args, "--date", "2026-04-10", cwd=tracker).exit_code == 0


def test_moving_the_approval_after_a_go_live_is_refused(tracker: Path, run: Run) -> None:
    assert (
        run(
            "site", "hh-spread", "sou", "--status", "live", "--date", "2026-03-05", cwd=tracker
        ).exit_code
        == 0
    )
    err = refused(run, tracker, "project", "hh-spread", "--approved", "2026-04-01")
    assert "sites.sou.go_live_actual 2026-03-05 is before the project's approval 2026-04-01" in err
