"""A best practice: what it is, who approved it, who owns it, how it is kept current."""

from __future__ import annotations

from pydantic import Field

from diffuse.models.common import Base, Day, Id, IdList
from diffuse.vocab import (
    Decision,
    DecisionType,
    Discovery,
    ElementStatus,
    PracticeStatus,
    SupportKind,
)


class Evidence(Base):
    site: Id
    summary: str
    link: str | None = None
    date: Day | None = None


class KeyPrinciples(Base):
    fixed: list[str] = Field(min_length=1)
    adaptable: list[str] = Field(default_factory=list)


class SupportElement(Base):
    kind: SupportKind
    title: str
    status: ElementStatus = ElementStatus.PLANNED
    link: str | None = None


class Approval(Base):
    body: Id
    by: Id
    date: Day
    decision: Decision = Decision.APPROVED
    gate: Id | None = None
    scope: Id | None = Field(
        default=None, description="the site whose change of scope (not-applicable) it approves"
    )
    reference: str | None = None
    reason: str | None = Field(default=None, description="why, when the decision moves back")


class Leaders(Base):
    """The leaders the Sponsoring Body names before a practice is approved for diffusion."""

    champion: Id | None = None
    administrative: Id | None = None
    physician: Id | None = None


class Review(Base):
    cadence_months: int | None = Field(default=None, ge=1, le=120)
    last: Day | None = None
    outcome: str | None = Field(default=None, description="what the last review found")
    notes: str | None = None


class Practice(Base):
    id: Id
    title: str
    summary: str = ""
    status: PracticeStatus
    approving_body: Id
    owner: Id | None = None
    discovery: Discovery | None = None
    decision: DecisionType = DecisionType.HYBRID
    established: Day | None = None
    origin_sites: IdList = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    vetted_by: IdList = Field(default_factory=list)
    goal: str | None = None
    key_principles: KeyPrinciples | None = None
    leaders: Leaders = Field(default_factory=Leaders)
    support_elements: list[SupportElement] = Field(default_factory=list)
    approvals: list[Approval] = Field(default_factory=list)
    review: Review = Field(default_factory=Review)
    supersedes: Id | None = None
    superseded_by: Id | None = None
