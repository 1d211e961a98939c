"""The patient-data guard: text that looks like a patient identifier is an error.

Tracker files are shared in git, read in pull requests and copied into reports; none of that
is a place for a medical record number, a date of birth or a national health number. A few
substring searches over a file's text find the lines that may hold one (almost always none);
only those lines are matched with the full expressions, and only a match is checked further
(NHS numbers by their check digit, SSNs by their number ranges) and placed at its field.
What is found is shown masked, never in full.

A documented false positive is kept by ending its line with
`# diffuse: not-patient-data (the reason)`; the reason is required.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from diffuse.errors import Location, Problem
from diffuse.files.loading import Document
from diffuse.files.nodes import shown

CODE = "patient-data"
MAX_REPORTED = 50
MARK = "# diffuse: not-patient-data (reason)"

# Every gap is bounded ({1,3}) so no input makes the expression backtrack for long.
_GAP = r"\s{1,3}"
_SEP = r"\s{0,3}[:#=-]?\s{0,3}"
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = (
    rf"(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}"
    rf"|{_DAY}{_GAP}{_MONTH},?{_GAP}\d{{4}}|{_MONTH}{_GAP}{_DAY},?{_GAP}\d{{4}})"
)
_NUMBER_WORD = rf"(?:{_GAP}(?:number|num|no\.?|nr|id|\#))?"
_PATTERN = re.compile(
    rf"(?P<mrn>\b(?:mrn|mr\#|medical{_GAP}record{_NUMBER_WORD}|patient{_GAP}(?:id|number|no\.?)"
    rf"|hospital{_GAP}(?:number|no\.?)|chart{_GAP}(?:number|no\.?))"
    rf"{_SEP}(?P<mrn_id>[a-z]{{0,3}}\d{{5,12}})\b)"
    rf"|(?P<dob>\b(?:dob|d\.o\.b\.?|date{_GAP}of{_GAP}birth|birth\s?date|born(?:{_GAP}on)?)"
    rf"{_SEP}(?P<dob_date>{_DATE}))"
    rf"|(?P<ssn>\b(?:ssn|social{_GAP}security{_NUMBER_WORD})"
    rf"{_SEP}(?P<ssn_id>\d{{3}}-?\d{{2}}-?\d{{4}})\b"
    r"|(?<![\d-])(?P<ssn_bare>\d{3}-\d{2}-\d{4})(?![\d-]))"
    rf"|(?P<nhs>\bnhs{_NUMBER_WORD}{_SEP}(?P<nhs_id>\d{{3}}[ -]?\d{{3}}[ -]?\d{{4}})\b"
    r"|(?<![\d(+-])(?P<nhs_bare>\d{3} \d{3} \d{4})(?![\d-]))",
    re.IGNORECASE,
)
# The quick first look: ASCII letters folded to lower case and digits to '0', so one substring
# search finds every form of a number. Text with none of these holds no candidate at all.
_FOLD = bytes.maketrans(
    string.ascii_uppercase.encode() + b"123456789", string.ascii_lowercase.encode() + b"0" * 9
)
_TRIGGERS = (b"000-00-0000", b"000 000 0000", b"000-000-0000", b"dob", b"d.o.b", b"birth", b"born")
_LONG_NUMBER = b"00000"
_KEYWORD_NEAR = re.compile(rb"mrn|mr#|record|patient (?:id|n)|hospital n|chart n|ssn|security|nhs")
_ALLOW = re.compile(r"#\s*diffuse:\s*not-patient-data\b\s*(?:\((?P<reason>[^)]*)\))?")

_WHAT = {
    "mrn": "a medical record number",
    "dob": "a date of birth",
    "ssn": "a US social security number",
    "nhs": "an NHS number",
}


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    masked: str


def patient_data(doc: Document) -> list[Problem]:
    """A problem for each unmarked patient identifier in the document's text."""
    problems: list[Problem] = []
    for finding in findings(doc.text):
        if len(problems) == MAX_REPORTED:
            # Placing each one walks the file; a file full of them needs no more proof.
            message = f"more than {MAX_REPORTED} patient identifiers; only the first are listed"
            return [*problems, Problem(Location(doc.path), CODE, message)]
        problem = _problem(doc, finding)
        if problem is not None:
            problems.append(problem)
    return problems


def findings(text: str) -> Iterator[Finding]:
    for start, end in _windows(text):
        for match in _PATTERN.finditer(text, start, end):
            finding = _finding(match)
            if finding is not None:
                yield finding


