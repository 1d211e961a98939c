"""What a practice's rules take from a project file's bytes (`pr.counted`): whenever the
file is valid, exactly what the full read finds, else nothing (the file is read in full)."""

from __future__ import annotations

import random
from itertools import product
from pathlib import Path

import pytest
from conftest import REPO_ROOT

from diffuse.files.loading import model_from_bytes
from diffuse.frameworks.mayo import default_workflow
from diffuse.models import PracticeStatus, Project
from diffuse.pr.counted import Counted, practice_and_phase, settles
from diffuse.rules.following import allowed_statuses

DEMO = (REPO_ROOT / "projects" / "readmissions-rollout.yaml").read_text()
PATH = Path("projects/hh-spread.yaml")
SMALL = (REPO_ROOT / "tests" / "fixtures" / "tracker" / "projects" / "hh-spread.yaml").read_text()


def spelt(old: str, new: str, text: str = DEMO) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def model(text: str) -> Project | None:
    return model_from_bytes(PATH, text.encode(), Project)


def test_a_plain_file_says_its_practice_and_phase() -> None:
    assert practice_and_phase(DEMO.encode(), "readmissions-rollout") == (
        "readmissions-30-day",
        "execute",
    )
    text = spelt("phase: execute\n", "phase: close   # closed early\n")
    assert practice_and_phase(text.encode(), "readmissions-rollout") == (
        "readmissions-30-day",
        "close",
    )


# Each is a valid project (or would be) whose practice or phase the bytes spell in a way a
# read of lines could take for something else.
OTHER_SPELLINGS = {
    "double quotes": spelt("phase: execute\n", 'phase: "execute"\n'),
    "single quotes": spelt("phase: execute\n", "phase: 'close'\n"),
    "escapes": spelt("practice: readmissions-30-day", 'practice: "readmissions\\x2d30-day"'),
    "a tag": spelt("phase: execute\n", "phase: !!str close\n"),
    "an anchor": spelt("phase: execute\n", "phase: &p close\n"),
    "an alias": spelt(
        "practice: readmissions-30-day\n",
        "practice: *p\n",
        spelt("title: 30-Day", "title: &p readmissions-30-day\nsubtitle: 30-Day"),
    ),
    "a key given twice": DEMO + "phase: close\n",
    "a quoted key": spelt("phase: execute\n", '"phase": execute\n'),
    "a key in a quoted text, the real one quoted": spelt(
        "phase: execute\n",
        "summary: \"a note\nphase: close\n\"\n'phase': execute\n",
    ),
    "the value on the next line": spelt("phase: execute\n", "phase:\n  execute\n"),
    "the value going on": spelt("phase: execute\n", "phase: exe\n  cute\n"),
    "the value going on after a blank line": spelt("phase: execute\n", "phase: exe\n\n  cute\n"),
    "an indented mapping": "".join(f"  {line}\n" if line else "\n" for line in DEMO.split("\n")),
    "a flow mapping": "{id: readmissions-rollout, practice: readmissions-30-day, phase: close}\n",
    "a merge key": spelt("phase: execute\n", "<<: {phase: close}\nphase: execute\n"),
    "a complex key": spelt("phase: execute\n", "? phase\n: close\n"),
    "a document start": "--- \n" + DEMO,
    "line ends with carriage returns": DEMO.replace("\n", "\r\n"),
    "a byte-order mark": "\ufeff" + DEMO,
    "an id that is not the file's name": spelt(
        "id: readmissions-rollout", "id: readmissions-other"
    ),
    "an id in quotes": spelt("id: readmissions-rollout", 'id: "readmissions-rollout"'),
    "a tab after the colon": spelt("phase: execute\n", "phase:\texecute\n"),
    "a space before the colon": spelt("phase: execute\n", "phase : execute\n"),
    "a word YAML reads as a boolean": spelt("phase: execute\n", "phase: on\n"),
    "a value with a hash": spelt("phase: execute\n", "phase: execute#1\n"),
}


@pytest.mark.parametrize("name", sorted(OTHER_SPELLINGS))
def test_a_value_spelt_another_way_is_read_in_full(name: str) -> None:
    text = OTHER_SPELLINGS[name]
    assert practice_and_phase(text.encode(), "readmissions-rollout") is None


def test_what_it_says_is_what_the_full_read_finds_whenever_the_file_is_valid() -> None:
    # Lines of a project file copied, indented, quoted and joined: whenever the bytes are
    # read at all, a valid file holds what they say.
    assert model(SMALL) is not None
    lines = SMALL.split("\n")
    edits = [
        lambda ls, i: ls.insert(i, ls[i]),
        lambda ls, i: ls.insert(i, "  " + ls[i]),
        lambda ls, i: ls.__setitem__(i, ls[i].replace(": ", ': "', 1) + '"'),
        lambda ls, i: ls.__setitem__(i, ls[i].lstrip()),
        lambda ls, i: ls.insert(i, 'note: "'),
        lambda ls, i: ls.insert(i, "phase: close"),
        lambda ls, i: ls.insert(i, "  practice: other"),
        lambda ls, i: ls.insert(i, ""),
        lambda ls, i: ls.insert(i, "# a comment"),
    ]
    rng = random.Random(20261206)
    said_something = valid_and_said = 0
    for _ in range(400):
        mutated = list(lines)
        for _ in range(rng.randint(1, 3)):
            rng.choice(edits)(mutated, rng.randrange(len(mutated)))
        text = "\n".join(mutated)
        said = practice_and_phase(text.encode(), "hh-spread")
        found = None if said is None else model(text)
        said_something += said is not None
        if said is not None and found is not None:
            valid_and_said += 1
            assert said == (found.practice, found.phase) and found.id == "hh-spread", text
    assert said_something and valid_and_said, (said_something, valid_and_said)


def test_allowed_statuses_reads_which_phases_are_present_not_how_many() -> None:
    # What `settles` rests on: one case per set of phases covers every set of projects.
    workflow = default_workflow()
    for size in range(4):
        for phases in product(workflow.phases, repeat=size):
            projects = [Counted(f"p{i}", phase) for i, phase in enumerate(phases)]
            once = list({p.phase: p for p in projects}.values())
            assert allowed_statuses(workflow, projects) == allowed_statuses(workflow, once)


def test_a_practice_settles_only_when_every_case_keeps_its_rules() -> None:
    workflow = default_workflow()
    closing = [Counted("a", "close")]
    running, waiting = Counted("b", "execute"), Counted("c", "plan")
    diffusing = PracticeStatus.DIFFUSING
    # A project known to run keeps it diffusing whichever others count.
    assert settles(workflow, diffusing, [*closing, running], [waiting, Counted("d", "close")])
    # Without it, the others not counting would leave it diffused.
    assert not settles(workflow, diffusing, closing, [running])
    # Whether it has a project may rest on a file not read in full.
    assert not settles(workflow, diffusing, [], [running])
    # A phase the workflow lacks would not count.
    assert settles(workflow, PracticeStatus.APPROVED, [waiting], [Counted("e", "planning")])
    assert settles(workflow, PracticeStatus.RETIRED, [], [running])
