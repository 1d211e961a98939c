"""A framework's workflow as plain data, in the shape of the organisation file's `workflow:`."""

from __future__ import annotations

from typing import Any


def workflow_data(
    name: str,
    phases: list[str],
    roles: list[tuple[str, str, str]],
    duties: list[tuple[str, str, str, str]],
    gates: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """A workflow in the shape of the organisation file's `workflow:`."""
    return {
        "name": name,
        "phases": phases,
        "roles": [{"id": i, "name": n, "summary": s} for i, n, s in roles],
        "duties": [{"id": i, "role": r, "due": p, "text": t} for i, r, p, t in duties],
        "gates": {phase: dict(gate) for phase, gate in gates.items()},
    }
