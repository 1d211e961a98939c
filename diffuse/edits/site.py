"""`diffuse site`: one site's row of a project: status, health, ADKAR stage, go-live dates,
local leader, barriers and local adaptations.

Going live records the actual go-live date (the forecast and the scorecard read it). A
local adaptation is requested by the site and approved or refused by diffusion oversight:
a person holding the project's oversight role or a member of the practice's approving
body. One that departs from a fixed principle names it (`--principle`) and is decided by
the practice's owner alone; the close gate waits for that decision. A site
leaves the close gate's count only as not-applicable with a reason, or by an exception a
member of the approving body records (`--except REASON`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from diffuse.edits import record
from diffuse.edits.record import EditOptions, EditResult
from diffuse.errors import DiffuseError
from diffuse.files.yamledit import Scalar, append_item, set_list, set_value, set_values
from diffuse.models.organisation import Body
from diffuse.models.project import Project, SiteState
from diffuse.rules.load import Loaded
from diffuse.vocab import LIVE, Adkar, Health, SiteStatus, pick

OVERSIGHT_ROLE = "sponsor-oversight"


@dataclass(frozen=True)
class SiteRequest:
    project: str
    site: str
    status: str | None = None
    health: str | None = None
    adkar: str | None = None
    note: str | None = None
    leader: str | None = None
    planned: date | None = None
    barriers: tuple[str, ...] = ()
    resolved: tuple[str, ...] = ()
    adaptation: str | None = None
    principle: str | None = None  # the fixed principle the requested adaptation departs from
    approve: str | None = None
    refuse: str | None = None
    reason: str | None = None  # why the site is not-applicable
    exception: str | None = None  # why oversight lets the site off the close gate
    pause: str | None = None  # why work at the site stops; its staleness clock stops too
    until: date | None = None  # the last day of the pause
    resume: bool = False  # end the pause in force on the edit's date


def update_site(root: Path, request: SiteRequest, options: EditOptions) -> EditResult:
    loaded = record.load(root, options)
    project, path = record.project_path(loaded, request.project)
    record.site(loaded, request.site)
    state = project.sites.get(request.site, SiteState())
    fields = _fields(loaded, request, state, options.on)
    barriers = _barriers(state.barriers, request)
    principle = _principle(loaded, project, request)
    decision = _decision(loaded, root, project, state, request, options)
    approver = decision[2] if decision else None
    excuser = _excuser(loaded, root, project, request, options)
    pause = _pause(state, request, options.on)
    wanted = (fields, barriers is not None, request.adaptation, decision, request.note, excuser)
    if not any(wanted) and not pause:
        raise DiffuseError(
            "nothing to change: give --status, --health, --adkar, --note, --leader, "
            "--go-live, --reason, --barrier, --resolve, --adaptation, --approve-adaptation, "
            "--refuse-adaptation, --except, --pause, --until or --resume"
        )
    by = None if approver else _recorder(loaded, root, options)
    where = ("sites", request.site)

    def change(text: str) -> str:
        text = set_values(
            text,
            {(*where, name): v for name, v in [*fields, ("updated", options.on)]}
            | {(*where, "pause", name): v for name, v in pause},
        )
        if barriers is not None:
            text = set_list(text, (*where, "barriers"), list(barriers))
        if request.adaptation:
            item: dict[str, Scalar] = {
                "description": request.adaptation,
                "requested": options.on,
                **({"principle": principle} if principle else {}),
            }
            text = append_item(text, (*where, "adaptations"), item)
        if excuser is not None:
            for name, value in (
                ("reason", request.exception),
                ("approved_by", excuser),
                ("date", options.on),
            ):
                text = set_value(text, (*where, "exception", name), value)
        if decision is not None:
            index, field, person = decision
            text = set_value(text, (*where, "adaptations", index, field), person)
            text = set_value(text, (*where, "adaptations", index, "date"), options.on)
        if request.note is not None:
            text = set_value(text, (*where, "note"), request.note)
            entry: dict[str, Scalar] = {"date": options.on, "site": request.site}
            entry |= {"text": request.note, **({"by": by or approver} if by or approver else {})}
            text = append_item(text, ("updates",), entry)
        return text

    said = _describe(fields, request, state)
    said += "".join(f", pause {name}={value}" for name, value in pause)
    said = said.removeprefix(", ")
    summary = f"{project.id}: site {request.site} updated ({said})"
    message = f"Update {request.site} in {project.id}: {said}"
    return record.apply(root, path, change, summary, options, message=message)


def _fields(
    loaded: Loaded, request: SiteRequest, state: SiteState, on: date
) -> list[tuple[str, Scalar]]:
    fields: list[tuple[str, Scalar]] = []
    choices: tuple[tuple[str, str | None, type[SiteStatus | Health | Adkar]], ...] = (
        ("status", request.status, SiteStatus),
        ("health", request.health, Health),
        ("adkar", request.adkar, Adkar),
    )
    for name, value, vocab in choices:
        if value is not None:
            fields.append((name, pick(vocab, value, f"--{name}").value))
    if request.reason is not None:
        fields.append(("reason", request.reason))
    dropping = request.status == SiteStatus.NOT_APPLICABLE
    if dropping and not (request.reason or state.reason or "").strip():
        raise DiffuseError("--status not-applicable needs --reason TEXT saying why")
    going_live = request.status in LIVE
    if going_live and state.go_live_actual is None:
        fields.append(("go_live_actual", on))
    elif request.status is not None and not going_live and state.go_live_actual is not None:
        # A site moved back from live has not gone live: its go-live date goes with it.
        fields.append(("go_live_actual", None))
    if request.planned is not None:
        fields.append(("go_live_planned", request.planned))
    if request.leader is not None:
        fields.append(("leader", record.person(loaded, "--leader", request.leader)))
    return fields


def _pause(state: SiteState, request: SiteRequest, on: date) -> list[tuple[str, Scalar]]:
    """The fields of the site's pause to write: a new pause from `on` to --until, a new end
    for the pause recorded, or --resume, which ends the pause in force on `on`."""
    current = state.pause
    if request.resume:
        if request.pause is not None or request.until is not None:
            raise DiffuseError("--resume ends the pause; give it without --pause or --until")
        if current is None:
            raise DiffuseError(f"--resume: no pause is recorded for site {request.site}")
        if not current.covers(on):
            raise DiffuseError(
                f"--resume: the pause recorded ({current.since or 'open start'} to "
                f"{current.until}) is not in force on {on}"
            )
        return [("until", on)]
    if request.pause is None and request.until is None:
        return []
    if request.until is None:
        raise DiffuseError("--pause needs --until DATE, the last day of the pause")
    if request.until < on:
        raise DiffuseError(f"--until {request.until} is before the pause starts on {on} (--date)")
    if request.pause is None:
        if current is None:
            raise DiffuseError("--until moves the end of a pause; none is recorded: give --pause")
        return [("until", request.until)]
    if not request.pause.strip():
        raise DiffuseError("--pause needs a reason, e.g. --pause 'ward closed for refurbishment'")
    return [("reason", request.pause), ("since", on), ("until", request.until)]


def _barriers(current: list[str], request: SiteRequest) -> list[str] | None:
    if not request.barriers and not request.resolved:
        return None
    barriers = list(current)
    for text in request.resolved:
        barriers.pop(_find(barriers, text, "barrier", "--resolve"))
    barriers += [b for b in request.barriers if b not in barriers]
    return barriers


def _find(items: list[str], wanted: str, what: str, option: str) -> int:
    """The position of `wanted` among `items`: its exact text or its number from 1."""
    if wanted.isdigit() and 1 <= int(wanted) <= len(items):
        return int(wanted) - 1
    if wanted in items:
        return items.index(wanted)
    listed = "; ".join(f"{n}. {text}" for n, text in enumerate(items, 1)) or "none"
    raise DiffuseError(f"{option}: no {what} '{wanted}' at this site; recorded: {listed}")


def _adaptation_index(state: SiteState, wanted: str, option: str) -> int:
    index = _find([a.description for a in state.adaptations], wanted, "adaptation", option)
    done = state.adaptations[index]
    if done.decided_by:
        verb = "approved" if done.approved_by else "refused"
        raise DiffuseError(
            f"{option}: '{done.description}' was {verb} by {done.decided_by} on {done.date}; "
            "nothing was changed"
        )
    return index


def _principle(loaded: Loaded, project: Project, request: SiteRequest) -> str | None:
    """The fixed principle a requested adaptation departs from, by its text or number."""
    if request.principle is None:
        return None
    if not request.adaptation:
        raise DiffuseError("--principle names what --adaptation departs from; give both")
    practice = loaded.catalog.practices.get(project.practice)
    fixed = practice.key_principles.fixed if practice and practice.key_principles else []
    return fixed[_find(fixed, request.principle, "fixed principle", "--principle")]


def _decision(
    loaded: Loaded,
    root: Path,
    project: Project,
    state: SiteState,
    request: SiteRequest,
    options: EditOptions,
) -> tuple[int, str, str] | None:
    """The adaptation decided, the field that records it, and who decides: the practice
    owner for one that departs from a fixed principle, diffusion oversight otherwise."""
    if request.approve is None and request.refuse is None:
        return None
    if request.approve is not None and request.refuse is not None:
        raise DiffuseError("give --approve-adaptation or --refuse-adaptation, not both")
    option = "--approve-adaptation" if request.approve is not None else "--refuse-adaptation"
    index = _adaptation_index(state, request.approve or request.refuse or "", option)
    field = "approved_by" if request.approve is not None else "refused_by"
    person, body = _oversight(loaded, root, project, options)
    adaptation = state.adaptations[index]
    if adaptation.principle:
        practice = loaded.catalog.practices.get(project.practice)
        owner = practice.owner if practice else None
        if person == owner:
            return index, field, person
        raise DiffuseError(
            f"{option}: '{adaptation.description}' departs from the fixed principle "
            f"'{adaptation.principle}', which only the practice owner "
            f"({owner or 'none named'}) may decide; '{person}' is not"
        )
    if person in project.roles.get(OVERSIGHT_ROLE, []) or (body and person in body.members):
        return index, field, person
    raise DiffuseError(
        f"{option}: '{person}' is not diffusion oversight for '{project.id}': "
        f"local adaptations are {'approved' if request.approve else 'refused'} by the "
        f"'{OVERSIGHT_ROLE}' role or a member of "
        f"{body.name if body else 'the approving body'}"
    )


def _excuser(
    loaded: Loaded, root: Path, project: Project, request: SiteRequest, options: EditOptions
) -> str | None:
    """Who lets the site off the close gate: a member of the practice's approving body."""
    if request.exception is None:
        return None
    person, body = _oversight(loaded, root, project, options)
    if body is None or person not in body.members:
        raise DiffuseError(
            f"--except: '{person}' is not a member of "
            f"{body.name if body else 'the approving body'}, whose members approve an "
            "exception to the close gate"
        )
    return person


