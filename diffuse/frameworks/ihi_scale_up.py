"""The IHI Scale-up Framework (2016): set up; build the scalable unit; test scale-up; go to
full scale and sustain."""

from __future__ import annotations

from typing import Any

from diffuse.frameworks.shape import workflow_data as shape

PHASES = ["set-up", "scalable-unit", "test-scale-up", "full-scale"]

ROLES = [
    ("sponsor", "Sponsor", "Owns the aim of scale-up and mobilises the system."),
    ("scale-up-lead", "Scale-up lead", "Runs each phase and builds what full scale needs."),
    ("unit-team", "Scalable unit team", "Tests the changes in the smallest unit to replicate."),
    ("measurement", "Measurement lead", "Shows whether the changes result in improvement."),
]

DUTIES = [
    ("sp-aim", "sponsor", "set-up", "Agree the aim, scope and target population of scale-up"),
    ("sl-state", "scale-up-lead", "set-up", "Understand the current state"),
    ("sl-drivers", "scale-up-lead", "set-up", "Draft the driver diagram and change package"),
    ("mm-plan", "measurement", "set-up", "Set the measurement plan"),
    ("sl-unit", "scale-up-lead", "scalable-unit", "Define the scalable unit"),
    ("ut-test", "unit-team", "scalable-unit", "Test the change ideas in a few small settings"),
    ("mm-improve", "measurement", "scalable-unit", "Show the changes result in improvement"),
    ("ut-package", "unit-team", "test-scale-up", "Test the change package in more settings"),
    ("sl-infra", "scale-up-lead", "test-scale-up", "Build the infrastructure full scale needs"),
    ("mm-confidence", "measurement", "test-scale-up", "Confirm the gains hold across settings"),
    ("sp-adopt", "sponsor", "full-scale", "Mobilise adoption across the whole system"),
    ("sl-sustain", "scale-up-lead", "full-scale", "Embed the changes in routine practice"),
    ("mm-ongoing", "measurement", "full-scale", "Keep measuring to hold the gains"),
]

GATES: dict[str, dict[str, Any]] = {
    "scalable-unit": {"roles": ["sponsor", "scale-up-lead"], "approval": True},
    "test-scale-up": {
        "roles": ["unit-team", "measurement"],
        "approval": True,
        "done": ["mm-improve"],
    },
    "full-scale": {"approval": True, "practice": "diffusing", "done": ["mm-confidence"]},
}


def workflow_data() -> dict[str, Any]:
    return shape("IHI Scale-up Framework", PHASES, ROLES, DUTIES, GATES)
