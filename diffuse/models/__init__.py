"""Pydantic models of the three file kinds: organisation, practice, project."""

from diffuse.models.common import Base, Day, Id
from diffuse.models.organisation import Body, Organisation, Person, Settings, Site
from diffuse.models.practice import Approval, Practice
from diffuse.models.project import (
    DutyRecord,
    Measure,
    Metric,
    Project,
    Risk,
    SiteException,
    SiteState,
    Transition,
    Update,
)
from diffuse.models.workflow import DutyDef, GateDef, RoleDef, Workflow
from diffuse.vocab import (
    Adkar,
    BodyKind,
    Decision,
    Discovery,
    DutyStatus,
    Health,
    MetricKind,
    MetricLevel,
    PracticeStatus,
    RiskCategory,
    SiteStatus,
    SupportKind,
)

__all__ = [
    "Adkar",
    "Approval",
    "Base",
    "Body",
    "BodyKind",
    "Day",
    "Decision",
    "Discovery",
    "DutyDef",
    "DutyRecord",
    "DutyStatus",
    "GateDef",
    "Health",
    "Id",
    "Measure",
    "Metric",
    "MetricKind",
    "MetricLevel",
    "Organisation",
    "Person",
    "Practice",
    "PracticeStatus",
    "Project",
    "Risk",
    "RiskCategory",
    "RoleDef",
    "Settings",
    "Site",
    "SiteException",
    "SiteState",
    "SiteStatus",
    "SupportKind",
    "Transition",
    "Update",
    "Workflow",
]
