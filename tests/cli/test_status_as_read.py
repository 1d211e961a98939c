"""`status` makes each project's rows as the project is read and keeps no model: what it
shows is what it shows from models built afterwards, from a file cache filled by
`validate`, whatever the cache holds and whether one process or two read the files."""

from __future__ import annotations

import multiprocessing
from itertools import pairwise
from pathlib import Path

import pytest
from conftest import Run

from diffuse.rules.parallel import MIN_FILES_VAR

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="two processes need fork"
)

REQUESTS = [
    ("--format", "text"),
    ("--format", "json"),
    ("--format", "csv"),
    ("--format", "markdown"),
    ("--all", "--sort", "health", "--limit", "3", "--format", "csv"),
    ("--phase", "plan", "--site", "nor", "--site", "sou", "--group", "region"),
]


def _spread(tracker: Path) -> None:
    """Projects in different states, and projects broken in ways that leave them out."""
    projects = tracker / "projects"
    good = (projects / "hh-spread.yaml").read_text()
    for n, (approved, site, phase) in enumerate(
        [
            ("2026-02-01", "planning", "execute"),
            ("2026-06-01", "live", "plan"),
            ("2027-01-01", "implementing", "plan"),
            ("2026-03-01", "live", "sustain"),
        ]
    ):
        text = good.replace("hh-spread", f"hh-copy-{n}").replace("2026-02-01", approved)
        text = text.replace("status: planning", f"status: {site}")
        text = text.replace("phase: plan", f"phase: {phase}")
        steps = ["plan", "execute", "close", "sustain"]
        for before, after in pairwise(steps[: steps.index(phase) + 1]):
            text += f"  - {{from: {before}, to: {after}, date: 2026-07-01, by: cy}}\n"
        (projects / f"hh-copy-{n}.yaml").write_text(text)
    (projects / "wrong-phase.yaml").write_text(
        good.replace("hh-spread", "wrong-phase").replace("phase: plan", "phase: nowhere")
    )
    (projects / "no-practice.yaml").write_text(
        good.replace("hh-spread", "no-practice").replace("practice: hand-hygiene", "practice: x")
    )
    (projects / "not-yaml.yaml").write_text("id: not-yaml\npractice: [unclosed\n")
    (projects / "duplicate.yaml").write_text(good.replace("id: hh-spread", "id: hh-copy-1"))


def _statuses(run: Run, tracker: Path, env: dict[str, str]) -> list[tuple[int, str, str]]:
    found = []
    for request in REQUESTS:
        result = run("status", *request, "--as-of", "2026-11-22", cwd=tracker, env=env)
        found.append((result.exit_code, result.stdout, result.stderr))
    return found


def test_status_as_read_shows_what_models_show(tracker: Path, run: Run, tmp_path: Path) -> None:
    _spread(tracker)
    serial = _statuses(run, tracker, {"DIFFUSE_NO_CACHE": "1", MIN_FILES_VAR: "1000"})
    assert {code for code, _, _ in serial} == {1}  # the broken files
    shown = [line.split(",")[0] for line in serial[2][1].splitlines()[1:]]
    # Not yet approved on the day, set aside for its phase, or broken: not shown.
    assert sorted(set(shown)) == ["hh-copy-0", "hh-copy-1", "hh-spread", "no-practice"]
    assert "hh-copy-3,hand-hygiene,sustain," in serial[4][1]  # --all
    assert "hh-copy-0" not in serial[5][1]  # --phase plan
    assert _statuses(run, tracker, {"DIFFUSE_NO_CACHE": "1", MIN_FILES_VAR: "2"}) == serial
    cold = {"DIFFUSE_CACHE_DIR": str(tmp_path / "cold"), MIN_FILES_VAR: "2"}
    assert _statuses(run, tracker, cold) == serial
    assert _statuses(run, tracker, cold) == serial  # kept
    # Every project read back from the file cache `validate` filled: rows from the models.
    from_models = {"DIFFUSE_CACHE_DIR": str(tmp_path / "validated")}
    assert run("validate", cwd=tracker, env=from_models).exit_code == 1
    assert _statuses(run, tracker, from_models) == serial
    # A practice changed: every project's cross-file rules run again, as it is read back.
    practice = tracker / "practices" / "hand-hygiene.yaml"
    practice.write_text(practice.read_text() + "# reviewed\n")
    assert _statuses(run, tracker, from_models) == serial
