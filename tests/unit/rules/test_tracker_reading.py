"""rules/tracker/reading: every file of the tracker read on its own, problems collected."""

from __future__ import annotations

import shutil
from pathlib import Path

from diffuse.rules.tracker.reading import read_tracker


def _codes(tracker: Path) -> list[tuple[str, str]]:
    catalog = read_tracker(tracker)
    return [
        (f"{p.location.path.relative_to(tracker)}:{p.location.line}", p.code)
        for p in catalog.all_problems()
    ]


def test_every_file_is_read_by_id_with_the_default_workflow(tracker: Path) -> None:
    catalog = read_tracker(tracker)
    assert catalog.all_problems() == []
    assert list(catalog.practices) == ["hand-hygiene"]
    assert list(catalog.projects) == ["hh-spread"]
    assert catalog.document("project", "hh-spread").path == tracker / "projects/hh-spread.yaml"
    assert catalog.workflow.phases == ["initiate", "plan", "execute", "close", "sustain"]


def test_a_broken_file_is_reported_and_the_others_are_still_read(tracker: Path) -> None:
    practice = tracker / "practices" / "hand-hygiene.yaml"
    practice.write_text(practice.read_text().replace("status: approved", "status: spreading"))
    catalog = read_tracker(tracker)
    assert "hand-hygiene" not in catalog.practices and "hh-spread" in catalog.projects
    assert "practice/hand-hygiene" in catalog.broken
    assert _codes(tracker) == [("practices/hand-hygiene.yaml:4", "invalid-choice")]


def test_a_file_named_unlike_its_id_or_not_as_an_id_is_refused(tracker: Path) -> None:
    projects = tracker / "projects"
    shutil.copy(projects / "hh-spread.yaml", projects / "hh-copy.yaml")
    (projects / "Notes Draft.yaml").write_text("id: notes\n")
    assert _codes(tracker) == [
        ("projects/Notes Draft.yaml:0", "bad-file-name"),
        ("projects/hh-copy.yaml:2", "id-mismatch"),
    ]


def test_a_link_out_of_the_tracker_is_not_followed(tracker: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    shutil.copy(tracker / "projects" / "hh-spread.yaml", outside)
    (tracker / "projects" / "linked.yaml").symlink_to(outside)
    assert _codes(tracker) == [("projects/linked.yaml:0", "outside-tracker")]
