"""`diffuse org add-site | add-person | add-body | add-member | edit-person | remove-person
| remove-member | rename-site`: change the organisation file one entry at a time, keeping
every other line as it was. A person still named anywhere is not removed; a renamed site is
renamed in every practice and project too.

Projects need no change when a site is added: every site of the organisation is in scope
of a project unless the project marks it not-applicable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from diffuse.edits import record
from diffuse.edits.record import Change, EditOptions, EditResult, diff_lines
from diffuse.errors import DiffuseError
from diffuse.files.yamledit import (
    EditError,
    Scalar,
    append_item,
    remove_item,
    rename_key,
    set_list,
    set_value,
    set_values,
)
from diffuse.layout import ID_PATTERN, ORGANISATION_FILE
from diffuse.models.organisation import Body, Organisation, Person, Site
from diffuse.rules.usages import Use
from diffuse.vocab import BodyKind


@dataclass(frozen=True)
class Entry:
    """A new site, person or body: its list in the file and its fields."""

    kind: str  # site, person, body
    id: str
    fields: Mapping[str, Scalar]
    members: tuple[str, ...] = ()


LISTS = {"site": "sites", "person": "people", "body": "bodies"}


def add_entry(root: Path, entry: Entry, options: EditOptions) -> EditResult:
    loaded = record.load(root, options)
    org = loaded.org
    if not ID_PATTERN.fullmatch(entry.id):
        raise DiffuseError(f"'{entry.id}' is not a valid id: use lowercase letters, digits and '-'")
    if _exists(org, entry.kind, entry.id):
        raise DiffuseError(f"{ORGANISATION_FILE} already has a {entry.kind} '{entry.id}'")
    item: dict[str, Scalar] = {"id": entry.id, **{k: v for k, v in entry.fields.items() if v}}
    email = item.get("email") if entry.kind == "person" else None
    holders = org.people_with_email(str(email)) if email else []
    if holders:
        raise DiffuseError(
            f"--email: {email} is already the email of '{holders[0]}' (emails are compared "
            "without regard to case); each person needs their own; nothing was changed"
        )
    if entry.kind == "body":
        record.choice("--kind", str(item.get("kind")), [k.value for k in BodyKind])
        for member in entry.members:
            record.person(loaded, "--member", member)
    members = list(dict.fromkeys(entry.members))

    def change(text: str) -> str:
        text = append_item(text, (LISTS[entry.kind],), item)
        if entry.kind == "body":
            index = len(org.bodies)
            text = set_list(text, ("bodies", index, "members"), list(members))
        return text

    summary = f"{ORGANISATION_FILE}: {entry.kind} {entry.id} added"
    return record.apply(root, root / ORGANISATION_FILE, change, summary, options, Organisation)


def add_member(root: Path, body_id: str, person: str, options: EditOptions) -> EditResult:
    loaded = record.load(root, options)
    index = next((i for i, b in enumerate(loaded.org.bodies) if b.id == body_id), None)
    if index is None:
        known = ", ".join(b.id for b in loaded.org.bodies) or "none"
        raise DiffuseError(f"no approving body '{body_id}' in {ORGANISATION_FILE}; known: {known}")
    record.person(loaded, "PERSON", person)
    members = loaded.org.bodies[index].members
    if person in members:
        raise DiffuseError(f"'{person}' is already a member of '{body_id}'; nothing was changed")

    def change(text: str) -> str:
        return set_list(text, ("bodies", index, "members"), [*members, person])

    summary = f"{ORGANISATION_FILE}: {person} added to {body_id}"
    return record.apply(root, root / ORGANISATION_FILE, change, summary, options, Organisation)


def _exists(org: Organisation, kind: str, entry_id: str) -> bool:
    if kind == "site":
        return org.site(entry_id) is not None
    if kind == "person":
        return org.person(entry_id) is not None
    return org.body(entry_id) is not None


PERSON_FIELDS = ("name", "email", "title", "github")


def edit_person(
    root: Path, person_id: str, fields: Mapping[str, Scalar], options: EditOptions
) -> EditResult:
    """Set a person's name, email, title or GitHub login; other fields stay as written."""
    loaded = record.load(root, options)
    index = _index(loaded.org, "person", person_id)
    changes = {key: value for key, value in fields.items() if value is not None}
    if not changes:
        raise DiffuseError(f"give at least one of: {', '.join('--' + f for f in PERSON_FIELDS)}")
    email = changes.get("email")
    holders = [p for p in loaded.org.people_with_email(str(email)) if p != person_id]
    if email and holders:
        raise DiffuseError(
            f"--email: {email} is already the email of '{holders[0]}' (emails are compared "
            "without regard to case); each person needs their own; nothing was changed"
        )

    def change(text: str) -> str:
        return set_values(text, {("people", index, key): value for key, value in changes.items()})

    summary = f"{ORGANISATION_FILE}: person {person_id}: {', '.join(changes)} set"
    return record.apply(root, root / ORGANISATION_FILE, change, summary, options, Organisation)


