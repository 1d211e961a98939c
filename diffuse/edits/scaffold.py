"""`diffuse init` and `diffuse new`: files that explain themselves, ready to fill in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from diffuse.edits.newrepo import ready_for_pull_requests, workflow_yaml
from diffuse.edits.record import EditOptions, EditResult
from diffuse.errors import DiffuseError
from diffuse.frameworks.registry import DEFAULT, FRAMEWORKS
from diffuse.layout import ID_PATTERN, WINDOWS_RESERVED
from diffuse.models import Practice, RiskCategory, Workflow
from diffuse.reports.schema import KINDS, SCHEMA_DIR, schema_name, write_schemas
from diffuse.reports.schema import header as schema_header
from diffuse.rules.catalog import ORGANISATION_FILE, PRACTICES_DIR, PROJECTS_DIR
from diffuse.rules.load import load_tracker

ORGANISATION_TEMPLATE = """\
# yaml-language-server: $schema=schemas/organisation.schema.json
# The organisation: its sites, people and approving bodies. Projects and practices refer to
# these by id (lowercase letters, digits and '-').
name: {name}

settings:
  target_months: 6           # a practice should reach every site within this many months
  review_cadence_months: 12  # how often a diffused practice is reviewed by its owner
  stale_after_weeks: 6       # 'diffuse review' lists site rows not updated this long

# One entry per site. Short ids keep the status grid narrow; 'region' lets the grid group
# sites when there are many.
sites:
  - id: main
    name: Main Hospital
    region: Central
    kind: hospital

people:
  - id: {chair_id}
    name: {chair_name}
    email: {chair_email}
    title: Chair, Clinical Practice Committee

# Bodies that approve practices and phase gates. A cross-specialty practice is approved by
# the clinical practice committee; a specialty practice by its specialty council.
bodies:
  - id: cpc
    name: Clinical Practice Committee
    kind: clinical-practice-committee
    members: [{chair_id}]
"""

README_TEMPLATE = """\
# {name}: best-practice diffusion tracker