def _oversight(
    loaded: Loaded, root: Path, project: Project, options: EditOptions
) -> tuple[str, Body | None]:
    """The person recording, and the practice's approving body, whose members oversee."""
    from diffuse.edits.identity import current_person

    person = current_person(loaded.org, root, options.by)
    practice = loaded.catalog.practices.get(project.practice)
    return person, loaded.org.body(practice.approving_body) if practice else None


def _recorder(loaded: Loaded, root: Path, options: EditOptions) -> str | None:
    from diffuse.edits.identity import maybe_person

    return maybe_person(loaded.org, root, options.by)


def _describe(fields: list[tuple[str, Scalar]], request: SiteRequest, state: SiteState) -> str:
    said = [f"{name}={value}" for name, value in fields]
    said += [f"barrier added: {b}" for b in request.barriers]
    resolved = list(state.barriers)
    said += [
        f"barrier resolved: {resolved.pop(_find(resolved, b, 'barrier', '--resolve'))}"
        for b in request.resolved
    ]
    if request.adaptation:
        said.append(f"adaptation requested: {request.adaptation}")
    if request.principle:
        said.append("it departs from a fixed principle, for the practice owner to decide")
    if request.exception:
        said.append(f"excepted from the close gate: {request.exception}")
    described = [a.description for a in state.adaptations]
    for verb, wanted in (("approved", request.approve), ("refused", request.refuse)):
        if wanted:
            said.append(f"adaptation {verb}: {described[_find(described, wanted, '', '')]}")
    if request.note is not None:
        said.append("note added")
    return ", ".join(said)