def _windows(text: str) -> list[tuple[int, int]]:
    """The lines (with the line before) that may hold a candidate, merged, in order."""
    folded = text.encode("ascii", "replace").translate(_FOLD)
    hits = [i for token in _TRIGGERS for i in _positions(folded, token)]
    hits += [
        i
        for i in _positions(folded, _LONG_NUMBER)
        if _KEYWORD_NEAR.search(folded, max(0, i - 30, folded.rfind(b"\n", 0, i)), i)
    ]
    windows: list[tuple[int, int]] = []
    for hit in sorted(hits):
        start = text.rfind("\n", 0, max(0, text.rfind("\n", 0, hit))) + 1
        end = text.find("\n", hit)
        end = len(text) if end < 0 else end
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return windows


def _positions(folded: bytes, token: bytes) -> Iterator[int]:
    at = folded.find(token)
    while at >= 0:
        yield at
        at = folded.find(token, at + len(token))


def _finding(match: re.Match[str]) -> Finding | None:
    kind = (match.lastgroup or "").split("_")[0]
    group = next(g for g in (f"{kind}_id", f"{kind}_bare", f"{kind}_date") if _has(match, g))
    value = match.group(group)
    if not _plausible(kind, value):
        return None
    label = match.group(0)[: match.start(group) - match.start()]
    masked = label + _mask(value, keep=0 if kind == "dob" else 2)
    return Finding(kind, match.start(), match.end(), " ".join(masked.split()))


def _has(match: re.Match[str], group: str) -> bool:
    return group in match.re.groupindex and match.group(group) is not None


def _plausible(kind: str, value: str) -> bool:
    digits = re.sub(r"\D", "", value)
    if kind == "nhs":
        return _nhs_checksum(digits)
    if kind == "ssn":
        area, group, serial = digits[:3], digits[3:5], digits[5:]
        valid = area not in ("000", "666") and area[0] != "9" and group != "00"
        return valid and serial != "0000"
    return True


def _nhs_checksum(digits: str) -> bool:
    if len(digits) != 10:
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _mask(value: str, keep: int) -> str:
    shown = len(re.sub(r"[^0-9a-zA-Z]", "", value)) - keep
    out = []
    for char in value:
        if char.isalnum() and shown > 0:
            out.append("*")
            shown -= 1
        else:
            out.append(char)
    return "".join(out)


def _problem(doc: Document, finding: Finding) -> Problem | None:
    spot = _spot(doc, finding.start)
    lines = {_line_of(doc.text, finding.start), spot.first_line}
    marks = [m for line in lines for m in _ALLOW.finditer(_line_text(doc.text, line))]
    if any(_explained(m) for m in marks):
        return None
    what = f"looks like {_WHAT[finding.kind]} ({finding.masked})"
    if marks:
        advice = "the not-patient-data mark on this line needs a reason in parentheses"
    else:
        advice = f"remove it, or if it is not patient data end the line with '{MARK}'"
    line = _line_of(doc.text, finding.start)
    col = finding.start - (doc.text.rfind("\n", 0, finding.start) + 1) + 1
    return Problem(Location(doc.path, line, col), CODE, f"{spot.label}: {what}; {advice}")


def _explained(mark: re.Match[str]) -> bool:
    # The mark copied from the message as it stands, "(reason)", explains nothing.
    reason = (mark.group("reason") or "").strip()
    return bool(reason) and reason.lower() != "reason"


@dataclass(frozen=True)
class _Spot:
    label: str
    first_line: int


def _spot(doc: Document, offset: int) -> _Spot:
    """The field holding `offset` (its dotted path), or a comment."""
    if doc.node is None:
        return _Spot("text", _line_of(doc.text, offset))
    found = _find(doc.node, offset, ())
    if found is None:
        return _Spot("comment", _line_of(doc.text, offset))
    node, loc = found
    path = ".".join(shown(str(step), 40)[1:-1] for step in loc) or "(top level)"
    return _Spot(path, node.start_mark.line + 1)


def _find(
    node: yaml.Node, offset: int, loc: tuple[Any, ...]
) -> tuple[yaml.Node, tuple[Any, ...]] | None:
    # Iterative, and only along the one branch whose span holds the offset.
    while True:
        if isinstance(node, yaml.ScalarNode):
            return (node, loc) if node.start_mark.index <= offset < node.end_mark.index else None
        if isinstance(node, yaml.SequenceNode):
            items = list(enumerate(node.value))
            step = next(((i, n) for i, n in items if _holds(n, offset)), None)
            if step is None:
                return None
            loc, node = (*loc, step[0]), step[1]
            continue
        for key, value in node.value:
            if _holds(key, offset):
                return (key, (*loc, key.value)) if isinstance(key, yaml.ScalarNode) else None
            if _holds(value, offset):
                loc, node = (*loc, key.value if isinstance(key, yaml.ScalarNode) else "?"), value
                break
        else:
            return None


def _holds(node: yaml.Node, offset: int) -> bool:
    return bool(node.start_mark.index <= offset < node.end_mark.index)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _line_text(text: str, line: int) -> str:
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    end = text.find("\n", start)
    return text[start : end if end >= 0 else len(text)]
