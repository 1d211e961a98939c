"""rules/references: every id one file names exists in another, each problem where it is named."""

from __future__ import annotations

from pathlib import Path

from diffuse.rules.references import check_references
from diffuse.rules.tracker.reading import read_tracker


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def _problems(tracker: Path) -> list[tuple[str, str, str]]:
    catalog = read_tracker(tracker)
    assert catalog.all_problems() == []
    return [
        (
            f"{p.location.path.relative_to(tracker)}:{p.location.line}:{p.location.col}",
            p.code,
            p.message,
        )
        for p in check_references(catalog)
    ]


def test_the_test_tracker_refers_only_to_what_exists(tracker: Path) -> None:
    assert _problems(tracker) == []


def test_unknown_sites_and_people_are_named_where_they_are_used(tracker: Path) -> None:
    project = tracker / "projects" / "hh-spread.yaml"
    _edit(project, "  sou:", "  sox:")
    _edit(project, "diffusion-manager: cy ", "diffusion-manager: zed ")
    assert _problems(tracker) == [
        (
            "projects/hh-spread.yaml:11:22",
            "unknown-reference",
            "roles.diffusion-manager.0: no person 'zed' (known: ada, ben, cy)",
        ),
        (
            "projects/hh-spread.yaml:40:5",
            "unknown-reference",
            "sites.sox: no site 'sox' (known: nor, nst, sea, sou)",
        ),
    ]


def test_an_id_listed_twice_in_the_organisation_is_reported(tracker: Path) -> None:
    _edit(tracker / "organisation.yaml", "{id: sea,", "{id: sou,")
    ((where, code, message),) = [p for p in _problems(tracker) if p[1] == "duplicate-id"]
    assert (where, code, message) == (
        "organisation.yaml:9:10",
        "duplicate-id",
        "sites.3.id: 'sou' is listed twice",
    )


def test_a_phase_that_history_does_not_reach_is_a_mismatch(tracker: Path) -> None:
    _edit(tracker / "projects" / "hh-spread.yaml", "to: plan, date", "to: initiate, date")
    assert _problems(tracker) == [
        (
            "projects/hh-spread.yaml:5:8",
            "history-mismatch",
            "phase: phase is 'plan' but the last history entry moved to 'initiate'",
        )
    ]


def test_an_approval_counts_only_from_a_member_of_the_body(tracker: Path) -> None:
    _edit(
        tracker / "projects" / "hh-spread.yaml",
        "by: ben, date: 2026-02-01",
        "by: cy, date: 2026-02-01",
    )
    assert _problems(tracker) == [
        (
            "projects/hh-spread.yaml:46:33",
            "not-a-member",
            "approvals.0.by: 'cy' is not a member of Clinical Practice Committee ('cpc')",
        )
    ]
