"""Attacks on the gates and roles, run through the CLI as a diffusion manager or an attacker
would: each must be refused with a located message. Each decision is judged on its day:
an approval counts only for a gate met when it was given, and a move only after the
decisions it rests on."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from conftest import Run, git
from lifecycle import write_project
from prflow import commit_as, edit

PROJECT = Path("projects") / "hh-spread.yaml"
PRACTICE = Path("practices") / "hand-hygiene.yaml"
ALL_LIVE = {
    "nor": "{status: live, go_live_actual: 2026-03-01}",
    "nst": "{status: live, go_live_actual: 2026-04-06}",
    "sou": "{status: live, go_live_actual: 2026-05-04}",
    "sea": "{status: not-applicable, reason: no inpatient beds}",
}
CLOSE_APPROVAL = "approvals:\n  - {gate: close, body: cpc, by: ada, date: 2026-06-20}\n"


def _ready_to_close(tracker: Path, sites: dict[str, str] | None = None) -> Path:
    project = write_project(tracker, "execute", sites or ALL_LIVE, duties_before="close")
    edit(project, "approvals:\n", CLOSE_APPROVAL)
    return project


# Wide enough that every gap is one line: these tests read what is refused, not the layout.
WIDE = {"COLUMNS": "400"}


def _advance(run: Run, tracker: Path, day: str) -> tuple[int, list[str]]:
    result = run("advance", "hh-spread", "--by", "cy", "--date", day, cwd=tracker, env=WIDE)
    return result.exit_code, result.lines


def _refused(run: Run, tracker: Path, day: str) -> list[str]:
    before = (tracker / PROJECT).read_bytes()
    code, lines = _advance(run, tracker, day)
    assert code == 1, lines
    assert (tracker / PROJECT).read_bytes() == before
    return lines


def _problems(run: Run, tracker: Path, *args: str) -> list[str]:
    result = run(*(args or ("validate",)), cwd=tracker)
    assert result.exit_code == 1, result.stdout
    prefix = f"{tracker}/"
    return [line.removeprefix(prefix) for line in result.lines if ": error[" in line]


# -- a practice still proposed ----------------------------------------------------------


def _in_initiate(tracker: Path) -> Path:
    """The project in initiate with every duty due there done, sr-proven and sr-vetted
    among them, and a plan approval given that day."""
    project = write_project(tracker, "initiate", duties_before="plan")
    edit(project, "history:\n", "history: []\n")
    edit(
        project,
        "approvals:\n",
        "approvals:\n  - {gate: plan, body: cpc, by: ben, date: 2026-02-01}\n",
    )
    return project


def test_a_project_cannot_leave_initiate_while_its_practice_is_proposed(
    tracker: Path, run: Run
) -> None:
    _in_initiate(tracker)
    edit(tracker / PRACTICE, "status: approved", "status: proposed")
    edit(tracker / PRACTICE, "  - {body: cpc, by: ada, date: 2026-01-15}\n", "")
    edit(tracker / PRACTICE, "approvals:\n", "approvals: []\n")
    lines = _refused(run, tracker, "2026-02-02")
    assert (
        "    ✗ [practice] hand-hygiene: the practice is 'proposed', not approved: its "
        "approving body approves it first ('diffuse practice hand-hygiene --status approved' "
        "and 'diffuse approve hand-hygiene')"
    ) in lines
    # Ticked readiness duties do not stand in for the decision.
    assert not any("[duty] sr-proven" in line for line in lines)


def test_a_practice_approved_after_the_move_does_not_let_the_project_out(
    tracker: Path, run: Run
) -> None:
    _in_initiate(tracker)
    # Approved, but only in March: the project cannot have left initiate in February.
    edit(tracker / PRACTICE, "date: 2026-01-15}", "date: 2026-03-01}")
    lines = _refused(run, tracker, "2026-02-02")
    assert (
        "    ✗ [practice] hand-hygiene: the practice has no approval by a member of its "
        "approving body dated on or before 2026-02-02 ('diffuse approve hand-hygiene')"
    ) in lines
    assert _advance(run, tracker, "2026-03-02")[0] == 1  # the plan approval predates it too


def test_validate_reports_a_project_past_initiate_whose_practice_is_proposed(
    tracker: Path, run: Run
) -> None:
    edit(tracker / PRACTICE, "status: approved", "status: proposed")
    problems = _problems(run, tracker)
    assert (
        f"{PROJECT}:3:11: error[practice-not-approved] the project left its first phase on "
        "2026-02-01, but its practice 'hand-hygiene' is 'proposed'"
    ) in problems


# -- an old approval opening a later gate ----------------------------------------------------


def test_a_scope_change_is_its_own_decision_and_opens_no_gate(git_tracker: Path, run: Run) -> None:
    sites = dict(ALL_LIVE, sou="{status: implementing}")
    write_project(git_tracker, "execute", sites, duties_before="close")
    commit_as(git_tracker, "cy", "Execute under way")
    git(git_tracker, "checkout", "-q", "-b", "scope")
    dropped = run(
        "site", "hh-spread", "sou", "--status", "not-applicable", "--reason", "ward closed",
        "--by", "cy", "--date", "2026-03-01", "--commit", cwd=git_tracker,
    )  # fmt: skip
    assert dropped.exit_code == 0, dropped.stderr
    found = run("check", "--base", "main", cwd=git_tracker)
    assert found.exit_code == 1
    at = found.lines.index(
        f"{git_tracker}/{PROJECT}:61:8: error[scope-unapproved] site sou is taken out of scope "
        "(or back in) without a decision on it"
    )
    assert found.lines[at + 1] == (
        "    fix: a member of Clinical Practice Committee runs 'diffuse approve hh-spread "
        "--scope sou' on this branch"
    )
    # A gate approval cannot stand in: the close gate is not met on 2 March (nst goes live
    # in April), so `approve` refuses to record one.
    early = run("approve", "hh-spread", "--date", "2026-03-02", cwd=git_tracker)
    assert early.exit_code == 1
    assert "the gate to enter 'close' is not met on 2026-03-02" in early.stderr
    assert "✗ [site] nst: live from 2026-04-06, not live on 2026-03-02" in early.stderr
    scoped = run("approve", "hh-spread", "--scope", "sou", "--date", "2026-03-02", cwd=git_tracker)
    assert scoped.exit_code == 0, scoped.stderr
    assert "approved project hh-spread: sou out of scope as ada" in scoped.stdout
    assert run("check", "--base", "main", cwd=git_tracker).exit_code == 0
    # In July the scope decision does not open the close gate.
    lines = _refused(run, git_tracker, "2026-07-01")
    assert any(line.startswith("    ✗ [approval] close: record an approval") for line in lines)


def test_an_approval_given_before_the_gate_was_met_does_not_open_it_later(
    tracker: Path, run: Run
) -> None:
    # Approved in March, while nst and sou were not yet live; they went live later.
    project = _ready_to_close(tracker)
    edit(project, "date: 2026-06-20}", "date: 2026-03-02}")
    lines = _refused(run, tracker, "2026-07-01")
    assert lines[:3] == [
        "hh-spread: execute -> close: gate NOT met, 1 item(s) missing",
        "  Sponsoring Body: diffusion oversight:",
        "    ✗ [approval] close: record an approval to enter 'close' by a member of Clinical "
        "Practice Committee; the approval by 'ada' on 2026-03-02 counts for nothing: the gate "
        "was not met that day (nst: live from 2026-04-06, not live on 2026-03-02)",
    ]
    # Written into the file by hand, validate finds the same.
    edit(project, "phase: execute", "phase: close")
    edit(
        project, "by: cy}\n", "by: cy}\n  - {from: execute, to: close, date: 2026-07-01, by: cy}\n"
    )
    problems = _problems(run, tracker)
    assert any(
        "error[gate-approval] entered 'close' on 2026-07-01 with no approval to enter it by a "
        "member of Clinical Practice Committee that counts: the approval by 'ada' on "
        "2026-03-02 counts for nothing" in line
        for line in problems
    ), problems


def test_an_approval_counts_for_nothing_once_what_it_checked_changes(
    tracker: Path, run: Run
) -> None:
    # Approved on 20 June with the gate met; then a duty is opened again and done later.
    project = _ready_to_close(tracker)
    edit(
        project,
        "  dm-status: {status: done, date: 2026-01-20}",
        "  dm-status: {status: done, date: 2026-06-25}",
    )
    lines = _refused(run, tracker, "2026-07-01")
    assert lines[2].endswith(
        "the approval by 'ada' on 2026-06-20 counts for nothing: the gate was not met that "
        "day (dm-status: Submit regular status updates (done on 2026-06-25, after 2026-06-20))"
    )


# -- nothing live ------------------------------------------------------------------------


def test_a_project_cannot_close_with_every_site_out_of_scope(tracker: Path, run: Run) -> None:
    sites = {s: "{status: implementing}" for s in ("nor", "nst", "sou")}
    sites["sea"] = ALL_LIVE["sea"]
    project = _ready_to_close(tracker, sites)
    for site in ("nor", "nst", "sou"):
        excepted = run(
            "site", "hh-spread", site, "--except", "not this year", "--by", "ben",
            "--date", "2026-06-01", cwd=tracker,
        )  # fmt: skip
        assert excepted.exit_code == 0, excepted.stderr
    lines = _refused(run, tracker, "2026-07-01")
    assert (
        "    ✗ [site] scope: no in-scope site is live: every site is not-applicable or "
        "excepted, so nothing was diffused"
    ) in lines
    grid = run("status", "--as-of", "2026-07-01", cwd=tracker)
    assert grid.exit_code == 0
    # Closed by hand, validate says why it may not be.
    edit(project, "phase: execute", "phase: close")
    edit(
        project, "by: cy}\n", "by: cy}\n  - {from: execute, to: close, date: 2026-07-01, by: cy}\n"
    )
    problems = _problems(run, tracker)
    assert any(
        "error[gate-sites] the project is past 'close' but no in-scope site is live: every "
        "site is not-applicable or excepted, so nothing was diffused" in line
        for line in problems
    ), problems


# -- dates -------------------------------------------------------------------------------


def test_advance_cannot_be_dated_before_the_decisions_it_rests_on(tracker: Path, run: Run) -> None:
    _ready_to_close(tracker)
    lines = _refused(run, tracker, "2026-06-10")
    assert (
        "    ✗ [approval] close: record an approval to enter 'close' by a member of Clinical "
        "Practice Committee; the approval by 'ada' is dated 2026-06-20, after 2026-06-10"
    ) in lines
    lines = _refused(run, tracker, "2026-01-25")
    assert (
        "    ✗ [date] approved: 2026-01-25 is before the project was approved (2026-02-01)" in lines
    )
    assert (
        "    ✗ [date] history: 2026-01-25 is before the project's last move "
        "(plan -> execute on 2026-02-20)"
    ) in lines
    code, lines = _advance(run, tracker, "2026-06-20")
    assert code == 0, lines


def test_an_approval_cannot_be_dated_before_the_project_entered_the_phase(
    git_tracker: Path, run: Run
) -> None:
    write_project(git_tracker, "execute", ALL_LIVE, duties_before="close")
    commit_as(git_tracker, "cy", "Execute done")
    refused = run("approve", "hh-spread", "--date", "2026-02-10", cwd=git_tracker)
    assert refused.exit_code == 1
    assert "✗ [date] execute: the project entered 'execute' on 2026-02-20, after 2026-02-10" in (
        refused.stderr
    )


# -- roles and duties ---------------------------------------------------------------------


def test_a_role_a_passed_gate_required_cannot_be_emptied(git_tracker: Path, run: Run) -> None:
    git(git_tracker, "checkout", "-q", "-b", "change")
    refused = run("role", "hh-spread", "diffusion-manager", "cy", "--remove", cwd=git_tracker)
    assert refused.exit_code == 1
    assert "the project passed 'plan', which needs someone in the role" in refused.stderr
    # Emptied by hand in a later commit: validate and check both report it, located.
    edit(git_tracker / PROJECT, "  diffusion-manager: cy   #", "  diffusion-manager: []   #")
    commit_as(git_tracker, "cy", "Nobody manages it now")
    expected = (
        f"{PROJECT}:11:22: error[role-emptied] the project passed 'plan', which needs someone "
        "in the role 'Enterprise Diffusion Manager', and nobody holds it now"
    )
    assert expected in _problems(run, git_tracker)
    assert expected in _problems(run, git_tracker, "check", "--base", "main")


def test_a_duty_is_done_by_a_holder_of_its_role_or_recorded_for_one(
    git_tracker: Path, run: Run
) -> None:
    # ada (git's identity) does not hold diffusion-manager; cy does.
    project = git_tracker / PROJECT
    before = project.read_bytes()
    mine = run(
        "duty", "hh-spread", "dm-timeline", "--done", "--date", "2026-03-03", cwd=git_tracker
    )
    assert mine.exit_code == 1
    assert mine.stderr.startswith(
        "diffuse: dm-timeline is a duty of 'Enterprise Diffusion Manager', which 'ada' does "
        "not hold (held by cy); the holder marks it done, or give --for cy"
    )
    other = run("duty", "hh-spread", "dm-timeline", "--done", "--for", "ben", cwd=git_tracker)
    assert other.exit_code == 1 and "which 'ben' does not hold" in other.stderr
    # Judging a duty not to apply is the holder's call too.
    na = run("duty", "hh-spread", "dm-timeline", "--na", "--reason", "none", cwd=git_tracker)
    assert na.exit_code == 1 and "which 'ada' does not hold" in na.stderr
    assert project.read_bytes() == before
    recorded = run(
        "duty", "hh-spread", "dm-timeline", "--done", "--for", "cy", "--date", "2026-03-03",
        cwd=git_tracker,
    )  # fmt: skip
    assert recorded.exit_code == 0, recorded.stderr
    assert recorded.lines == [
        "hh-spread: duty dm-timeline done on 2026-03-03 by cy (recorded by ada)"
    ]
    assert "    date: 2026-03-03\n    by: cy\n    recorded_by: ada\n" in project.read_text()
    shown = run("show", "hh-spread", "--as-of", "2026-03-04", cwd=git_tracker)
    assert any("[2026-03-03, by cy, recorded by ada]" in line for line in shown.lines)
    db = git_tracker / "tracker.db"
    assert run("export", "sqlite", str(db), "--as-of", "2026-03-04", cwd=git_tracker).exit_code == 0
    with closing(sqlite3.connect(db)) as connection:
        query = "SELECT by, recorded_by FROM duties WHERE duty = 'dm-timeline'"
        assert connection.execute(query).fetchall() == [("cy", "ada")]


def test_a_duty_ticked_by_someone_outside_its_role_blocks_the_gate(tracker: Path, run: Run) -> None:
    project = write_project(tracker, "plan", duties_before="execute")
    edit(project, "  diffusion-manager: cy", "  diffusion-manager: ben")
    edit(
        project,
        "  dm-timeline: {status: done, date: 2026-01-20}",
        "  dm-timeline: {status: done, date: 2026-01-20, by: cy}",
    )
    problems = _problems(run, tracker)
    assert any(
        "error[duty-holder] dm-timeline is marked done by 'cy', who does not hold the role "
        "'Enterprise Diffusion Manager' (held by ben)" in line
        for line in problems
    ), problems
    lines = _refused(run, tracker, "2026-03-01")
    assert (
        "    ✗ [holder] dm-timeline: marked done by 'cy', who does not hold the role "
        "'Enterprise Diffusion Manager' (held by ben)"
    ) in lines


# -- adaptations of a fixed principle ----------------------------------------------------


def test_an_adaptation_of_a_fixed_principle_is_decided_by_the_owner_before_close(
    tracker: Path, run: Run
) -> None:
    _ready_to_close(tracker)
    asked = run(
        "site", "hh-spread", "nst", "--adaptation", "Gel at the door only", "--principle", "1",
        "--by", "cy", "--date", "2026-06-01", cwd=tracker,
    )  # fmt: skip
    assert asked.exit_code == 0, asked.stderr
    assert "principle: Gel at every bed}" in (tracker / PROJECT).read_text()
    lines = _refused(run, tracker, "2026-07-01")
    assert (
        "    ✗ [adaptation] nst #1: 'Gel at the door only' departs from the fixed principle "
        "'Gel at every bed' and is not decided; the practice owner (ada) approves or refuses it"
    ) in lines
    # ben sits on the approving body, but only the owner decides a fixed principle.
    ben = run("site", "hh-spread", "nst", "--approve-adaptation", "1", "--by", "ben", cwd=tracker)
    assert ben.exit_code == 1
    assert "only the practice owner (ada) may decide; 'ben' is not" in ben.stderr
    refused = run(
        "site", "hh-spread", "nst", "--refuse-adaptation", "1", "--by", "ada",
        "--date", "2026-06-10", cwd=tracker,
    )  # fmt: skip
    assert refused.exit_code == 0, refused.stderr
    shown = run("show", "hh-spread", "--as-of", "2026-06-11", cwd=tracker)
    # Words only: the line may wrap at any width.
    assert (
        "nst: Gel at the door only (departs from the fixed principle 'Gel at every bed'); "
        "✗ refused by ada on 2026-06-10"
    ) in " ".join(shown.stdout.split())
    code, lines = _advance(run, tracker, "2026-07-01")
    assert code == 0, lines


def test_an_adaptation_decided_by_another_hand_does_not_pass_close(tracker: Path, run: Run) -> None:
    project = _ready_to_close(tracker)
    edit(
        project,
        "  nst: {status: live, go_live_actual: 2026-04-06}",
        "  nst:\n    status: live\n    go_live_actual: 2026-04-06\n    adaptations:\n"
        "      - {description: No gel, principle: Gel at every bed, approved_by: ben, "
        "date: 2026-05-01}",
    )
    lines = _refused(run, tracker, "2026-07-01")
    assert (
        "    ✗ [adaptation] nst #1: 'No gel' departs from a fixed principle and was decided "
        "by 'ben', not the practice owner (ada)"
    ) in lines
    edit(project, "principle: Gel at every bed", "principle: Gel somewhere")
    problems = _problems(run, tracker)
    assert any("error[unknown-principle]" in line for line in problems), problems


def test_a_late_adaptation_request_voids_an_earlier_close_approval(tracker: Path, run: Run) -> None:
    _ready_to_close(tracker)
    run(
        "site", "hh-spread", "nst", "--adaptation", "Gel at the door only", "--principle", "1",
        "--by", "cy", "--date", "2026-06-25", cwd=tracker,
    )  # fmt: skip
    run(
        "site", "hh-spread", "nst", "--approve-adaptation", "1", "--by", "ada",
        "--date", "2026-06-26", cwd=tracker,
    )  # fmt: skip
    lines = _refused(run, tracker, "2026-07-01")
    assert "the approval by 'ada' on 2026-06-20 counts for nothing" in lines[2]


def test_check_voids_a_gate_approval_when_what_it_judged_changes_after_it(
    git_tracker: Path, run: Run
) -> None:
    write_project(git_tracker, "execute", ALL_LIVE, duties_before="close")
    commit_as(git_tracker, "cy", "Execute done")
    git(git_tracker, "checkout", "-q", "-b", "close")
    approved = run(
        "approve", "hh-spread", "--gate", "close", "--date", "2026-06-20", cwd=git_tracker
    )
    assert approved.exit_code == 0, approved.stderr
    noted = run("site", "hh-spread", "nor", "--note", "audit passed", "--by", "cy", cwd=git_tracker)
    assert noted.exit_code == 0
    commit_as(git_tracker, "cy", "A note changes nothing the gate judged")
    assert run("check", "--base", "main", cwd=git_tracker).exit_code == 0
    # Then a site the approval saw live is set back, in a later commit.
    edit(git_tracker / PROJECT, "  nst: {status: live,", "  nst: {status: implementing,")
    commit_as(git_tracker, "cy", "nst is not live after all")
    found = run("check", "--base", "main", cwd=git_tracker)
    assert found.exit_code == 1
    assert any(
        "error[gate-changed-after-approval] sites changed after the approval to enter 'close' "
        "in commit " in line
        for line in found.lines
    ), found.stdout


def test_a_gate_approval_does_not_cover_a_scope_or_substance_change(
    git_tracker: Path, run: Run
) -> None:
    write_project(git_tracker, "execute", ALL_LIVE, duties_before="close")
    commit_as(git_tracker, "cy", "Execute done")
    git(git_tracker, "checkout", "-q", "-b", "change")
    edit(
        git_tracker / PROJECT,
        "  nst: {status: live, go_live_actual: 2026-04-06}",
        "  nst: {status: not-applicable, reason: closed}",
    )
    edit(
        git_tracker / PROJECT, "title: Hand hygiene everywhere", "title: Hand hygiene, most places"
    )
    commit_as(git_tracker, "cy", "Drop nst and retitle")
    # The close gate is met, so its approval is recorded; it covers neither change.
    gate = run("approve", "hh-spread", "--gate", "close", "--date", "2026-06-20", cwd=git_tracker)
    assert gate.exit_code == 0, gate.stderr
    found = run("check", "--base", "main", cwd=git_tracker)
    assert found.exit_code == 1
    rules = [line.split("error[")[1].split("]")[0] for line in found.lines if "error[" in line]
    assert sorted(rules) == ["scope-unapproved", "substance-unapproved"]
    assert (
        "    fix: a member of Clinical Practice Committee approves the change with 'diffuse "
        "approve hh-spread --substance', or revert it"
    ) in found.lines
    for decision in (("--scope", "nst"), ("--substance",)):
        done = run("approve", "hh-spread", *decision, "--date", "2026-06-21", cwd=git_tracker)
        assert done.exit_code == 0, done.stderr
    assert run("check", "--base", "main", cwd=git_tracker).exit_code == 0


def test_validates_fix_for_a_missing_gate_approval_works_for_the_day_of_the_move(
    git_tracker: Path, run: Run
) -> None:
    edit(
        git_tracker / PROJECT,
        "approvals:\n  - {gate: plan, body: cpc, by: ben, date: 2026-02-01}\n",
        "approvals: []\n",
    )
    commit_as(git_tracker, "cy", "Lose the plan approval")
    problems = _problems(run, git_tracker)
    assert any("error[gate-approval] entered 'plan' on 2026-02-01" in p for p in problems)
    late = run("approve", "hh-spread", "--gate", "plan", "--date", "2026-02-02", cwd=git_tracker)
    assert late.exit_code == 1
    assert "the project entered 'plan' on 2026-02-01, before 2026-02-02" in late.stderr
    done = run("approve", "hh-spread", "--gate", "plan", "--date", "2026-02-01", cwd=git_tracker)
    assert done.exit_code == 0, done.stderr
    assert run("validate", cwd=git_tracker).exit_code == 0


def test_a_site_set_live_by_hand_with_no_go_live_date_does_not_count(
    tracker: Path, run: Run
) -> None:
    _ready_to_close(tracker, dict(ALL_LIVE, sou="{status: live}"))
    lines = _refused(run, tracker, "2026-07-01")
    assert "    ✗ [site] sou: live, with no go_live_actual to say since when" in lines
