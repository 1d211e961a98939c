"""The tracker's files as they were committed on a day, read by git processes run directly.

`--as-of DAY` reads what carries no date of its own (risks, roles, a row changed since) from
the last commit of HEAD's history whose committer date is on or before the end of DAY, in
UTC. A folder outside a git repository, or a git that fails, has no such commit: the
reports then read the files as they are.
"""

from __future__ import annotations

import io
import os
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from diffuse.errors import DiffuseError
from diffuse.repo import batch_contents
from diffuse.repo.runner import run


def commit_on(folder: Path, day: date) -> str | None:
    """The last commit of HEAD's history dated on or before `day`; None when there is none,
    when it is HEAD itself (the files as they are say more: they hold uncommitted work too),
    or when `folder` is in no git repository."""
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC)
    try:
        head = run(folder, ["rev-parse", "--verify", "-q", "HEAD"])
        then = run(folder, ["rev-list", "-1", f"--before=@{int(end.timestamp()) - 1}", "HEAD"])
    except DiffuseError:
        return None  # no git: nothing to read
    if head.code != 0 or then.code != 0:
        return None
    sha = then.out.strip().decode()
    return sha if sha and sha != head.out.strip().decode() else None


def files_in(folder: Path, commit: str, sub: str) -> dict[str, bytes]:
    """The content of each file under `sub` (relative to `folder`) in `commit`, by name."""
    listing = run(folder, ["ls-tree", "-z", commit, "--", f"{sub}/"])
    if listing.code != 0:
        return {}
    ids: dict[str, str] = {}
    for entry in os.fsdecode(listing.out).split("\0"):
        meta, _, name = entry.partition("\t")
        if meta.split()[1:2] == ["blob"]:
            ids[Path(name).name] = meta.split()[2]
    if not ids:
        return {}
    feed = "".join(f"{sha}\n" for sha in sorted(set(ids.values()))).encode()
    done = run(folder, ["cat-file", "--batch"], stdin=feed)
    contents = dict(batch_contents(io.BytesIO(done.out)))
    return {name: contents[sha] for name, sha in ids.items() if sha in contents}
