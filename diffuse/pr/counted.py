"""What a practice's rules read of a project file that a check does not read in full.

A practice's own rules (has it a project; does its status follow its projects' phases)
count the projects that name it by their phase: the valid ones, registered under their own
name, whose phases are all the workflow's. Whether an unchanged project file counts is the
same at the head as at the base (its problems depend on its file, the organisation and the
practices alone), but a check with no cache knows neither. What it can know cheaply is what
the file says *if* it counts: a valid file's top-level mapping holds one `practice` and one
`phase`, and when every line at the left margin is a plain `name:` key or a comment, those
keys are the lines that start with them. `practice_and_phase` reads them so (and the id,
which must be the file's name), and gives up (None: read the file in full) on anything the
bytes could spell another way: quotes, escapes, anchors, aliases, tags, a key that is not a
plain name, a key given twice, a value that goes on to the next line, a value YAML would
read as something other than its text.

So each file read here may count or not, and counts, if it does, with the practice and
phase found: `settles` asks whether the practice's rules find nothing in every case. When
they might, the check reads every file that could name the practice in full instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import combinations
from typing import NamedTuple

from diffuse.models import PracticeStatus, Workflow
from diffuse.rules.following import FOLLOWING, allowed_statuses

# The bytes are read with a line break put in front, so that a line at the left margin is
# found by the line break before it (which the regular expression engine looks for quickly).
_AT_MARGIN = re.compile(rb"\n([^ \n][^\n]*)")
# Before the first value: blank lines and comments, then a line that starts at the margin.
_MARGIN = re.compile(rb"(?:\n *(?:#[^\n]*)?)*\n[^ \n]")
# A plain key. Any other line at the margin but a comment (a tab, a carriage return or a
# byte-order mark there included) makes the read give up.
_KEY = re.compile(rb"([A-Za-z_][A-Za-z0-9_-]*):(?= |$)")
_READ = frozenset({b"id", b"practice", b"phase"})
# A plain value on one line: text that YAML reads as itself, then a comment or nothing.
_VALUE = re.compile(rb" +([A-Za-z][A-Za-z0-9_.-]*)(?: +#[^\n]*| *)")
# After the value's line: blank lines, then the end or a line at the margin (a line indented
# would carry the value on).
_ENDS = re.compile(rb"(?:\n *)*(?:\Z|\n(?=[^ \n]))")
# Plain words YAML 1.1 reads as a null or a boolean.
_WORDS = frozenset({"null", "~", "y", "n", "yes", "no", "on", "off", "true", "false"})
_MOST_PHASES = 8


class Counted(NamedTuple):
    """A project as a practice's rules count it: its id and phase."""

    id: str
    phase: str


def practice_and_phase(raw: bytes, name: str) -> tuple[str, str] | None:
    """(practice, phase) as the file's model holds them when the file is valid, or None
    when its bytes could spell them another way, or its id is not its `name` (which of two
    files keeps an id depends on both)."""
    raw = b"\n" + raw
    if not _MARGIN.match(raw):
        return None
    found: dict[bytes, str] = {}
    # One pass over the lines at the margin: every one a plain key or a comment.
    for line in _AT_MARGIN.finditer(raw):
        if raw[line.start() + 1] == 35:  # "#"
            continue
        key = _KEY.match(raw, line.start() + 1, line.end())
        if key is None:
            return None
        if key.group(1) not in _READ:
            continue
        value = _VALUE.fullmatch(raw, key.end(), line.end())
        if key.group(1) in found or value is None or not _ENDS.match(raw, line.end()):
            return None
        text = value.group(1).decode("ascii")
        if text.lower() in _WORDS:
            return None
        found[key.group(1)] = text
    if len(found) != 3 or found[b"id"] != name:
        return None
    return found[b"practice"], found[b"phase"]


def settles(
    workflow: Workflow, status: PracticeStatus | None, known: list[Counted], maybe: list[Counted]
) -> bool:
    """Whether a practice with `status`, whose projects are `known` and any of `maybe`,
    keeps its rules whichever of `maybe` count: it has a project, and its status follows
    their phases, in every case."""
    if status is PracticeStatus.DIFFUSING and not known:
        return False  # whether it has a project may rest on a file left unread
    if status not in FOLLOWING:
        return True
    # `allowed_statuses` reads which phases are present, not how many projects hold each:
    # one case per set of the phases only `maybe` may add.
    by_phase: dict[str, list[Counted]] = {}
    for project in maybe:
        if project.phase in workflow.phases:  # else it would not count
            by_phase.setdefault(project.phase, []).append(project)
    if len(by_phase) > _MOST_PHASES:
        return False
    return all(status in allowed_statuses(workflow, known + chosen) for chosen in _cases(by_phase))


def _cases(by_phase: dict[str, list[Counted]]) -> Iterable[list[Counted]]:
    phases = sorted(by_phase)
    for size in range(len(phases) + 1):
        for chosen in combinations(phases, size):
            yield [project for phase in chosen for project in by_phase[phase]]
