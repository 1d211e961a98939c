"""The Mayo Clinic Model of Diffusion as the default workflow: phases, gates, roles, duties.

Kept as plain data so an organisation file can declare the same structure for another
framework; `default_workflow()` validates it through the same model as a user's.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from diffuse.models.workflow import Workflow

PHASES = ["initiate", "plan", "execute", "close", "sustain"]

ROLES = [
    (
        "sponsor-readiness",
        "Sponsoring Body: diffusion readiness",
        "Confirms the practice is ready to spread and staffs the effort.",
    ),
    (
        "sponsor-oversight",
        "Sponsoring Body: diffusion oversight",
        "Approves each gate and local adaptations; removes barriers.",
    ),
    (
        "diffusion-manager",
        "Enterprise Diffusion Manager",
        "Runs the roll-out, coordinates resources and tracks status.",
    ),
    (
        "diffusion-team",
        "Diffusion Team (local sites)",
        "Carries out the implementation at each site.",
    ),
    (
        "operational-owner",
        "Operational Owners / Work Units",
        "Put the practice into daily use and watch adoption.",
    ),
    (
        "it-liaison",
        "Information Technology Liaison",
        "Defines and sees through the system changes the practice needs.",
    ),
    (
        "infrastructure",
        "Infrastructure Support",
        "Public affairs, knowledge system, finance and patient education support.",
    ),
    (
        "practice-owner",
        "Best Practice Owner",
        "Keeps the practice current after diffusion; the go-to expert.",
    ),
    (
        "measurement",
        "Measurement Coordinator",
        "Plans, collects and reports the metrics, then hands them to the owner.",
    ),
]

# (duty id, role, phase that cannot be left until it is done, what it asks)
DUTIES = [
    (
        "sr-proven",
        "sponsor-readiness",
        "initiate",
        "Confirm the practice has worked at one site or more",
    ),
    (
        "sr-vetted",
        "sponsor-readiness",
        "initiate",
        "Confirm the sites that will adopt it have vetted it",
    ),
    ("sr-aim", "sponsor-readiness", "initiate", "Write the goal and aim statement"),
    ("sr-metrics", "sponsor-readiness", "initiate", "Check the metrics can be met and sustained"),
    (
        "sr-principles",
        "sponsor-readiness",
        "initiate",
        "Settle the key principles: what stays fixed, where sites may vary",
    ),
    ("sr-budget", "sponsor-readiness", "initiate", "Allocate the budget"),
    (
        "sr-leaders",
        "sponsor-readiness",
        "initiate",
        "Name the champion, administrative and physician leaders",
    ),
    (
        "sr-announce",
        "sponsor-readiness",
        "plan",
        "Announce the coming diffusion to the organisation",
    ),
    (
        "so-adaptations",
        "sponsor-oversight",
        "execute",
        "Rule on the local adaptations sites ask for",
    ),
    ("so-barriers", "sponsor-oversight", "execute", "Remove the barriers sites escalate"),
    (
        "dm-standard-format",
        "diffusion-manager",
        "initiate",
        "Check the practice is in the standard format",
    ),
    ("dm-readiness", "diffusion-manager", "initiate", "Confirm diffusion readiness"),
    ("dm-charter", "diffusion-manager", "initiate", "Complete the project charter"),
    ("dm-budget", "diffusion-manager", "plan", "Coordinate budget allocation and resourcing"),
    ("dm-stakeholders", "diffusion-manager", "plan", "Complete the stakeholder analysis"),
    ("dm-change-plan", "diffusion-manager", "plan", "Write the change management plan"),
    ("dm-comms-plan", "diffusion-manager", "plan", "Write the communication plan"),
    ("dm-timeline", "diffusion-manager", "plan", "Set the project timeline"),
    ("dm-status", "diffusion-manager", "execute", "Submit regular status updates"),
    ("dm-close", "diffusion-manager", "close", "Close and archive the project"),
    ("dt-readiness", "diffusion-team", "plan", "Assess local readiness and stakeholders"),
    ("dt-local-plan", "diffusion-team", "plan", "Write the local project plan"),
    ("dt-messages", "diffusion-team", "plan", "Choose the key messages and messengers"),
    ("dt-education", "diffusion-team", "plan", "Set the education and training plans"),
    (
        "dt-infrastructure",
        "diffusion-team",
        "execute",
        "Complete the infrastructure elements: knowledge base, forms, IT, order sets, messages",
    ),
    ("dt-go-live", "diffusion-team", "execute", "Coordinate go-live and its support"),
    (
        "dt-self-assessment",
        "diffusion-team",
        "execute",
        "Provide a self-assessment tool to work units",
    ),
    ("dt-audits", "diffusion-team", "close", "Audit on site where needed"),
    ("dt-metrics", "diffusion-team", "close", "Monitor implementation and sustainment metrics"),
    ("oo-communicate", "operational-owner", "execute", "Tell staff what changes and why"),
    ("oo-implement", "operational-owner", "execute", "Put the practice in place"),
    ("oo-barriers", "operational-owner", "execute", "Raise and help clear barriers"),
    ("oo-reinforce", "operational-owner", "close", "Reinforce and monitor adoption"),
    ("it-requirements", "it-liaison", "plan", "State system requirements and impacted systems"),
    (
        "it-approval",
        "it-liaison",
        "plan",
        "Take the work through review, approval and prioritisation",
    ),
    ("it-resources", "it-liaison", "plan", "Secure resources and a date of availability"),
    ("it-complete", "it-liaison", "execute", "Confirm the system work is complete"),
    ("in-needs", "infrastructure", "plan", "Identify education and knowledge-system needs"),
    ("in-resources", "infrastructure", "plan", "Secure and prioritise resources and approvals"),
    ("in-test", "infrastructure", "execute", "Test the infrastructure changes"),
    ("in-complete", "infrastructure", "execute", "Confirm the work is complete and meets needs"),
    (
        "mc-plan",
        "measurement",
        "plan",
        "Set key metrics and the measurement plan from baseline data",
    ),
    ("mc-infrastructure", "measurement", "plan", "Set up measurement infrastructure"),
    ("mc-collection", "measurement", "execute", "Organise data collection"),
    ("mc-reports", "measurement", "execute", "Provide timely analysis and reports"),
    ("mc-handoff", "measurement", "close", "Hand ongoing measurement to the practice owner"),
    ("mc-review-timeline", "measurement", "close", "Set the timeline for periodic metric review"),
    ("po-review", "practice-owner", "sustain", "Review the practice routinely for effectiveness"),
    ("po-literature", "practice-owner", "sustain", "Review the literature for updates"),
    ("po-recommend", "practice-owner", "sustain", "Recommend improvements to the approving body"),
    ("po-update", "practice-owner", "sustain", "Update the practice, policies and education"),
]

# What entering a phase needs: roles assigned, an oversight approval, every in-scope site
# live (close), duties truly done rather than marked na (sustain: ongoing measurement handed
# to the owner), and the practice status the move brings (diffusing at the first execute,
# diffused when every project has closed).
GATES: dict[str, dict[str, Any]] = {
    "plan": {
        "roles": ["sponsor-readiness", "sponsor-oversight", "diffusion-manager"],
        "approval": True,
    },
    "execute": {
        "roles": ["diffusion-team", "it-liaison", "measurement", "operational-owner"],
        "approval": True,
        "practice": "diffusing",
    },
    "close": {
        "roles": ["practice-owner"],
        "approval": True,
        "sites": "live",
        "practice": "diffused",
    },
    "sustain": {"roles": ["practice-owner"], "approval": False, "done": ["mc-handoff"]},
}


def mayo_workflow_data() -> dict[str, Any]:
    return {
        "name": "Mayo Clinic Model of Diffusion",
        "phases": list(PHASES),
        "roles": [{"id": i, "name": n, "summary": s} for i, n, s in ROLES],
        "duties": [{"id": i, "role": r, "due": p, "text": t} for i, r, p, t in DUTIES],
        "gates": {phase: dict(gate) for phase, gate in GATES.items()},
    }


@cache
def default_workflow() -> Workflow:
    return Workflow.model_validate(mayo_workflow_data())
