"""Cross-file rules: every id a file names exists, approvers belong to the right body."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from diffuse.errors import Level, Problem
from diffuse.files.loading import Document
from diffuse.models import Approval, Organisation, Practice, PracticeStatus, Project
from diffuse.rules.tracker.model import Tracker
from diffuse.vocab import MetricKind

Loc = tuple[str | int, ...]


class _Ids(tuple[str, ...]):
    """Ids in the order given, each as often as given (what a problem lists), looked up in
    a set: a tracker of 1,800 sites tests each site of each project against them."""

    _set: frozenset[str]

    def __new__(cls, ids: Iterable[str]) -> _Ids:
        made = super().__new__(cls, ids)
        made._set = frozenset(made)
        return made

    def __contains__(self, value: object) -> bool:
        return value in self._set


@dataclass
class _Checker:
    """The reference problems found in one read of the tracker, and the ids it looked up."""

    catalog: Tracker
    problems: list[Problem] = field(default_factory=list)

    def ids(self, org: Organisation, what: str) -> _Ids:
        """The ids of the organisation's sites, people or bodies, or of the workflow's
        roles and duties: made once per read of the tracker, not once per project."""
        memo: dict[str, tuple[Organisation, _Ids]]
        memo = self.catalog.memo.setdefault("reference-ids", {})
        kept = memo.get(what)
        if kept is None or kept[0] is not org:
            workflow = self.catalog.workflow
            found: dict[str, Iterable[str]] = {
                "sites": (site.id for site in org.sites),
                "people": (person.id for person in org.people),
                "bodies": (body.id for body in org.bodies),
                "roles": (role.id for role in workflow.roles),
                "duties": (duty.id for duty in workflow.duties),
            }
            kept = memo[what] = (org, _Ids(found[what]))
        return kept[1]

    def known(
        self, doc: Document, loc: Loc, value: str | None, ids: Collection[str], what: str
    ) -> None:
        if value is None or value in ids:
            return
        ids = sorted(ids)
        if value not in ids:
            listed = ", ".join(ids[:12]) + (", ..." if len(ids) > 12 else "")
            self.problems.append(
                Problem(
                    doc.locate(loc),
                    "unknown-reference",
                    f"{_dotted(loc)}: no {what} '{value}' (known: {listed or 'none'})",
                )
            )

    def add(self, doc: Document, loc: Loc, code: str, message: str) -> None:
        self.problems.append(Problem(doc.locate(loc), code, f"{_dotted(loc)}: {message}"))


def _dotted(loc: Loc) -> str:
    return ".".join(str(step) for step in loc) or "(top level)"


def check_references(catalog: Tracker) -> list[Problem]:
    org = catalog.organisation
    if org is None:
        return []
    checker = _Checker(catalog)
    _check_organisation(checker, org, catalog.sources["organisation"])
    for practice in catalog.practices.values():
        _check_practice(checker, org, practice, catalog.document("practice", practice.id))
    for project_id in catalog.projects:
        if project_id in catalog.checked:
            # Found while reading, or before with the same files.
            checker.problems.extend(catalog.checked[project_id])
            continue
        project = catalog.projects[project_id]
        _check_project(checker, org, project, catalog.document("project", project_id))
    # A file that failed its schema still names ids in the fields that parsed: report
    # those in the same run rather than after the schema error is fixed.
    for key, part in catalog.partial.items():
        doc = catalog.broken[key]
        if isinstance(part, Practice):
            _check_practice(checker, org, part, doc)
        else:
            _check_project(checker, org, part, doc)
    return checker.problems


def organisation_problems(catalog: Tracker) -> list[Problem]:
    """The problems of the organisation file against itself (ids listed twice, members
    who are no one)."""
    if catalog.organisation is None:
        return []
    checker = _Checker(catalog)
    _check_organisation(checker, catalog.organisation, catalog.sources["organisation"])
    return checker.problems


def project_problems(catalog: Tracker, project: Project) -> list[Problem]:
    """The cross-file problems of one project: the organisation and the practices must
    have been read."""
    if catalog.organisation is None:
        return []
    checker = _Checker(catalog)
    doc = catalog.document("project", project.id)
    _check_project(checker, catalog.organisation, project, doc)
    return checker.problems


def _check_organisation(checker: _Checker, org: Organisation, doc: Document) -> None:
    _once_each(checker, doc, ("sites",), checker.ids(org, "sites"))
    _once_each(checker, doc, ("people",), checker.ids(org, "people"))
    _once_each(checker, doc, ("bodies",), checker.ids(org, "bodies"))
    if org.workflow is not None:
        _once_each(checker, doc, ("workflow", "phases"), org.workflow.phases, field=())
        _once_each(checker, doc, ("workflow", "roles"), [r.id for r in org.workflow.roles])
        _once_each(checker, doc, ("workflow", "duties"), [d.id for d in org.workflow.duties])
    _one_person_each(checker, org, doc)
    people = checker.ids(org, "people")
    for b, body in enumerate(org.bodies):
        for m, member in enumerate(body.members):
            checker.known(doc, ("bodies", b, "members", m), member, people, "person")


def _one_person_each(checker: _Checker, org: Organisation, doc: Document) -> None:
    """An email names one person: git's author email is how a commit is told to be
    someone's, compared without regard to case, so two people may not share one."""
    for index, person in enumerate(org.people):
        others = [i for i in org.people_with_email(person.email) if i != person.id]
        if others:
            checker.add(
                doc,
                ("people", index, "email"),
                "duplicate-email",
                f"{person.email!r} is also the email of {', '.join(map(repr, others))} "
                "(emails are compared without regard to case); give each person their own",
            )


