"""The practice catalogue, the searchable "innovation portal": every practice with its
status, owner, approving body, evidence, support elements and review date.

Search matches every word of the query, case-insensitively, anywhere in a practice's
text; the report's client-side search uses the same text and the same rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from diffuse.errors import DiffuseError
from diffuse.models import Organisation, Practice
from diffuse.reports.reviews import review_due
from diffuse.rules.catalog import Catalog
from diffuse.vocab import PracticeStatus

WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Entry:
    practice: Practice
    owner: str
    body: str
    review_due: date | None
    text: str  # everything searchable, lower case


def entries(catalog: Catalog) -> list[Entry]:
    org = catalog.organisation
    if org is None:
        raise ValueError("the catalog has no valid organisation file")
    return [_entry(p, org) for p in sorted(catalog.practices.values(), key=lambda p: p.id)]


def _entry(practice: Practice, org: Organisation) -> Entry:
    person = org.person(practice.owner) if practice.owner else None
    owner = person.name if person else (practice.owner or "")
    found = org.body(practice.approving_body)
    body = found.name if found else practice.approving_body
    principles = practice.key_principles
    words = [
        practice.id,
        practice.title,
        practice.summary,
        practice.goal or "",
        practice.status.value,
        owner,
        body,
        *(principles.fixed + principles.adaptable if principles else []),
        *(e.summary for e in practice.evidence),
        *(s.title for s in practice.support_elements),
        *(s.kind.value for s in practice.support_elements),
    ]
    text = " ".join(" ".join(words).lower().split())
    return Entry(practice, owner, body, review_due(practice, org), text)


def search(catalog: Catalog, query: str, statuses: tuple[str, ...] = ()) -> list[Entry]:
    """Practices whose text holds every word of `query`, optionally of these statuses."""
    allowed = [s.value for s in PracticeStatus]
    unknown = [s for s in statuses if s not in allowed]
    if unknown:
        raise DiffuseError(
            f"--status: unknown value {', '.join(map(repr, unknown))}; "
            f"expected one of: {', '.join(allowed)}"
        )
    words = [w.lower() for w in WORD.findall(query)]
    if not words:
        raise DiffuseError("the query has no words to search for")
    return [
        e
        for e in entries(catalog)
        if (not statuses or e.practice.status.value in statuses) and all(w in e.text for w in words)
    ]
