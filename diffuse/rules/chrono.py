"""Time is one order: the dates of a record must not contradict each other.

`validate` reports these problems and every edit refuses to add one
(`edits.editing`). Each problem names both dates and where each is written.

What must come after what (rule `date-order`):

- a project's transitions follow each other, and none comes before its approval;
- its approvals, site exceptions and approved adaptations come on or after its approval;
  an adaptation is approved on or after it was requested; a gate's approval is dated on or
  before the move through that gate (when every approval of the gate is later, the move
  was made without one);
- a site goes live on or after the project's approval, and on or after the practice's
  first approval, unless it is one of the practice's origin sites, where the practice was
  worked out before the diffusion;
- a measure of the implementation or ongoing period comes on or after the approval, unless
  taken at an origin site (baseline values come before the approval by nature);
- checklist duties and updates come no more than `settings.dates.lead_days` before the
  approval (readiness work is done before it, years of it is not);
- a dissemination line ends, and is done, on or after it starts;
- a project enters the phase that makes its practice diffusing on or after the practice's
  first approval (a project may be commissioned to write the standard first, as the CVC
  one was, but not spread it before it is approved);
- a practice is reviewed on or after its first approval (`established` is not used: it is
  the day the practice became diffused, which may follow a review of the approved
  practice, and reviews count from the later of the two).

A site that is not live or sustained keeps no `go_live_actual` (rule `go-live-status`): a
site moved back from live must drop the date with it.

Every date lies within `settings.dates.past_years` before and `future_years` after the
reference day (rule `date-range`): today, or the day a command is given with `--as-of` or
`--date`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Literal, NamedTuple, TypeVar

from pydantic import BaseModel

from diffuse.cache.days import Span, years_from
from diffuse.cache.spans import date_span, dated_fields
from diffuse.errors import Problem
from diffuse.files.loading import Document, document_from_text, read_document, validate
from diffuse.frameworks.mayo import default_workflow
from diffuse.layout import ORGANISATION_FILE, PRACTICES_DIR, PROJECTS_DIR
from diffuse.limits import CEILINGS
from diffuse.models import Decision, Organisation, Practice, PracticeStatus, Project, Workflow
from diffuse.models.organisation import DateWindow
from diffuse.vocab import LIVE

M = TypeVar("M", bound=BaseModel)

Loc = tuple[str | int, ...]
_PERIODS_AFTER = frozenset({"implementation", "ongoing"})


class Clash(NamedTuple):
    """One date out of order: where it is, the rule, what is wrong, and the other date's
    place (`other`: in the same file, or `in_practice`)."""

    loc: Loc
    rule: str
    message: str
    fix: str
    other: Loc | None = None
    in_practice: bool = False

    @property
    def key(self) -> tuple[str, str]:
        """What the clash is, wherever the lines around it move: an edit is refused for a
        clash it adds, not one the file already had."""
        return self.rule, self.message


class Reference(NamedTuple):
    """What dates are checked against: the window and the day it is centred on."""

    window: DateWindow
    today: date

    @property
    def earliest(self) -> date:
        return years_from(self.today, -self.window.past_years)

    @property
    def latest(self) -> date:
        return years_from(self.today, self.window.future_years)


def project_clashes(
    project: Project,
    practice: Practice | None,
    workflow: Workflow,
    ref: Reference,
    span: Span | Literal[False] | None = False,
) -> list[Clash]:
    """Every date of the project that contradicts another, or lies outside the window.
    `span`, the project's earliest and latest date (`date_span`) when the caller has it
    already, saves walking the model for them again."""
    origins = frozenset(practice.origin_sites) if practice is not None else frozenset()
    found = list(_window(project, ref, span))
    found += _history(project)
    found += _sites(project, practice, origins)
    found += _records(project, ref.window, origins)
    found += _gate_approvals(project, workflow)
    if practice is not None:
        found += _diffusing(project, practice, workflow)
    return found


def practice_clashes(practice: Practice, ref: Reference) -> list[Clash]:
    found = list(_window(practice, ref))
    last, first = practice.review.last, _first_approval(practice)
    if last is not None and first is not None and last < first[1]:
        found.append(
            Clash(
                ("review", "last"),
                "date-order",
                f"review.last {last} is before the practice was approved on {first[1]}",
                "a practice is reviewed once it is approved; correct either date",
                ("approvals", first[0], "date"),
            )
        )
    return found


def problems(
    clashes: list[Clash], doc: Document, practice_doc: Document | None = None
) -> list[Problem]:
    """The clashes as problems, each naming the other date's place."""
    found = []
    for clash in clashes:
        message = clash.message
        if clash.other is not None:
            where = practice_doc if clash.in_practice else doc
            if where is not None:
                message += f" ({_place(where, clash.other)})"
        found.append(Problem(doc.locate(clash.loc), clash.rule, message, fix=clash.fix))
    return found


