"""`diffuse init` makes a repository ready for pull requests and ships four frameworks."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Run, git

IDENTITY = {
    "GIT_AUTHOR_NAME": "Committee Chair",
    "GIT_AUTHOR_EMAIL": "chair@example.org",
    "GIT_COMMITTER_NAME": "Committee Chair",
    "GIT_COMMITTER_EMAIL": "chair@example.org",
}


@pytest.fixture
def identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in IDENTITY.items():
        monkeypatch.setenv(name, value)


@pytest.mark.usefixtures("identity")
def test_init_makes_a_repository_ready_for_pull_requests(tmp_path: Path, run: Run) -> None:
    root = tmp_path / "lakeland"
    result = run("init", str(root), "--name", "Lakeland Health")
    assert result.exit_code == 0, result.stderr
    committed = [line for line in result.lines if line.startswith("committed ")]
    assert len(committed) == 1 and committed[0].endswith(" on main")
    assert git(root, "branch", "--show-current") == "main\n"
    assert git(root, "status", "--porcelain") == ""
    files = git(root, "ls-files").split()
    for name in (
        ".github/workflows/diffuse.yml",
        ".github/workflows/report.yml",
        ".github/workflows/remind.yml",
        ".github/CODEOWNERS",
        ".pre-commit-config.yaml",
        "schemas/project.schema.json",
        "organisation.yaml",
    ):
        assert name in files
    workflow = (root / ".github" / "workflows" / "diffuse.yml").read_text()
    assert 'diffuse check --base "origin/${{ github.base_ref }}" --verify-signoff' in workflow
    assert "/organisation.yaml chair@example.org" in (root / ".github" / "CODEOWNERS").read_text()
    assert "      - id: diffuse-validate" in (root / ".pre-commit-config.yaml").read_text()
    assert run("validate", cwd=root).exit_code == 0


def test_init_without_a_git_identity_says_how_to_commit(tmp_path: Path, run: Run) -> None:
    result = run("init", str(tmp_path / "t"), env={"EMAIL": "", "GIT_AUTHOR_NAME": ""})
    assert result.exit_code == 0
    assert result.lines[-1].startswith("note: no first commit (git commit failed")
    assert result.lines[-1].endswith(
        "set git's user.name and user.email, then run 'git add -A && git commit'"
    )


def test_init_inside_a_repository_adds_only_the_tracker(git_tracker: Path, run: Run) -> None:
    result = run("init", str(git_tracker / "sub"))
    assert result.exit_code == 0
    assert result.lines[-1] == (
        "note: the folder is inside a git repository already: no CI workflow, pre-commit "
        "configuration or CODEOWNERS were written and nothing was committed"
    )
    assert not (git_tracker / "sub" / ".github").exists()


@pytest.mark.usefixtures("identity")
@pytest.mark.parametrize(
    ("framework", "phases"),
    [
        ("ihi-spread", "aim, spread-plan, execute-refine, sustain"),
        ("ihi-scale-up", "set-up, scalable-unit, test-scale-up, full-scale"),
        ("his", "innovation, spread, decision-to-adopt, implementation"),
    ],
)
def test_frameworks_declare_their_workflow(
    tmp_path: Path, run: Run, framework: str, phases: str
) -> None:
    root = tmp_path / framework
    assert run("init", str(root), "--framework", framework).exit_code == 0
    assert f"  phases: [{phases}]" in (root / "organisation.yaml").read_text()
    assert run("new", "practice", "p1", cwd=root).exit_code == 0
    assert run("new", "project", "j1", "--practice", "p1", cwd=root).exit_code == 0
    assert run("validate", cwd=root).exit_code == 0
    first = phases.split(", ")[0]
    assert f"phase: {first}" in (root / "projects" / "j1.yaml").read_text()
    gate = run("advance", "j1", "--dry-run", "--by", "chair", cwd=root)
    assert gate.exit_code == 1
    assert gate.lines[0].startswith(f"j1: {first} -> {phases.split(', ')[1]}: gate NOT met")


def test_unknown_framework_is_refused(tmp_path: Path, run: Run) -> None:
    result = run("init", str(tmp_path / "x"), "--framework", "lean")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "diffuse: --framework: 'lean' is not one of: mayo, ihi-spread, ihi-scale-up, his"
    )
    assert not (tmp_path / "x").exists()
