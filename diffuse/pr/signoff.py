"""Who approved, verified from git rather than taken from what the YAML says.

- An approval entry added since the base counts, under `--verify-signoff`, only when every
  commit that added it was authored by the approver (matched by the approver's email in the
  base version of organisation.yaml, so a pull request cannot redirect it) and, when
  `settings.signed_approvals` is true, carries a good signature by the approver's own key:
  one of their `signing_keys` in the base organisation file, or, when they have none, a key
  git trusts for their email.
- The organisation's governance (its approving bodies, its workflow and the signing setting)
  changes only with an approval commit by existing members: a commit whose message carries
  `Diffuse-Approval: organisation FINGERPRINT` and `Approved-by: PERSON`, where FINGERPRINT
  names exactly the governance being approved (`diffuse approve organisation` writes it).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diffuse.errors import Problem
from diffuse.models import BodyKind, Organisation
from diffuse.pr.context import Context
from diffuse.pr.snapshot import SectionReader, entry_key
from diffuse.rules.catalog import ORGANISATION_FILE, PRACTICES_DIR, PROJECTS_DIR
from diffuse.rules.lifecycle import Gap

APPROVAL_TRAILER = "Diffuse-Approval"
BY_TRAILER = "Approved-by"
_APPROVAL = re.compile(rf"^{APPROVAL_TRAILER}:\s*organisation\s+([0-9a-f]+)\s*$", re.M | re.I)
_BY = re.compile(rf"^{BY_TRAILER}:\s*(\S+)\s*$", re.M | re.I)


# -- governance of the organisation file ------------------------------------------------


def governance_parts(org: Organisation) -> dict[str, str]:
    """The parts of the organisation file that decide who approves what, as text."""
    parts = {}
    for body in org.bodies:
        data = body.model_dump(mode="json")
        data["members"] = sorted(data["members"])
        parts[f"body:{body.id}"] = json.dumps(data, sort_keys=True)
    workflow = org.workflow.model_dump(mode="json") if org.workflow else None
    parts["workflow"] = json.dumps(workflow, sort_keys=True)
    parts["signed_approvals"] = json.dumps(org.settings.signed_approvals)
    return parts


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
    """Who may approve a change to `part`: the body's own members before the change; for
    a new body, the workflow or the signing setting, the clinical practice committee's."""
    body = old.body(part.removeprefix("body:")) if part.startswith("body:") else None
    if body is not None:
        return set(body.members)
    committees = [b for b in old.bodies if b.kind is BodyKind.PRACTICE_COMMITTEE] or old.bodies
    return {member for b in committees for member in b.members}


def check_governance(ctx: Context, repo: Any, verify: bool) -> None:
    old, new = ctx.old_org, ctx.catalog.organisation
    if old is None or new is None or not old.bodies:
        return  # a tracker without bodies yet is being set up; nobody could approve
    before, after = governance_parts(old), governance_parts(new)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
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
    return "settings.signed_approvals" if part == "signed_approvals" else part


def _part_loc(org: Organisation, part: str) -> tuple[str | int, ...]:
    if part.startswith("body:"):
        ids = [b.id for b in org.bodies]
        name = part.removeprefix("body:")
        return ("bodies", ids.index(name)) if name in ids else ("bodies",)
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


@dataclass(frozen=True)
class _Entry:
    index: int
    key: str
    by: str


def verify_signoff(ctx: Context, repo: Any, paths: list[str]) -> None:
    from diffuse.repo import blobs

    reader = SectionReader()
    files = [p for p in paths if _is_record(ctx, p) and (ctx.top / p).is_file()]
    changes = [(c, ch) for c in commits(ctx, repo) for ch in c.changes if ch.path in files]
    contents = blobs(repo, [sha for _c, ch in changes for sha in (ch.old, ch.new)])
    for rel in files:
        adders: dict[str, list[Any]] = {}
        for commit, change in changes:
            if change.path != rel:
                continue
            before = _keys(reader, contents.get(change.old))
            after = _keys(reader, contents.get(change.new))
            for key in Counter(after) - Counter(before):
                adders.setdefault(key, []).append(commit)
        for entry in _new_entries(reader, ctx.old_files.get(rel), (ctx.top / rel).read_bytes()):
            _verify_entry(ctx, repo, ctx.top / rel, entry, adders.get(entry.key, []))


def _is_record(ctx: Context, rel: str) -> bool:
    folder = (ctx.top / rel).parent.resolve()
    return folder in ((ctx.root / PRACTICES_DIR).resolve(), (ctx.root / PROJECTS_DIR).resolve())


def _approvals(reader: SectionReader, raw: bytes | None) -> list[Any]:
    if raw is None:
        return []
    values = reader.values(raw.decode("utf-8", errors="replace"), ("approvals",)) or {}
    found = values.get("approvals")
    return found if isinstance(found, list) else []


def _keys(reader: SectionReader, raw: bytes | None) -> list[str]:
    return [entry_key(a) for a in _approvals(reader, raw)]


def _new_entries(reader: SectionReader, old: bytes | None, new: bytes) -> list[_Entry]:
    final = _approvals(reader, new)
    surplus = Counter(entry_key(a) for a in final) - Counter(_keys(reader, old))
    found = []
    for index in range(len(final) - 1, -1, -1):
        key = entry_key(final[index])
        if surplus[key] > 0:
            surplus[key] -= 1
            by = final[index].get("by") if isinstance(final[index], dict) else None
            found.append(_Entry(index, key, str(by)))
    return found[::-1]


def _verify_entry(ctx: Context, repo: Any, path: Path, entry: _Entry, adders: list[Any]) -> None:
    loc = ctx.at(path, ("approvals", entry.index))
    item = path.stem
    if not adders:
        ctx.report.findings.append(
            Problem(
                loc,
                "signoff-missing",
                f"approval by '{entry.by}' is in no commit since the base (it is not "
                "committed yet, or came in through a merge)",
                fix=f"commit it: '{entry.by}' records it with 'diffuse approve {item}'",
            )
        )
        return
    for commit in adders:
        problem = _author_problem(ctx, repo, commit, entry.by)
        if problem:
            rule = _rule(problem)
            fix = {
                "signoff-unsigned": f"'{entry.by}' signs the commit that adds it (git commit -S)",
                "signoff-signer": f"'{entry.by}' signs the commit that adds it with their own "
                "key, registered under signing_keys in organisation.yaml",
            }.get(
                rule,
                f"remove the entry; '{entry.by}' records it from their own git identity with "
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
    if commit.email.casefold() != email.casefold():
        return f"commit {short} that adds it was authored by {commit.email}, not by '{person}'"
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
