"""The patient-data guard's recall and precision on its labelled test set.

The set is tests/data/phi_labelled.yaml; tests/unit/files/test_phi.py asserts the figures and
`python benchmarks/bench_phi.py --accuracy` prints them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from diffuse.files import phi

DATA = Path(__file__).parent / "data" / "phi_labelled.yaml"


@dataclass(frozen=True)
class Case:
    text: str
    ids: list[tuple[str, str]]


@dataclass
class Score:
    texts: int = 0
    expected: int = 0
    found: int = 0
    hits: int = 0  # expected identifiers found, of the right kind
    right: int = 0  # findings that are an expected identifier
    missed: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, id, text)
    false_alarms: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, masked, text)

    @property
    def recall(self) -> float:
        return self.hits / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.right / self.found if self.found else 1.0


def load(path: Path = DATA) -> list[Case]:
    cases = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8")):
        ids = [(str(kind), str(value)) for kind, value in item["ids"]]
        for kind, value in ids:
            assert value in item["text"], f"{value!r} is not in {item['text']!r}"
            assert kind in phi._WHAT, f"unknown kind {kind!r}"
        cases.append(Case(item["text"], ids))
    return cases


def covers(finding: phi.Finding, kind: str, start: int, end: int) -> bool:
    return finding.kind == kind and finding.start <= start and end <= finding.end


def score(cases: list[Case]) -> Score:
    """A finding is right when it is of an expected identifier's kind and covers its text."""
    result = Score(texts=len(cases))
    for case in cases:
        found = list(phi.findings(case.text))
        spans = []
        for kind, value in case.ids:
            start = case.text.index(value)
            spans.append((kind, start, start + len(value)))
        result.expected += len(spans)
        result.found += len(found)
        for f in found:
            if any(covers(f, *span) for span in spans):
                result.right += 1
            else:
                result.false_alarms.append((f.kind, f.masked, case.text))
        for span, (kind, value) in zip(spans, case.ids, strict=True):
            if any(covers(f, *span) for f in found):
                result.hits += 1
            else:
                result.missed.append((kind, value, case.text))
    return result
