"""The benchmarks' tracker generator makes valid trackers at every size, sites included:
a benchmark of an invalid tracker would time the error path."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import Run

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from make_tracker import make


@pytest.mark.parametrize("sites", [24, 30, 60])
def test_generated_trackers_are_valid_at_every_size(tmp_path: Path, run: Run, sites: int) -> None:
    root = tmp_path / "big"
    # 14 projects: each of the demo's seven twice, its sustained project included.
    make(root, 14, sites)
    organisation = (root / "organisation.yaml").read_text()
    assert organisation.count("\n  - id: ") >= sites
    assert len(list((root / "projects").glob("cvc-standardization-*.yaml"))) == 2
    result = run("validate", "--format", "json", cwd=root)
    assert result.exit_code == 0, result.stdout
    data = json.loads(result.stdout)
    assert data["passed"] is True
    assert (data["files"], data["problems"]) == (14 + 26, [])


def test_a_sustained_project_lists_each_copied_site_as_the_site_it_copies(tmp_path: Path) -> None:
    make(tmp_path / "big", 7, 50)
    [sustained] = (tmp_path / "big" / "projects").glob("cvc-standardization-*.yaml")
    text = sustained.read_text()
    row = text.split("\n  lmc:\n", 1)[1].split("\n  hbe:\n", 1)[0]
    assert f"\n  lmc-01:\n{row}\n" in text
    assert "\n  lmc-02:\n" in text  # 50 sites: 26 copies, two of lmc
