"""Make a big tracker from the shipped demo, to measure how diffuse scales.

    python benchmarks/make_tracker.py DIR [--projects N] [--sites N]

DIR gets the demo's organisation file and practices, and N project files, each a copy of
one of the demo's projects (about 5-23 KB each, realistic content) under a new id. A git
repository is made in DIR with everything in one commit, so `check --base` can be timed.

With --sites above the demo's 24, the organisation gets copies of the demo's sites (same
regions and kinds, ids such as `lmc-07`) up to that many. A project file lists only the
sites it has started at, so the others are in scope and not started; but a project past
its execute gate must have every in-scope site live, so a copy of the demo's sustained
project also lists every copied site, with the row of the site it copies. Every size has
the same mix of projects, and every tracker made is valid (tests/test_make_tracker.py).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
from pathlib import Path

DEMO = Path(__file__).resolve().parents[1]
_ID = re.compile(r"^id: (\S+)$", re.M)
_PHASE = re.compile(r"^phase: (\S+)$", re.M)
_SITE = re.compile(r"^  - id: (\S+)\n((?:    .*\n)+)", re.M)
_TOP_KEY = re.compile(r"^[a-z_]+:", re.M)
_NAME = re.compile(r"^(    name: .*)$", re.M)
_ROW = re.compile(r"^  ([a-z0-9-]+):\n((?:    .*\n|[ \t]*\n)+)", re.M)
DEMO_SITES = 24
# Phases past the gate that needs every in-scope site live (the Mayo model's close).
_ALL_LIVE = ("close", "sustain")


def make(target: Path, projects: int, sites: int = DEMO_SITES) -> None:
    target.mkdir(parents=True, exist_ok=False)
    organisation = (DEMO / "organisation.yaml").read_text()
    (target / "organisation.yaml").write_text(more_sites(organisation, sites))
    shutil.copytree(DEMO / "practices", target / "practices")
    (target / "projects").mkdir()
    sources = sorted((DEMO / "projects").glob("*.yaml"))
    texts = [p.read_text() for p in sources]
    copies = site_copies(organisation, sites)
    texts = [with_rows(t, copies) if _phase(t) in _ALL_LIVE else t for t in texts]
    for i in range(projects):
        text = texts[i % len(texts)]
        base = _ID.search(text)
        assert base is not None
        new_id = f"{base.group(1)}-{i:05d}"
        out = _ID.sub(f"id: {new_id}", text, count=1)
        (target / "projects" / f"{new_id}.yaml").write_text(out)


def _phase(text: str) -> str:
    found = _PHASE.search(text)
    return found.group(1) if found else ""


def _site_blocks(organisation: str) -> tuple[list[re.Match[str]], int]:
    start = organisation.index("\nsites:\n")
    after = _TOP_KEY.search(organisation, start + len("\nsites:\n"))
    end = after.start() if after else len(organisation)
    return list(_SITE.finditer(organisation, start, end)), end


def site_copies(organisation: str, sites: int) -> list[tuple[str, str]]:
    """(copy, original) of each site added to reach `sites`, in order."""
    found, _ = _site_blocks(organisation)
    return [
        (
            f"{found[n % len(found)].group(1)}-{n // len(found) + 1:02d}",
            found[n % len(found)].group(1),
        )
        for n in range(max(sites - len(found), 0))
    ]


def more_sites(organisation: str, sites: int) -> str:
    """The organisation file with copies of its sites added after them, up to `sites`."""
    found, _ = _site_blocks(organisation)
    if sites <= len(found):
        return organisation
    bodies = {m.group(1): m.group(2) for m in found}
    added = []
    for copy, original in site_copies(organisation, sites):
        copy_no = int(copy.rsplit("-", 1)[1])
        body = _NAME.sub(rf"\g<1> {copy_no}", bodies[original], count=1)
        added.append(f"  - id: {copy}\n{body}")
    last = found[-1].end()
    return organisation[:last] + "".join(added) + organisation[last:]


def with_rows(project: str, copies: list[tuple[str, str]]) -> str:
    """A project file whose sites section also lists each copied site, with the row of the
    site it copies."""
    if not copies:
        return project
    start = project.index("\nsites:\n") + len("\nsites:\n")
    after = _TOP_KEY.search(project, start)
    end = after.start() if after else len(project)
    rows = {m.group(1): m.group(2).rstrip() + "\n" for m in _ROW.finditer(project, start, end)}
    added = "".join(f"  {copy}:\n{rows[original]}" for copy, original in copies if original in rows)
    section = project[start:end].rstrip("\n") + "\n"
    return project[:start] + section + added + project[end:]


def commit(target: Path) -> None:
    env = {
        "GIT_AUTHOR_NAME": "Bench",
        "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "Bench",
        "GIT_COMMITTER_EMAIL": "bench@example.org",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "PATH": "/usr/bin:/bin:/usr/local/bin",
    }
    for argv in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "Big tracker"]):
        subprocess.run(["git", *argv], cwd=target, env=env, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--sites", type=int, default=DEMO_SITES, help="sites in the organisation")
    parser.add_argument("--no-git", action="store_true", help="skip the git repository")
    args = parser.parse_args(argv)
    make(args.dir, args.projects, args.sites)
    if not args.no_git:
        commit(args.dir)
    print(f"{args.dir}: {args.projects} projects, {max(args.sites, DEMO_SITES)} sites")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
