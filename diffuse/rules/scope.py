"""Which sites a project must reach: every site of the organisation, less those taken out
of scope. Pure rules, shared by the gates and every report that counts sites.

A site the project file does not list has simply not started, so no site is forgotten
by omission. A site leaves the scope as not-applicable, or by an exception to the close
gate approved by a member of the practice's approving body (diffusion oversight) while it
is not live: the figures then count neither for it nor against it. A not-applicable site
still needs a reason to pass a gate, and an exception by anyone else counts for nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from diffuse.models import Organisation, Practice, Project, SiteState
from diffuse.vocab import LIVE, SiteStatus

# What a site the project file does not list is in: one value for all of them, which no
# caller changes (a grid of 1,800 sites asks for it millions of times).
NOT_LISTED = SiteState()


def site_state(project: Project, site_id: str) -> SiteState:
    return project.sites.get(site_id) or NOT_LISTED


def oversight(org: Organisation, practice: Practice | None) -> frozenset[str]:
    """The people who may let a site off: the members of the practice's approving body."""
    body = org.body(practice.approving_body) if practice else None
    return frozenset(body.members) if body else frozenset()


def excepted(state: SiteState, members: frozenset[str]) -> bool:
    exception = state.exception
    return exception is not None and exception.approved_by in members and state.status not in LIVE


def in_scope(state: SiteState, members: frozenset[str]) -> bool:
    return state.status is not SiteStatus.NOT_APPLICABLE and not excepted(state, members)


def out_of_scope(project: Project, members: frozenset[str]) -> frozenset[str]:
    """The sites taken out of scope. A site the file does not list is in scope, so only the
    listed ones are looked at."""
    return frozenset(s for s, state in project.sites.items() if not in_scope(state, members))


def scoped_sites(project: Project, site_ids: Iterable[str], members: frozenset[str]) -> list[str]:
    """The sites of `site_ids` the project must still reach or has reached, in order."""
    out = out_of_scope(project, members)
    return [s for s in site_ids if s not in out]
