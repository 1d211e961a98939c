"""An approval covers the content it was given for.

An approval added in a pull request approves the record as it stood in the commit that added
it. A change of substance after that commit (a new goal, a loosened key principle) is not
covered, and needs a new approval; an approval not yet committed covers the working tree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diffuse.files.loading import model_from_bytes
from diffuse.models import Approval
from diffuse.pr.context import Context
from diffuse.rules import lifecycle as lc

Substance = Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class _Given:
    commit: str
    substance: dict[str, Any]


def uncovered_change(
    ctx: Context, path: Path, item: Any, approvals: list[Approval], substance: Substance
) -> tuple[list[str], str] | None:
    """The substance fields changed after the newest of `approvals` was committed, and
    that commit, unless one of them was given for the content as it is now."""
    if not approvals or ctx.repo is None:
        return None
    given = _given_at(ctx, path, type(item), substance)
    final = substance(item)
    latest = None
    for approval in approvals:
        found = given.get(lc.approval_key(approval))
        if found is None or found.substance == final:
            return None  # not committed yet, or given for exactly this content
        latest = found
    assert latest is not None
    return lc.changed_fields(latest.substance, final), latest.commit


def _given_at(
    ctx: Context, path: Path, model: type[Any], substance: Substance
) -> dict[str, _Given]:
    """For each approval added by a commit since the base: the substance it was given for."""
    from diffuse.pr.signoff import commits
    from diffuse.repo import blobs

    rel = ctx.rel(path)
    changes = [(c, ch) for c in commits(ctx, ctx.repo) for ch in c.changes if ch.path == rel]
    contents = blobs(ctx.repo, [ch.new for _c, ch in changes])
    given: dict[str, _Given] = {}
    before: list[Approval] = []
    for commit, change in changes:
        raw = contents.get(change.new)
        item = model_from_bytes(path, raw, model) if raw is not None else None
        if item is None:
            continue
        for approval in lc.added_approvals(before, item.approvals):
            given[lc.approval_key(approval)] = _Given(commit.sha, substance(item))
        before = item.approvals
    return given