def _once_each(
    checker: _Checker, doc: Document, where: Loc, ids: Sequence[str], field: Loc = ("id",)
) -> None:
    seen: set[str] = set()
    for index, item_id in enumerate(ids):
        if item_id in seen:
            loc = (*where, index, *field)
            checker.add(doc, loc, "duplicate-id", f"'{item_id}' is listed twice")
        seen.add(item_id)


def _check_practice(
    checker: _Checker, org: Organisation, practice: Practice, doc: Document
) -> None:
    sites, people = checker.ids(org, "sites"), checker.ids(org, "people")
    checker.known(
        doc,
        ("approving_body",),
        practice.approving_body,
        checker.ids(org, "bodies"),
        "approving body",
    )
    checker.known(doc, ("owner",), practice.owner, people, "person")
    for role, person in practice.leaders:
        checker.known(doc, ("leaders", role), person, people, "person")
    for field_name in ("origin_sites", "vetted_by"):
        for index, site in enumerate(getattr(practice, field_name)):
            checker.known(doc, (field_name, index), site, sites, "site")
    for index, evidence in enumerate(practice.evidence):
        checker.known(doc, ("evidence", index, "site"), evidence.site, sites, "site")
    _check_approvals(checker, org, practice.approvals, doc)
    _check_lineage(checker, practice, doc)
    if (
        practice.status is PracticeStatus.DIFFUSING
        and checker.catalog.projects_complete(practice.id)
        and not _has_project(checker.catalog, practice.id)
    ):
        checker.add(
            doc,
            ("status",),
            "no-project",
            "the practice is diffusing but no project in projects/ diffuses it; "
            "create one with 'diffuse new project'",
        )


def _has_project(catalog: Tracker, practice_id: str) -> bool:
    return practice_id in _diffused(catalog)


def _diffused(catalog: Tracker) -> frozenset[str]:
    """Every practice some project diffuses, computed once per catalog: a check per
    practice against every project grows with their product."""
    cached = catalog.memo.get("diffused")
    if cached is None:
        found = set(catalog.practice_of.values())
        # A project file that failed validation still says which practice it diffuses.
        found.update(
            str(doc.data.get("practice"))
            for key, doc in catalog.broken.items()
            if key.startswith("project/") and isinstance(doc.data, dict)
        )
        cached = catalog.memo["diffused"] = frozenset(found)
    return cached


