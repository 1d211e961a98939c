"""rules/lifecycle: how a practice's status may move, when it is ready, which approvals are new."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from diffuse.models import Approval, Practice, PracticeStatus
from diffuse.rules.lifecycle import (
    added_approvals,
    by_member,
    practice_move,
    readiness_gaps,
    removed_approvals,
    skipped,
)
from diffuse.rules.load import load_tracker

S = PracticeStatus


def _approval(**fields: Any) -> Approval:
    return Approval.model_validate({"body": "cpc", "by": "ada", "date": "2026-01-20", **fields})


def test_a_practice_moves_one_step_at_a_time_or_ends() -> None:
    assert practice_move(None, S.PROPOSED).kind == "start"
    assert practice_move(S.PROPOSED, S.PROPOSED).kind == "same"
    assert practice_move(S.PROPOSED, S.APPROVED).kind == "forward"
    assert practice_move(S.DIFFUSING, S.APPROVED).kind == "back"
    assert practice_move(S.DIFFUSING, S.RETIRED).kind == "end"
    assert practice_move(S.RETIRED, S.DIFFUSING).kind == "back"
    skip = practice_move(S.DISCOVERY, S.DIFFUSING)
    assert skip.kind == "skip" and skipped(skip) == ["proposed", "approved"]


def test_reaching_approved_is_entering_it_or_starting_past_it() -> None:
    assert practice_move(S.PROPOSED, S.APPROVED).reaches_approved
    assert practice_move(None, S.DIFFUSING).reaches_approved
    assert not practice_move(S.APPROVED, S.DIFFUSING).reaches_approved
    assert not practice_move(None, S.PROPOSED).reaches_approved


def _practice(tracker: Path) -> Practice:
    return load_tracker(tracker).catalog.practices["hand-hygiene"]


def test_readiness_names_each_missing_duty_at_the_line_that_should_hold_it(
    tracker: Path,
) -> None:
    path = tracker / "practices" / "hand-hygiene.yaml"
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith(("leaders", "support"))))
    practice = _practice(tracker)
    assert readiness_gaps(practice, {"id", "status"})[0].loc == ("status",)
    gaps = readiness_gaps(practice, {"id", "status", "leaders"})
    assert [(gap.rule, gap.loc) for gap in gaps] == [
        ("readiness-metrics", ("status",)),
        ("readiness-leaders", ("leaders",)),
    ]
    assert gaps[1].message == "leaders not assigned: champion, administrative, physician"


def test_approvals_added_and_removed_are_told_apart_by_their_whole_entry() -> None:
    first, second = _approval(), _approval(by="ben")
    assert added_approvals([first], [first, second, second]) == [second, second]
    assert added_approvals([first, second], [second, first]) == []
    assert removed_approvals([first, second], [second])
    assert not removed_approvals([first], [first, second])


def test_only_approvals_by_members_of_the_body_count(tracker: Path) -> None:
    org = load_tracker(tracker).org
    member, outsider = _approval(gate="plan"), _approval(by="cy", gate="plan")
    rejected = _approval(decision="rejected")
    assert by_member([member, outsider, rejected], org, "cpc") == [member]
    assert by_member([member], org, "cpc", gate="execute") == []
