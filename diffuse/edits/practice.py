"""`diffuse practice`: fill in a practice's readiness, move its status one step, record a
periodic review; each change touches only its own lines.

A status move follows the practice lifecycle (one step forward; back only after a new
approval that gives a reason); becoming approved needs every readiness criterion met, and
becoming diffused records the day it was established, which starts its review cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from diffuse.edits import record
from diffuse.edits.record import EditOptions, EditResult
from diffuse.errors import DiffuseError
from diffuse.files.yamledit import Scalar, append_item, set_list, set_value
from diffuse.models.practice import Practice
from diffuse.models.project import Project
from diffuse.rules.following import FOLLOWING, allowed_statuses, follows
from diffuse.rules.lifecycle import TEMPLATE_PRINCIPLE, practice_move, readiness_gaps, skipped
from diffuse.rules.load import Loaded
from diffuse.vocab import (
    DecisionType,
    Discovery,
    ElementStatus,
    PracticeStatus,
    SupportKind,
    pick,
)

LEADERS = ("champion", "administrative", "physician")


@dataclass(frozen=True)
class PracticeRequest:
    practice: str
    status: str | None = None
    # summary, goal, owner, approving_body, title, discovery, decision
    fields: dict[str, str] = field(default_factory=dict)
    leaders: dict[str, str] = field(default_factory=dict)
    evidence: tuple[str, ...] = ()  # SITE=SUMMARY
    vetted_by: tuple[str, ...] = ()
    principles: tuple[str, ...] = ()
    adaptable: tuple[str, ...] = ()
    support: tuple[str, ...] = ()  # KIND=TITLE
    reviewed: bool = False
    outcome: str | None = None
    cadence: int | None = None
    origins: tuple[str, ...] = ()  # sites where the practice was first used
    remove_origins: tuple[str, ...] = ()
    element: str | None = None  # a support element, by its number from 1 or its title
    element_status: str | None = None
    element_link: str | None = None


def update_practice(root: Path, request: PracticeRequest, options: EditOptions) -> EditResult:
    loaded = record.load(root, options)
    practice = _practice(loaded, request.practice)
    path = loaded.catalog.document("practice", practice.id).path
    edits = _edits(loaded, practice, request, options)
    if request.status is not None:
        edits += _status_edits(loaded, practice, request.status, options)
    if not edits:
        raise DiffuseError("nothing to change; see 'diffuse practice --help' for the options")

    def change(text: str) -> str:
        for edit in edits:
            text = edit(text)
        return text

    said = _describe(request)
    return record.apply(
        root, path, change, f"{practice.id}: {said}", options, Practice, f"{practice.id}: {said}"
    )


def _practice(loaded: Loaded, practice_id: str) -> Practice:
    practice = loaded.catalog.practices.get(practice_id)
    if practice is None:
        broken = tuple(p for p in loaded.problems if p.location.path.stem == practice_id)
        if broken:
            raise DiffuseError(f"practice '{practice_id}' has problems; fix them first", broken)
        known = ", ".join(sorted(loaded.catalog.practices)) or "none"
        raise DiffuseError(f"no practice '{practice_id}'; known: {known}")
    return practice


Edit = Callable[[str], str]


def _edits(
    loaded: Loaded, practice: Practice, request: PracticeRequest, options: EditOptions
) -> list[Edit]:
    edits: list[Edit] = []
    for name, value in request.fields.items():
        if name == "owner":
            record.person(loaded, "--owner", value)
        if name == "approving_body" and loaded.org.body(value) is None:
            raise DiffuseError(f"--body: no approving body '{value}' in organisation.yaml")
        if name == "discovery":
            value = pick(Discovery, value, "--discovery").value
        if name == "decision":
            value = pick(DecisionType, value, "--decision").value
        if not value.strip():
            raise DiffuseError(f"--{name.replace('_', '-')}: give a value, not an empty text")
        edits.append(_setter((name,), value))
    for role, person in request.leaders.items():
        edits.append(_setter(("leaders", role), record.person(loaded, f"--{role}", person)))
    for pair in request.evidence:
        site_id, summary = _pair(pair, "--evidence", "SITE=SUMMARY")
        item: dict[str, Scalar] = {"site": record.site(loaded, site_id), "summary": summary}
        item["date"] = options.on
        edits.append(_appender(("evidence",), item))
    if request.vetted_by:
        vetted = list(practice.vetted_by)
        vetted += [record.site(loaded, s) for s in request.vetted_by if s not in vetted]
        edits.append(_lister(("vetted_by",), vetted))
    edits += _principles(practice, request)
    edits += _origins(loaded, practice, request)
    edits += _element(practice, request)
    for pair in request.support:
        kind, title = _pair(pair, "--support", "KIND=TITLE")
        record.choice("--support", kind, [k.value for k in SupportKind])
        edits.append(_appender(("support_elements",), {"kind": kind, "title": title}))
    if request.reviewed:
        edits.append(_setter(("review", "last"), options.on))
        if request.outcome:
            edits.append(_setter(("review", "outcome"), request.outcome))
    elif request.outcome:
        raise DiffuseError("--outcome goes with --reviewed")
    if request.cadence is not None:
        edits.append(_setter(("review", "cadence_months"), request.cadence))
    return edits


def _principles(practice: Practice, request: PracticeRequest) -> list[Edit]:
    edits: list[Edit] = []
    principles = practice.key_principles
    if request.principles:
        fixed = [p for p in (principles.fixed if principles else []) if p != TEMPLATE_PRINCIPLE]
        edits.append(_lister(("key_principles", "fixed"), fixed + list(request.principles)))
    if request.adaptable:
        adaptable = list(principles.adaptable if principles else [])
        edits.append(_lister(("key_principles", "adaptable"), adaptable + list(request.adaptable)))
    return edits


def _origins(loaded: Loaded, practice: Practice, request: PracticeRequest) -> list[Edit]:
    """The origin sites, with --origin-site added and --remove-origin-site taken off."""
    if not request.origins and not request.remove_origins:
        return []
    origins = list(practice.origin_sites)
    for site_id in request.remove_origins:
        if site_id not in origins:
            listed = ", ".join(origins) or "none"
            raise DiffuseError(
                f"--remove-origin-site: '{site_id}' is not an origin site of "
                f"'{practice.id}'; recorded: {listed}"
            )
        origins.remove(site_id)
    origins += [record.site(loaded, s) for s in request.origins if s not in origins]
    return [_lister(("origin_sites",), origins)]


def _element(practice: Practice, request: PracticeRequest) -> list[Edit]:
    """The status and link of the support element --element names."""
    changes = {"status": request.element_status, "link": request.element_link}
    if request.element is None:
        if any(v is not None for v in changes.values()):
            raise DiffuseError("--element-status and --element-link need --element N|TITLE")
        return []
    if all(v is None for v in changes.values()):
        raise DiffuseError("--element needs --element-status or --element-link")
    titles = [e.title for e in practice.support_elements]
    wanted = request.element
    if wanted.isdigit() and 1 <= int(wanted) <= len(titles):
        index = int(wanted) - 1
    elif wanted in titles:
        index = titles.index(wanted)
    else:
        listed = "; ".join(f"{n}. {t}" for n, t in enumerate(titles, 1)) or "none"
        raise DiffuseError(
            f"--element: no support element '{wanted}' in '{practice.id}'; recorded: {listed}"
        )
    if request.element_status is not None:
        changes["status"] = pick(ElementStatus, request.element_status, "--element-status").value
    if request.element_link is not None and not request.element_link.strip():
        raise DiffuseError("--element-link: give where the element can be found, e.g. a URL")
    return [
        _setter(("support_elements", index, name), value)
        for name, value in changes.items()
        if value is not None
    ]


def _must_follow_projects(loaded: Loaded, practice: Practice, new: PracticeStatus) -> list[Project]:
    projects = [p for p in loaded.catalog.projects.values() if p.practice == practice.id]
    allowed = allowed_statuses(loaded.catalog.workflow, projects)
    if new in FOLLOWING and new not in allowed:
        names = " or ".join(sorted(s.value for s in allowed))
        raise DiffuseError(
            f"'{practice.id}' cannot be {new.value}: its projects make it {names} (a practice "
            "is diffusing while a project is in execute and diffused once its projects have "
            "closed; 'diffuse advance' moves it)"
        )
    return projects


def _status_edits(
    loaded: Loaded, practice: Practice, wanted: str, options: EditOptions
) -> list[Edit]:
    new = pick(PracticeStatus, wanted, "--status")
    move = practice_move(practice.status, new)
    if move.kind == "same":
        raise DiffuseError(f"'{practice.id}' is already {new.value}; nothing was changed")
    if move.kind == "skip":
        raise DiffuseError(
            f"'{practice.id}' cannot go from {practice.status.value} to {new.value} in one "
            f"step; it must pass through {', '.join(skipped(move))} first"
        )
    projects = _must_follow_projects(loaded, practice, new)
    following = follows(loaded.catalog.workflow, (practice.status, new), projects)
    reasoned = practice.approvals and practice.approvals[-1].reason
    if move.kind == "back" and not following and not reasoned:
        raise DiffuseError(
            f"moving '{practice.id}' back from {practice.status.value} to {new.value} is a "
            f"decision of its approving body: a member first runs 'diffuse approve "
            f"{practice.id} --reason TEXT'"
        )
    edits = [_setter(("status",), new.value)]
    if new is PracticeStatus.APPROVED and move.kind == "forward":
        edits.append(_ready)
    if new is PracticeStatus.DIFFUSED and practice.established is None:
        edits.append(_setter(("established",), options.on))
    return edits


def _ready(text: str) -> str:
    """Refuses unless the practice, with this command's other changes, meets readiness."""
    from diffuse.files.loading import document_from_text, validate
    from diffuse.limits import CEILINGS

    practice = validate(document_from_text(Path("practice.yaml"), text, CEILINGS), Practice)
    if practice is not None:
        gaps = readiness_gaps(practice, set(Practice.model_fields))
        if gaps:
            listed = "; ".join(f"{g.message} ({g.fix})" for g in gaps)
            raise DiffuseError(f"'{practice.id}' is not ready to be approved: {listed}")
    return text


