"""The fixed vocabularies of the tracker files: statuses, health, kinds, levels.

Plain enums with no pydantic, so reports read from the result cache need only this. The
models, the command-line help and the commands' checks of an option all take their
choices from here.
"""

from __future__ import annotations

import enum
from typing import TypeVar

from diffuse.errors import DiffuseError

V = TypeVar("V", bound=enum.StrEnum)


def spoken(vocabulary: type[enum.StrEnum]) -> str:
    """The choices as help text lists them: 'a, b or c'."""
    values = [member.value for member in vocabulary]
    return " or ".join([", ".join(values[:-1]), values[-1]] if len(values) > 1 else values)


def pick(vocabulary: type[V], value: str, option: str) -> V:
    """`value` as a member of `vocabulary`, or a DiffuseError that names `option` and lists
    the choices."""
    try:
        return vocabulary(value)
    except ValueError:
        allowed = ", ".join(member.value for member in vocabulary)
        raise DiffuseError(f"{option}: '{value}' is not one of: {allowed}") from None


class BodyKind(enum.StrEnum):
    PRACTICE_COMMITTEE = "clinical-practice-committee"
    SPECIALTY_COUNCIL = "specialty-council"
    OTHER = "other"


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


class DutyStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    NOT_APPLICABLE = "na"


class SiteStatus(enum.StrEnum):
    NOT_STARTED = "not-started"
    PLANNING = "planning"
    IMPLEMENTING = "implementing"
    LIVE = "live"
    SUSTAINED = "sustained"
    NOT_APPLICABLE = "not-applicable"


# The in-scope site statuses in the order a site passes through them.
SITE_PROGRESS = (
    SiteStatus.NOT_STARTED,
    SiteStatus.PLANNING,
    SiteStatus.IMPLEMENTING,
    SiteStatus.LIVE,
    SiteStatus.SUSTAINED,
)
LIVE = frozenset({SiteStatus.LIVE, SiteStatus.SUSTAINED})


class Health(enum.StrEnum):
    ON_TRACK = "on-track"
    AT_RISK = "at-risk"
    OFF_TRACK = "off-track"


class Adkar(enum.StrEnum):
    AWARENESS = "awareness"
    DESIRE = "desire"
    KNOWLEDGE = "knowledge"
    ABILITY = "ability"
    REINFORCEMENT = "reinforcement"


class RiskCategory(enum.StrEnum):
    """The standard risks of the model's Table 2, plus room for a project's own."""

    DOCUMENTATION = "documentation"
    OWNERSHIP = "ownership"
    MEASUREMENT = "measurement"
    IT_APPROVAL = "it-approval"
    IT_CHANGES = "it-changes"
    PHYSICIAN_TIME = "physician-time"
    COMPETING_PRIORITIES = "competing-priorities"
    CULTURE = "culture"
    OTHER = "other"


class RiskStatus(enum.StrEnum):
    UNASSESSED = "unassessed"
    OPEN = "open"
    MITIGATED = "mitigated"
    ACCEPTED = "accepted"
    CLOSED = "closed"


class Approach(enum.StrEnum):
    """The dissemination approaches of the Health Foundation's evidence scan (its Table 3)."""

    WRITTEN_MATERIALS = "written-materials"
    CONFERENCES = "conferences"
    SOCIAL_MEDIA = "social-media"
    CAMPAIGNS = "campaigns"
    CHANGE_CHAMPIONS = "change-champions"
    TRAINING = "training"
    TRAIN_THE_TRAINER = "train-the-trainer"
    ACTION_RESEARCH = "action-research"
    COLLABORATIVES = "collaboratives"
    NETWORKS = "networks"


class MetricLevel(enum.StrEnum):
    EDUCATION = "education"
    PROCESS = "process"
    OUTCOME = "outcome"
    FINANCIAL = "financial"
    ADOPTION = "adoption"


class MetricKind(enum.StrEnum):
    """What a metric's values are; it chooses the chart. time-between: days (or hours)
    between rare events, a t-chart; count-between: cases between rare events, a g-chart."""

    PROPORTION = "proportion"
    RATE = "rate"
    COUNT = "count"
    MEASUREMENT = "measurement"
    TIME_BETWEEN = "time-between"
    COUNT_BETWEEN = "count-between"


class Aggregate(enum.StrEnum):
    """How several values of one metric, site and date become the period's one value."""

    MEAN = "mean"
    MEDIAN = "median"
    SUM = "sum"


class Direction(enum.StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class ChartType(enum.StrEnum):
    """Run chart, or a Shewhart chart: I/MR, MR alone, p, u, c, Laney's p' (pp) and u'
    (up), t and g for rare events, xbar and s for subgroups (qicharts2's names)."""

    RUN = "run"
    I = "i"  # noqa: E741 - the chart's own name
    MR = "mr"
    P = "p"
    U = "u"
    C = "c"
    P_PRIME = "pp"
    U_PRIME = "up"
    T = "t"
    G = "g"
    XBAR = "xbar"
    S = "s"


class MeasurePeriod(enum.StrEnum):
    BASELINE = "baseline"
    IMPLEMENTATION = "implementation"
    ONGOING = "ongoing"


# Every `--format json` output carries this as `schema_version`; it grows by one when a
# field is renamed or removed (adding a field keeps it). `diffuse schema --output` writes
# the shapes.
OUTPUT_SCHEMA_VERSION = 1
# Outputs whose version has grown, each on its own. status 2: `title` is the project's own
# title (it was its practice's, which is now `practice_title`). show 2 and history 2: the
# item's id is `project` or `practice` (it was `id`), and `as_of` is added. search 2 and
# risks 2: an object with `schema_version` (it was a bare list); a search hit's id is
# `practice`. scorecard 2: a site's project line says `is_live` (it was `live`, which is a
# count everywhere else). validate 2: `passed`, as in check (it was `valid`).
OUTPUT_SCHEMA_VERSIONS = {
    "status": 2,
    "show": 2,
    "history": 2,
    "search": 2,
    "risks": 2,
    "scorecard": 2,
    "validate": 2,
}


def output_schema_version(command: str) -> int:
    """The `schema_version` of `command`'s JSON output."""
    return OUTPUT_SCHEMA_VERSIONS.get(command, OUTPUT_SCHEMA_VERSION)