def _check_lineage(checker: _Checker, practice: Practice, doc: Document) -> None:
    practices = checker.catalog.practices
    for field_name, back in (("supersedes", "superseded_by"), ("superseded_by", "supersedes")):
        other_id = getattr(practice, field_name)
        if other_id is None:
            continue
        other = practices.get(other_id)
        if other is None:
            checker.known(doc, (field_name,), other_id, practices, "practice")
        elif getattr(other, back) != practice.id:
            checker.add(
                doc,
                (field_name,),
                "inconsistent-lineage",
                f"'{other_id}' must name this practice in its '{back}' field",
            )
    if practice.superseded_by and practice.status is not PracticeStatus.SUPERSEDED:
        checker.add(
            doc,
            ("status",),
            "inconsistent-lineage",
            "a practice with 'superseded_by' must have status: superseded",
        )


def _check_approvals(
    checker: _Checker, org: Organisation, approvals: list[Approval], doc: Document
) -> None:
    # An approval names the body that gave it: a practice moved to another body keeps the
    # approvals of the one it left. Only approvals by its current body count at a gate.
    for index, approval in enumerate(approvals):
        loc: Loc = ("approvals", index)
        checker.known(
            doc, (*loc, "body"), approval.body, checker.ids(org, "bodies"), "approving body"
        )
        body = org.body(approval.body)
        if body is None:
            continue
        if approval.by not in body.members:
            checker.add(
                doc,
                (*loc, "by"),
                "not-a-member",
                f"'{approval.by}' is not a member of {body.name} ('{body.id}')",
            )


def _check_project(checker: _Checker, org: Organisation, project: Project, doc: Document) -> None:
    practice = checker.catalog.practices.get(project.practice)
    if f"practice/{project.practice}" not in checker.catalog.broken:
        checker.known(doc, ("practice",), project.practice, checker.catalog.practices, "practice")
    workflow = checker.catalog.workflow
    checker.known(doc, ("phase",), project.phase, workflow.phases, "phase")
    _check_project_people(checker, org, project, doc)
    _check_project_sites(checker, org, project, practice, doc)
    checker.problems.extend(_aggregate_warnings(project, doc))
    duties: Sequence[str] = checker.ids(org, "duties")
    if project.custom_duties:
        _check_custom_duties(checker, project, doc, list(duties))
        duties = [*duties, *(d.id for d in project.custom_duties)]
    for duty_id in project.checklist:
        checker.known(doc, ("checklist", duty_id), duty_id, duties, "duty")
    for index, approval in enumerate(project.approvals):
        checker.known(doc, ("approvals", index, "gate"), approval.gate, workflow.phases, "phase")
    _check_approvals(checker, org, project.approvals, doc)
    for index, step in enumerate(project.history):
        checker.known(doc, ("history", index, "from"), step.from_phase, workflow.phases, "phase")
        checker.known(doc, ("history", index, "to"), step.to, workflow.phases, "phase")
    if project.phase and project.history and project.history[-1].to != project.phase:
        checker.add(
            doc,
            ("phase",),
            "history-mismatch",
            f"phase is '{project.phase}' but the last history entry moved to "
            f"'{project.history[-1].to}'",
        )


def _aggregate_warnings(project: Project, doc: Document) -> list[Problem]:
    """A metric with several plain values on one date and site, and no declared
    `aggregate`, is charted with the mean of them: say so, once per metric."""
    found = []
    for m, metric in enumerate(project.metrics):
        if metric.aggregate is not None or metric.kind is MetricKind.COUNT:
            continue
        seen: set[tuple[str | None, object]] = set()
        for v, measure in enumerate(metric.values):
            key = (measure.site, measure.date)
            if key in seen and measure.numerator is None:
                where = f"site {measure.site}" if measure.site else "all sites"
                message = (
                    f"metrics.{m}.values.{v}: several values for {where} on {measure.date} "
                    "are charted as their mean; declare 'aggregate: mean', 'median' or 'sum' "
                    f"on metric '{metric.id}'"
                )
                loc = ("metrics", m, "values", v)
                found.append(
                    Problem(doc.locate(loc), "ambiguous-aggregate", message, Level.WARNING)
                )
                break
            seen.add(key)
    return found