def _pair(value: str, option: str, shape: str) -> tuple[str, str]:
    left, sep, right = value.partition("=")
    if not sep or not left.strip() or not right.strip():
        raise DiffuseError(f"{option}: expected {shape}, got '{value}'")
    return left.strip(), right.strip()


def _setter(path: tuple[str | int, ...], value: Scalar) -> Edit:
    return lambda text: set_value(text, path, value)


def _appender(path: tuple[str, ...], item: dict[str, Scalar]) -> Edit:
    return lambda text: append_item(text, path, item)


def _lister(path: tuple[str, ...], values: list[str]) -> Edit:
    return lambda text: set_list(text, path, list(values))


def _describe(request: PracticeRequest) -> str:
    said = [f"{k}={v}" for k, v in {**request.fields, **request.leaders}.items()]
    said += [f"status={request.status}"] if request.status else []
    said += [f"evidence {e}" for e in request.evidence]
    said += [f"vetted by {', '.join(request.vetted_by)}"] if request.vetted_by else []
    said += [f"{len(request.principles)} fixed principle(s)"] if request.principles else []
    said += [f"{len(request.adaptable)} adaptable principle(s)"] if request.adaptable else []
    said += [f"support {s}" for s in request.support]
    said += [f"origin site {s} added" for s in request.origins]
    said += [f"origin site {s} removed" for s in request.remove_origins]
    element = {"status": request.element_status, "link": request.element_link}
    said += [f"element {request.element} {k}={v}" for k, v in element.items() if v is not None]
    said += ["review recorded"] if request.reviewed else []
    said += [f"review every {request.cadence} months"] if request.cadence else []
    return ", ".join(said)
