"""The test tracker's project written at a later phase, valid in every respect: each duty
due before that phase done, every role assigned, each gate approved and the history in
order. Tests move it further with `diffuse advance` as a user would."""

from __future__ import annotations

from pathlib import Path

from diffuse.frameworks.mayo import DUTIES, PHASES, ROLES

DEFAULT_SITES = {
    "nor": "{status: live, go_live_actual: 2026-03-01}",
    "nst": "{status: live, go_live_actual: 2026-04-06}",
    "sou": "{status: implementing, health: at-risk}",
    "sea": "{status: not-applicable, reason: no inpatient beds}",
}
DATES = {"plan": "2026-02-01", "execute": "2026-02-20", "close": "2026-06-01"}


def write_project(
    tracker: Path,
    phase: str,
    sites: dict[str, str] | None = None,
    duties_before: str | None = None,
    extra_done: tuple[str, ...] = (),
) -> Path:
    """projects/hh-spread.yaml in `phase`, with the practice in the status that follows
    from it. Duties due before `duties_before` (default: `phase`) are done."""
    index = PHASES.index(phase)
    due = PHASES.index(duties_before or phase)
    lines = [
        "id: hh-spread",
        "practice: hand-hygiene",
        "title: Hand hygiene everywhere",
        f"phase: {phase}",
        "approved: 2026-02-01",
        "roles:",
        *[f"  {role}: cy" for role, _, _ in ROLES],
        "checklist:",
        *[
            f"  {duty}: {{status: done, date: 2026-01-20}}"
            for duty, _, when, _ in DUTIES
            if PHASES.index(when) < due or duty in extra_done
        ],
        "sites:",
        *[f"  {site}: {row}" for site, row in (sites or DEFAULT_SITES).items()],
        "approvals:",
        *[
            f"  - {{gate: {gate}, body: cpc, by: ben, date: {day}}}"
            for gate, day in DATES.items()
            if PHASES.index(gate) <= max(index, 1)
        ],
        "history:",
        *[
            f"  - {{from: {PHASES[i - 1]}, to: {PHASES[i]}, date: {_entered(PHASES[i])}, by: cy}}"
            for i in range(1, index + 1)
        ],
    ]
    path = tracker / "projects" / "hh-spread.yaml"
    path.write_text("\n".join(lines) + "\n")
    status = "approved" if index < 2 else "diffusing" if index < 3 else "diffused"
    set_practice_status(tracker, status)
    return path


def _entered(phase: str) -> str:
    return DATES.get(phase, "2026-07-01")


def set_practice_status(tracker: Path, status: str) -> None:
    practice = tracker / "practices" / "hand-hygiene.yaml"
    text = practice.read_text()
    head, rest = text.split("status: ", 1)
    practice.write_text(f"{head}status: {status}\n{rest.split(chr(10), 1)[1]}")
