"""A diffusion project: one practice taken to every site through gated phases."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, model_validator

from diffuse.limits import MAX_FIGURE
from diffuse.models.common import Base, Day, Figure, Id, IdList
from diffuse.models.practice import Approval
from diffuse.models.workflow import DutyDef, Workflow
from diffuse.vocab import (
    Adkar,
    Aggregate,
    Approach,
    ChartType,
    Direction,
    DutyStatus,
    Health,
    MeasurePeriod,
    MetricKind,
    MetricLevel,
    RiskCategory,
    RiskStatus,
    SiteStatus,
)

Score = Annotated[int, Field(ge=1, le=5)]
NonNegative = Annotated[Figure, Field(ge=0)]


class DutyRecord(Base):
    status: DutyStatus = DutyStatus.OPEN
    date: Day | None = None
    by: Id | None = Field(default=None, description="who did it: a holder of the duty's role")
    recorded_by: Id | None = Field(
        default=None, description="who recorded it on the holder's behalf, when not the holder"
    )
    reason: str | None = None
    evidence: str | None = None

    @model_validator(mode="after")
    def _explained(self) -> DutyRecord:
        if self.status is DutyStatus.DONE and self.date is None:
            raise ValueError("a duty marked done needs the date it was done ('date: YYYY-MM-DD')")
        if self.status is DutyStatus.NOT_APPLICABLE and not self.reason:
            raise ValueError("a duty marked na needs a 'reason' saying why it does not apply")
        if self.recorded_by and not self.by:
            raise ValueError("'recorded_by' goes with 'by', the holder it was recorded for")
        return self


class Risk(Base):
    category: RiskCategory
    description: str = ""
    likelihood: Score | None = None
    impact: Score | None = None
    owner: Id | None = None
    mitigation: str | None = None
    status: RiskStatus = RiskStatus.OPEN

    @model_validator(mode="after")
    def _scored(self) -> Risk:
        assessed = self.status is not RiskStatus.UNASSESSED
        if assessed and (self.likelihood is None or self.impact is None):
            raise ValueError(
                f"a {self.status.value} risk needs 'likelihood' and 'impact' from 1 to 5 "
                "(a risk nobody has scored yet is 'status: unassessed')"
            )
        return self

    @property
    def score(self) -> int:
        """Likelihood times impact; 0 while unscored."""
        return (self.likelihood or 0) * (self.impact or 0)


class Measure(Base):
    date: Day
    site: Id | None = None
    value: Figure | None = None
    numerator: NonNegative | None = None
    denominator: Annotated[Figure, Field(gt=0)] | None = None
    period: MeasurePeriod | None = None
    excluded: str | None = Field(default=None, description="why this point is left out")

    @model_validator(mode="after")
    def _has_value(self) -> Measure:
        if (self.numerator is None) != (self.denominator is None):
            raise ValueError("give 'numerator' and 'denominator' together, or neither")
        if self.value is None and self.numerator is None:
            raise ValueError("a measure needs 'value', or 'numerator' and 'denominator'")
        return self


class MetricNote(Base):
    """What happened on a day, shown as a marker on the metric's charts (a change, an event)."""

    date: Day
    text: str = Field(min_length=1)
    site: Id | None = Field(default=None, description="the site it concerns; none: every site")
    by: Id | None = Field(default=None, description="the person who recorded it")


class Metric(Base):
    id: Id
    name: str
    level: MetricLevel
    kind: MetricKind = MetricKind.MEASUREMENT
    unit: str = ""
    multiplier: Figure = Field(default=1.0, gt=0)
    direction: Direction
    baseline: Figure | None = None
    target: Figure | None = None
    chart: ChartType | None = Field(
        default=None, description="chart to draw (default: chosen from the kind and the data)"
    )
    parts: list[Day] = Field(
        default_factory=list, description="first day of each new part, after a change"
    )
    freeze: int | None = Field(
        default=None, ge=1, description="first points of each part that set centre and limits"
    )
    aggregate: Aggregate | None = Field(
        default=None,
        description="several values on one date and site: mean, median or sum "
        "(default: sum for counts, mean otherwise; numerators and denominators are summed)",
    )
    cl: Figure | None = Field(
        default=None, description="a fixed centre line, in chart units (qicharts2's cl)"
    )
    y_neg: bool = Field(
        default=True,
        description="false: lower limits stay at 0 or above when no value is negative",
    )
    values: list[Measure] = Field(default_factory=list)
    notes: list[MetricNote] = Field(
        default_factory=list, description="dated notes shown as markers on the charts"
    )

    @model_validator(mode="after")
    def _proportions_in_range(self) -> Metric:
        # Proportions are written in percent; a share above 100% is always a data error.
        if self.kind is not MetricKind.PROPORTION:
            return self
        for measure in self.values:
            if measure.numerator is not None and measure.numerator > (measure.denominator or 0):
                raise ValueError(f"{measure.date}: numerator is larger than denominator")
            if measure.value is not None and not 0 <= measure.value <= 100:
                raise ValueError(
                    f"{measure.date}: a proportion must be 0-100% (got {measure.value})"
                )
        return self

    @model_validator(mode="after")
    def _points_usable(self) -> Metric:
        # A tiny denominator makes a huge rate from usable figures; reject it here rather
        # than draw a chart of infinities.
        for measure in self.values:
            if abs(self.point(measure)) > MAX_FIGURE:
                raise ValueError(
                    f"{measure.date}: numerator / denominator x {self.multiplier:g} is "
                    f"larger than {MAX_FIGURE:,.0f}; check the denominator"
                )
        return self

    def point(self, measure: Measure) -> float:
        """The value as charted: derived from numerator/denominator where given."""
        if measure.numerator is not None and measure.denominator:
            scale = 100.0 if self.kind is MetricKind.PROPORTION else self.multiplier
            return measure.numerator / measure.denominator * scale
        return measure.value if measure.value is not None else 0.0


