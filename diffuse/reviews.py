"""Periodic review of practices after diffusion."""

from __future__ import annotations

from datetime import date

from diffuse.models import Organisation, Practice, PracticeStatus
from diffuse.tracker import add_months

REVIEWED = frozenset({PracticeStatus.DIFFUSING, PracticeStatus.DIFFUSED})


def review_due(practice: Practice, org: Organisation) -> date | None:
    """The date the next periodic review is due, from the last review or establishment."""
    if practice.status not in REVIEWED:
        return None
    cadence = practice.review.cadence_months or org.settings.review_cadence_months
    start = practice.review.last or practice.established
    return add_months(start, cadence) if start else None
