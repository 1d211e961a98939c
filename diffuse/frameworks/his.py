"""Healthcare Improvement Scotland's spread and sustainability framework (2013): innovation,
spread, decision to adopt, implementation."""

from __future__ import annotations

from typing import Any

from diffuse.frameworks.shape import workflow_data as shape

PHASES = ["innovation", "spread", "decision-to-adopt", "implementation"]

ROLES = [
    ("sponsor", "Sponsor", "Confirms the innovation fits the organisation's priorities."),
    ("innovation-lead", "Innovation lead", "Describes and demonstrates the innovation."),
    ("spread-team", "Spread team", "Disseminates it and fosters diffusion between peers."),
    ("adopters", "Adopters", "Motivated, capable people who decide to adopt it."),
    ("implementation-support", "Implementation support", "Early help: experts, collaboratives."),
    ("measurement", "Measurement lead", "Measures implementation and whether it lasts."),
]

DUTIES = [
    ("sp-fit", "sponsor", "innovation", "Confirm the innovation fits the priorities"),
    ("il-attributes", "innovation-lead", "innovation", "Describe its advantage and complexity"),
    ("il-demonstrate", "innovation-lead", "innovation", "Demonstrate it so others can see it"),
    ("st-approach", "spread-team", "spread", "Mix dissemination and peer-to-peer diffusion"),
    ("st-messages", "spread-team", "spread", "Tailor the messages to each audience"),
    ("ad-identify", "adopters", "decision-to-adopt", "Identify motivated and capable adopters"),
    ("ad-decide", "adopters", "decision-to-adopt", "Record each unit's decision to adopt"),
    ("is-early", "implementation-support", "implementation", "Give assistance early"),
    ("mm-sustain", "measurement", "implementation", "Measure implementation and its sustainment"),
]

GATES: dict[str, dict[str, Any]] = {
    "spread": {"roles": ["sponsor", "innovation-lead"], "approval": True},
    "decision-to-adopt": {"roles": ["spread-team"], "approval": False},
    "implementation": {
        "roles": ["adopters", "implementation-support", "measurement"],
        "approval": True,
        "practice": "diffusing",
    },
}


def workflow_data() -> dict[str, Any]:
    return shape(
        "Healthcare Improvement Scotland spread and sustainability", PHASES, ROLES, DUTIES, GATES
    )