def _place(doc: Document, loc: Loc) -> str:
    # Named from the tracker's folder, as `folder/file:line:col`, whatever the current
    # folder: the message is kept in the file cache and read from anywhere.
    at = doc.locate(loc)
    name = Path(doc.path.parent.name) / doc.path.name
    return f"{name}:{at.line}:{at.col}" if at.line > 0 else str(name)


def _before(loc: Loc, day: date, than: str, other: date, other_loc: Loc) -> Clash:
    return Clash(
        loc,
        "date-order",
        f"{_dotted(loc)} {day} is before {than} {other}",
        "correct whichever date is wrong; the record must read in the order things happened",
        other_loc,
    )


def _dotted(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text


def _window(
    item: BaseModel, ref: Reference, span: Span | Literal[False] | None = False
) -> Iterator[Clash]:
    earliest, latest = ref.earliest, ref.latest
    if span is False:
        span = date_span(item)
    if span is None or (earliest <= span[0] and span[1] <= latest):
        return  # the usual case, known without working out where each date is
    for loc, day in _dates(item, ()):
        if day < earliest or day > latest:
            side = "before" if day < earliest else "after"
            years = ref.window.past_years if side == "before" else ref.window.future_years
            yield Clash(
                loc,
                "date-range",
                f"{_dotted(loc)} {day} is more than {years} years {side} {ref.today}",
                f"check the year; an organisation whose records reach further sets "
                f"settings.dates.{'past' if side == 'before' else 'future'}_years",
            )


def _dates(value: object, loc: Loc) -> Iterator[tuple[Loc, date]]:
    if isinstance(value, date):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name, key in dated_fields(type(value)):
            yield from _dates(getattr(value, name), (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _dates(item, (*loc, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _dates(item, (*loc, key))


def _history(project: Project) -> Iterator[Clash]:
    approved = project.approved
    for index, step in enumerate(project.history):
        loc: Loc = ("history", index, "date")
        if approved is not None and step.date < approved:
            yield _before(loc, step.date, "the project's approval", approved, ("approved",))
        elif index and step.date < project.history[index - 1].date:
            earlier = project.history[index - 1]
            yield _before(
                loc,
                step.date,
                f"the move before it ({earlier.from_phase} -> {earlier.to})",
                earlier.date,
                ("history", index - 1, "date"),
            )


def _sites(project: Project, practice: Practice | None, origins: frozenset[str]) -> Iterator[Clash]:
    approved = project.approved
    first = _first_approval(practice)
    for site, state in project.sites.items():
        went = state.go_live_actual
        at: Loc = ("sites", site, "go_live_actual")
        if went is not None and state.status not in LIVE:
            yield Clash(
                at,
                "go-live-status",
                f"sites.{site} is {state.status} but keeps go_live_actual {went}",
                "a site that is not live has not gone live: remove go_live_actual, or set "
                "the status back to live",
            )
        if went is not None and site not in origins:
            if approved is not None and went < approved:
                yield _before(at, went, "the project's approval", approved, ("approved",))
            elif first is not None and went < first[1]:
                yield Clash(
                    at,
                    "date-order",
                    f"{_dotted(at)} {went} is before the practice was approved on {first[1]}",
                    "only the practice's origin sites use it before it is approved",
                    ("approvals", first[0], "date"),
                    in_practice=True,
                )
        exception = state.exception
        if exception is not None and approved is not None and exception.date < approved:
            loc: Loc = ("sites", site, "exception", "date")
            yield _before(loc, exception.date, "the project's approval", approved, ("approved",))
        for index, change in enumerate(state.adaptations):
            loc = ("sites", site, "adaptations", index, "date")
            if change.date is None:
                continue
            if change.requested is not None and change.date < change.requested:
                yield _before(
                    loc, change.date, "its request", change.requested, (*loc[:-1], "requested")
                )
            elif approved is not None and change.date < approved:
                yield _before(loc, change.date, "the project's approval", approved, ("approved",))


def _records(project: Project, window: DateWindow, origins: frozenset[str]) -> Iterator[Clash]:
    approved = project.approved
    if approved is not None:
        lead = approved - timedelta(days=window.lead_days)
        than = f"the project's approval on {approved} by more than {window.lead_days} days:"
        for duty, record in project.checklist.items():
            if record.date is not None and record.date < lead:
                loc: Loc = ("checklist", duty, "date")
                yield _early(loc, record.date, than)
        for index, update in enumerate(project.updates):
            if update.date < lead:
                yield _early(("updates", index, "date"), update.date, than)
        for index, approval in enumerate(project.approvals):
            if approval.date < approved:
                loc = ("approvals", index, "date")
                yield _before(loc, approval.date, "the project's approval", approved, ("approved",))
        yield from _measures(project, approved, origins)
    for index, line in enumerate(project.dissemination):
        if line.start is None:
            continue
        for name in ("end", "done"):
            day = getattr(line, name)
            if day is not None and day < line.start:
                loc = ("dissemination", index, name)
                yield _before(loc, day, "its start", line.start, ("dissemination", index, "start"))


def _early(loc: Loc, day: date, than: str) -> Clash:
    return Clash(
        loc,
        "date-order",
        f"{_dotted(loc)} {day} is before {than} the project did not exist yet",
        "correct the date, or the project's approval; an organisation that prepares "
        "longer sets settings.dates.lead_days",
        ("approved",),
    )


def _measures(project: Project, approved: date, origins: frozenset[str]) -> Iterator[Clash]:
    for m_index, metric in enumerate(project.metrics):
        for index, value in enumerate(metric.values):
            period = value.period.value if value.period is not None else None
            at_origin = value.site is not None and value.site in origins
            if period in _PERIODS_AFTER and value.date < approved and not at_origin:
                loc: Loc = ("metrics", m_index, "values", index, "date")
                yield Clash(
                    loc,
                    "date-order",
                    f"{_dotted(loc)} {value.date} is an {period} value before the project's "
                    f"approval {approved}",
                    "values before the approval are the baseline: mark the period baseline, "
                    "or correct the date",
                    ("approved",),
                )


def _gate_approvals(project: Project, workflow: Workflow) -> Iterator[Clash]:
    for index, step in enumerate(project.history):
        gate = workflow.gates.get(step.to)
        if gate is None or not gate.approval:
            continue
        given = [
            (i, a)
            for i, a in enumerate(project.approvals)
            if a.gate == step.to and a.decision is Decision.APPROVED
        ]
        if given and all(a.date > step.date for _i, a in given):
            first, approval = min(given, key=lambda pair: pair[1].date)
            loc: Loc = ("history", index, "date")
            yield Clash(
                loc,
                "date-order",
                f"{_dotted(loc)} {step.date}: the project entered '{step.to}' before its "
                f"approval to enter it, dated {approval.date}",
                "a gate is passed on or after the day it is approved; correct either date",
                ("approvals", first, "date"),
            )


def _first_approval(practice: Practice | None) -> tuple[int, date] | None:
    """The index and date of the practice's earliest approval, if it has one."""
    given = [
        (index, approval.date)
        for index, approval in enumerate(practice.approvals if practice is not None else [])
        if approval.decision is Decision.APPROVED
    ]
    return min(given, key=lambda pair: pair[1]) if given else None


def _diffusing(project: Project, practice: Practice, workflow: Workflow) -> Iterator[Clash]:
    first = _first_approval(practice)
    phase = workflow.practice_phase(PracticeStatus.DIFFUSING)
    if first is None or phase is None:
        return
    for index, step in enumerate(project.history):
        if step.to == phase and step.date < first[1]:
            loc: Loc = ("history", index, "date")
            yield Clash(
                loc,
                "date-order",
                f"{_dotted(loc)} {step.date}: the project entered '{phase}' before its "
                f"practice was approved on {first[1]}",
                "a practice is spread once it is approved; correct either date",
                ("approvals", first[0], "date"),
                in_practice=True,
            )


def added_by_edit(path: Path, before: str, after: str, today: date) -> list[Problem]:
    """The date problems the text `after` has that `before` had not, for a practice or
    project file at `path` of a tracker: what an edit is refused for. The organisation's
    window and workflow and a project's practice are read from the tracker's files; a
    file that cannot be read leaves the defaults (`validate` reports it)."""
    kind = path.parent.name
    if kind not in (PRACTICES_DIR, PROJECTS_DIR):
        return []
    root = path.parent.parent
    org = _read(root / ORGANISATION_FILE, Organisation)
    window = org.settings.dates if org is not None else DateWindow()
    workflow = org.workflow if org is not None and org.workflow else default_workflow()
    ref = Reference(window, today)
    old_doc = document_from_text(path, before.removeprefix("\ufeff"), CEILINGS)
    new_doc = document_from_text(path, after.removeprefix("\ufeff"), CEILINGS)
    if kind == PRACTICES_DIR:
        old_practice, new_practice = validate(old_doc, Practice), validate(new_doc, Practice)
        if new_practice is None:
            return []
        old = practice_clashes(old_practice, ref) if old_practice is not None else []
        new = practice_clashes(new_practice, ref)
        return _added(old, new, new_doc, None)
    old_project, new_project = validate(old_doc, Project), validate(new_doc, Project)
    if new_project is None:
        return []
    practice_path = root / PRACTICES_DIR / f"{new_project.practice}.yaml"
    practice = _read(practice_path, Practice) if practice_path.is_file() else None
    practice_doc = read_document(practice_path) if practice is not None else None
    old = project_clashes(old_project, practice, workflow, ref) if old_project is not None else []
    new = project_clashes(new_project, practice, workflow, ref)
    return _added(old, new, new_doc, practice_doc)


def _added(
    old: list[Clash], new: list[Clash], doc: Document, practice_doc: Document | None
) -> list[Problem]:
    had = {clash.key for clash in old}
    return problems([c for c in new if c.key not in had], doc, practice_doc)


def _read(path: Path, model: type[M]) -> M | None:
    try:
        return validate(read_document(path), model)
    except OSError:
        return None
