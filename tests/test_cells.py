"""A project's grid cells, worked out from the sites its file lists, are the cells of every
site looked at one by one: the status tracker reads the same either way."""

from __future__ import annotations

import random

from diffuse.models import Project
from diffuse.reports.status.cells import SEVERITY, Layout, SiteCells, health_of
from diffuse.reports.status.grid import Cell, Column
from diffuse.rules.scope import in_scope, site_state
from diffuse.vocab import LIVE, SITE_PROGRESS, Health, SiteStatus

SITES = [f"s{n:02d}" for n in range(40)]
MEMBERS = frozenset({"oversight"})


def _project(rng: random.Random) -> Project:
    sites: dict[str, object] = {}
    for site in rng.sample([*SITES, "elsewhere"], 12):
        state: dict[str, object] = {
            "status": rng.choice(list(SiteStatus)).value,
            "health": rng.choice(list(Health)).value,
        }
        if state["status"] == SiteStatus.NOT_APPLICABLE.value:
            state["reason"] = "no such unit"
        if rng.random() < 0.2:
            by = rng.choice(["oversight", "someone-else"])
            state["exception"] = {"reason": "merging", "approved_by": by, "date": "2026-01-05"}
        sites[site] = state
    return Project.model_validate(
        {"id": "p", "practice": "q", "title": "P", "phase": "execute", "sites": sites}
    )


def _one_by_one(project: Project, ids: list[str], flagged: frozenset[str]) -> Cell:
    states = {s: site_state(project, s) for s in ids}
    scoped = [s for s in ids if in_scope(states[s], MEMBERS)]
    if not scoped:
        return Cell(0, 0, SiteStatus.NOT_APPLICABLE, Health.ON_TRACK)
    return Cell(
        len(scoped),
        sum(states[s].status in LIVE for s in scoped),
        min((states[s].status for s in scoped), key=SITE_PROGRESS.index),
        max((health_of(states[s], s in flagged) for s in scoped), key=SEVERITY.index),
    )


def test_cells_match_each_site_looked_at_alone() -> None:
    rng = random.Random(7)
    per_site = Layout.of([Column(s, s, (s,)) for s in SITES])
    groups = [SITES[:5], SITES[5:25], SITES[25:], ["s00", "elsewhere-not-in-org"]]
    grouped = Layout.of([Column(str(n), str(n), tuple(g)) for n, g in enumerate(groups)])
    for _ in range(200):
        project = _project(rng)
        flagged = frozenset(rng.sample(SITES, 3))
        cells = SiteCells(project, MEMBERS)
        cells.flag(flagged)
        assert cells.cells(per_site) == [_one_by_one(project, [s], flagged) for s in SITES]
        assert cells.cells(grouped) == [_one_by_one(project, g, flagged) for g in groups]
        whole = _one_by_one(project, SITES, flagged)
        assert cells.over(frozenset(SITES)) == whole
        healths = [
            health_of(site_state(project, s), s in flagged)
            for s in SITES
            if in_scope(site_state(project, s), MEMBERS)
        ]
        assert cells.health_counts(frozenset(SITES)) == (
            healths.count(Health.OFF_TRACK),
            healths.count(Health.AT_RISK),
        )
