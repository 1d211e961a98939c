"""The IHI Framework for Spread (2006): set the aim for spread (who, what, where), make a
spread plan (communication, the social system, measurement), then execute and refine it."""

from __future__ import annotations

from typing import Any

from diffuse.frameworks.shape import workflow_data as shape

PHASES = ["aim", "spread-plan", "execute-refine", "sustain"]

ROLES = [
    ("executive-sponsor", "Executive sponsor", "Makes spread a strategic priority; sets the aim."),
    ("spread-lead", "Day-to-day spread leader", "Runs the spread plan and refines it."),
    ("adopters", "Adopting units", "Take up the changes and adapt them locally."),
    ("communications", "Communications lead", "Carries the ideas through the social system."),
    ("measurement", "Measurement lead", "Measures spread and improvement; feeds them back."),
]

DUTIES = [
    ("es-priority", "executive-sponsor", "aim", "Make spread a strategic priority"),
    ("es-aim", "executive-sponsor", "aim", "Set the aim for spread: who, what, where, by when"),
    ("es-resources", "executive-sponsor", "aim", "Commit resources and name the spread leader"),
    ("sl-ideas", "spread-lead", "aim", "Document the better ideas and the evidence behind them"),
    ("sl-adopters", "spread-lead", "aim", "Identify the target population and adopter groups"),
    ("cm-plan", "communications", "spread-plan", "Plan awareness and technical communication"),
    ("cm-messengers", "communications", "spread-plan", "Choose messengers and opinion leaders"),
    ("sl-structure", "spread-lead", "spread-plan", "Set the infrastructure that carries the ideas"),
    ("mm-plan", "measurement", "spread-plan", "Set measures of spread and of improvement"),
    ("ad-test", "adopters", "execute-refine", "Test and adapt the changes locally"),
    ("mm-report", "measurement", "execute-refine", "Report the progress of spread regularly"),
    ("sl-refine", "spread-lead", "execute-refine", "Refine the spread plan from the measures"),
    ("es-embed", "executive-sponsor", "sustain", "Embed the changes in policies and routines"),
    ("mm-ongoing", "measurement", "sustain", "Hand ongoing measurement to the operating owners"),
]

GATES: dict[str, dict[str, Any]] = {
    "spread-plan": {"roles": ["executive-sponsor", "spread-lead"], "approval": True},
    "execute-refine": {
        "roles": ["adopters", "communications", "measurement"],
        "approval": True,
        "practice": "diffusing",
    },
    "sustain": {"approval": True, "sites": "live", "practice": "diffused", "done": ["mm-report"]},
}


def workflow_data() -> dict[str, Any]:
    return shape("IHI Framework for Spread", PHASES, ROLES, DUTIES, GATES)
