"""Where a person or a site is named across the tracker: what `org remove-person` refuses
over, and what `org rename-site` rewrites.

The places are the ones `references` checks, read from the validated models, each with the
file and the key path to its value (or to the mapping key, for a project's `sites:`).
"""

from __future__ import annotations

from dataclasses import dataclass

from diffuse.errors import Location
from diffuse.files.loading import Document
from diffuse.models import Practice, Project
from diffuse.rules.tracker.model import Tracker

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Use:
    """One place a file names an id."""

    doc: Document
    loc: Loc
    is_key: bool = False  # the id is a mapping key (a project's site), not a value

    @property
    def where(self) -> Location:
        return self.doc.locate(self.loc, self.is_key)

    def __str__(self) -> str:
        return f"{self.where} ({'.'.join(map(str, self.loc))})"


def person_uses(catalog: Tracker, person_id: str) -> list[Use]:
    """Every place outside the organisation's people list that names `person_id`."""
    uses: list[Use] = []
    org = catalog.organisation
    if org is not None:
        doc = catalog.sources["organisation"]
        for b, body in enumerate(org.bodies):
            uses += [
                Use(doc, ("bodies", b, "members", m))
                for m, member in enumerate(body.members)
                if member == person_id
            ]
    for practice in catalog.practices.values():
        doc = catalog.document("practice", practice.id)
        uses += [Use(doc, loc) for loc, value in _practice_people(practice) if value == person_id]
    for project in catalog.projects.values():
        doc = catalog.document("project", project.id)
        uses += [Use(doc, loc) for loc, value in _project_people(project) if value == person_id]
    return uses


def site_uses(catalog: Tracker, site_id: str) -> list[Use]:
    """Every place in practices and projects that names `site_id`."""
    uses: list[Use] = []
    for practice in catalog.practices.values():
        doc = catalog.document("practice", practice.id)
        for field_name in ("origin_sites", "vetted_by"):
            uses += [
                Use(doc, (field_name, i))
                for i, site in enumerate(getattr(practice, field_name))
                if site == site_id
            ]
        uses += [
            Use(doc, ("evidence", i, "site"))
            for i, evidence in enumerate(practice.evidence)
            if evidence.site == site_id
        ]
    for project in catalog.projects.values():
        doc = catalog.document("project", project.id)
        if site_id in project.sites:
            uses.append(Use(doc, ("sites", site_id), is_key=True))
        uses += [
            Use(doc, ("updates", i, "site"))
            for i, update in enumerate(project.updates)
            if update.site == site_id
        ]
        for m, metric in enumerate(project.metrics):
            uses += [
                Use(doc, ("metrics", m, "values", v, "site"))
                for v, measure in enumerate(metric.values)
                if measure.site == site_id
            ]
    return uses


def _practice_people(practice: Practice) -> list[tuple[Loc, str | None]]:
    found: list[tuple[Loc, str | None]] = [(("owner",), practice.owner)]
    found += [(("leaders", role), person) for role, person in practice.leaders]
    found += [(("approvals", i, "by"), a.by) for i, a in enumerate(practice.approvals)]
    return found


def _project_people(project: Project) -> list[tuple[Loc, str | None]]:
    found: list[tuple[Loc, str | None]] = [
        (("roles", role, i), person)
        for role, assigned in project.roles.items()
        for i, person in enumerate(assigned)
    ]
    found += [(("checklist", duty, "by"), rec.by) for duty, rec in project.checklist.items()]
    found += [(("risks", i, "owner"), risk.owner) for i, risk in enumerate(project.risks)]
    found += [(("dissemination", i, "owner"), d.owner) for i, d in enumerate(project.dissemination)]
    found += [(("updates", i, "by"), update.by) for i, update in enumerate(project.updates)]
    found += [(("history", i, "by"), step.by) for i, step in enumerate(project.history)]
    found += [(("approvals", i, "by"), a.by) for i, a in enumerate(project.approvals)]
    for site_id, state in project.sites.items():
        found.append((("sites", site_id, "leader"), state.leader))
        if state.exception is not None:
            loc: Loc = ("sites", site_id, "exception", "approved_by")
            found.append((loc, state.exception.approved_by))
        found += [
            (("sites", site_id, "adaptations", i, "approved_by"), a.approved_by)
            for i, a in enumerate(state.adaptations)
        ]
    return found
