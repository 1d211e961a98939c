"""Who is recording a change: one rule for every command.

`--by PERSON` when given; otherwise the email git will author the next commit with, as git
itself resolves it (`git var GIT_AUTHOR_IDENT`: GIT_AUTHOR_EMAIL, then user.email, then
EMAIL), matched without regard to case to a person's email in the organisation file. An
email that two people share names neither: the command refuses rather than pick one.
"""

from __future__ import annotations

from pathlib import Path

from diffuse.errors import DiffuseError
from diffuse.layout import ORGANISATION_FILE
from diffuse.models import Organisation


def current_person(
    org: Organisation, root: Path, given: str | None, *, by_option: bool = True
) -> str:
    """The person id recording this change; refuses when it cannot be told. Without
    `by_option` (approve: the commit is the approver's signature) git's email is the only way."""
    person, email = _find(org, root, given)
    if person is None:
        remedy = "pass --by PERSON, or set" if by_option else "set"
        raise DiffuseError(
            f"cannot tell who is recording this: git's author email ({email or 'unset'}) "
            f"matches no person in {ORGANISATION_FILE}; {remedy} "
            "'git config user.email' to the email listed for you there"
        )
    return person


def maybe_person(org: Organisation, root: Path, given: str | None) -> str | None:
    """The person recording this change, or None when git's identity names nobody."""
    return _find(org, root, given)[0]


def _find(org: Organisation, root: Path, given: str | None) -> tuple[str | None, str | None]:
    if given is not None:
        if org.person(given) is None:
            known = ", ".join(p.id for p in org.people) or "none"
            raise DiffuseError(f"--by: no person '{given}' in {ORGANISATION_FILE}; known: {known}")
        return given, None
    from diffuse.repo import author_ident_email

    email = author_ident_email(root)
    found = org.people_with_email(email)
    if len(found) > 1:
        raise DiffuseError(
            f"git's author email ({email}) is the email of more than one person in "
            f"{ORGANISATION_FILE} ({', '.join(found)}; emails are compared without regard "
            "to case), so it cannot tell who is recording this; give each person their own"
        )
    return (found[0] if found else None), email
