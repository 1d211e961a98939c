"""The gates check substance: sites live to close, measurement handed over to sustain, the
practice following its projects, and the rules `validate` holds without a base."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Run, git
from lifecycle import set_practice_status, write_project

CLOSE_APPROVAL = "approvals:\n  - {gate: close, body: cpc, by: ada, date: 2026-06-20}\n"
ALL_LIVE = {
    "nor": "{status: live, go_live_actual: 2026-03-01}",
    "nst": "{status: live, go_live_actual: 2026-04-06}",
    "sou": "{status: live, go_live_actual: 2026-05-04}",
    "sea": "{status: not-applicable, reason: no inpatient beds}",
}


def _ready_to_close(tracker: Path, sites: dict[str, str] | None = None) -> Path:
    project = write_project(tracker, "execute", sites, duties_before="close")
    _edit(project, "approvals:\n", CLOSE_APPROVAL)
    return project


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


# Wide enough that every gap is one line: these tests read what is refused, not the layout.
WIDE = {"COLUMNS": "400"}


def _advance(run: Run, tracker: Path, day: str = "2026-07-01") -> list[str]:
    return run("advance", "hh-spread", "--by", "cy", "--date", day, cwd=tracker, env=WIDE).lines


def test_close_is_refused_while_an_in_scope_site_is_not_live(tracker: Path, run: Run) -> None:
    project = _ready_to_close(tracker)
    before = project.read_bytes()
    result = run(
        "advance", "hh-spread", "--by", "cy", "--date", "2026-07-01", cwd=tracker, env=WIDE
    )
    assert result.exit_code == 1
    # The approval of 20 June was given while sou was not live, so it counts for nothing.
    assert result.lines == [
        "hh-spread: execute -> close: gate NOT met, 2 item(s) missing",
        "  Sponsoring Body: diffusion oversight:",
        "    ✗ [approval] close: record an approval to enter 'close' by a member of Clinical "
        "Practice Committee; the approval by 'ada' on 2026-06-20 counts for nothing: the gate "
        "was not met that day (sou: implementing, not live)",
        "  Sites: live, not-applicable with a reason, or excepted by diffusion oversight:",
        "    ✗ [site] sou: implementing, not live",
    ]
    assert project.read_bytes() == before


def test_a_site_is_excepted_only_with_a_reason_or_by_oversight(tracker: Path, run: Run) -> None:
    sites = dict(ALL_LIVE)
    sites["sea"] = "{status: not-applicable}"
    exception = "{reason: ward closed for rebuild, approved_by: cy, date: 2026-06-15}"
    sites["sou"] = f"{{status: implementing, exception: {exception}}}"
    project = _ready_to_close(tracker, sites)
    assert _advance(run, tracker)[-3:] == [
        "  Sites: live, not-applicable with a reason, or excepted by diffusion oversight:",
        "    ✗ [site] sou: implementing; its exception is approved by 'cy', who is not a member "
        "of the approving body",
        "    ✗ [site] sea: not-applicable without a 'reason'",
    ]
    _edit(project, "approved_by: cy", "approved_by: ben")
    _edit(
        project, "sea: {status: not-applicable}", "sea: {status: not-applicable, reason: no beds}"
    )
    assert _advance(run, tracker) == [
        "hh-spread: execute -> close: gate met",
        f"recorded in {project}",
        "practice hand-hygiene: diffusing -> diffused",
    ]


def test_closing_with_every_site_live_makes_the_practice_diffused_and_dates_it(
    git_tracker: Path, run: Run
) -> None:
    _ready_to_close(git_tracker, ALL_LIVE)
    git(git_tracker, "commit", "-qam", "Execute done")
    result = run("advance", "hh-spread", "--commit", "--date", "2026-07-01", cwd=git_tracker)
    assert result.exit_code == 0, result.stdout
    assert result.lines[2] == "practice hand-hygiene: diffusing -> diffused"
    practice = (git_tracker / "practices" / "hand-hygiene.yaml").read_text()
    assert "status: diffused\n" in practice and "established: 2026-07-01\n" in practice
    changed = git(git_tracker, "show", "--name-only", "--format=%B", "HEAD").splitlines()
    assert changed[2] == (
        "Gate met; recorded by ada on 2026-07-01. The practice hand-hygiene moves from "
        "diffusing to diffused with it."
    )
    assert changed[-2:] == ["practices/hand-hygiene.yaml", "projects/hh-spread.yaml"]
    # The diffusion date starts the review cycle: twelve months on, the review is due.
    review = run("review", "--as-of", "2027-07-02", "--weeks", "104", cwd=git_tracker)
    assert review.lines[1] == "✗ 1 days overdue  hand-hygiene: Hand hygiene at the bedside"


def test_a_practice_with_another_open_project_stays_diffusing(tracker: Path, run: Run) -> None:
    _ready_to_close(tracker, ALL_LIVE)
    other = (tracker / "projects" / "hh-spread.yaml").read_text()
    other = other.replace("id: hh-spread", "id: hh-clinics").replace(
        "phase: execute", "phase: plan"
    )
    other = other.split("  - {from: plan, to: execute")[0]
    (tracker / "projects" / "hh-clinics.yaml").write_text(other)
    assert run("validate", cwd=tracker).exit_code == 0
    assert _advance(run, tracker)[-1].startswith("recorded in ")
    assert "status: diffusing\n" in (tracker / "practices" / "hand-hygiene.yaml").read_text()


def test_sustain_needs_measurement_handed_over_not_marked_na(tracker: Path, run: Run) -> None:
    project = write_project(tracker, "close", ALL_LIVE, duties_before="close")
    close_duties = ["dm-close", "dt-audits", "dt-metrics", "oo-reinforce", "mc-review-timeline"]
    na = "".join(f"  {d}: {{status: na, reason: not needed}}\n" for d in close_duties)
    _edit(project, "sites:\n", f"{na}  mc-handoff: {{status: na, reason: nobody}}\nsites:\n")
    assert _advance(run, tracker, "2026-08-01") == [
        "hh-spread: close -> sustain: gate NOT met, 1 item(s) missing",
        "  Measurement Coordinator:",
        "    ✗ [duty] mc-handoff: Hand ongoing measurement to the practice owner (must be done: "
        "marking it na is not enough)",
    ]
    _edit(
        project,
        "mc-handoff: {status: na, reason: nobody}",
        "mc-handoff: {status: done, date: 2026-07-30}",
    )
    assert _advance(run, tracker, "2026-08-01")[0] == "hh-spread: close -> sustain: gate met"


def test_closed_and_sustaining_projects_stay_in_status_all_and_show(
    tracker: Path, run: Run
) -> None:
    write_project(tracker, "sustain", ALL_LIVE)
    assert run("validate", cwd=tracker).exit_code == 0
    active = run("status", "--as-of", "2026-08-01", cwd=tracker)
    assert active.lines == ["No projects match."]
    everything = run("status", "--all", "--as-of", "2026-08-01", cwd=tracker)
    row = next(line for line in everything.lines if line.strip().startswith("hh-spread"))
    assert row.split()[:4] == ["hh-spread", "sustain", "3/3", "181/181"]
    shown = run("show", "hh-spread", "--as-of", "2026-08-01", cwd=tracker)
    assert shown.exit_code == 0
    assert any(line.split()[:2] == ["phase", "sustain"] for line in shown.lines)


# -- invariants that validate holds without a base ---------------------------------------------


def test_validate_reports_an_approved_practice_that_is_not_ready(tracker: Path, run: Run) -> None:
    practice = tracker / "practices" / "hand-hygiene.yaml"
    _edit(practice, "owner: ada\n", "")
    result = run("validate", cwd=tracker)
    assert result.exit_code == 1
    assert result.lines[:-1] == [  # then the summary line
        f"{practice}:4:9: error[readiness-owner] no Best Practice Owner",
    ]


def test_validate_reports_a_practice_whose_status_contradicts_its_projects(
    tracker: Path, run: Run
) -> None:
    set_practice_status(tracker, "diffusing")
    result = run("validate", cwd=tracker)
    assert result.lines[:-1] == [  # then the summary line
        f"{tracker / 'practices' / 'hand-hygiene.yaml'}:4:9: error[practice-status] status is "
        "'diffusing' but its projects (hh-spread in 'plan') make it approved",
    ]
    check = run("check", cwd=tracker)
    assert check.exit_code == 1
    assert "    fix: set status: approved; 'diffuse advance' keeps it in step from then on" in (
        check.lines
    )


def test_validate_reports_a_hand_edited_jump_and_a_missing_gate_approval(
    tracker: Path, run: Run
) -> None:
    project = tracker / "projects" / "hh-spread.yaml"
    _edit(project, "  - {gate: plan, body: cpc, by: ben, date: 2026-02-01}\n", "")
    _edit(project, "approvals:\n", "approvals: []\n")
    result = run("validate", cwd=tracker)
    assert result.lines[:-1] == [  # then the summary line
        f"{project}:45:12: error[gate-approval] entered 'plan' on 2026-02-01 with no approval "
        "to enter it by a member of Clinical Practice Committee",
    ]
    write_project(tracker, "plan")
    _edit(project, "phase: plan", "phase: close")
    _edit(project, "by: cy}", "by: cy}\n  - {from: plan, to: close, date: 2026-03-01, by: cy}")
    set_practice_status(tracker, "diffused")
    assert run("validate", cwd=tracker).lines[:-1] == [  # then the summary line
        f"{project}:30:8: error[gate-sites] the project is past 'close' but site sou is "
        "implementing, not live",
        f"{project}:33:3: error[gate-approval] entered 'close' on 2026-03-01 with no approval "
        "to enter it by a member of Clinical Practice Committee",
        f"{project}:36:5: error[phase-transition] phase moves from 'plan' to 'close', which "
        "the workflow does not allow (allowed next: execute)",
    ]


def test_validate_reports_a_phase_with_no_history(tracker: Path, run: Run) -> None:
    project = tracker / "projects" / "hh-spread.yaml"
    text = project.read_text()
    project.write_text(text[: text.index("history:")])
    result = run("validate", cwd=tracker)
    assert result.lines[:-1] == [  # then the summary line
        f"{project}:5:8: error[phase-history] phase is 'plan' but the history records no move "
        "from 'initiate'",
    ]


# -- gate rules are data ---------------------------------------------------------------------

SCALE_UP = """
workflow:
  name: IHI Scale-up Framework
  phases: [set-up, full-scale]
  roles:
    - {id: lead, name: Scale-up lead}
  duties:
    - {id: handover, role: lead, due: set-up, text: Hand the measures to the owner}
  gates:
    full-scale: {sites: sustained, done: [handover]}
