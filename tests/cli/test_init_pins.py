"""`diffuse init` writes a tracker that works as generated: every diffuse revision and action
it names exists, the Pages workflow is written, and the first member can be given."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO_ROOT, Run, git

from diffuse import __version__
from diffuse.edits.pins import ACTIONS

IDENTITY = {
    "GIT_AUTHOR_NAME": "Ada Chair",
    "GIT_AUTHOR_EMAIL": "ada@lakeland.example",
    "GIT_COMMITTER_NAME": "Ada Chair",
    "GIT_COMMITTER_EMAIL": "ada@lakeland.example",
}


def _installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, direct_url: dict | None) -> None:
    """A diffuse-tracker distribution ahead of the real one on sys.path, as pip records one."""
    site = tmp_path / "site-packages"
    info = site / f"diffuse_tracker-{__version__}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: diffuse-tracker\nVersion: {__version__}\n"
    )
    if direct_url is not None:
        (info / "direct_url.json").write_text(json.dumps(direct_url))
    monkeypatch.syspath_prepend(str(site))
    for name, value in IDENTITY.items():
        monkeypatch.setenv(name, value)


def _head() -> str:
    return git(REPO_ROOT, "rev-parse", "HEAD").strip()


def _pre_commit(root: Path) -> dict:
    return yaml.safe_load((root / ".pre-commit-config.yaml").read_text())["repos"][0]


def _pip_lines(root: Path) -> list[str]:
    found = []
    for path in sorted((root / ".github" / "workflows").glob("*.yml")):
        found += re.findall(r'pip install "([^"]+)"', path.read_text())
    return found


def test_installed_from_git_the_tracker_names_that_commit_and_it_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    commit = _head()
    url = {"url": "https://github.com/diffuse-tracker/diffuse.git"}
    _installed(tmp_path, monkeypatch, {**url, "vcs_info": {"vcs": "git", "commit_id": commit}})
    root = tmp_path / "lakeland"
    result = run("init", str(root), "--chair", "ada", "--chair-email", "ada@lakeland.example")
    assert result.exit_code == 0, result.stderr
    hooks = _pre_commit(root)
    assert hooks["repo"] == "https://github.com/diffuse-tracker/diffuse"
    assert hooks["rev"] == commit
    want = f"diffuse-tracker @ git+https://github.com/diffuse-tracker/diffuse@{commit}"
    assert _pip_lines(root) == [want] * 4  # diffuse, intake, remind and report

    # A clone of diffuse holds that commit, and its hook list has every hook named.
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(REPO_ROOT), str(clone)], check=True)
    git(clone, "checkout", "-q", hooks["rev"])
    listed = yaml.safe_load((clone / ".pre-commit-hooks.yaml").read_text())
    shipped = {hook["id"] for hook in listed}
    assert {hook["id"] for hook in hooks["hooks"]} <= shipped


def test_the_pre_commit_config_installs_and_runs_from_a_clone_at_its_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    """pre-commit itself installs diffuse from a local clone at the commit the generated
    configuration names, and runs its hook on the new tracker."""
    if importlib.util.find_spec("pre_commit") is None:
        if os.environ.get("DIFFUSE_REQUIRE_PRECOMMIT") == "1":
            pytest.fail("DIFFUSE_REQUIRE_PRECOMMIT=1 but pre-commit is not installed")
        pytest.skip("pre-commit is not installed (.ci/run installs it)")
    commit = _head()
    url = {"url": "https://github.com/diffuse-tracker/diffuse"}
    _installed(tmp_path, monkeypatch, {**url, "vcs_info": {"vcs": "git", "commit_id": commit}})
    root = tmp_path / "lakeland"
    assert (
        run("init", str(root), "--chair", "ada", "--chair-email", "ada@lakeland.example").exit_code
        == 0
    )
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(REPO_ROOT), str(clone)], check=True)
    config = root / ".pre-commit-config.yaml"
    # The only change: the host's address becomes the local clone, as no host is reachable.
    config.write_text(config.read_text().replace(f"repo: {url['url']}", f"repo: {clone}"))
    assert _pre_commit(root)["rev"] == commit
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^diffuse validate\.+Passed$", done.stdout, re.MULTILINE), done.stdout


def test_installed_from_the_index_the_tracker_names_the_release(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    _installed(tmp_path, monkeypatch, None)
    root = tmp_path / "lakeland"
    assert run("init", str(root)).exit_code == 0
    assert _pre_commit(root)["rev"] == f"v{__version__}"
    assert all(line.endswith(f"@v{__version__}") for line in _pip_lines(root))


def test_installed_from_a_folder_the_tracker_follows_main_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    folder = {"url": "file:///src/diffuse", "dir_info": {"editable": True}}
    _installed(tmp_path, monkeypatch, folder)
    root = tmp_path / "lakeland"
    assert run("init", str(root)).exit_code == 0
    text = (root / ".pre-commit-config.yaml").read_text()
    assert _pre_commit(root)["rev"] == "main"
    assert "installed from a folder" in text
    assert all(line.endswith("@main") for line in _pip_lines(root))


def test_generated_workflows_pin_the_same_actions_as_this_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    _installed(tmp_path, monkeypatch, None)
    root = tmp_path / "lakeland"
    assert run("init", str(root)).exit_code == 0
    generated = set()
    for name in ("diffuse.yml", "report.yml"):
        text = (root / ".github" / "workflows" / name).read_text()
        generated |= set(re.findall(r"uses: (\S+@[0-9a-f]{40} # v[\d.]+)", text))
    assert generated == set(ACTIONS.values())
    pinned = {pin.split("@")[0]: pin for pin in ACTIONS.values()}
    for path in [*(REPO_ROOT / ".github" / "workflows").glob("*.yml"), REPO_ROOT / "action.yml"]:
        for use in re.findall(r"uses: (\S+@[0-9a-f]{40} # v[\d.]+)", path.read_text()):
            assert pinned.get(use.split("@")[0], use) == use, path.name
    report = yaml.safe_load((root / ".github" / "workflows" / "report.yml").read_text())
    assert report["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert report["permissions"] == {"contents": "read"}


def test_the_chair_given_at_init_is_the_first_member(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    _installed(tmp_path, monkeypatch, None)
    root = tmp_path / "lakeland"
    result = run(
        "init", str(root), "--chair", "ada", "--chair-email", "ada@lakeland.example",
        "--chair-name", "Ada Lovelace",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    org = yaml.safe_load((root / "organisation.yaml").read_text())
    assert org["people"] == [
        {
            "id": "ada",
            "name": "Ada Lovelace",
            "email": "ada@lakeland.example",
            "title": "Chair, Clinical Practice Committee",
        }
    ]
    assert org["bodies"][0]["members"] == ["ada"]
    assert "example.org" not in (root / ".github" / "CODEOWNERS").read_text()
    assert "ada@lakeland.example" in (root / ".github" / "CODEOWNERS").read_text()
    assert not any("placeholder" in line for line in result.lines)
    assert run("validate", cwd=root).exit_code == 0


def test_without_a_chair_init_names_the_placeholder_and_how_to_replace_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    _installed(tmp_path, monkeypatch, None)
    result = run("init", str(tmp_path / "t"))
    assert result.exit_code == 0
    assert any(
        line.startswith("note: the only committee member is the placeholder chair@example.org")
        for line in result.lines
    )


@pytest.mark.parametrize(
    ("args", "word"),
    [
        (["--chair", "ada"], "--chair-email"),
        (["--chair-email", "ada@lakeland.example"], "--chair"),
        (["--chair", "Ada", "--chair-email", "ada@lakeland.example"], "--chair"),
        (["--chair", "ada", "--chair-email", "ada at lakeland"], "--chair-email"),
    ],
)
def test_a_bad_chair_is_refused_before_anything_is_written(
    tmp_path: Path, run: Run, args: list[str], word: str
) -> None:
    root = tmp_path / "t"
    result = run("init", str(root), *args)
    assert result.exit_code == 1
    assert word in result.stderr
    assert not root.exists()
