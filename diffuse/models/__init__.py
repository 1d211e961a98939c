"""Pydantic models of the three file kinds: organisation, practice, project.

- `organisation`, `practice`, `project`: one module per file kind;
- `workflow`: phases, gates, roles and duties, from the organisation file or a framework;
- `common`: ids, dates and the strict base model they share.
"""

from diffuse.models.common import Base, Day, Id
from diffuse.models.organisation import Body, Organisation, Person, Settings, Site
from diffuse.models.practice import Approval, Practice
from diffuse.models.project import (
    CustomDuty,
    DutyRecord,
    Measure,
    Metric,
    MetricNote,
    Project,
    Risk,
    SiteException,
    SiteState,
    Transition,
    Update,
    project_workflow,
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
    "CustomDuty",
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
    "MetricNote",
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
    "project_workflow",
]
