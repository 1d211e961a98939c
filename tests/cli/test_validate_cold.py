"""`validate` with DIFFUSE_NO_CACHE=1 reports what a cached run does, without working out
a key for a result it will not keep."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Run

from diffuse.cache import results

COLD = {"DIFFUSE_NO_CACHE": "1"}


def test_a_cold_validate_reports_what_a_cached_one_does(tracker: Path, run: Run) -> None:
    project = tracker / "projects" / "hh-spread.yaml"
    project.write_text(project.read_text() + "colour: red\n")
    cold = run("validate", cwd=tracker, env=COLD)
    first = run("validate", cwd=tracker)
    cached = run("validate", cwd=tracker)
    assert cold.exit_code == first.exit_code == cached.exit_code == 1
    assert cold.stdout == first.stdout == cached.stdout
    assert "error[unknown-field]" in cold.stdout


def test_a_cold_validate_makes_no_cache_key(
    tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unwanted(*args: object, **kwargs: object) -> str:
        raise AssertionError("a cache key was worked out with the cache off")

    monkeypatch.setattr(results, "key", unwanted)
    assert run("validate", cwd=tracker, env=COLD).exit_code == 0
