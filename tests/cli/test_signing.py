"""With signed approvals, an approval counts only when signed by the approver's own key.

Real git SSH signing: keys made with ssh-keygen, `gpg.format=ssh` and an allowed signers
file that trusts more than one person, as a team's would.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Run, git
from prflow import commit_as, edit, with_practice

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen")

APPROVAL = "approvals:\n  - {body: cpc, by: ben, date: 2026-03-01}"


@pytest.fixture
def repo(git_tracker: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(git_tracker)
    return git_tracker


def _key(repo: Path, who: str) -> tuple[Path, str]:
    """A new ed25519 key and its fingerprint, as `ssh-keygen -lf` prints it."""
    key = repo.parent / f"{who}_key"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", who, "-f", str(key)], check=True
    )
    listed = subprocess.run(
        ["ssh-keygen", "-lf", f"{key}.pub"], check=True, capture_output=True, text=True
    )
    return key, listed.stdout.split()[1]


def _trust(repo: Path, *people: tuple[str, Path]) -> None:
    signers = repo.parent / "allowed_signers"
    signers.write_text(
        "".join(f"{email} {key.with_suffix('.pub').read_text()}" for email, key in people)
    )
    git(repo, "config", "gpg.format", "ssh")
    git(repo, "config", "gpg.ssh.allowedSignersFile", str(signers))


def _require_signing(repo: Path, keys: str = "") -> None:
    org = repo / "organisation.yaml"
    edit(org, "  target_months: 6", "  target_months: 6\n  signed_approvals: true")
    if keys:
        edit(org, "email: ben@example.org}", f"email: ben@example.org, signing_keys: [{keys}]}}")
    commit_as(repo, "ada", "Require signed approvals")


def _approve_signed_with(repo: Path, key: Path) -> str:
    practice = with_practice(repo)
    edit(practice, "status: proposed", "status: approved")
    edit(practice, "approvals: []", APPROVAL)
    git(repo, "config", "user.signingkey", str(key))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-S", "-m", "Approve", author="Ben Member", email="ben@example.org")
    return git(repo, "rev-parse", "--short=10", "HEAD").strip()


def test_a_commit_signed_with_another_trusted_key_is_refused(repo: Path, run: Run) -> None:
    ben, _ = _key(repo, "ben")
    cy, _ = _key(repo, "cy")
    _trust(repo, ("ben@example.org", ben), ("cy@example.org", cy))
    _require_signing(repo)
    sha = _approve_signed_with(repo, cy)
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 1
    assert result.lines[:2] == [
        f"practices/falls.yaml:19:5: error[signoff-signer] approval: commit {sha} by 'ben' "
        "is signed by cy@example.org, not by ben@example.org",
        "    fix: 'ben' signs the commit that adds it with their own key, registered under "
        "signing_keys in organisation.yaml",
    ]
    git(repo, "config", "user.signingkey", str(ben))
    git(repo, "commit", "-q", "--amend", "--no-edit", "-S", author="Ben", email="ben@example.org")
    assert run("check", "--base", "main", "--verify-signoff", cwd=repo).exit_code == 0


def test_a_registered_fingerprint_decides_whoever_the_signers_file_trusts(
    repo: Path, run: Run
) -> None:
    ben, ben_print = _key(repo, "ben")
    cy, cy_print = _key(repo, "cy")
    # The signers file (which a pull request could change) even names cy's key as ben's.
    _trust(repo, ("ben@example.org", cy))
    _require_signing(repo, keys=ben_print)
    sha = _approve_signed_with(repo, cy)
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 1
    assert (
        f"practices/falls.yaml:19:5: error[signoff-signer] approval: commit {sha} by 'ben' is "
        f"signed with key {cy_print}, which is not one of the signing_keys of 'ben' in "
        "organisation.yaml"
    ) in result.lines
    # Ben's own key passes although the signers file does not list it.
    git(repo, "config", "user.signingkey", str(ben))
    git(repo, "commit", "-q", "--amend", "--no-edit", "-S", author="Ben", email="ben@example.org")
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 0, result.stdout


def test_a_key_registered_in_the_same_pull_request_does_not_sign_for_it(
    repo: Path, run: Run
) -> None:
    ben, ben_print = _key(repo, "ben")
    cy, cy_print = _key(repo, "cy")
    _trust(repo, ("ben@example.org", ben), ("cy@example.org", cy))
    _require_signing(repo, keys=ben_print)
    practice = with_practice(repo)
    org = repo / "organisation.yaml"
    edit(org, f"signing_keys: [{ben_print}]", f"signing_keys: ['{cy_print}']")
    commit_as(repo, "cy", "Register a key")
    edit(practice, "status: proposed", "status: approved")
    edit(practice, "approvals: []", APPROVAL)
    git(repo, "config", "user.signingkey", str(cy))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-S", "-m", "Approve", author="Ben", email="ben@example.org")
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 1
    assert "error[signoff-signer]" in result.stdout


def test_an_unsigned_approval_is_refused(repo: Path, run: Run) -> None:
    ben, _ = _key(repo, "ben")
    _trust(repo, ("ben@example.org", ben))
    _require_signing(repo)
    practice = with_practice(repo)
    edit(practice, "status: proposed", "status: approved")
    edit(practice, "approvals: []", APPROVAL)
    commit_as(repo, "ben", "Approve without signing")
    sha = git(repo, "rev-parse", "--short=10", "HEAD").strip()
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert (
        f"practices/falls.yaml:19:5: error[signoff-unsigned] approval: commit {sha} by 'ben' "
        "has no valid signature, and organisation.yaml requires signed approvals"
    ) in result.lines


def test_a_signing_key_must_be_a_fingerprint(tracker: Path, run: Run) -> None:
    org = tracker / "organisation.yaml"
    edit(org, "email: ben@example.org}", "email: ben@example.org, signing_keys: [my-laptop]}")
    result = run("validate", cwd=tracker)
    assert result.exit_code == 1
    assert (
        f"{tracker}/organisation.yaml:12:72: error[invalid-value] people.1.signing_keys.0: "
        "expected an "
        "SSH key fingerprint 'SHA256:...' (from ssh-keygen -lf KEY.pub) or a GPG key "
        "fingerprint of 40 hex digits (from gpg --fingerprint EMAIL) (got 'my-laptop')"
    ) in result.lines
    spaced = "'ABCD EF01 2345 6789 ABCD  EF01 2345 6789 abcd ef01'"
    edit(org, "signing_keys: [my-laptop]", f"signing_keys: [{spaced}]")
    assert run("validate", cwd=tracker).exit_code == 0


def test_the_shipped_workflow_verifies_who_approved() -> None:
    import yaml
    from conftest import REPO_ROOT

    workflow = yaml.safe_load((REPO_ROOT / ".github" / "workflows" / "diffuse.yml").read_text())
    steps = workflow["jobs"]["check"]["steps"]
    # The workflow runs the composite action at the root, which passes --verify-signoff.
    assert any(s.get("uses") == "./" and s["with"]["verify-signoff"] == "true" for s in steps)
    action = yaml.safe_load((REPO_ROOT / "action.yml").read_text())
    runs = "\n".join(step.get("run", "") for step in action["runs"]["steps"])
    assert "args+=(--verify-signoff)" in runs and 'diffuse "${args[@]}"' in runs


@pytest.fixture
def gnupg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A keyring of its own holding keys for ben and cy; its agent is stopped afterwards."""
    if shutil.which("gpg") is None:
        pytest.skip("needs gpg")
    home = tmp_path / "gnupg"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("GNUPGHOME", str(home))
    for who in ("Ben Member <ben@example.org>", "Cy Manager <cy@example.org>"):
        subprocess.run(
            ["gpg", "--batch", "--passphrase", "", "--quick-gen-key", who, "ed25519"],
            check=True,
            capture_output=True,
        )
    yield home
    subprocess.run(["gpgconf", "--kill", "gpg-agent"], check=False, capture_output=True)


