"""Project files read in two processes give exactly what one process gives."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from conftest import Run

from diffuse.rules.parallel import MIN_FILES_VAR

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="two processes need fork"
)


def _spread(tracker: Path) -> None:
    """Valid projects, and projects broken in each way a file can be."""
    projects = tracker / "projects"
    good = (projects / "hh-spread.yaml").read_text()
    for n in range(4):
        (projects / f"hh-copy-{n}.yaml").write_text(good.replace("hh-spread", f"hh-copy-{n}"))
    (projects / "wrong-phase.yaml").write_text(
        good.replace("hh-spread", "wrong-phase").replace("phase: plan", "phase: nowhere")
    )
    (projects / "not-yaml.yaml").write_text("id: not-yaml\npractice: [unclosed\n")
    (projects / "with-mrn.yaml").write_text(
        good.replace("hh-spread", "with-mrn").replace("no new spending", "MRN: 12345678")
    )
    (projects / "duplicate.yaml").write_text(good.replace("id: hh-spread", "id: hh-copy-1"))
    (projects / "Bad Name.yaml").write_text(good)
    (projects / "outside.yaml").symlink_to(tracker.parent / "elsewhere.yaml")
    (tracker.parent / "elsewhere.yaml").write_text(good)


@pytest.mark.parametrize("cache", [True, False])
def test_two_processes_report_what_one_does(tracker: Path, run: Run, cache: bool) -> None:
    _spread(tracker)
    results = []
    for least in ("1000", "2"):
        env = {MIN_FILES_VAR: least, "DIFFUSE_NO_CACHE": "" if cache else "1"}
        results.append(run("validate", cwd=tracker, env=env))
    serial, parallel = results
    assert serial.exit_code == 1
    assert "patient-data" in serial.stdout and "not-yaml.yaml:3:1" in serial.stdout
    assert (parallel.exit_code, parallel.stdout) == (serial.exit_code, serial.stdout)
