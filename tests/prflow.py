"""Pull-request scenarios in real git repositories: a base branch, a change branch, several
authors with fixed identities."""

from __future__ import annotations

from pathlib import Path

from conftest import git

PEOPLE = {
    "ada": ("Ada Chair", "ada@example.org"),
    "ben": ("Ben Member", "ben@example.org"),
    "cy": ("Cy Manager", "cy@example.org"),
}

READY_PRACTICE = """\
id: falls
title: Fall prevention
status: proposed
approving_body: cpc
owner: ada
evidence:
  - {site: nor, summary: harmful falls down by a third}
vetted_by: [nor, sou]
goal: No harmful falls at any site.
key_principles:
  fixed: [Hourly rounding]
leaders:
  champion: ben
  administrative: cy
  physician: ada
support_elements:
  - {kind: measurement, title: Falls per 1000 patient days}
approvals: []
"""


def commit_as(repo: Path, who: str, message: str, day: str = "2026-03-01") -> None:
    name, email = PEOPLE[who]
    git(repo, "add", "-A")
    git(
        repo,
        "commit",
        "-q",
        "-m",
        message,
        f"--date={day}T12:00:00+00:00",
        author=name,
        email=email,
    )


def act_as(repo: Path, who: str) -> None:
    """Make `who` the git user for commands diffuse itself runs (approve)."""
    name, email = PEOPLE[who]
    git(repo, "config", "user.name", name)
    git(repo, "config", "user.email", email)


def with_practice(repo: Path, text: str = READY_PRACTICE) -> Path:
    """Add the `falls` practice on main, then start the branch `change`."""
    path = repo / "practices" / "falls.yaml"
    path.write_text(text)
    commit_as(repo, "cy", "Propose fall prevention")
    git(repo, "checkout", "-q", "-b", "change")
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