def _gpg_fingerprint(email: str) -> str:
    listed = subprocess.run(
        ["gpg", "--with-colons", "--list-keys", email], check=True, capture_output=True, text=True
    )
    return next(line.split(":")[9] for line in listed.stdout.splitlines() if line[:4] == "fpr:")


def _gpg_commit(repo: Path, home: Path, signer: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "Ben Member",
        "GIT_AUTHOR_EMAIL": "ben@example.org",
        "GIT_COMMITTER_NAME": "Ben Member",
        "GIT_COMMITTER_EMAIL": "ben@example.org",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GNUPGHOME": str(home),
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
    }
    git(repo, "add", "-A")
    subprocess.run(
        ["git", "commit", "-q", f"-S{signer}", "--amend", "--no-edit"],
        cwd=repo,
        env=env,
        check=True,
        capture_output=True,
    )
    return git(repo, "rev-parse", "--short=10", "HEAD").strip()


@pytest.mark.parametrize("registered", [False, True])
def test_gpg_signatures_are_matched_to_the_approver(
    repo: Path, run: Run, gnupg: Path, registered: bool
) -> None:
    ben_print, cy_print = _gpg_fingerprint("ben@example.org"), _gpg_fingerprint("cy@example.org")
    # Registered as gpg --fingerprint prints it: groups of four, lower case allowed.
    spaced = " ".join(ben_print[i : i + 4] for i in range(0, 40, 4)).lower()
    _require_signing(repo, keys=f"'{spaced}'" if registered else "")
    practice = with_practice(repo)
    edit(practice, "status: proposed", "status: approved")
    edit(practice, "approvals: []", APPROVAL)
    commit_as(repo, "ben", "Approve")
    sha = _gpg_commit(repo, gnupg, "cy@example.org")
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    why = (
        f"signed with key {cy_print}, which is not one of the signing_keys of 'ben' in "
        "organisation.yaml"
        if registered
        else "signed by cy@example.org, not by ben@example.org"
    )
    assert (
        f"practices/falls.yaml:19:5: error[signoff-signer] approval: commit {sha} by 'ben' is {why}"
    ) in result.lines
    _gpg_commit(repo, gnupg, "ben@example.org")
    result = run("check", "--base", "main", "--verify-signoff", cwd=repo)
    assert result.exit_code == 0, result.stdout