class Adaptation(Base):
    """A site's local variation. One within the adaptable principles is decided by
    diffusion oversight; one that touches a fixed principle names it (`principle`) and is
    decided by the practice's owner, before the project may close."""

    description: str
    requested: Day | None = None
    principle: str | None = Field(
        default=None, description="the fixed principle it departs from, as the practice words it"
    )
    approved_by: Id | None = None
    refused_by: Id | None = None
    reason: str | None = Field(default=None, description="why it was refused")
    date: Day | None = Field(default=None, description="day it was approved or refused")

    @model_validator(mode="after")
    def _one_decision(self) -> Adaptation:
        if self.approved_by and self.refused_by:
            raise ValueError("an adaptation is approved or refused, not both")
        if (self.approved_by or self.refused_by) and self.date is None:
            raise ValueError("a decided adaptation needs the day it was decided ('date')")
        return self

    @property
    def decided_by(self) -> str | None:
        return self.approved_by or self.refused_by


class Pause(Base):
    """Work at a site stopped on purpose (e.g. a unit closed for renovation) until a date."""

    reason: str = Field(min_length=1)
    until: Day
    since: Day | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Pause:
        if self.since is not None and self.since > self.until:
            raise ValueError("a pause must start ('since') on or before its end ('until')")
        return self

    def covers(self, day: date) -> bool:
        return (self.since is None or self.since <= day) and day <= self.until


class SiteException(Base):
    """A site let off the close gate by diffusion oversight, without going live."""

    reason: str = Field(min_length=1)
    approved_by: Id
    date: Day


class SiteState(Base):
    status: SiteStatus = SiteStatus.NOT_STARTED
    reason: str | None = Field(default=None, description="why the site is not-applicable")
    exception: SiteException | None = Field(
        default=None, description="an exception to the close gate approved by diffusion oversight"
    )
    health: Health = Health.ON_TRACK
    leader: Id | None = None
    go_live_planned: Day | None = None
    go_live_actual: Day | None = None
    adkar: Adkar | None = None
    adaptations: list[Adaptation] = Field(default_factory=list)
    barriers: list[str] = Field(default_factory=list)
    updated: Day | None = None
    note: str | None = None
    pause: Pause | None = Field(default=None, description="a planned pause in the work")


class Dissemination(Base):
    """One line of the dissemination plan: an approach, for whom, who leads it, when."""

    approach: Approach
    audience: str = ""
    owner: Id | None = None
    start: Day | None = None
    end: Day | None = None
    done: Day | None = None


class Update(Base):
    date: Day
    text: str
    by: Id | None = None
    site: Id | None = None


class Transition(Base):
    from_phase: Id = Field(alias="from")
    to: Id
    date: Day
    by: Id
    reason: str | None = None


class CustomDuty(Base):
    """A duty this project adds to the workflow's checklist, judged by the gates like any
    other: done by a holder of `role` before the project leaves the phase `due`."""

    id: Id
    role: Id
    due: Id = Field(description="the phase that cannot be left until this duty is done")
    title: str = Field(min_length=1)


class Project(Base):
    id: Id
    practice: Id
    title: str
    phase: Id
    approved: Day | None = Field(default=None, description="day the diffusion was approved")
    target_months: int | None = Field(default=None, ge=1, le=120)
    roles: dict[Id, IdList] = Field(default_factory=dict)
    checklist: dict[Id, DutyRecord] = Field(default_factory=dict)
    custom_duties: list[CustomDuty] = Field(
        default_factory=list, description="duties this project adds to the workflow's checklist"
    )
    risks: list[Risk] = Field(default_factory=list)
    metrics: list[Metric] = Field(default_factory=list)
    dissemination: list[Dissemination] = Field(default_factory=list)
    sites: dict[Id, SiteState] = Field(default_factory=dict)
    approvals: list[Approval] = Field(default_factory=list)
    updates: list[Update] = Field(default_factory=list)
    history: list[Transition] = Field(default_factory=list)


def project_workflow(workflow: Workflow, project: Project) -> Workflow:
    """`workflow` with the project's own duties added to its checklist (once: a duty id the
    workflow has already is not added again). One naming a role or phase the workflow lacks
    is left out: validation reports it."""
    known = {d.id for d in workflow.duties}
    roles = {r.id for r in workflow.roles}
    extra = []
    for d in project.custom_duties:
        if d.id not in known and d.role in roles and d.due in workflow.phases:
            extra.append(DutyDef(id=d.id, role=d.role, due=d.due, text=d.title))
            known.add(d.id)
    if not extra:
        return workflow
    return workflow.model_copy(update={"duties": [*workflow.duties, *extra]})
