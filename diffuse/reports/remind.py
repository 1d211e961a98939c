"""`diffuse remind`: what each person has to do, and the plan that keeps one open reminder
issue per person on the git host.

A person's items, as of a date:

- review: a practice they own whose periodic review is due within `AHEAD_DAYS` or overdue;
- stale-site: a site row not updated for `settings.stale_after_weeks`, of a site they lead
  (the row's `leader`);
- duty: an open duty of a role they hold, due by the project's current phase or overdue;
- barrier: a barrier open longer than `settings.barrier_escalate_weeks`, escalated to
  oversight (the project's `sponsor-oversight` role, else the approving body's members);
  the day a barrier was raised is the day git last changed how often its text occurs in
  the project file, so an uncommitted barrier is not escalated yet;
- approval: a gate whose only gap is the approval of the body they are a member of.

Items nobody holds (no owner, no leader, no one in the role) are listed as unassigned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from diffuse.errors import DiffuseError
from diffuse.models import Organisation, Project, Workflow
from diffuse.repo.filelog import added_on
from diffuse.reports.asof import project_on
from diffuse.reports.checklist import checklist
from diffuse.reports.reviews import AHEAD_DAYS, practice_review, site_updates
from diffuse.rules.gates import evaluate
from diffuse.rules.scope import oversight
from diffuse.rules.tracker.model import Tracker

KINDS = ("review", "stale-site", "duty", "barrier", "approval")
OVERSIGHT_ROLE = "sponsor-oversight"


@dataclass(frozen=True)
class Item:
    kind: str  # one of KINDS
    subject: str  # the practice or project id
    text: str  # what to do, in plain words
    command: str  # the diffuse command that records it done
    site: str | None = None
    due: date | None = None
    days_overdue: int | None = None  # positive: late by that many days


@dataclass
class PersonItems:
    person: str
    name: str
    github: str | None
    items: list[Item] = field(default_factory=list)


@dataclass
class RemindReport:
    as_of: date
    escalate_weeks: int
    people: list[PersonItems]
    unassigned: list[Item]


def remind_report(catalog: Tracker, as_of: date) -> RemindReport:
    org = catalog.organisation
    if org is None:
        raise ValueError("the catalog has no valid organisation file")
    weeks = org.settings.barrier_escalate_weeks
    found: list[tuple[str | None, Item]] = []
    found += _reviews(catalog, org, as_of)
    found += _stale(catalog, org, as_of)
    for current in sorted(catalog.projects.values(), key=lambda p: p.id):
        project = project_on(current, as_of)
        workflow = catalog.workflow
        if project is None or not workflow.is_active(project.phase):
            continue
        found += _duties(project, workflow, as_of)
        found += _barriers(catalog, org, project, as_of, weeks)
        found += _approvals(catalog, org, project, workflow)
    people = {p.id: PersonItems(p.id, p.name, p.github) for p in org.people}
    unassigned = []
    for holder, item in found:
        if holder in people:
            people[holder].items.append(item)
        else:
            unassigned.append(item)
    listed = [person for person in people.values() if person.items]
    return RemindReport(as_of, weeks, listed, unassigned)


def _reviews(catalog: Tracker, org: Organisation, as_of: date) -> list[tuple[str | None, Item]]:
    found: list[tuple[str | None, Item]] = []
    for practice in sorted(catalog.practices.values(), key=lambda p: p.id):
        review = practice_review(practice, org, as_of)
        if review is None or review.days_left > AHEAD_DAYS:
            continue
        late = -review.days_left if review.overdue else None
        text = f"review the practice '{practice.title}'"
        command = f"diffuse practice {practice.id} --reviewed --outcome TEXT"
        item = Item("review", practice.id, text, command, due=review.due, days_overdue=late)
        found.append((practice.owner, item))
    return found


def _stale(catalog: Tracker, org: Organisation, as_of: date) -> list[tuple[str | None, Item]]:
    found: list[tuple[str | None, Item]] = []
    stale, _paused = site_updates(catalog, as_of, org.settings.stale_after_weeks)
    for row in stale:
        project = catalog.projects[row.project]
        state = project.sites.get(row.site)
        leader = state.leader if state else None
        heard = f"last updated {row.updated}" if row.updated else "never updated"
        text = f"update the row of site {row.site} in {row.project} ({heard})"
        command = f"diffuse site {row.project} {row.site} --note TEXT"
        found.append((leader, Item("stale-site", row.project, text, command, site=row.site)))
    return found


def _duties(project: Project, workflow: Workflow, as_of: date) -> list[tuple[str | None, Item]]:
    found: list[tuple[str | None, Item]] = []
    for role in checklist(project, workflow):
        for duty in role.duties:
            due_now = duty.state == "open" and duty.due == project.phase
            if duty.state != "overdue" and not due_now:
                continue
            when = "overdue" if duty.state == "overdue" else f"due before leaving {duty.due}"
            text = f"{duty.text} ({role.name}, {when})"
            item = Item("duty", project.id, text, f"diffuse duty {project.id} {duty.id} --done")
            found += [(person, item) for person in role.people] or [(None, item)]
    return found


def _barriers(
    catalog: Tracker,
    org: Organisation,
    project: Project,
    as_of: date,
    weeks: int,
) -> list[tuple[str | None, Item]]:
    every = [b for state in project.sites.values() for b in state.barriers]
    if not every:
        return []
    path = catalog.document("project", project.id).path
    try:
        raised = added_on(path.parent, path, every)
    except DiffuseError:
        raised = {}  # no git to ask: no barrier's age is known, none is escalated
    holders = list(project.roles.get(OVERSIGHT_ROLE, [])) or sorted(
        oversight(org, catalog.practices.get(project.practice))
    )
    found: list[tuple[str | None, Item]] = []
    for site_id, state in sorted(project.sites.items()):
        for barrier in state.barriers:
            day = raised.get(barrier)
            if day is None or day > as_of or (as_of - day).days <= weeks * 7:
                continue
            text = f"remove the barrier at {site_id} in {project.id}, open since {day}: {barrier}"
            late = (as_of - day).days - weeks * 7
            command = f"diffuse site {project.id} {site_id} --resolve TEXT"
            item = Item("barrier", project.id, text, command, site=site_id, days_overdue=late)
            found += [(person, item) for person in holders] or [(None, item)]
    return found


def _approvals(
    catalog: Tracker, org: Organisation, project: Project, workflow: Workflow
) -> list[tuple[str | None, Item]]:
    following = workflow.successors(project.phase)
    if not following:
        return []
    practice = catalog.practices.get(project.practice)
    target = following[0]
    gate = evaluate(workflow, org, practice, project, target)
    if not gate.gaps or any(gap.kind != "approval" for gap in gate.gaps):
        return []
    body = org.body(practice.approving_body) if practice else None
    text = f"decide on {project.id} entering '{target}': everything else is ready"
    item = Item("approval", project.id, text, f"diffuse approve {project.id} --gate {target}")
    return [(member, item) for member in (body.members if body else [])] or [(None, item)]
