"""An organisation can declare its own phases and checklist without code changes."""

from __future__ import annotations

from pathlib import Path

from conftest import Run

IHI_SCALE_UP = """
workflow:
  name: IHI Scale-up Framework
  phases: [set-up, scalable-unit, test-scale-up, full-scale]
  roles:
    - {id: lead, name: Scale-up lead}
    - {id: sponsor, name: Executive sponsor}
  duties:
    - {id: aim, role: sponsor, due: set-up, text: Agree the aim and the target population}
    - {id: unit, role: lead, due: scalable-unit, text: Define the scalable unit}
  gates:
    scalable-unit: {roles: [lead], approval: true}
"""

PROJECT = """\
id: hh-scale
practice: hand-hygiene
title: Hand hygiene at scale
phase: set-up
roles:
  lead: cy
checklist:
  aim: {status: done, date: 2026-01-10}
"""


def _ihi_tracker(tracker: Path) -> Path:
    org = tracker / "organisation.yaml"
    org.write_text(org.read_text() + IHI_SCALE_UP)
    (tracker / "projects" / "hh-spread.yaml").unlink()
    (tracker / "projects" / "hh-scale.yaml").write_text(PROJECT)
    return tracker / "projects" / "hh-scale.yaml"


def test_custom_phases_and_duties_validate_and_gate(tracker: Path, run: Run) -> None:
    project = _ihi_tracker(tracker)
    assert run("validate", cwd=tracker).exit_code == 0
    refused = run("advance", "hh-scale", "--by", "cy", "--date", "2026-02-01", cwd=tracker)
    assert refused.exit_code == 1
    assert refused.lines[0] == "hh-scale: set-up -> scalable-unit: gate NOT met, 1 item(s) missing"
    project.write_text(
        project.read_text() + "approvals:\n  - {gate: scalable-unit, body: cpc, by: ada, "
        "date: 2026-01-20}\n"
    )
    moved = run("advance", "hh-scale", "--by", "cy", "--date", "2026-02-01", cwd=tracker)
    assert moved.exit_code == 0, moved.stdout
    assert "phase: scalable-unit" in project.read_text()


def test_mayo_duty_ids_are_unknown_under_a_custom_workflow(tracker: Path, run: Run) -> None:
    project = _ihi_tracker(tracker)
    project.write_text(project.read_text() + "  dm-charter: {status: open}\n")
    result = run("validate", cwd=tracker)
    assert result.exit_code == 1
    assert "checklist.dm-charter: no duty 'dm-charter' (known: aim, unit)" in result.stdout


def test_workflow_naming_an_undeclared_phase_is_a_located_error(tracker: Path, run: Run) -> None:
    org = tracker / "organisation.yaml"
    org.write_text(org.read_text() + IHI_SCALE_UP.replace("due: scalable-unit", "due: launch"))
    result = run("validate", cwd=tracker)
    assert result.exit_code == 1
    assert "error[invalid-value] workflow: unknown phase(s) ['launch']" in result.stdout
