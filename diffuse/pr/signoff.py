"""Who approved, verified from git rather than taken from what the YAML says.

- An approval entry added since the base counts, under `--verify-signoff`, only when every
  commit that added it was authored by the approver (matched by the approver's email in the
  base version of organisation.yaml, so a pull request cannot redirect it, and given to no
  one else) and, when `settings.signed_approvals` is true, carries a good signature by the
  approver's own key: one of their `signing_keys` in the base organisation file, or, when
  they have none, a key git trusts for their email. Every version of the file is read with
  the loader and model `validate` uses, and approvals are compared as parsed records: no
  line scanner decides whether an approval is new, or whose it is.
- The organisation's governance (its approving bodies, its members' identities, its
  workflow and the signing setting) changes only with an approval commit by existing
  members: a commit whose message carries `Diffuse-Approval: organisation FINGERPRINT` and
  `Approved-by: PERSON`, where FINGERPRINT names exactly the governance being approved
  (`diffuse approve organisation` writes it).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from diffuse.errors import Level, Problem
from diffuse.files.loading import model_from_bytes
from diffuse.layout import ORGANISATION_FILE, resolved
from diffuse.models import Approval, BodyKind, Organisation, Practice, Project
from diffuse.pr.context import Context
from diffuse.rules import lifecycle as lc
from diffuse.rules.lifecycle import Gap

APPROVAL_TRAILER = "Diffuse-Approval"
BY_TRAILER = "Approved-by"
_APPROVAL = re.compile(rf"^{APPROVAL_TRAILER}:\s*organisation\s+([0-9a-f]+)\s*$", re.M | re.I)
_BY = re.compile(rf"^{BY_TRAILER}:\s*(\S+)\s*$", re.M | re.I)


# -- governance of the organisation file ------------------------------------------------


def governance_parts(org: Organisation, people: set[str] | None = None) -> dict[str, str]:
    """The parts of the organisation file that decide who approves what, as text: each
    body (with its members), the workflow, the signing setting, and the identity of each
    person of `people` (by default every member of a body): everything by which a commit
    is told to be theirs, that is the whole entry but the name and title shown."""
    parts = {}
    for body in org.bodies:
        data = body.model_dump(mode="json")
        data["members"] = sorted(data["members"])
        parts[f"body:{body.id}"] = json.dumps(data, sort_keys=True)
    workflow = org.workflow.model_dump(mode="json") if org.workflow else None
    parts["workflow"] = json.dumps(workflow, sort_keys=True)
    parts["signed_approvals"] = json.dumps(org.settings.signed_approvals)
    for person in sorted(members(org) if people is None else people):
        found = org.person(person)
        identity = found.model_dump(mode="json", exclude=_SHOWN) if found else None
        if identity is not None:
            identity["signing_keys"] = sorted(identity["signing_keys"])
        parts[f"person:{person}"] = json.dumps(identity, sort_keys=True)
    return parts


# What is shown of a person; everything else says which commits are theirs.
_SHOWN = {"name", "title"}


def members(org: Organisation) -> set[str]:
    return {member for body in org.bodies for member in body.members}


def changed_parts(old: Organisation, new: Organisation) -> list[str]:
    """The governance parts a change from `old` to `new` touches. A person's identity is
    compared for the members at the base; a new member's is approved with their body."""
    who = members(old)
    before, after = governance_parts(old, who), governance_parts(new, who)
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def fingerprint(org: Organisation) -> str:
    text = json.dumps(governance_parts(org), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def approval_message(org: Organisation, person: str, reference: str | None) -> str:
    lines = ["Approve the approving bodies and workflow in organisation.yaml", ""]
    if reference:
        lines += [reference, ""]
    lines += [f"{APPROVAL_TRAILER}: organisation {fingerprint(org)}", f"{BY_TRAILER}: {person}"]
    return "\n".join(lines) + "\n"


def eligible(old: Organisation, part: str) -> set[str]:
    """Who may approve a change to `part`: the body's own members before the change; for a
    member's identity, the other members of the bodies they sit on; for a new body, the
    workflow or the signing setting (or a member who sits with no one else), the clinical
    practice committee's."""
    body = old.body(part.removeprefix("body:")) if part.startswith("body:") else None
    if body is not None:
        return set(body.members)
    if part.startswith("person:"):
        person = part.removeprefix("person:")
        others = {m for b in old.bodies if person in b.members for m in b.members} - {person}
        if others:
            return others
    committees = [b for b in old.bodies if b.kind is BodyKind.PRACTICE_COMMITTEE] or old.bodies
    everyone = {member for b in committees for member in b.members}
    return everyone - {part.removeprefix("person:")} if part.startswith("person:") else everyone


def check_governance(ctx: Context, repo: Any, verify: bool) -> None:
    old, new = ctx.old_org, ctx.catalog.organisation
    if old is None or new is None or not old.bodies:
        return  # a tracker without bodies yet is being set up; nobody could approve
    changed = changed_parts(old, new)
    if not changed:
        return
    approvers, rejected = _governance_approvers(ctx, repo, fingerprint(new), verify)
    for part in changed:
        who = eligible(old, part)
        if who & approvers:
            continue
        names = ", ".join(sorted(who)) or "nobody"
        note = f"; not counted: {'; '.join(rejected)}" if rejected else ""
        ctx.add(
            ctx.root / ORGANISATION_FILE,
            Gap(
                _part_loc(new, part),
                "governance-unapproved",
                f"{_part_name(part)} changed without the approval of an existing member{note}",
                f"one of {names} runs 'diffuse approve organisation' on this branch",
            ),
        )


def _part_name(part: str) -> str:
    if part.startswith("body:"):
        return f"approving body '{part.removeprefix('body:')}'"
    if part.startswith("person:"):
        return f"the identity (email, signing keys, id) of member '{part.removeprefix('person:')}'"
    return "settings.signed_approvals" if part == "signed_approvals" else part


def _part_loc(org: Organisation, part: str) -> tuple[str | int, ...]:
    if part.startswith("body:"):
        ids = [b.id for b in org.bodies]
        name = part.removeprefix("body:")
        return ("bodies", ids.index(name)) if name in ids else ("bodies",)
    if part.startswith("person:"):
        ids = [p.id for p in org.people]
        name = part.removeprefix("person:")
        return ("people", ids.index(name)) if name in ids else ("people",)
    return ("settings", "signed_approvals") if part == "signed_approvals" else (part,)


def _governance_approvers(
    ctx: Context, repo: Any, print_: str, verify: bool
) -> tuple[set[str], list[str]]:
    approvers: set[str] = set()
    rejected: list[str] = []
    for commit in commits(ctx, repo):
        stamps = _APPROVAL.findall(commit.message)
        people = _BY.findall(commit.message)
        if stamps and print_ not in stamps:
            rejected.append(f"commit {commit.sha[:10]} approves an earlier version")
        if print_ not in stamps or not people:
            continue
        for person in people:
            problem = _author_problem(ctx, repo, commit, person) if verify else None
            if problem:
                rejected.append(problem)
            else:
                approvers.add(person)
    return approvers, rejected


# -- approval entries ---------------------------------------------------------------------


def commits(ctx: Context, repo: Any) -> list[Any]:
    if ctx.commits is None:
        from diffuse.repo import log_range

        assert ctx.report.base_commit is not None
        ctx.commits = log_range(repo, ctx.report.base_commit)
    return ctx.commits


def verify_signoff(ctx: Context, repo: Any, paths: list[str]) -> None:
    """Every approval added since the base, read as `validate` reads it at both ends and
    at each commit in between, must come from its approver's own commits."""
    from diffuse.repo import blobs

    records = {rel: kind for rel in paths if (kind := ctx.kind(ctx.top / rel)) is not None}
    changes = [(c, ch) for c in commits(ctx, repo) for ch in c.changes if ch.path in records]
    contents = blobs(repo, [sha for _c, ch in changes for sha in (ch.old, ch.new)])
    for rel, kind in records.items():
        path = ctx.top / rel
        item = ctx.current("practice" if kind is Practice else "project", path)
        doc = ctx.docs.get(resolved(path))
        if item is None or doc is None or any(p.level is Level.ERROR for p in doc.problems):
            continue  # gone, or invalid: `validate` has reported it and the check fails
        old = ctx.old(path, kind)
        mine = [(c, ch) for c, ch in changes if ch.path == rel]
        adders = _adders(path, kind, mine, contents)
        for index, approval in _new_entries(old.approvals if old else [], item.approvals):
            _verify_entry(ctx, repo, path, index, approval, adders.get(lc.approval_key(approval)))


def _adders(
    path: Path, kind: type[Practice] | type[Project], changes: list[Any], contents: Any
) -> dict[str, list[Any]]:
    """For each approval record, the commits that added it to the file at `path`.

    Each version is read with the project's loader and model, as `validate` reads it, so
    an approval is the same record however its YAML is spelled. A version that cannot be
    read hides what it adds: an approval first seen after one is added by every commit
    since the last version that could be read (None for a version no commit in the range
    made, such as a merge's), so breaking a file for a commit cannot launder a forgery.
    """
    parsed: dict[str, list[Approval] | None] = {}

    def approvals(sha: str) -> list[Approval] | None:
        if set(sha) == {"0"}:
            return []  # the file does not exist on that side
        if sha not in parsed:
            raw = contents.get(sha)
            item = model_from_bytes(path, raw, kind) if raw is not None else None
            parsed[sha] = item.approvals if item is not None else None
        return parsed[sha]

    hidden: dict[str, tuple[list[Approval], list[Any]]] = {}
    adders: dict[str, list[Any]] = {}
    for commit, change in changes:
        through: list[Any] = []
        before = approvals(change.old)
        if before is None:
            before, through = hidden.get(change.old, ([], [None]))
        after = approvals(change.new)
        if after is None:
            hidden[change.new] = (before, [*through, commit])
            continue
        for approval in lc.added_approvals(before, after):
            adders.setdefault(lc.approval_key(approval), []).extend([*through, commit])
    return adders


def _new_entries(old: list[Approval], new: list[Approval]) -> list[tuple[int, Approval]]:
    """The approvals of `new` not in `old`, compared as records, with their positions; of
    equal records the last ones are the new ones."""
    surplus = Counter(map(lc.approval_key, new)) - Counter(map(lc.approval_key, old))
    found = []
    for index in range(len(new) - 1, -1, -1):
        key = lc.approval_key(new[index])
        if surplus[key] > 0:
            surplus[key] -= 1
            found.append((index, new[index]))
    return found[::-1]


def _verify_entry(
    ctx: Context,
    repo: Any,
    path: Path,
    index: int,
    approval: Approval,
    adders: list[Any] | None,
) -> None:
    loc = ctx.at(path, ("approvals", index))
    item, by = path.stem, approval.by
    if not adders or None in adders:
        how = (
            "came in through a version of the file that no commit since the base made (a merge)"
            if adders
            else "is in no commit since the base (it is not committed yet, or came in "
            "through a merge)"
        )
        ctx.report.findings.append(
            Problem(
                loc,
                "signoff-missing",
                f"approval by '{by}' {how}",
                fix=f"commit it: '{by}' records it with 'diffuse approve {item}'",
            )
        )
        return
    for commit in {c.sha: c for c in adders}.values():
        problem = _author_problem(ctx, repo, commit, by)
        if problem:
            rule = _rule(problem)
            fix = {
                "signoff-unsigned": f"'{by}' signs the commit that adds it (git commit -S)",
                "signoff-signer": f"'{by}' signs the commit that adds it with their own "
                "key, registered under signing_keys in organisation.yaml",
            }.get(
                rule,
                f"remove the entry; '{by}' records it from their own git identity with "
                f"'diffuse approve {item}'",
            )
            ctx.report.findings.append(Problem(loc, rule, f"approval: {problem}", fix=fix))


def _rule(problem: str) -> str:
    if "no valid signature" in problem:
        return "signoff-unsigned"
    return "signoff-signer" if " is signed " in problem else "signoff-author"


def _author_problem(ctx: Context, repo: Any, commit: Any, person: str) -> str | None:
    email = _email(ctx, person)
    short = commit.sha[:10]
    if email is None:
        return f"'{person}' has no email in organisation.yaml, so commit {short} cannot be theirs"
    if commit.email.strip().casefold() != email.strip().casefold():
        return f"commit {short} that adds it was authored by {commit.email}, not by '{person}'"
    orgs = [org for org in (ctx.old_org, ctx.catalog.organisation) if org is not None]
    holders = sorted({found for org in orgs for found in org.people_with_email(commit.email)})
    if len(holders) > 1:
        # Never the first of them: the commit is no one's in particular.
        return (
            f"commit {short} that adds it was authored by {commit.email}, which "
            f"organisation.yaml gives to more than one person ({', '.join(holders)}), so it "
            f"cannot be told to be '{person}''s"
        )
    if _signing_required(ctx):
        return _signer_problem(ctx, repo, commit, person, email)
    return None


def _signer_problem(ctx: Context, repo: Any, commit: Any, person: str, email: str) -> str | None:
    """Whether the commit is signed by `person`: with a key registered for them in the
    base organisation file, or, when none is registered, by a key git trusts for their
    email (the allowed-signers principal, or the GPG key's user id)."""
    signature = _signature(ctx, repo, commit.sha)
    short = commit.sha[:10]
    if signature is None or signature.status not in ("G", "U"):
        return (
            f"commit {short} by '{person}' has no valid signature, and organisation.yaml "
            "requires signed approvals"
        )
    keys = _signing_keys(ctx, person)
    if keys:
        if {signature.key, signature.primary} & keys:
            return None
        return (
            f"commit {short} by '{person}' is signed with key {signature.key or '(unknown)'}, "
            f"which is not one of the signing_keys of '{person}' in organisation.yaml"
        )
    signer = _signer_email(signature.signer)
    if signature.status == "G" and signer.casefold() == email.casefold():
        return None
    by = f"by {signer}" if signer else "with a key git does not trust for any email"
    return f"commit {short} by '{person}' is signed {by}, not by {email}"


def _signature(ctx: Context, repo: Any, sha: str) -> Any:
    if ctx.signatures is None:
        from diffuse.repo import signatures

        ctx.signatures = signatures(repo, [c.sha for c in commits(ctx, repo)])
    return ctx.signatures.get(sha)


def _signer_email(signer: str) -> str:
    start, end = signer.rfind("<"), signer.rfind(">")
    return signer[start + 1 : end].strip() if 0 <= start < end else signer.strip()


def _signing_keys(ctx: Context, person: str) -> set[str]:
    # As for emails, the base version decides: a key added in the same pull request does
    # not sign for it.
    for org in (ctx.old_org, ctx.catalog.organisation):
        found = org.person(person) if org is not None else None
        if found is not None:
            return set(found.signing_keys)
    return set()


def _email(ctx: Context, person: str) -> str | None:
    # The base version decides: an email changed in the same pull request does not count.
    for org in (ctx.old_org, ctx.catalog.organisation):
        found = org.person(person) if org is not None else None
        if found is not None:
            return found.email
    return None


def _signing_required(ctx: Context) -> bool:
    orgs = (ctx.old_org, ctx.catalog.organisation)
    return any(org is not None and org.settings.signed_approvals for org in orgs)
