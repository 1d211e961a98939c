"""`diffuse org add-site | add-person | add-body | add-member`: grow the organisation file
one entry at a time, keeping every other line as it was.

Projects need no change when a site is added: every site of the organisation is in scope
of a project unless the project marks it not-applicable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from diffuse.edits import record
from diffuse.edits.record import EditOptions, EditResult
from diffuse.errors import DiffuseError
from diffuse.files.yamledit import Scalar, append_item, set_list
from diffuse.layout import ID_PATTERN
from diffuse.models.organisation import Organisation
from diffuse.rules.catalog import ORGANISATION_FILE
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
