"""The Health Foundation's evidence scan on spreading good practice (2014), its Table 3:
how much evidence there is behind each dissemination approach, of what quality, and what
it found. A dissemination plan is read against it.
"""

from __future__ import annotations

from dataclasses import dataclass

from diffuse.vocab import Approach


@dataclass(frozen=True)
class Evidence:
    amount: str  # small, medium, large
    quality: str  # low, medium, good
    finding: str
    changes_practice: bool  # evidence that it changes what people do, not only awareness

    @property
    def strength(self) -> str:
        return f"{self.amount} amount, {self.quality} quality"


EVIDENCE: dict[Approach, Evidence] = {
    Approach.WRITTEN_MATERIALS: Evidence(
        "large", "good", "raises awareness; unlikely on its own to change behaviour", False
    ),
    Approach.CONFERENCES: Evidence(
        "small", "low", "may spark awareness, mostly among early adopters", False
    ),
    Approach.SOCIAL_MEDIA: Evidence(
        "small", "low", "could spread ideas and uptake; often not used well in care", False
    ),
    Approach.CAMPAIGNS: Evidence(
        "small", "low", "could spread ideas and uptake; longer-term effect unknown", False
    ),
    Approach.CHANGE_CHAMPIONS: Evidence(
        "large", "medium", "champions and opinion leaders sway uptake, above all clinicians'", True
    ),
    Approach.TRAINING: Evidence(
        "large", "good", "builds knowledge and skills; effect depends on format, may fade", True
    ),
    Approach.TRAIN_THE_TRAINER: Evidence(
        "medium", "low", "shares skills; uptake needs resources for the roll-out", False
    ),
    Approach.ACTION_RESEARCH: Evidence(
        "small", "low", "could spread practice within wider teams; little evidence", False
    ),
    Approach.COLLABORATIVES: Evidence(
        "large", "medium", "can improve practice; effects may fade and stay with members", True
    ),
    Approach.NETWORKS: Evidence(
        "medium", "low", "ideas travel through networks; how to harness them is unclear", False
    ),
}


def plan_warnings(approaches: list[Approach]) -> list[str]:
    """What a plan lacks: an approach with good evidence that it changes practice, and
    more than training alone (the scan finds training alone rarely increases uptake)."""
    if not approaches:
        return []
    used = sorted(set(approaches), key=list(Approach).index)
    warnings = []
    if not any(EVIDENCE[a].changes_practice for a in used):
        names = ", ".join(a.value for a in used)
        warnings.append(
            f"the plan leans only on approaches with weak evidence of changing practice "
            f"({names}); add change champions, training or collaboratives"
        )
    elif used == [Approach.TRAINING]:
        warnings.append(
            "training alone is unlikely to increase uptake; combine it with change "
            "champions, collaboratives or networks"
        )
    return warnings
