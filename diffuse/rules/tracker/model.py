"""The tracker in memory: the organisation file, every practice and project, and what
was found reading them. How it is read is `reading`; what is refused unread, `refusals`."""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from diffuse.cache.days import Span, validity, widest
from diffuse.cache.perfile import CacheState
from diffuse.cache.spans import date_span
from diffuse.errors import Problem
from diffuse.files.loading import Document
from diffuse.files.phi import NO_STAFF, Staff
from diffuse.models import Organisation, Practice, Project, Workflow
from diffuse.models.organisation import DateWindow


class Projects(MutableMapping[str, Project]):
    """Project models by id. One read back from the file cache is built on first use: a
    command that needs only its problems, like `validate`, never builds it."""

    def __init__(self) -> None:
        self._items: dict[str, Project | Callable[[], Project]] = {}

    def __getitem__(self, key: str) -> Project:
        value = self._items[key]
        if not isinstance(value, Project):
            value = self._items[key] = value()
        return value

    def __setitem__(self, key: str, value: Project) -> None:
        self._items[key] = value

    def later(self, key: str, load: Callable[[], Project]) -> None:
        self._items[key] = load

    def once(self, key: str) -> Project:
        """The model, built when it is not held and then not kept."""
        value = self._items[key]
        return value if isinstance(value, Project) else value()

    def __delitem__(self, key: str) -> None:
        del self._items[key]

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


class Part(NamedTuple):
    """The part of a tracker a check of a change reads: the organisation, every practice,
    and only the project files in `projects`. The rules of a practice that read its
    projects (has it one, does its status follow their phases) run only for the practices
    in `practices`, whose projects must all be among those read (`pr.affected`)."""

    projects: frozenset[Path]
    practices: frozenset[str]

    def complete(self, practice_id: str) -> bool:
        return practice_id in self.practices


@dataclass
class Tracker:
    """Every file of a tracker as read: the models, the documents and the problems found."""

    root: Path
    organisation: Organisation | None = None
    practices: dict[str, Practice] = field(default_factory=dict)
    projects: Projects = field(default_factory=lambda: Projects())
    documents: list[Document] = field(default_factory=list)
    sources: dict[str, Document] = field(default_factory=dict)
    broken: dict[str, Document] = field(default_factory=dict)
    # What parsed of each broken practice and project, so its references are still checked.
    partial: dict[str, Practice | Project] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    memo: dict[str, Any] = field(default_factory=dict, repr=False)
    # Project id -> its practice and phase, known without building the model.
    practice_of: dict[str, str] = field(default_factory=dict)
    phase_of: dict[str, str] = field(default_factory=dict)
    phases_named: dict[str, frozenset[str]] = field(default_factory=dict)  # phase, history
    cache: CacheState | None = field(default=None, repr=False)
    # Project id -> its cross-file problems, found while reading or kept in the file cache.
    checked: dict[str, list[Problem]] = field(default_factory=dict, repr=False)
    # Each file read -> the SHA-256 of the bytes read ("" when refused by its name alone):
    # a report kept whole is kept only when these are the bytes its key was made from.
    read: dict[str, str] = field(default_factory=dict, repr=False)
    # The day dates are checked against (`rules.chrono`): today, or a command's --as-of.
    today: date = field(default_factory=date.today)
    # The organisation's people, whose names and e-mail the patient-data scan lets through.
    staff: Staff = field(default=NO_STAFF, repr=False)
    # Valid project id -> its earliest and latest date, known without building the model.
    spans: dict[str, Span | None] = field(default_factory=dict, repr=False)
    # When only a part of the tracker is read: which part (None: all of it).
    part: Part | None = None

    def projects_complete(self, practice_id: str) -> bool:
        """Whether every project of the practice was read, so rules counting its projects
        may run."""
        return self.part is None or self.part.complete(practice_id)

    @property
    def window(self) -> DateWindow:
        org = self.organisation
        return org.settings.dates if org is not None else DateWindow()

    def validity(self) -> dict[str, Any]:
        """On which days the problems found hold (`cache.days.holds`): every date
        checked against the window, of the projects and practices, in one span."""
        spans = [*self.spans.values(), *(date_span(p) for p in self.practices.values())]
        window = self.window
        return validity(widest(spans), self.today, window.past_years, window.future_years)

    @property
    def workflow(self) -> Workflow:
        if self.organisation is not None and self.organisation.workflow is not None:
            return self.organisation.workflow
        from diffuse.frameworks.mayo import default_workflow

        return default_workflow()

    def document(self, kind: str, item_id: str) -> Document:
        return self.sources[f"{kind}/{item_id}"]

    def all_problems(self) -> list[Problem]:
        found = list(self.problems)
        for doc in self.documents:
            found.extend(doc.problems)
        return sorted(set(found), key=order)


def order(problem: Problem) -> tuple[object, ...]:
    # The dataclass order, with the path compared by its parts: much quicker on thousands.
    loc = problem.location
    return (loc.path.parts, loc.line, loc.col, problem.code, problem.message, problem.level)


Check = Callable[["Tracker", Project], list[Problem]]


def named_phases(project: Project) -> frozenset[str]:
    """Every phase the project names: its own, and those of its history."""
    named = {project.phase} | {t.to for t in project.history}
    return frozenset(named | {t.from_phase for t in project.history})


def problem_at(doc: Document, loc: tuple[str | int, ...], code: str, message: str) -> Problem:
    return Problem(doc.locate(loc), code, message)
