"""Which diffuse, and which GitHub actions, the files `diffuse init` writes name.

Every reference must exist where it points, or the new tracker's first pull request fails:

- diffuse installed from git (PEP 610 `direct_url.json` with `vcs_info`): that commit;
- diffuse installed from the package index (no `direct_url.json`): the release's tag
  `v{version}`, which the release workflow publishes from;
- anything else (a local folder, an archive): the default branch `main`, with a comment
  that says so and how to pin a commit instead.

Actions are pinned by the full commit of their release, the version in a comment beside it
(as `.github/workflows/` in this repository does, and Dependabot keeps up to date).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import metadata

from diffuse import __version__

DISTRIBUTION = "diffuse-tracker"
HOME = "https://github.com/diffuse-tracker/diffuse"
FALLBACK = "main"

ACTIONS = {
    "checkout": "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1",
    "setup-python": "actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97 # v7.0.0",
    "upload-pages-artifact": (
        "actions/upload-pages-artifact@fc324d3547104276b827a68afc52ff2a11cc49c9 # v5.0.0"
    ),
    "deploy-pages": "actions/deploy-pages@cd2ce8fcbc39b97be8ca5fce6e763baed58fa128 # v5.0.0",
}


@dataclass(frozen=True)
class Source:
    """Where the new tracker gets diffuse: a repository and a revision that exists in it."""

    repo: str
    rev: str
    why: str  # one comment line: where the revision comes from

    @property
    def pip(self) -> str:
        return f"{DISTRIBUTION} @ git+{self.repo}@{self.rev}"


def installed_source() -> Source:
    """The source of the diffuse that is running, as its installer recorded it."""
    try:
        text = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        text = None
    return source_from(text, __version__)


def source_from(direct_url: str | None, version: str) -> Source:
    """The source for a distribution of `version` whose `direct_url.json` is `direct_url`
    (None: installed from an index, so the release `v{version}` exists)."""
    if direct_url is None:
        return Source(HOME, f"v{version}", f"diffuse {version}, the installed release")
    try:
        data = json.loads(direct_url)
    except ValueError:
        data = None
    vcs = data.get("vcs_info") if isinstance(data, dict) else None
    if isinstance(vcs, dict) and vcs.get("vcs") == "git":
        commit = str(vcs.get("commit_id", ""))
        url = str(data.get("url", "")) if isinstance(data, dict) else ""
        if len(commit) == 40 and all(c in "0123456789abcdef" for c in commit):
            repo = url if url.startswith("https://") else HOME
            return Source(repo.removesuffix(".git"), commit, "the commit of the installed diffuse")
    return Source(
        HOME,
        FALLBACK,
        f"diffuse was installed from a folder, not from git or a release: this follows "
        f"{FALLBACK}; replace it with a commit of {HOME} to pin one",
    )
