"""Every open risk across the portfolio: by score, and by the model's seven standard risks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from diffuse.models import Project
from diffuse.reports.asof import tracker_on
from diffuse.rules.load import Loaded
from diffuse.rules.tracker.model import Tracker
from diffuse.vocab import RiskCategory, RiskStatus

# The standard risks of the model's Table 2; both information technology categories (4a
# central approval, 4b timely system changes) belong to the fourth.
STANDARD: dict[RiskCategory, tuple[int, str]] = {
    RiskCategory.DOCUMENTATION: (1, "Documentation of the practice"),
    RiskCategory.OWNERSHIP: (2, "Long-term ownership"),
    RiskCategory.MEASUREMENT: (3, "Measurement and reporting"),
    RiskCategory.IT_APPROVAL: (4, "Information technology"),
    RiskCategory.IT_CHANGES: (4, "Information technology"),
    RiskCategory.PHYSICIAN_TIME: (5, "Physician time"),
    RiskCategory.COMPETING_PRIORITIES: (6, "Competing priorities"),
    RiskCategory.CULTURE: (7, "Cultural acceptance"),
    RiskCategory.OTHER: (8, "Other"),
}


@dataclass(frozen=True)
class RiskLine:
    project: str
    number: int  # 1-based position in the project's risk register
    category: str
    description: str
    likelihood: int | None  # None while the risk is unassessed
    impact: int | None
    score: int  # 0 while unassessed
    owner: str | None
    mitigation: str | None
    status: str

    @property
    def rating(self) -> str:
        if self.likelihood is None or self.impact is None:
            return "unscored"
        return f"{self.likelihood}×{self.impact}"

    @property
    def group(self) -> tuple[int, str]:
        return STANDARD[RiskCategory(self.category)]


def project_risks(project: Project) -> list[RiskLine]:
    return [
        RiskLine(
            project.id,
            number,
            risk.category.value,
            risk.description,
            risk.likelihood,
            risk.impact,
            risk.score,
            risk.owner,
            risk.mitigation,
            risk.status.value,
        )
        for number, risk in enumerate(project.risks, 1)
    ]


def open_risks(loaded: Loaded, as_of: date | None = None) -> list[RiskLine]:
    """Open risks of active projects, highest score first (then project, then number); with
    `as_of`, of the tracker as it stood that day (`reports.asof`)."""
    catalog = (tracker_on(loaded, as_of) if as_of is not None else loaded).catalog
    lines = [line for project in catalog.projects.values() for line in open_lines(catalog, project)]
    return by_score(lines)


def open_lines(catalog: Tracker, project: Project) -> list[RiskLine]:
    """The project's open risks, if it is active: its part of `open_risks`."""
    if not catalog.workflow.is_active(project.phase):
        return []
    return [line for line in project_risks(project) if line.status == RiskStatus.OPEN.value]


def by_score(lines: list[RiskLine]) -> list[RiskLine]:
    """Highest score first, then project, then number."""
    return sorted(lines, key=lambda r: (-r.score, r.project, r.number))


def by_category(lines: list[RiskLine]) -> list[tuple[int, str, list[RiskLine]]]:
    """The lines grouped by standard risk, in the model's order, empty groups included."""
    groups: dict[tuple[int, str], list[RiskLine]] = {key: [] for key in STANDARD.values()}
    for line in lines:
        groups[line.group].append(line)
    return [(n, name, found) for (n, name), found in groups.items()]


def heat_map(lines: list[RiskLine]) -> list[list[list[RiskLine]]]:
    """Scored risks by likelihood (rows, 5 down to 1) and impact (columns, 1 to 5)."""
    cells: list[list[list[RiskLine]]] = [[[] for _ in range(5)] for _ in range(5)]
    for line in lines:
        if line.likelihood is not None and line.impact is not None:
            cells[5 - line.likelihood][line.impact - 1].append(line)
    return cells
