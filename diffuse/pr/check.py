"""`diffuse check`: what `validate` checks, then every change of state since a base ref.

The working tree is compared with the merge base of `--base` and HEAD (what a pull request
would change), reading the files that differ at both ends in a few git calls. Each rule
has a stable id; each finding says where, what and what would fix it.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from diffuse.errors import Location, Problem
from diffuse.layout import ORGANISATION_FILE, PRACTICES_DIR, PROJECTS_DIR, SUFFIXES, resolved
from diffuse.models import Organisation, Practice, Project
from diffuse.pr.affected import holds, plan, settled, tries
from diffuse.pr.context import CheckReport, CheckRequest, Context, StateChange
from diffuse.rules import lifecycle as lc
from diffuse.rules.following import follows
from diffuse.rules.gates import evaluate
from diffuse.rules.load import load_catalog
from diffuse.rules.tracker.model import Tracker

M = TypeVar("M", bound=BaseModel)
_GAP_RULES = {
    "duty": "gate-duty",
    "holder": "duty-holder",
    "role": "gate-role",
    "approval": "gate-approval",
    "date": "gate-date",
}


def run_check(root: Path, request: CheckRequest) -> CheckReport:
    from diffuse.rules.validation import validate_tracker

    if request.base is None:
        catalog = load_catalog(root)
        validation = validate_tracker(root, [], catalog)
        return CheckReport(root, validation.files, [_finding(p) for p in validation.problems])
    from diffuse.repo import changed_paths, files_at, merge_base, open_repo, toplevel

    repo = open_repo(root, "or leave out --base to check the files only")
    top = toplevel(repo)
    base_commit = merge_base(repo, request.base)
    under = [_rel_to(root / name, top) for name in _TRACKED]
    paths = changed_paths(repo, base_commit, under)
    org_path = _rel_to(root / ORGANISATION_FILE, top)
    old_files = files_at(repo, base_commit, sorted({org_path, *paths}))
    catalog, files = _read(root, top, paths, old_files, request.full)
    validation = validate_tracker(root, [], catalog)
    report = CheckReport(root, files, [_finding(p) for p in validation.problems])
    report.base, report.toplevel, report.base_commit = request.base, top, base_commit
    if catalog.organisation is None:
        # Every rule of a change reads the organisation (bodies, people, workflow); until it
        # is usable its own problems, already found, are all the check can say.
        _settle(report)
        return report
    ctx = Context(root, report.toplevel, catalog, old_files, report, repo=repo)
    ctx.docs = {resolved(doc.path): doc for doc in ctx.catalog.documents}
    for rel in paths:
        _check_file(ctx, report.toplevel / rel)
    from diffuse.pr.signoff import check_governance, verify_signoff

    check_governance(ctx, repo, request.verify_signoff)
    if request.verify_signoff:
        verify_signoff(ctx, repo, paths)
        report.verified = True
    _settle(report)
    return report


def _read(
    root: Path, top: Path, paths: list[str], old_files: dict[str, bytes], full: bool
) -> tuple[Tracker, int]:
    """The tracker as far as the change can affect it (`pr.affected`), or whole when it
    could affect all of it or `full` asks; and how many files the tracker holds."""
    found = None if full else plan(root, top, paths, old_files)
    for step in [] if found is None else tries(found):
        # A model is built again only when a rule of the change uses it.
        catalog = load_catalog(root, keep_models=False, part=step.part)
        if not holds(step, catalog):
            break
        if settled(step, catalog):
            return catalog, step.files
    catalog = load_catalog(root)
    return catalog, len(catalog.documents)


_TRACKED = (ORGANISATION_FILE, PRACTICES_DIR, PROJECTS_DIR)


def _rel_to(path: Path, top: Path) -> str:
    return resolved(path).relative_to(top).as_posix()


def _finding(problem: Problem) -> Problem:
    loc = problem.location
    where = Location(resolved(Path.cwd() / loc.path), loc.line, loc.col)
    fix = problem.fix or "correct the file; 'diffuse validate' lists every problem"
    return Problem(where, problem.code, problem.message, problem.level, fix)


def _settle(report: CheckReport) -> None:
    failing = {resolved(f.location.path) for f in report.errors}
    for change in report.changes:
        change.ok = resolved(change.path) not in failing
    report.findings.sort()


def _check_file(ctx: Context, path: Path) -> None:
    if path.suffix not in SUFFIXES and path.name != ORGANISATION_FILE:
        return
    folder = path.parent.resolve()
    if resolved(path) == (ctx.root / ORGANISATION_FILE).resolve():
        _organisation(ctx, path)
    elif folder == (ctx.root / PRACTICES_DIR).resolve():
        _practice(ctx, path)
    elif folder == (ctx.root / PROJECTS_DIR).resolve():
        _project(ctx, path)


# -- practices ------------------------------------------------------------------------------


def _practice(ctx: Context, path: Path) -> None:
    old, new = ctx.old(path, Practice), ctx.current("practice", path)
    if new is None:
        if not path.exists() and old is not None:
            _deleted(ctx, path, "practice", old.id, old.status in lc.APPROVED_STATES)
        return
    move = lc.practice_move(old.status if old else None, new.status)
    what = {"same": "edited", "start": f"new, status {new.status}"}.get(
        move.kind, f"status {move.old} -> {move.new}"
    )
    ctx.report.changes.append(StateChange("practice", new.id, path, what))
    org = ctx.catalog.organisation
    assert org is not None
    added = lc.added_approvals(old.approvals if old else [], new.approvals)
    # Moving a practice to another body is the decision of the body it leaves.
    body = old.approving_body if old is not None else new.approving_body
    approved = _beside_owner(ctx, path, old, new, lc.by_member(added, org, body), body)
    if old is not None and lc.removed_approvals(old.approvals, new.approvals):
        ctx.add(path, _rewritten("approvals"))
    if body != new.approving_body and not approved:
        ctx.add(path, _body_moved(new, body, org))
        return
    _practice_move(ctx, path, new, move, approved)
    if old is not None and (old.status in lc.APPROVED_STATES or old.status in lc.ENDED):
        before, after = lc.practice_substance(old), lc.practice_substance(new)
        changed = lc.changed_fields(before, after)
        if changed and not approved:
            ctx.add(path, _unapproved(changed, "practice", new.id, org, body))
    _covered(ctx, path, new, approved, lc.practice_substance, body)


def _beside_owner(
    ctx: Context, path: Path, old: Practice | None, new: Practice, approved: list[Any], body: str
) -> list[Any]:
    """The approvals that count: an approval by the practice's owner (before or after the
    change) counts only beside one by another member of the body."""
    owners = {owner for owner in (old.owner if old else None, new.owner) if owner}
    counted = lc.beside_owner(approved, owners)
    if approved and not counted:
        org = ctx.catalog.organisation
        assert org is not None
        found = org.body(body)
        name = found.name if found else f"'{body}'"
        keys = [lc.approval_key(a) for a in new.approvals]
        index = len(keys) - 1 - keys[::-1].index(lc.approval_key(approved[-1]))
        ctx.add(
            path,
            lc.Gap(
                ("approvals", index),
                "approval-by-owner",
                f"the approval by '{approved[-1].by}', who owns the practice, does not count "
                f"alone: an owner's approval needs one by another member of {name} beside it",
                f"another member of {name} runs 'diffuse approve {new.id}' on this branch",
            ),
        )
    return counted


def _body_moved(practice: Practice, old_body: str, org: Organisation) -> lc.Gap:
    found = org.body(old_body)
    name = found.name if found else f"'{old_body}'"
    return lc.Gap(
        ("approving_body",),
        "approving-body-moved",
        f"approving_body moves from '{old_body}' to '{practice.approving_body}' without an "
        f"approval by a member of {name}, the body it leaves",
        f"a member of {name} runs 'diffuse approve {practice.id} --body {old_body}' on this branch",
    )


def _covered(
    ctx: Context, path: Path, item: Any, approved: list[Any], substance: Any, body: str
) -> None:
    from diffuse.pr.covered import uncovered_change

    found = uncovered_change(ctx, path, item, approved, substance)
    if found is None:
        return
    changed, sha = found
    org = ctx.catalog.organisation
    assert org is not None
    gap = _unapproved(
        changed, "practice" if isinstance(item, Practice) else "project", item.id, org, body
    )
    ctx.add(
        path,
        lc.Gap(
            gap.loc,
            "substance-after-approval",
            f"{', '.join(changed)} changed after the approval in commit {sha[:10]}, which "
            "approved the content as it was then",
            gap.fix,
        ),
    )


def _practice_move(
    ctx: Context, path: Path, practice: Practice, move: lc.Move, approved: list[Any]
) -> None:
    org = ctx.catalog.organisation
    assert org is not None
    body = org.body(practice.approving_body)
    who = f"a member of {body.name}" if body else "a member of its approving body"
    if move.kind == "skip":
        ctx.add(
            path,
            lc.Gap(
                ("status",),
                "status-transition",
                f"status moves from '{move.old}' to '{move.new}', skipping "
                f"{', '.join(lc.skipped(move))}",
                f"move one step at a time: '{move.old}' -> '{lc.skipped(move)[0]}'",
            ),
        )
    elif (
        move.kind == "back"
        and not _follows(ctx, practice, move)
        and not any(a.reason for a in approved)
    ):
        ctx.add(
            path,
            lc.Gap(
                ("status",),
                "status-backward",
                f"status moves back from '{move.old}' to '{move.new}' without a recorded reason",
                f"{who} records the decision with its reason: "
                f"diffuse approve {practice.id} --reason TEXT",
            ),
        )
    elif move.kind == "end" and move.old in lc.APPROVED_STATES and not approved:
        ctx.add(path, _approval_missing(practice.id, f"'{move.new}'", who))
    # Readiness itself holds at any moment, so `validate` checks it; the change needs the
    # decision recorded in it.
    if move.reaches_approved and not [a for a in approved if a.gate is None]:
        ctx.add(path, _approval_missing(practice.id, "approved", who))


def _follows(ctx: Context, practice: Practice, move: lc.Move) -> bool:
    """A move its projects make (diffused to diffusing again as a new project enters
    execute) is the gate's decision, approved there, not the practice's own."""
    assert move.old is not None
    projects = [p for p in ctx.catalog.projects.values() if p.practice == practice.id]
    return follows(ctx.catalog.workflow, (move.old, move.new), projects)


def _approval_missing(item: str, state: str, who: str) -> lc.Gap:
    return lc.Gap(
        ("approvals",),
        "approval-missing",
        f"moving to {state} needs a new approval by {who}, recorded in this change",
        f"{who} runs 'diffuse approve {item}' on this branch",
    )


def _unapproved(changed: list[str], kind: str, item: str, org: Organisation, body: str) -> lc.Gap:
    found = org.body(body)
    who = f"a member of {found.name}" if found else "a member of its approving body"
    return lc.Gap(
        (changed[0],) if changed[0] not in ("scope",) else ("sites",),
        "substance-unapproved",
        f"{', '.join(changed)} changed on an approved {kind} without a new approval",
        f"{who} approves the change with 'diffuse approve {item}"
        + (" --substance" if kind == "project" else "")
        + "', or revert it",
    )


def _scope_unapproved(project: str, site: str, org: Organisation, body: str) -> lc.Gap:
    found = org.body(body)
    who = f"a member of {found.name}" if found else "a member of its approving body"
    return lc.Gap(
        ("sites", site),
        "scope-unapproved",
        f"site {site} is taken out of scope (or back in) without a decision on it",
        f"{who} runs 'diffuse approve {project} --scope {site}' on this branch",
    )


def _rewritten(name: str) -> lc.Gap:
    return lc.Gap(
        (name,),
        f"{name.rstrip('s')}-rewritten",
        f"an earlier {name} entry was changed or removed; {name} only grow",
        "restore the earlier entries and add a new one instead",
    )


def _deleted(ctx: Context, path: Path, kind: str, item: str, settled: bool) -> None:
    ctx.report.changes.append(StateChange(kind, item, path, "deleted"))
    if settled:
        keep = {
            "practice": "to end the practice, set status: retired",
            "project": "a project keeps its file as the record of its diffusion",
        }[kind]
        ctx.report.findings.append(
            Problem(
                Location(path),
                "record-deleted",
                f"the {kind} '{item}' was approved; its file is its record and was deleted",
                fix=f"restore the file; {keep}",
            )
        )


# -- projects -------------------------------------------------------------------------------


def _project(ctx: Context, path: Path) -> None:
    old, new = ctx.old(path, Project), ctx.current("project", path)
    workflow = ctx.catalog.workflow
    if new is None:
        if not path.exists() and old is not None:
            left = old.phase in workflow.phases and workflow.index(old.phase) > 0
            _deleted(ctx, path, "project", old.id, left)
        return
    start = old.phase if old else workflow.phases[0]
    what = "edited" if old and old.phase == new.phase else f"phase {start} -> {new.phase}"
    ctx.report.changes.append(
        StateChange("project", new.id, path, what if old else f"new, phase {new.phase}")
    )
    history = old.history if old else []
    if old is not None and lc.removed_approvals(old.approvals, new.approvals):
        ctx.add(path, _rewritten("approvals"))
    if [h.model_dump() for h in new.history[: len(history)]] != [h.model_dump() for h in history]:
        ctx.add(path, _rewritten("history"))
    else:
        _phase_steps(ctx, path, new, start, len(history))
    _gate_covered(ctx, path, new, lc.added_approvals(old.approvals if old else [], new.approvals))
    if old is not None and old.phase in workflow.phases and workflow.index(old.phase) > 0:
        _project_substance(ctx, path, old, new)


def _phase_steps(ctx: Context, path: Path, project: Project, start: str, known: int) -> None:
    """The gates of the moves made in this change, each judged on the project as it stood
    before that move and on its date. Whether the history itself holds together and every
    passed gate's approval and sites are checked by `validate`, as they need no base."""
    steps = [(i, h.from_phase, h.to) for i, h in enumerate(project.history)][known:]
    if not steps and start != project.phase:
        steps = [(len(project.history), start, project.phase)]
    workflow = ctx.catalog.workflow
    for index, frm, to in steps:
        if frm not in workflow.phases or to not in workflow.phases:
            continue
        if to in workflow.successors(frm) and workflow.index(to) > workflow.index(frm):
            before = project.model_copy(update={"phase": frm, "history": project.history[:index]})
            on = project.history[index].date if index < len(project.history) else None
            _gate(ctx, path, before, to, on)


