"""A best practice: what it is, who approved it, who owns it, how it is kept current."""

from __future__ import annotations

import enum

from pydantic import Field

from diffuse.models.common import Base, Day, Id, IdList


class PracticeStatus(enum.StrEnum):
    DISCOVERY = "discovery"
    PROPOSED = "proposed"
    APPROVED = "approved"
    DIFFUSING = "diffusing"
    DIFFUSED = "diffused"
    RETIRED = "retired"
    SUPERSEDED = "superseded"


class Discovery(enum.StrEnum):
    """The discovery approaches of the model's Table 1."""

    INTERNAL_COLLABORATIVE = "internal-collaborative"
    NOAHS_ARK = "noahs-ark"
    ALPHA_BETA = "alpha-beta"
    EXTERNAL = "external"
    GRASSROOTS = "grassroots"


class DecisionType(enum.StrEnum):
    OPTIONAL = "optional"
    COLLECTIVE = "collective"
    AUTHORITY = "authority"
    HYBRID = "hybrid"


class SupportKind(enum.StrEnum):
    CARE_PROCESS_MODEL = "care-process-model"
    DECISION_SUPPORT = "decision-support"
    COMMUNICATIONS = "communications"
    FORMS = "forms"
    ORDER_SETS = "order-sets"
    PROTOCOLS = "protocols"
    PATIENT_EDUCATION = "patient-education"
    POLICIES = "policies"
    STAFF_EDUCATION = "staff-education"
    EQUIPMENT = "equipment"
    MEASUREMENT = "measurement"


class ElementStatus(enum.StrEnum):
    PLANNED = "planned"
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class Decision(enum.StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"
    DEFERRED = "deferred"


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