def _check_project_people(
    checker: _Checker, org: Organisation, project: Project, doc: Document
) -> None:
    people = checker.ids(org, "people")
    roles = checker.ids(org, "roles")
    for role, assigned in project.roles.items():
        checker.known(doc, ("roles", role), role, roles, "role")
        for index, person in enumerate(assigned):
            checker.known(doc, ("roles", role, index), person, people, "person")
    refs: list[tuple[Loc, str | None]] = [
        (("checklist", duty, "by"), rec.by) for duty, rec in project.checklist.items()
    ]
    refs += [(("risks", i, "owner"), risk.owner) for i, risk in enumerate(project.risks)]
    refs += [(("dissemination", i, "owner"), d.owner) for i, d in enumerate(project.dissemination)]
    refs += [(("updates", i, "by"), update.by) for i, update in enumerate(project.updates)]
    refs += [(("history", i, "by"), step.by) for i, step in enumerate(project.history)]
    refs += [(("sites", s, "leader"), state.leader) for s, state in project.sites.items()]
    for loc, ref in refs:
        checker.known(doc, loc, ref, people, "person")


def _check_project_sites(
    checker: _Checker, org: Organisation, project: Project, practice: Practice | None, doc: Document
) -> None:
    sites = checker.ids(org, "sites")
    for site_id, state in project.sites.items():
        checker.known(doc, ("sites", site_id), site_id, sites, "site")
        body = org.body(practice.approving_body) if practice else None
        fixed = practice.key_principles.fixed if practice and practice.key_principles else []
        for index, adaptation in enumerate(state.adaptations):
            where = ("sites", site_id, "adaptations", index)
            if adaptation.principle is not None:
                # Decided by the practice owner, which the close gate checks.
                if practice is not None and adaptation.principle not in fixed:
                    listed = "; ".join(f"{n}. {p}" for n, p in enumerate(fixed, 1)) or "none"
                    checker.add(
                        doc,
                        (*where, "principle"),
                        "unknown-principle",
                        f"'{adaptation.principle}' is not a fixed principle of "
                        f"'{practice.id}' (fixed: {listed})",
                    )
                continue
            decider = adaptation.decided_by
            if body and decider and decider not in body.members:
                field = "approved_by" if adaptation.approved_by else "refused_by"
                checker.add(
                    doc,
                    (*where, field),
                    "not-a-member",
                    f"'{decider}' is not a member of {body.name}",
                )
    for index, update in enumerate(project.updates):
        checker.known(doc, ("updates", index, "site"), update.site, sites, "site")
    seen: set[str] = set()
    for m, metric in enumerate(project.metrics):
        if metric.id in seen:
            checker.add(doc, ("metrics", m, "id"), "duplicate-id", f"metric '{metric.id}' twice")
        seen.add(metric.id)
        for v, measure in enumerate(metric.values):
            checker.known(doc, ("metrics", m, "values", v, "site"), measure.site, sites, "site")


def _check_custom_duties(
    checker: _Checker, project: Project, doc: Document, workflow_duties: list[str]
) -> None:
    """A project's own duties: a new id each, a role and a phase of the workflow."""
    workflow = checker.catalog.workflow
    roles = [r.id for r in workflow.roles]
    seen = set(workflow_duties)
    for index, duty in enumerate(project.custom_duties):
        loc: Loc = ("custom_duties", index)
        if duty.id in seen:
            where = "the workflow" if duty.id in workflow_duties else "this project"
            checker.add(
                doc, (*loc, "id"), "duplicate-id",
                f"duty '{duty.id}' is already a duty of {where}; give it a new id",
            )  # fmt: skip
        seen.add(duty.id)
        checker.known(doc, (*loc, "role"), duty.role, roles, "role")
        checker.known(doc, (*loc, "due"), duty.due, workflow.phases, "phase")
