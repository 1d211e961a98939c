"""Make a big tracker from the shipped demo, to measure how diffuse scales.

    python benchmarks/make_tracker.py DIR [--projects N]

DIR gets the demo's organisation file and practices, and N project files, each a copy of
one of the demo's projects (about 5-23 KB each, realistic content) under a new id. A git
repository is made in DIR with everything in one commit, so `check --base` can be timed.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
from pathlib import Path

DEMO = Path(__file__).resolve().parents[1]
_ID = re.compile(r"^id: (\S+)$", re.M)


def make(target: Path, projects: int) -> None:
    target.mkdir(parents=True, exist_ok=False)
    shutil.copy(DEMO / "organisation.yaml", target / "organisation.yaml")
    shutil.copytree(DEMO / "practices", target / "practices")
    (target / "projects").mkdir()
    sources = sorted((DEMO / "projects").glob("*.yaml"))
    texts = [p.read_text() for p in sources]
    for i in range(projects):
        text = texts[i % len(texts)]
        base = _ID.search(text)
        assert base is not None
        new_id = f"{base.group(1)}-{i:05d}"
        out = _ID.sub(f"id: {new_id}", text, count=1)
        (target / "projects" / f"{new_id}.yaml").write_text(out)


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
    parser.add_argument("--no-git", action="store_true", help="skip the git repository")
    args = parser.parse_args(argv)
    make(args.dir, args.projects)
    if not args.no_git:
        commit(args.dir)
    print(f"{args.dir}: {args.projects} projects")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