This repository tracks how approved best practices spread to every site, with
[diffuse](https://pypi.org/project/diffuse-tracker/).

- `organisation.yaml`: sites, people, approving bodies, settings.
- `practices/`: one file per best practice (`diffuse new practice ID`).
- `projects/`: one file per diffusion project (`diffuse new project ID --practice P`).

Run `diffuse validate` before you commit and `diffuse status` to see the grid. Everyday
changes have commands (`diffuse site`, `duty`, `role`, `risk`, `practice`, `disseminate`,
`org`, `metrics add`), each with `--dry-run` and `--commit`; decisions go through pull
requests, which CI checks with `diffuse check` (`.github/workflows/diffuse.yml`).
"""

PRACTICE_TEMPLATE = """\
# yaml-language-server: $schema=../schemas/practice.schema.json
# A best practice. Fill in each field; 'diffuse validate' explains anything it cannot accept.
id: {id}
title: {title}
summary: >-
  What the practice is and why, in a few sentences.
# discovery, proposed, approved, diffusing, diffused, retired or superseded
status: proposed
approving_body: {body}      # id of the body in organisation.yaml that approves it
owner: null                 # the Best Practice Owner (a person id) once assigned
# internal-collaborative, noahs-ark, alpha-beta, external or grassroots
discovery: internal-collaborative
decision: hybrid            # optional, collective, authority or hybrid
established: null           # date it was established as a best practice, YYYY-MM-DD
origin_sites: []            # site ids where it was discovered or proven
evidence: []                # - {{site: ID, summary: what improved, link: URL}}
vetted_by: []               # site ids that reviewed it before approval
goal: null                  # the goal and aim statement
key_principles:
  fixed:                    # what every site must keep exactly
    - State each fixed principle here.
  adaptable: []             # where sites may vary, with approval of local adaptations
leaders:                    # person ids, named before the practice is approved
  champion: null
  administrative: null
  physician: null
# care-process-model, decision-support, communications, forms, order-sets, protocols,
# patient-education, policies, staff-education, equipment or measurement
support_elements: []        # - {{kind: order-sets, title: ..., status: planned, link: URL}}
approvals: []               # - {{body: ID, by: PERSON, date: YYYY-MM-DD, reference: minutes}}
review:
  cadence_months: null      # null uses the organisation's review cadence
  last: null                # date of the last periodic review
"""


PLACEHOLDER_CHAIR = "chair@example.org"
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class Chair:
    """The first member of the first approving body (`init --chair ID --chair-email E`)."""

    id: str = "chair"
    email: str = PLACEHOLDER_CHAIR
    name: str = "Committee Chair"

    @classmethod
    def given(cls, person: str | None, email: str | None, name: str | None) -> Chair:
        if person is None and email is None:
            return cls()
        if person is None or email is None:
            raise DiffuseError("--chair and --chair-email go together: give both or neither")
        if not ID_PATTERN.fullmatch(person):
            raise DiffuseError(
                f"--chair: '{person}' is not a valid id: use lowercase letters, digits and '-'"
            )
        if not _EMAIL.fullmatch(email.strip()):
            raise DiffuseError(f"--chair-email: '{email}' is not an email address (name@host)")
        return cls(person, email.strip(), name or person)


@dataclass
class InitOutcome:
    created: list[Path] = field(default_factory=list)
    commit: str | None = None
    notes: list[str] = field(default_factory=list)


def init_tracker(
    directory: Path, name: str, framework: str = DEFAULT, chair: Chair | None = None
) -> InitOutcome:
    if framework not in FRAMEWORKS:
        raise DiffuseError(f"--framework: '{framework}' is not one of: {', '.join(FRAMEWORKS)}")
    if (directory / ORGANISATION_FILE).exists():
        raise DiffuseError(f"{directory / ORGANISATION_FILE} already exists; nothing was changed")
    directory.mkdir(parents=True, exist_ok=True)
    outcome = InitOutcome()
    created = outcome.created
    for folder in (PRACTICES_DIR, PROJECTS_DIR):
        (directory / folder).mkdir(exist_ok=True)
        keep = directory / folder / ".gitkeep"
        keep.touch()
        created.append(directory / folder)
    chair = chair or Chair()
    placeholder = chair.email == PLACEHOLDER_CHAIR
    text = ORGANISATION_TEMPLATE.format(
        name=_yaml_text(name),
        chair_id=chair.id,
        chair_name=_yaml_text(chair.name),
        chair_email=_yaml_text(chair.email),
    )
    if framework != DEFAULT:
        text += "\n" + workflow_yaml(FRAMEWORKS[framework]())
    created.append(_write_new(directory / ORGANISATION_FILE, text))
    if not (directory / "README.md").exists():
        created.append(_write_new(directory / "README.md", README_TEMPLATE.format(name=name)))
    from diffuse.repo import first_commit, init_repo

    created += write_schemas(directory / SCHEMA_DIR)
    try:
        made = init_repo(directory)
    except DiffuseError as exc:
        outcome.notes.append(
            f"{exc.message}; the folder is not a git repository, so no CI workflow, "
            "pre-commit configuration or CODEOWNERS were written"
        )
        return outcome
    if not made:
        outcome.notes.append(
            "the folder is inside a git repository already: no CI workflow, pre-commit "
            "configuration or CODEOWNERS were written and nothing was committed"
        )
        return outcome
    created += ready_for_pull_requests(directory)
    if placeholder:
        outcome.notes.append(
            f"the only committee member is the placeholder {PLACEHOLDER_CHAIR}; give the "
            "real one with 'diffuse org edit-person chair --name ... --email ...' (or "
            "'init --chair ID --chair-email E' next time)"
        )
    created.append(directory / ".git")
    try:
        outcome.commit = first_commit(directory, "Start the diffusion tracker")
    except DiffuseError as exc:
        outcome.notes.append(
            f"no first commit ({exc.message}); set git's user.name and user.email, then "
            "run 'git add -A && git commit'"
        )
    return outcome


def missing_schemas(root: Path) -> list[Path]:
    """The schemas the new file's yaml-language-server line names, written when missing."""
    if all((root / SCHEMA_DIR / schema_name(kind)).is_file() for kind in KINDS):
        return []
    return write_schemas(root / SCHEMA_DIR)


def new_practice(root: Path, practice_id: str, title: str | None) -> Path:
    _check_new_id(practice_id)
    org = load_tracker(root).org
    body = next((b.id for b in org.bodies), "cpc")
    text = PRACTICE_TEMPLATE.format(
        id=practice_id, title=_yaml_text(title or practice_id), body=body
    )
    return _write_new(root / PRACTICES_DIR / f"{practice_id}.yaml", text)


def new_project(root: Path, project_id: str, practice_id: str) -> Path:
    _check_new_id(project_id)
    loaded = load_tracker(root)
    practice = loaded.catalog.practices.get(practice_id)
    if practice is None:
        known = ", ".join(sorted(loaded.catalog.practices)) or "none"
        raise DiffuseError(f"--practice: no valid practice '{practice_id}'; known: {known}")
    workflow = loaded.catalog.workflow
    lines = [
        schema_header("project", 1).rstrip("\n"),
        "# A diffusion project: one practice taken to every site through gated phases.",
        "# 'diffuse advance' moves the phase when the gate is met; 'diffuse site' updates a site.",
        f"id: {project_id}",
        f"practice: {practice_id}",
        f"title: {_yaml_text('Diffusion of ' + practice.title)}",
        f"phase: {workflow.phases[0]}          # one of: {', '.join(workflow.phases)}",
        "approved: null             # date the sponsoring body approved the diffusion",
        "target_months: null        # null uses the organisation's target",
        "",
        "# Who holds each checklist role: a person id or a list of them.",
        "roles:",
        *[f"  {role.id}: []          # {role.name}" for role in workflow.roles],
        "",
        "# Each duty: open, done (with date) or na (with reason). A phase cannot be left",
        "# until every duty due by it is done or na.",
        "checklist:",
        *_checklist_lines(workflow),
        "",
        "# The standard risks of every diffusion, unassessed until scored:",
        "# 'diffuse risk PROJECT CATEGORY --likelihood 1-5 --impact 1-5 --status open'.",
        "risks:",
        *_risk_lines(),
        "",
        "metrics: []   # - {id, name, level, kind, unit, direction, baseline, target, values}",
        "dissemination: []   # 'diffuse disseminate PROJECT APPROACH': how the word spreads",
        "",
        "# Every site is in scope, unless marked not-applicable with a reason",
        "# ('diffuse site PROJECT SITE --status not-applicable --reason TEXT') or excepted",
        "# by diffusion oversight ('diffuse site PROJECT SITE --except REASON').",
        "sites:",
        *_site_lines([site.id for site in loaded.org.sites]),
        "",
        "approvals: []   # - {gate: PHASE, body: ID, by: PERSON, date: YYYY-MM-DD}",
        "updates: []     # - {date: YYYY-MM-DD, site: ID, text: ...}",
        "history: []     # recorded by 'diffuse advance'",
    ]
    return _write_new(root / PROJECTS_DIR / f"{project_id}.yaml", "\n".join(lines) + "\n")


def _checklist_lines(workflow: Workflow) -> list[str]:
    lines: list[str] = []
    for role in workflow.roles:
        lines.append(f"  # {role.name}")
        for duty in workflow.duties:
            if duty.role == role.id:
                lines.append(f"  {duty.id}: {{status: open}}   # by {duty.due}: {duty.text}")
    return lines


def _site_lines(site_ids: list[str]) -> list[str]:
    # Block style, so 'diffuse site' can add keys to a site without rewriting its line.
    lines: list[str] = []
    for site_id in site_ids:
        lines += [f"  {site_id}:", "    status: not-started", "    health: on-track"]
    return lines


def _risk_lines() -> list[str]:
    return [
        f"  - {{category: {category.value}, status: unassessed}}"
        for category in RiskCategory
        if category is not RiskCategory.OTHER
    ]


def _check_new_id(item_id: str) -> None:
    if not ID_PATTERN.fullmatch(item_id):
        raise DiffuseError(f"'{item_id}' is not a valid id: use lowercase letters, digits and '-'")
    if item_id in WINDOWS_RESERVED:
        raise DiffuseError(f"'{item_id}' is a device name on Windows; choose another id")


def _yaml_text(value: str) -> str:
    from diffuse.files.yamledit import render_scalar

    return render_scalar(value)


def _write_new(path: Path, text: str) -> Path:
    try:
        with path.open("x", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except FileExistsError:
        raise DiffuseError(f"{path} already exists; nothing was changed") from None
    return path


def propose_practice(
    root: Path,
    practice_id: str,
    title: str,
    summary: str,
    site: str,
    results: str,
    options: EditOptions,
) -> EditResult:
    """A front-line idea as a new practice file: proposed, discovered at the grassroots at
    `site`, with its results as evidence; validated (patient data too) before it is written."""
    from diffuse.edits.editing import validated
    from diffuse.edits.record import diff_lines
    from diffuse.files.yamledit import append_item, set_list, set_values

    org = load_tracker(root).org
    body = next((b.id for b in org.bodies), "cpc")
    text = PRACTICE_TEMPLATE.format(id=practice_id, title=_yaml_text(title), body=body)
    text = set_values(text, {("summary",): summary, ("discovery",): "grassroots"})
    text = set_list(text, ("origin_sites",), [site])
    text = append_item(text, ("evidence",), {"site": site, "summary": results})
    path = root / PRACTICES_DIR / f"{practice_id}.yaml"
    validated(path, text, Practice)
    result = EditResult(f"practices/{practice_id}.yaml: practice proposed", path)
    if options.dry_run:
        result.dry_run = True
        result.diff = diff_lines("", text)
        return result
    _write_new(path, text)
    if options.commit:
        from diffuse.repo import commit_files, open_repo

        result.commit = commit_files(open_repo(root), [path], f"Propose the practice {title}")
    return result
