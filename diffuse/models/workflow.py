"""A diffusion workflow: ordered phases, their entry gates, roles and checklist duties.

The Mayo Clinic Model of Diffusion is the default (see `diffuse.frameworks.mayo`); an organisation
may declare its own (for example the IHI Scale-up phases) in its organisation file.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from diffuse.models.common import Base, Id
from diffuse.vocab import PracticeStatus, SiteStatus


class RoleDef(Base):
    id: Id
    name: str
    summary: str = ""


class DutyDef(Base):
    id: Id
    role: Id
    due: Id = Field(description="the phase that cannot be left until this duty is done")
    text: str


class GateDef(Base):
    """What entering a phase needs, beyond the duties due by the phases before it."""

    roles: list[Id] = Field(default_factory=list)
    approval: bool = False
    sites: SiteStatus | None = Field(
        default=None,
        description="every in-scope site at least this far (live: live or sustained), "
        "unless not-applicable with a reason or excepted by diffusion oversight",
    )
    done: list[Id] = Field(
        default_factory=list, description="duties that must be done: marking them na is not enough"
    )
    practice: PracticeStatus | None = Field(
        default=None,
        description="the status the practice takes when its projects enter this phase "
        "(diffusing: the first one; diffused: all of them)",
    )


class Workflow(Base):
    name: str
    phases: list[Id] = Field(min_length=2)
    transitions: dict[Id, list[Id]] | None = None
    active: list[Id] | None = None
    roles: list[RoleDef]
    duties: list[DutyDef]
    gates: dict[Id, GateDef] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> Workflow:
        phases = set(self.phases)
        roles = {role.id for role in self.roles}
        named = [d.due for d in self.duties] + list(self.gates) + list(self.active or [])
        named += [p for src, dsts in (self.transitions or {}).items() for p in (src, *dsts)]
        unknown = sorted({p for p in named if p not in phases})
        if unknown:
            raise ValueError(f"unknown phase(s) {unknown}; declared phases are {self.phases}")
        needed = {d.role for d in self.duties} | {r for g in self.gates.values() for r in g.roles}
        if needed - roles:
            raise ValueError(f"unknown role(s) {sorted(needed - roles)}; declared: {sorted(roles)}")
        duties = {d.id for d in self.duties}
        named_duties = {d for g in self.gates.values() for d in g.done}
        if named_duties - duties:
            raise ValueError(f"gates name unknown duty(s) {sorted(named_duties - duties)}")
        if any(g.sites is SiteStatus.NOT_APPLICABLE for g in self.gates.values()):
            raise ValueError("a gate's 'sites' is how far every site must be, not not-applicable")
        return self

    def index(self, phase: str) -> int:
        return self.phases.index(phase)

    def successors(self, phase: str) -> list[str]:
        if self.transitions is not None:
            return list(self.transitions.get(phase, []))
        position = self.index(phase)
        return self.phases[position + 1 : position + 2]

    def is_active(self, phase: str) -> bool:
        if self.active is not None:
            return phase in self.active
        return phase != self.phases[-1]

    def practice_phase(self, status: PracticeStatus) -> str | None:
        """The phase whose entry moves a project's practice to `status`, if any."""
        return next((p for p, g in self.gates.items() if g.practice is status), None)

    def role_name(self, role: str) -> str:
        return next((r.name for r in self.roles if r.id == role), role)
