"""A diffusion project: one practice taken to every site through gated phases."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, model_validator

from diffuse.limits import MAX_FIGURE
from diffuse.models.common import Base, Day, Figure, Id, IdList
from diffuse.models.practice import Approval
from diffuse.vocab import (
    Adkar,
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
    by: Id | None = None
    reason: str | None = None
    evidence: str | None = None

    @model_validator(mode="after")
    def _explained(self) -> DutyRecord:
        if self.status is DutyStatus.DONE and self.date is None:
            raise ValueError("a duty marked done needs the date it was done ('date: YYYY-MM-DD')")
        if self.status is DutyStatus.NOT_APPLICABLE and not self.reason:
            raise ValueError("a duty marked na needs a 'reason' saying why it does not apply")
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
    """A site's local variation of an adaptable principle; oversight approves it."""

    description: str
    requested: Day | None = None
    approved_by: Id | None = None
    date: Day | None = Field(default=None, description="day it was approved")


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


class Project(Base):
    id: Id
    practice: Id
    title: str
    phase: Id
    approved: Day | None = Field(default=None, description="day the diffusion was approved")
    target_months: int | None = Field(default=None, ge=1, le=120)
    roles: dict[Id, IdList] = Field(default_factory=dict)
    checklist: dict[Id, DutyRecord] = Field(default_factory=dict)
    risks: list[Risk] = Field(default_factory=list)
    metrics: list[Metric] = Field(default_factory=list)
    dissemination: list[Dissemination] = Field(default_factory=list)
    sites: dict[Id, SiteState] = Field(default_factory=dict)
    approvals: list[Approval] = Field(default_factory=list)
    updates: list[Update] = Field(default_factory=list)
    history: list[Transition] = Field(default_factory=list)
