"""`diffuse duty`, `diffuse role` and `diffuse risk`: a project's checklist, the people in
its roles and its risks, each changed without touching any other line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from diffuse.edits import record
from diffuse.edits.record import EditOptions, EditResult
from diffuse.errors import DiffuseError
from diffuse.files.yamledit import Scalar, append_item, set_list, set_value
from diffuse.models.project import Project, project_workflow
from diffuse.rules.load import Loaded
from diffuse.vocab import DutyStatus, RiskCategory, RiskStatus, pick


@dataclass(frozen=True)
class DutyRequest:
    project: str
    duties: tuple[str, ...]
    status: DutyStatus
    evidence: str | None = None
    reason: str | None = None
    holder: str | None = None  # done by this holder of the role, recorded on their behalf


def record_duty(root: Path, request: DutyRequest, options: EditOptions) -> EditResult:
    loaded = record.load(root, options)
    project, path = record.project_path(loaded, request.project)
    known = [d.id for d in project_workflow(loaded.catalog.workflow, project).duties]
    unknown = [d for d in request.duties if d not in known]
    if unknown:
        raise DiffuseError(
            f"no duty {', '.join(repr(d) for d in unknown)} in the workflow; known: "
            + ", ".join(known)
        )
    if request.status is DutyStatus.NOT_APPLICABLE and not (request.reason or "").strip():
        raise DiffuseError("--na needs --reason TEXT saying why the duty does not apply")
    if request.holder is not None and request.status is DutyStatus.OPEN:
        raise DiffuseError("--for names the holder who decided it: it goes with --done or --na")
    fields: list[tuple[str, Scalar]] = [("status", request.status.value)]
    duties = list(dict.fromkeys(request.duties))
    recorder = holder = None
    if request.status is not DutyStatus.OPEN:
        # Done, or judged not to apply: either is the call of a holder of the duty's role.
        recorder, holder = _doer(loaded, root, project, duties, request.holder, options)
    if request.status is DutyStatus.DONE:
        fields += [("date", options.on), ("by", holder)]
        fields += [("evidence", request.evidence)] if request.evidence else []
    elif request.status is DutyStatus.NOT_APPLICABLE:
        fields += [("reason", request.reason), ("by", holder)]

    def change(text: str) -> str:
        for duty in duties:
            for name, value in fields:
                text = set_value(text, ("checklist", duty, name), value)
            old = project.checklist.get(duty)
            if recorder is not None and (recorder != holder or (old and old.recorded_by)):
                # Who typed it is kept beside who did it; a stale one is overwritten.
                text = set_value(text, ("checklist", duty, "recorded_by"), recorder)
        return text

    summary = f"{project.id}: duty {', '.join(duties)} {request.status.value}"
    if request.status is DutyStatus.DONE:
        summary += f" on {options.on}"
    if holder is not None:
        summary += f" by {holder}" + (f" (recorded by {recorder})" if recorder != holder else "")
    return record.apply(root, path, change, summary, options)


def _doer(
    loaded: Loaded,
    root: Path,
    project: Project,
    duties: list[str],
    holder: str | None,
    options: EditOptions,
) -> tuple[str, str]:
    """Who records the duties and who did them: a holder of each duty's role, the
    recorder themself unless `holder` (--for) names another."""
    from diffuse.edits.identity import current_person

    recorder = current_person(loaded.org, root, options.by)
    doer = record.person(loaded, "--for", holder) if holder is not None else recorder
    workflow = project_workflow(loaded.catalog.workflow, project)
    roles = {d.id: d.role for d in workflow.duties}
    for duty in duties:
        held = project.roles.get(roles[duty], [])
        if doer not in held:
            hint = (
                f"; the holder marks it done, or give --for {held[0]} to record it for them"
                if held and holder is None
                else f"; assign the role first: diffuse role {project.id} {roles[duty]} PERSON"
                if not held
                else ""
            )
            raise DiffuseError(
                f"{duty} is a duty of '{workflow.role_name(roles[duty])}', which '{doer}' "
                f"does not hold (held by {', '.join(held) or 'nobody'}){hint}; nothing was "
                "changed"
            )
    return recorder, doer


def assign_role(
    root: Path, project_id: str, role: str, people: list[str], remove: bool, options: EditOptions
) -> EditResult:
    loaded = record.load(root, options)
    project, path = record.project_path(loaded, project_id)
    roles = [r.id for r in loaded.catalog.workflow.roles]
    record.choice("ROLE", role, roles)
    current = list(project.roles.get(role, []))
    for person in people:
        record.person(loaded, "PERSON", person)
    if remove:
        missing = [p for p in people if p not in current]
        if missing:
            held = ", ".join(current) or "nobody"
            raise DiffuseError(f"{', '.join(missing)} not in role '{role}' (held by {held})")
        holders = [p for p in current if p not in people]
        if not holders:
            _keep_required(loaded, project, role)
    else:
        holders = current + [p for p in people if p not in current]

    def change(text: str) -> str:
        return set_list(text, ("roles", role), list(holders))

    verb = "removed from" if remove else "assigned to"
    summary = f"{project.id}: {', '.join(people)} {verb} {role}"
    return record.apply(root, path, change, summary, options)


def _keep_required(loaded: Loaded, project: Project, role: str) -> None:
    """A role a passed gate required is never left empty: someone answers for it."""
    workflow = loaded.catalog.workflow
    if project.phase not in workflow.phases:
        return
    for phase in workflow.phases[1 : workflow.index(project.phase) + 1]:
        gate = workflow.gates.get(phase)
        if gate is not None and role in gate.roles:
            raise DiffuseError(
                f"the project passed '{phase}', which needs someone in the role "
                f"'{workflow.role_name(role)}'; assign the successor first, then remove; "
                "nothing was changed"
            )


@dataclass(frozen=True)
class RiskRequest:
    project: str
    risk: str
    likelihood: int | None = None
    impact: int | None = None
    owner: str | None = None
    mitigation: str | None = None
    status: str | None = None
    description: str | None = None


def update_risk(root: Path, request: RiskRequest, options: EditOptions) -> EditResult:
    loaded = record.load(root, options)
    project, path = record.project_path(loaded, request.project)
    fields: list[tuple[str, Scalar]] = []
    for name, value in (("likelihood", request.likelihood), ("impact", request.impact)):
        if value is not None:
            if not 1 <= value <= 5:
                raise DiffuseError(f"--{name}: expected 1 to 5, got {value}")
            fields.append((name, value))
    if request.owner is not None:
        fields.append(("owner", record.person(loaded, "--owner", request.owner)))
    fields += [(k, v) for k, v in _texts(request) if v is not None]
    if request.status is not None:
        fields.append(("status", pick(RiskStatus, request.status, "--status").value))
    if not fields:
        raise DiffuseError(
            "nothing to change: give --likelihood, --impact, --owner, --mitigation, "
            "--status or --description"
        )
    index = _risk_index(project, request.risk)
    scored = {name for name, _ in fields} & {"likelihood", "impact"}
    unassessed = index is not None and project.risks[index].status is RiskStatus.UNASSESSED
    if unassessed and scored and request.status is None:
        # Scoring an unassessed risk makes it an open one.
        fields.append(("status", RiskStatus.OPEN.value))

    def change(text: str) -> str:
        if index is None:
            item: dict[str, Scalar] = {"category": request.risk, **dict(fields)}
            if "status" not in item and not scored >= {"likelihood", "impact"}:
                item["status"] = RiskStatus.UNASSESSED.value
            return append_item(text, ("risks",), item)
        for name, value in fields:
            text = set_value(text, ("risks", index, name), value)
        return text

    said = ", ".join(f"{name}={value}" for name, value in fields)
    verb = "added" if index is None else "updated"
    return record.apply(
        root, path, change, f"{project.id}: risk {request.risk} {verb} ({said})", options
    )


def _texts(request: RiskRequest) -> list[tuple[str, str | None]]:
    return [("mitigation", request.mitigation), ("description", request.description)]


def _risk_index(project: Project, risk: str) -> int | None:
    """The risk named by its category or its number from 1; None adds a new one."""
    if risk.isdigit():
        if 1 <= int(risk) <= len(project.risks):
            return int(risk) - 1
        raise DiffuseError(f"no risk number {risk}; the project has {len(project.risks)}")
    categories = [c.value for c in RiskCategory]
    record.choice("RISK", risk, categories)
    found = [i for i, r in enumerate(project.risks) if r.category.value == risk]
    if len(found) > 1:
        numbers = ", ".join(str(i + 1) for i in found)
        raise DiffuseError(
            f"{len(found)} risks of category '{risk}' (numbers {numbers}); give the number"
        )
    return found[0] if found else None
