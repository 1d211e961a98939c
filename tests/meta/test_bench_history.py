"""The history benchmark's repository is valid, so its `validate` and `check --base` rows
time a passing run rather than the error path."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import Run, git

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from bench_history import build


def test_the_history_benchmark_repository_passes_validate_and_check(
    tmp_path: Path, run: Run
) -> None:
    # 1,001 commits: every project has passed the plan gate, and `hot` the execute gate.
    repo = tmp_path / "tracker"
    build(repo, 1001)
    assert "phase: execute" in (repo / "projects" / "hot.yaml").read_text()
    assert "status: diffusing" in (repo / "practices" / "pr29.yaml").read_text()
    assert git(repo, "rev-list", "--count", "base..HEAD").strip() == "20"
    validate = run("validate", cwd=repo)
    assert validate.exit_code == 0, validate.stdout
    check = run("check", "--base", "base", cwd=repo)
    assert check.exit_code == 0, check.stdout
