"""Every text command fits the terminal: at 60, 80 and 120 columns no line is wider than
the terminal (which would split it wherever the terminal breaks it) and no word is split.
The one line allowed past the edge is a single token (a URL, an id) wider than the terminal
on its own: it is printed whole, alone on its line and from its first column.

A word is split when the narrow output holds a fragment found neither in the widest
output, nor in the tracker's files, nor in the package's own text (a layout for narrow
terminals may add a legend); a word cut on purpose ends in '…'.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from conftest import REPO_ROOT, Run, git
from readme_help import COMMANDS

WIDTHS = (60, 80, 120)
WIDEST = "400"
DEMO_DAY = "2026-11-22"
FIXTURE_DAY = "2026-05-01"

# Every command that prints text for people, on the demo tracker and on the test fixture.
DEMO: list[tuple[str, ...]] = [
    ("status", "--as-of", DEMO_DAY),
    ("status", "--as-of", DEMO_DAY, "--group", "kind"),
    ("show", "cvc-standardization", "--as-of", DEMO_DAY, "--no-pager"),
    ("show", "bcma-rollout", "--as-of", DEMO_DAY, "--no-pager"),
    ("show", "barcode-medication-administration", "--as-of", DEMO_DAY, "--no-pager"),
    ("risks", "--as-of", DEMO_DAY),
    ("risks", "--by-category", "--as-of", DEMO_DAY),
    ("search", "care"),
    ("history", "cvc-standardization"),
    ("advance", "bcma-rollout", "--to", "close", "--dry-run", "--date", DEMO_DAY),
    ("review", "--as-of", DEMO_DAY),
    ("scorecard", "--as-of", DEMO_DAY),
    ("trend", "bcma-rollout", "--as-of", DEMO_DAY),
    ("portfolio", "--as-of", DEMO_DAY),
    ("sites", "--as-of", DEMO_DAY),
    ("sites", "pfh", "--as-of", DEMO_DAY),
    ("validate", "--as-of", DEMO_DAY),
]
FIXTURE: list[tuple[str, ...]] = [
    ("status", "--as-of", FIXTURE_DAY),
    ("show", "hh-spread", "--as-of", FIXTURE_DAY, "--no-pager"),
    ("show", "hand-hygiene", "--as-of", FIXTURE_DAY, "--no-pager"),
    ("risks",),
    ("search", "hand"),
    ("history", "hh-spread"),
    ("advance", "hh-spread", "--to", "execute", "--dry-run", "--date", FIXTURE_DAY),
    ("review", "--as-of", FIXTURE_DAY),
    ("scorecard", "--as-of", FIXTURE_DAY),
    ("sites", "--as-of", FIXTURE_DAY),
    ("check", "--base", "main"),
]

# Commands known not to fit some width, as "command" or "command arg": reason. Strict, so
# the mark must go when the command is fixed. None today.
NARROW_GAPS: dict[str, str] = {}


def _cases(cases: list[tuple[str, ...]], gaps: dict[str, str]) -> list[object]:
    out: list[object] = []
    for args in cases:
        gap = gaps.get(" ".join(args[:2])) or gaps.get(args[0])
        marks = [pytest.mark.xfail(strict=True, reason=gap)] if gap else []
        out.append(pytest.param(args, marks=marks, id="-".join(args[:2])))
    return out


WORD = re.compile(r"[^\W\d_]{2,}(?!…)")


def _words(text: str) -> set[str]:
    return set(WORD.findall(text))


@functools.cache
def _known(root: Path) -> frozenset[str]:
    files = [*root.glob("*.yaml"), *root.glob("*/*.yaml"), *(REPO_ROOT / "diffuse").rglob("*.py")]
    return frozenset(word for path in files for word in _words(path.read_text()))


def _whole_token(line: str, widest: str) -> bool:
    token = line.rstrip()
    return " " not in token and token in widest


def _check(run: Run, args: tuple[str, ...], root: Path) -> None:
    argv = (*args, "--root", str(root))
    widest = run(*argv, env={"COLUMNS": WIDEST}).stdout
    assert widest.strip(), f"{' '.join(args)} printed nothing"
    for width in WIDTHS:
        text = run(*argv, env={"COLUMNS": str(width)}).stdout
        long = [line for line in text.splitlines() if len(line.rstrip()) > width]
        # A URL or id wider than the terminal is kept whole, alone and at the line's start.
        long = [line for line in long if not _whole_token(line, widest)]
        assert not long, f"{' '.join(args)} at {width} columns: {long[:3]}"
        split = sorted(_words(text) - _words(widest) - _known(root))
        assert not split, f"{' '.join(args)} at {width} columns splits words: {split[:5]}"


@pytest.mark.parametrize("args", _cases(DEMO, NARROW_GAPS))
def test_the_demo_fits_every_width(args: tuple[str, ...], run: Run) -> None:
    _check(run, args, REPO_ROOT)


@pytest.mark.parametrize("args", _cases(FIXTURE, NARROW_GAPS))
def test_the_fixture_fits_every_width(args: tuple[str, ...], run: Run, git_tracker: Path) -> None:
    git(git_tracker, "checkout", "-q", "-b", "change")
    _check(run, args, git_tracker)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "diffuse")
def test_every_help_has_an_example(command: list[str], run: Run) -> None:
    text = " ".join(run(*command, "--help").stdout.split())
    # `diffuse completion` is run inside the shell's eval, from a file such as ~/.bashrc.
    example = r'Example(?:[^:.]*|, in ~/\.bashrc): (?:eval "\$\()?diffuse '
    assert re.search(example, text), f"diffuse {' '.join(command)} has none"


def test_a_link_wider_than_the_terminal_stays_whole_on_its_own_line(run: Run) -> None:
    args = ("show", "barcode-medication-administration", "--as-of", DEMO_DAY, "--no-pager")
    text = run(*args, "--root", str(REPO_ROOT), env={"COLUMNS": "60"}).stdout
    lines = text.splitlines()
    wide = "https://intranet.example.org/supply-chain/standards/bcma-devices"
    assert len(wide) > 60
    assert wide in lines  # alone, from the first column
    narrow = "https://intranet.example.org/ehr/rules/bcma-alerts"
    assert "      " + narrow in lines  # fits: indented under its element as before
