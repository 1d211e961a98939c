"""`diffuse project`, `diffuse metrics add`, `diffuse metrics note` and `diffuse
disseminate`: a project's approval date, target and title; a metric defined on it; a dated
note on a metric; a line of its dissemination plan recorded or marked done."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from diffuse.edits import record
from diffuse.edits.record import EditOptions, EditResult
from diffuse.errors import DiffuseError
from diffuse.escape import clean
from diffuse.files.yamledit import Scalar, append_item, set_value
from diffuse.layout import ID_PATTERN
from diffuse.vocab import Approach, Direction, MetricKind, MetricLevel


def update_project(
    root: Path, project_id: str, fields: Mapping[str, Scalar], options: EditOptions
) -> EditResult:
    loaded = record.load(root, options)
    project, path = record.project_path(loaded, project_id)
    if not fields:
        raise DiffuseError("nothing to change: give --approved, --target-months or --title")

    def change(text: str) -> str:
        for name, value in fields.items():
            text = set_value(text, (name,), value)
        return text

    said = ", ".join(f"{name}={value}" for name, value in fields.items())
    return record.apply(root, path, change, f"{project.id}: {said}", options)


@dataclass(frozen=True)
class MetricRequest:
    project: str
    metric: str
    name: str
    level: str
    kind: str
    direction: str
    unit: str | None = None
    multiplier: float | None = None
    baseline: float | None = None
    target: float | None = None


def add_metric(root: Path, request: MetricRequest, options: EditOptions) -> EditResult:
    loaded = record.load(root, options)
    project, path = record.project_path(loaded, request.project)
    if not ID_PATTERN.fullmatch(request.metric):
        raise DiffuseError(
            f"'{request.metric}' is not a valid id: use lowercase letters, digits and '-'"
        )
    if any(m.id == request.metric for m in project.metrics):
        raise DiffuseError(f"'{project.id}' already has a metric '{request.metric}'")
    item: dict[str, Scalar] = {
        "id": request.metric,
        "name": request.name,
        "level": record.choice("--level", request.level, [v.value for v in MetricLevel]),
        "kind": record.choice("--kind", request.kind, [v.value for v in MetricKind]),
        "direction": record.choice("--direction", request.direction, [v.value for v in Direction]),
    }
    optional = {
        "unit": request.unit,
        "multiplier": request.multiplier,
        "baseline": request.baseline,
        "target": request.target,
    }
    item |= {k: v for k, v in optional.items() if v is not None}

    def change(text: str) -> str:
        return append_item(text, ("metrics",), item)

    summary = f"{project.id}: metric {request.metric} added"
    return record.apply(root, path, change, summary, options)


@dataclass(frozen=True)
class NoteRequest:
    project: str
    metric: str
    text: str
    site: str | None = None


def add_note(root: Path, request: NoteRequest, options: EditOptions) -> EditResult:
    """Append a note dated `options.on` to the metric's `notes:`; its charts show it."""
    loaded = record.load(root, options)
    project, path = record.project_path(loaded, request.project)
    index = next((i for i, m in enumerate(project.metrics) if m.id == request.metric), None)
    if index is None:
        known = ", ".join(m.id for m in project.metrics) or "none"
        raise DiffuseError(f"'{project.id}' has no metric '{request.metric}'; its metrics: {known}")
    if request.site is not None:
        record.site(loaded, request.site)
    text = request.text.strip()
    if not text:
        raise DiffuseError("TEXT: the note is empty; say what happened")
    if "\n" in text or clean(text) != text:
        raise DiffuseError(
            f"TEXT: {clean(text)!r} holds a line break or a control character; a note is "
            "one line of plain text"
        )
    metric = project.metrics[index]
    if any((n.date, n.site, n.text) == (options.on, request.site, text) for n in metric.notes):
        raise DiffuseError(
            f"{project.id}: {metric.id} already has this note on {options.on}; "
            f"{path.name} was not changed"
        )
    from diffuse.edits.identity import maybe_person

    by = maybe_person(loaded.org, root, options.by)
    item: dict[str, Scalar] = {"date": options.on}
    item |= {"site": request.site} if request.site else {}
    item |= {"text": text, **({"by": by} if by else {})}

    def change(text: str) -> str:
        return append_item(text, ("metrics", index, "notes"), item)

    where = f" at {request.site}" if request.site else ""
    summary = f"{project.id}: note on {metric.id}{where} for {options.on}"
    return record.apply(root, path, change, summary, options)


@dataclass(frozen=True)
class DisseminationRequest:
    project: str
    approach: str
    audience: str | None = None
    owner: str | None = None
    start: date | None = None
    end: date | None = None
    done: bool = False


def disseminate(root: Path, request: DisseminationRequest, options: EditOptions) -> EditResult:
    loaded = record.load(root, options)
    project, path = record.project_path(loaded, request.project)
    approach = record.choice("APPROACH", request.approach, [a.value for a in Approach])
    if request.owner is not None:
        record.person(loaded, "--owner", request.owner)
    matches = [
        i
        for i, item in enumerate(project.dissemination)
        if item.approach.value == approach
        and (request.audience is None or item.audience == request.audience)
    ]
    fields: dict[str, Scalar] = {
        "audience": request.audience,
        "owner": request.owner,
        "start": request.start,
        "end": request.end,
        "done": options.on if request.done else None,
    }
    fields = {k: v for k, v in fields.items() if v is not None}
    if len(matches) > 1:
        raise DiffuseError(
            f"'{project.id}' plans {approach} for several audiences; give --audience"
        )
    if not fields:
        raise DiffuseError("nothing to change: give --audience, --owner, --start, --end or --done")

    def change(text: str) -> str:
        if not matches:
            return append_item(text, ("dissemination",), {"approach": approach, **fields})
        for name, value in fields.items():
            text = set_value(text, ("dissemination", matches[0], name), value)
        return text

    verb = "added to" if not matches else "updated in"
    summary = f"{project.id}: {approach} {verb} the dissemination plan"
    return record.apply(root, path, change, summary, options)
