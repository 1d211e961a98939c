"""Gate reports: what a project lacks to move to its next phase, as `advance` and `show`
print it, and what `advance` did."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from diffuse.escape import clean

if TYPE_CHECKING:
    from diffuse.models import Workflow
    from diffuse.rules.gates import GateReport


SITES_HEADING = "Sites: live, not-applicable with a reason, or excepted by diffusion oversight"


def gate_text(report: GateReport, workflow: Workflow) -> str:
    head = f"{report.project}: {report.current} -> {report.target}"
    if report.passed:
        return f"{head}: gate met"
    lines = [f"{head}: gate NOT met, {len(report.gaps)} item(s) missing"]
    for role, gaps in report.by_role().items():
        heading = workflow.role_name(role) if role else SITES_HEADING
        lines.append(f"  {clean(heading)}:")
        lines += [f"    ✗ [{gap.kind}] {clean(gap.item)}: {clean(gap.text)}" for gap in gaps]
    return "\n".join(lines)


def advance_text(outcome: Any) -> str:
    lines = [gate_text(outcome.report, outcome.workflow)]
    if outcome.report.passed and outcome.dry_run:
        lines.append("dry run: nothing was changed")
    elif outcome.path is not None:
        lines.append(f"recorded in {clean(outcome.path)}")
        if outcome.practice is not None:
            practice, old, new = outcome.practice
            lines.append(f"practice {clean(practice)}: {old} -> {new}")
    if outcome.commit:
        lines.append(f"committed {outcome.commit}")
    return "\n".join(lines)
