"""rules/gates: what stands between a project and its next phase, by role, in checklist order."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from diffuse.rules.gates import GateError, GateReport, evaluate, target_phase
from diffuse.rules.load import load_tracker

PLAN_APPROVAL = "  - {gate: plan, body: cpc, by: ben, date: 2026-02-01}\n"


def _gate(tracker: Path, target: str = "execute") -> GateReport:
    loaded = load_tracker(tracker)
    catalog = loaded.catalog
    project = catalog.projects["hh-spread"]
    practice = catalog.practices[project.practice]
    return evaluate(catalog.workflow, loaded.org, practice, project, target)


def _edit(tracker: Path, old: str, new: str) -> None:
    path = tracker / "projects" / "hh-spread.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_the_next_phase_is_the_default_and_only_allowed_moves_are_accepted(
    tracker: Path,
) -> None:
    loaded = load_tracker(tracker)
    workflow, project = loaded.catalog.workflow, loaded.catalog.projects["hh-spread"]
    assert target_phase(workflow, project, None) == "execute"
    assert target_phase(workflow, project, "execute") == "execute"
    with pytest.raises(GateError, match="allowed next: execute"):
        target_phase(workflow, project, "close")
    with pytest.raises(GateError, match="no phase 'launch'"):
        target_phase(workflow, project, "launch")


def test_a_gate_lists_open_duties_then_empty_roles_then_the_approval(tracker: Path) -> None:
    report = _gate(tracker)
    assert not report.passed
    assert (report.project, report.current, report.target) == ("hh-spread", "plan", "execute")
    assert Counter(gap.kind for gap in report.gaps) == {"duty": 16, "role": 4, "approval": 1}
    assert [gap.kind for gap in report.gaps] == sorted(
        (gap.kind for gap in report.gaps), key=["duty", "role", "approval"].index
    )
    assert report.gaps[0].item == "sr-announce"
    assert report.gaps[-1].role == "sponsor-oversight"
    assert list(report.by_role())[:2] == ["sponsor-readiness", "diffusion-manager"]


def test_a_duty_done_or_not_applicable_is_no_longer_a_gap(tracker: Path) -> None:
    _edit(
        tracker,
        "  dm-budget:",
        "  sr-announce: {status: done, date: 2026-02-02}\n"
        "  dm-stakeholders: {status: na, reason: one site}\n  dm-budget:",
    )
    items = {gap.item for gap in _gate(tracker).gaps}
    assert "sr-announce" not in items and "dm-stakeholders" not in items
    assert "dm-change-plan" in items


def test_only_an_approval_by_a_member_of_the_practices_body_counts(tracker: Path) -> None:
    # `validate` reports such an approval too (rules/references); the gate ignores it.
    by_cy = "  - {gate: execute, body: cpc, by: cy, date: 2026-03-01}\n"
    _edit(tracker, PLAN_APPROVAL, PLAN_APPROVAL + by_cy)
    (gap,) = [gap for gap in _gate(tracker).gaps if gap.kind == "approval"]
    assert "by 'cy'" not in gap.text
    _edit(tracker, "by: cy, date: 2026-03-01", "by: ben, date: 2026-03-01")
    # Ben's approval is weighed: it counts for nothing only because the gate was not met
    # on its day.
    (gap,) = [gap for gap in _gate(tracker).gaps if gap.kind == "approval"]
    assert "the approval by 'ben' on 2026-03-01 counts for nothing" in gap.text