def _gate(ctx: Context, path: Path, project: Project, target: str, on: Any) -> None:
    org = ctx.catalog.organisation
    assert org is not None
    practice = ctx.catalog.practices.get(project.practice)
    report = evaluate(ctx.catalog.workflow, org, practice, project, target, on)
    for gap in report.gaps:
        if gap.kind in ("approval", "site", "practice", "adaptation"):
            continue  # checked by `validate` for every gate passed
        loc: lc.Loc = {
            "duty": ("checklist", gap.item) if gap.item in project.checklist else ("checklist",),
            "holder": ("checklist", gap.item, "by"),
            "role": ("roles", gap.item) if gap.item in project.roles else ("roles",),
        }.get(gap.kind, ("history",))
        fix = {
            "duty": f"mark '{gap.item}' done (with a date) or na (with a reason)",
            "holder": f"the holder marks it done, or 'diffuse duty {project.id} {gap.item} "
            "--done --for PERSON' records it for them",
            "role": f"assign a person id to roles.{gap.item}",
        }.get(gap.kind, "record the move on a day after the decisions it rests on")
        message = f"entering '{target}': {gap.text}"
        ctx.add(path, lc.Gap(loc, _GAP_RULES[gap.kind], message, fix))


def _gate_covered(ctx: Context, path: Path, project: Project, added: list[Any]) -> None:
    """A gate approval added in this change covers what the gate judges as it stood in the
    commit that added it: a duty, role, site or adaptation changed after it voids it."""
    from diffuse.pr.covered import uncovered_change
    from diffuse.rules.gates import gate_substance

    workflow = ctx.catalog.workflow
    for gate in sorted({a.gate for a in added if a.gate in workflow.phases}):
        approvals = [a for a in added if a.gate == gate]
        judged = partial(gate_substance, workflow, target=gate)
        found = uncovered_change(ctx, path, project, approvals, judged)
        if found is None:
            continue
        changed, sha = found
        ctx.add(
            path,
            lc.Gap(
                (changed[0],) if changed[0] in project.model_fields_set else ("approvals",),
                "gate-changed-after-approval",
                f"{', '.join(changed)} changed after the approval to enter '{gate}' in commit "
                f"{sha[:10]}, which judged the gate as it stood then",
                f"a member approves again ('diffuse approve {project.id} --gate {gate}'), or "
                "revert the change",
            ),
        )