def remove_person(root: Path, person_id: str, options: EditOptions) -> EditResult:
    """Remove a person no file names any more (as member, owner, leader, approver, ...)."""
    from diffuse.rules.usages import person_uses

    loaded = record.load(root, options)
    index = _index(loaded.org, "person", person_id)
    uses = person_uses(loaded.catalog, person_id)
    if uses:
        raise DiffuseError(
            f"'{person_id}' is still named in {len(uses)} place(s); give each to someone "
            "else first (nothing was changed):\n" + "\n".join(f"  {use}" for use in uses)
        )

    def change(text: str) -> str:
        return remove_item(text, ("people", index))

    summary = f"{ORGANISATION_FILE}: person {person_id} removed"
    return record.apply(root, root / ORGANISATION_FILE, change, summary, options, Organisation)


def remove_member(root: Path, body_id: str, person: str, options: EditOptions) -> EditResult:
    loaded = record.load(root, options)
    index = _index(loaded.org, "body", body_id)
    members = loaded.org.bodies[index].members
    if person not in members:
        listed = ", ".join(members) or "none"
        raise DiffuseError(f"'{person}' is not a member of '{body_id}' (members: {listed})")
    if members == [person]:
        raise DiffuseError(
            f"'{person}' is the only member of '{body_id}', which could then approve nothing; "
            "add another member first ('diffuse org add-member'); nothing was changed"
        )

    def change(text: str) -> str:
        return remove_item(text, ("bodies", index, "members", members.index(person)))

    summary = f"{ORGANISATION_FILE}: {person} removed from {body_id}"
    return record.apply(root, root / ORGANISATION_FILE, change, summary, options, Organisation)


def rename_site(root: Path, old: str, new: str, options: EditOptions) -> EditResult:
    """Rename a site in the organisation and in every practice and project that names it,
    all files or none."""
    from diffuse.edits.editing import Edit, edit_files
    from diffuse.layout import WINDOWS_RESERVED
    from diffuse.models import Practice, Project
    from diffuse.rules.usages import site_uses

    loaded = record.load(root, options)
    index = _index(loaded.org, "site", old)
    if not ID_PATTERN.fullmatch(new) or new in WINDOWS_RESERVED:
        raise DiffuseError(f"'{new}' is not a valid id: use lowercase letters, digits and '-'")
    if loaded.org.site(new) is not None:
        raise DiffuseError(f"{ORGANISATION_FILE} already has a site '{new}'; nothing was changed")
    org_path = root / ORGANISATION_FILE
    by_file: dict[Path, list[Use]] = {}
    for use in site_uses(loaded.catalog, old):
        by_file.setdefault(use.doc.path, []).append(use)
    edits = [Edit(org_path, lambda t: set_value(t, ("sites", index, "id"), new), Organisation)]
    for path, uses in by_file.items():
        model = Practice if path.parent.name == "practices" else Project
        edits.append(Edit(path, _renamer(uses, new), model))
    done = edit_files(edits, dry_run=options.dry_run)
    summary = f"site {old} renamed {new} in {len(edits)} file(s)"
    result = EditResult(summary, org_path, options.dry_run)
    if options.dry_run:
        for edit, (before, after) in zip(edits, done, strict=True):
            shown = edit.path.relative_to(root).as_posix()
            result.diff += [f"{shown}:", *diff_lines(before, after)]
    elif options.commit:
        from diffuse.repo import commit_files, open_repo

        result.commit = commit_files(open_repo(root), [e.path for e in edits], summary)
    return result


def _renamer(uses: list[Use], new: str) -> Change:
    def change(text: str) -> str:
        for use in uses:
            text = rename_key(text, use.loc, new) if use.is_key else _set_id(text, use.loc, new)
        return text

    return change


def _set_id(text: str, loc: tuple[str | int, ...], new: str) -> str:
    try:
        return set_value(text, loc, new)
    except EditError:
        # A list of ids written as one id (`vetted_by: main`) reads as a list of one.
        if isinstance(loc[-1], int) and loc[-1] == 0:
            return set_value(text, loc[:-1], new)
        raise


def _index(org: Organisation, kind: str, item_id: str) -> int:
    lists: dict[str, list[Site] | list[Person] | list[Body]] = {
        "site": org.sites,
        "person": org.people,
        "body": org.bodies,
    }
    ids = [item.id for item in lists[kind]]
    if item_id in ids:
        return ids.index(item_id)
    known = ", ".join(ids) or "none"
    raise DiffuseError(f"no {kind} '{item_id}' in {ORGANISATION_FILE}; known: {known}")