"""


def test_a_declared_workflow_sets_its_own_site_and_duty_conditions(tracker: Path, run: Run) -> None:
    org = tracker / "organisation.yaml"
    org.write_text(org.read_text() + SCALE_UP)
    project = tracker / "projects" / "hh-spread.yaml"
    project.write_text(
        "id: hh-spread\npractice: hand-hygiene\ntitle: Hand hygiene\nphase: set-up\n"
        "checklist:\n  handover: {status: na, reason: later}\n"
        "sites:\n  nor: {status: sustained, go_live_actual: 2026-03-01}\n"
        "  nst: {status: live, go_live_actual: 2026-03-01}\n"
        "  sou: {status: not-applicable, reason: closed}\n"
        "  sea: {status: sustained, go_live_actual: 2026-03-01}\n"
    )
    assert run("validate", cwd=tracker).exit_code == 0
    assert _advance(run, tracker) == [
        "hh-spread: set-up -> full-scale: gate NOT met, 2 item(s) missing",
        "  Scale-up lead:",
        "    ✗ [duty] handover: Hand the measures to the owner (must be done: marking it na is "
        "not enough)",
        "  Sites: live, not-applicable with a reason, or excepted by diffusion oversight:",
        "    ✗ [site] nst: live, not sustained",
    ]


def test_a_gate_naming_an_unknown_duty_is_a_located_error(tracker: Path, run: Run) -> None:
    org = tracker / "organisation.yaml"
    org.write_text(org.read_text() + SCALE_UP.replace("done: [handover]", "done: [hand-off]"))
    result = run("validate", cwd=tracker)
    assert result.exit_code == 1
    assert "gates name unknown duty(s) ['hand-off']" in result.stdout
    org.write_text(
        org.read_text().replace("sites: sustained, done: [hand-off]", "sites: not-applicable")
    )
    result = run("validate", cwd=tracker)
    assert result.exit_code == 1
    assert "a gate's 'sites' is how far every site must be" in result.stdout


def _advance_and_check(run: Run, repo: Path, project: str, day: str) -> tuple[list[str], ...]:
    """`advance --commit` on a new branch, then `check --base main`: both lines, both pass."""
    git(repo, "checkout", "-q", "-b", f"advance-{project}")
    advanced = run("advance", project, "--commit", "--date", day)
    assert advanced.exit_code == 0, advanced.stdout
    checked = run("check", "--base", "main", cwd=repo)
    assert checked.exit_code == 0, checked.stdout
    return advanced.lines, checked.lines


def test_an_advance_that_moves_the_practice_passes_check(
    git_tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(git_tracker)
    git(git_tracker, "checkout", "-q", "-b", "close")
    _ready_to_close(git_tracker, ALL_LIVE)
    git(git_tracker, "commit", "-qam", "Execute done")
    git(git_tracker, "checkout", "-q", "main")
    git(git_tracker, "merge", "-q", "close")
    _, checked = _advance_and_check(run, git_tracker, "hh-spread", "2026-07-01")
    assert checked[-3:] == [
        "  ✓ practice hand-hygiene: status diffusing -> diffused",
        "  ✓ project hh-spread: phase execute -> close",
        "check passed: 3 file(s) valid, 2 change(s) since main",
    ]


def test_a_diffused_practice_spreads_again_with_a_new_project(
    git_tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(git_tracker)
    closed = write_project(git_tracker, "close", ALL_LIVE, duties_before="close").read_text()
    planned = write_project(git_tracker, "plan", duties_before="execute").read_text()
    planned = planned.replace("id: hh-spread", "id: hh-clinics").replace(
        "approvals:\n", "approvals:\n  - {gate: execute, body: cpc, by: ben, date: 2026-08-01}\n"
    )
    (git_tracker / "projects" / "hh-clinics.yaml").write_text(planned)
    (git_tracker / "projects" / "hh-spread.yaml").write_text(closed)
    set_practice_status(git_tracker, "diffused")
    # A new project in plan leaves the practice diffused ...
    assert run("validate", cwd=git_tracker).lines == ["ok: 4 file(s) valid"]
    git(git_tracker, "add", "-A")
    git(git_tracker, "commit", "-qm", "Plan the clinics")
    # ... and entering execute makes it diffusing again, in the same commit.
    advanced, checked = _advance_and_check(run, git_tracker, "hh-clinics", "2026-08-02")
    assert advanced[::2] == [
        "hh-clinics: plan -> execute: gate met",
        "practice hand-hygiene: diffused -> diffusing",
    ]
    assert checked[-3:] == [
        "  ✓ practice hand-hygiene: status diffused -> diffusing",
        "  ✓ project hh-clinics: phase plan -> execute",
        "check passed: 4 file(s) valid, 2 change(s) since main",
    ]
    # Until the new project closes, the practice is not diffused.
    refused = run("practice", "hand-hygiene", "--status", "diffused", cwd=git_tracker)
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[-1].startswith(
        "diffuse: 'hand-hygiene' cannot be diffused: its projects make it diffusing"
    )