def _project_substance(ctx: Context, path: Path, old: Project, new: Project) -> None:
    workflow, org = ctx.catalog.workflow, ctx.catalog.organisation
    assert org is not None
    before = lc.project_substance(old, workflow, old.phase)
    after = lc.project_substance(new, workflow, old.phase)
    changed = lc.changed_fields(before, after)
    practice = ctx.catalog.practices.get(new.practice)
    body = practice.approving_body if practice else ""
    added = lc.by_member(lc.added_approvals(old.approvals, new.approvals), org, body)
    # A change of scope is its own decision, naming the site, and a change of substance
    # another (`approve --substance`): a gate approval covers neither, nor they a gate.
    if "scope" in changed:
        changed.remove("scope")
        moved = sorted(set(before["scope"]) ^ set(after["scope"]))
        named = {a.scope for a in added if a.scope}
        for site in [s for s in moved if s not in named]:
            ctx.add(path, _scope_unapproved(new.id, site, org, body))
    approved = [a for a in added if a.scope is None and a.gate is None]
    if changed and not approved:
        ctx.add(path, _unapproved(changed, "project", new.id, org, body))
    elif changed:
        since = old.phase
        _covered(ctx, path, new, approved, lambda p: lc.project_substance(p, workflow, since), body)


# -- organisation ---------------------------------------------------------------------------


def _organisation(ctx: Context, path: Path) -> None:
    from diffuse.pr.signoff import changed_parts

    old, new = ctx.old_org, ctx.catalog.organisation
    if new is None:
        return
    changed = old is not None and bool(changed_parts(old, new))
    what = "approving bodies, members, workflow or signing changed" if changed else "edited"
    ctx.report.changes.append(StateChange("organisation", "organisation", path, what))
