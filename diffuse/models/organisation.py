"""The organisation file: sites, people, approving bodies, settings, optional workflow."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from diffuse import limits as lim
from diffuse.models.common import Base, Id, IdList
from diffuse.models.workflow import Workflow
from diffuse.vocab import BodyKind


class Site(Base):
    id: Id
    name: str
    region: str = ""
    kind: str = "hospital"


_SSH_KEY = re.compile(r"SHA256:[A-Za-z0-9+/]{43}")
_GPG_KEY = re.compile(r"[0-9A-F]{40}|[0-9A-F]{64}")


def _signing_key(value: str) -> str:
    # As `ssh-keygen -lf KEY.pub` prints it, or as `gpg --fingerprint` does (spaces dropped).
    if _SSH_KEY.fullmatch(value.strip()):
        return value.strip()
    hexed = "".join(value.split()).upper()
    if _GPG_KEY.fullmatch(hexed):
        return hexed
    raise PydanticCustomError(
        "signing_key",
        "expected an SSH key fingerprint 'SHA256:...' (from ssh-keygen -lf KEY.pub) or a "
        "GPG key fingerprint of 40 hex digits (from gpg --fingerprint EMAIL)",
    )


SigningKey = Annotated[str, AfterValidator(_signing_key)]

_GITHUB_LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}")


def _github_login(value: str) -> str:
    if not _GITHUB_LOGIN.fullmatch(value):
        raise PydanticCustomError(
            "github_login",
            "expected a GitHub login without '@': letters, digits and single hyphens inside, "
            "at most 39 characters",
        )
    return value


GitHubLogin = Annotated[str, AfterValidator(_github_login)]


class Person(Base):
    id: Id
    name: str
    email: str | None = None
    title: str | None = None
    github: GitHubLogin | None = Field(
        default=None, description="their GitHub login, for reminders and @-mentions"
    )
    signing_keys: list[SigningKey] = Field(
        default_factory=list,
        description="fingerprints of the keys this person signs approval commits with",
    )


class Body(Base):
    id: Id
    name: str
    kind: BodyKind
    specialty: str | None = None
    members: IdList = Field(default_factory=list)


class FileLimits(Base):
    """Limits for reading practices and projects (the organisation file uses the defaults)."""

    max_file_bytes: int = Field(default=lim.MAX_FILE_BYTES, ge=10_000, le=lim.CEILING_FILE_BYTES)
    max_values: int = Field(default=lim.MAX_VALUES, ge=1_000, le=lim.CEILING_VALUES)
    max_depth: int = Field(default=lim.MAX_DEPTH, ge=8, le=lim.CEILING_DEPTH)

    def limits(self) -> lim.Limits:
        return lim.Limits(self.max_file_bytes, self.max_values, self.max_depth)


class DateWindow(Base):
    """How far from the reference day (today, or the command's --as-of/--date) a date may
    lie, and how long before its approval a project may record work, before `validate`
    and every edit call it a mistake."""

    past_years: int = Field(default=30, ge=1, le=200)
    future_years: int = Field(default=10, ge=1, le=100)
    lead_days: int = Field(
        default=365,
        ge=0,
        le=3650,
        description="how many days before its approval a project may record duties and updates",
    )


class Settings(Base):
    target_months: int = Field(default=6, ge=1, le=120)
    review_cadence_months: int = Field(default=12, ge=1, le=120)
    stale_after_weeks: int = Field(default=6, ge=1, le=104)
    max_golives_per_month: int = Field(
        default=2,
        ge=1,
        le=100,
        description="go-lives a site takes on in one month before it is flagged",
    )
    barrier_escalate_weeks: int = Field(default=4, ge=1, le=104)  # `remind` tells oversight
    limits: FileLimits = Field(default_factory=FileLimits)
    dates: DateWindow = Field(default_factory=DateWindow)
    as_of_from_git: bool = Field(
        default=True,
        description="--as-of reads what carries no date from the last commit dated by then",
    )
    signed_approvals: bool = False  # `diffuse check --verify-signoff` also runs verify-commit
    min_points_for_limits: int = Field(
        default=12, ge=2, le=100, description="points a chart part needs for control limits"
    )


class Organisation(Base):
    name: str
    settings: Settings = Field(default_factory=Settings)
    sites: list[Site] = Field(min_length=1)
    people: list[Person] = Field(default_factory=list)
    bodies: list[Body] = Field(default_factory=list)
    workflow: Workflow | None = None

    def site(self, site_id: str) -> Site | None:
        return next((s for s in self.sites if s.id == site_id), None)

    def person(self, person_id: str) -> Person | None:
        return next((p for p in self.people if p.id == person_id), None)

    def people_with_email(self, email: str | None) -> list[str]:
        """The ids of every person whose email is `email`, compared without regard to case
        (as git's author emails are matched). `validate` allows one at most."""
        if not email or not email.strip():
            return []
        wanted = email.strip().casefold()
        return [p.id for p in self.people if p.email and p.email.strip().casefold() == wanted]

    def body(self, body_id: str) -> Body | None:
        return next((b for b in self.bodies if b.id == body_id), None)
