"""The patient-data guard: identifiers in free text are errors, shown masked, and a
documented false positive can be marked on its line."""

from __future__ import annotations

import re
from pathlib import Path
from re import _constants, _parser  # type: ignore[attr-defined]

import pytest
from conftest import Run

from diffuse.files import phi
from diffuse.files.loading import document_from_text

FOUND = [
    ("Fell again, MRN 12345678", "mrn", "MRN ******78"),
    ("MRN: 1234567 on ward 4", "mrn", "MRN: *****67"),
    ("MR# A1234567", "mrn", "MR# ******67"),
    ("medical record number 12345678", "mrn", "medical record number ******78"),
    ("patient ID 00123456", "mrn", "patient ID ******56"),
    ("Patient DOB 1954-03-02", "dob", "DOB ****-**-**"),
    ("born 03/02/1954 in Leeds", "dob", "born **/**/****"),
    ("date of birth: March 2, 1954", "dob", "date of birth: ***** *, ****"),
    ("d.o.b. 02/03/54", "dob", "d.o.b. **/**/**"),
    ("NHS number 943 476 5919", "nhs", "NHS number *** *** **19"),
    ("nhs no: 943-476-5919", "nhs", "nhs no: ***-***-**19"),
    ("index case 943 476 5919", "nhs", "*** *** **19"),
    ("SSN 123-45-6789", "ssn", "SSN ***-**-**89"),
    ("see 078-05-1120", "ssn", "***-**-**20"),
]

NOT_FOUND = [
    "approved 2026-03-01 by the committee",
    "numerator: 87079, denominator: 92835",
    "NHS 943 476 5918",  # fails the NHS check digit
    "000-12-3456 666-12-3456 900-12-3456 123-00-4567 123-45-0000",  # never issued as SSNs
    "MRN 1234",  # too short to be a record number
    "the idea was born in 2009 at the north site",
    "call (943) 476 5919",
]


@pytest.mark.parametrize(("text", "kind", "masked"), FOUND)
def test_identifiers_are_found_and_masked(text: str, kind: str, masked: str) -> None:
    found = list(phi.findings(text))
    assert [(f.kind, f.masked) for f in found] == [(kind, masked)]
    # Never more than the last two characters of an identifier, and no digit of a birth date.
    assert len(re.findall(r"\d", masked)) <= (0 if kind == "dob" else 2)


@pytest.mark.parametrize("text", NOT_FOUND)
def test_ordinary_figures_are_not_patient_data(text: str) -> None:
    assert list(phi.findings(text)) == []


def _problems(text: str) -> list[str]:
    doc = document_from_text(Path("practices/x.yaml"), text)
    return [str(p) for p in phi.patient_data(doc)]


def test_each_finding_is_placed_at_its_field() -> None:
    text = (
        "id: x\n"
        "sites:\n"
        "  nor:\n"
        "    note: Fell again, MRN 12345678   # after transfer\n"
        "    barriers: [staffing, 'DOB 1954-03-02']\n"
        "# NHS number 943 476 5919 in a comment counts too\n"
    )
    assert _problems(text) == [
        "practices/x.yaml:4:23: error[patient-data] sites.nor.note: looks like a medical "
        "record number (MRN ******78); remove it, or if it is not patient data end the line "
        "with '# diffuse: not-patient-data (reason)'",
        "practices/x.yaml:5:27: error[patient-data] sites.nor.barriers.1: looks like a date "
        "of birth (DOB ****-**-**); remove it, or if it is not patient data end the line "
        "with '# diffuse: not-patient-data (reason)'",
        "practices/x.yaml:6:3: error[patient-data] comment: looks like an NHS number (NHS "
        "number *** *** **19); remove it, or if it is not patient data end the line with "
        "'# diffuse: not-patient-data (reason)'",
    ]


def test_a_marked_false_positive_needs_its_reason() -> None:
    marked = "pager: 'Page 123-45-6780'  # diffuse: not-patient-data (pager number)\n"
    assert _problems(marked) == []
    unexplained = "pager: 'Page 123-45-6780'  # diffuse: not-patient-data\n"
    assert _problems(unexplained) == [
        "practices/x.yaml:1:14: error[patient-data] pager: looks like a US social security "
        "number (***-**-**80); the not-patient-data mark on this line needs a reason in "
        "parentheses"
    ]
    empty = "pager: 'Page 123-45-6780'  # diffuse: not-patient-data ()\n"
    assert len(_problems(empty)) == 1


def test_a_block_of_text_is_marked_on_its_key_line() -> None:
    text = (
        "summary: |  # diffuse: not-patient-data (a published trial id)\n"
        "  Based on trial 123-45-6789.\n"
    )
    assert _problems(text) == []


def test_a_file_full_of_identifiers_is_reported_briefly() -> None:
    text = "".join(f"n{i}: MRN {10_000_000 + i}\n" for i in range(5000))
    problems = _problems(text)
    assert len(problems) == phi.MAX_REPORTED + 1
    assert problems[-1] == (
        "practices/x.yaml: error[patient-data] more than 50 patient identifiers; only the "
        "first are listed"
    )


ADVERSARIAL = [
    "dob" + " " * 200_000 + "x",
    "mrn" + " " * 100_000 + ":" + " " * 100_000,
    "born " + "1" * 200_000,
    "date of " * 50_000,
    "medical " * 50_000,
    "123-" * 100_000,
    "1 " * 200_000,
]


def _unbounded_repeats(pattern: re.Pattern[str]) -> list[str]:
    """Every `*`, `+` or `{n,}` in a compiled expression, by the parser's own reading."""
    found: list[str] = []

    def walk(items: object) -> None:
        for op, arg in items:  # type: ignore[attr-defined]
            if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT):
                low, high, body = arg
                if high == _constants.MAXREPEAT:
                    found.append(f"{{{low},}}")
                walk(body)
            elif op in (_constants.SUBPATTERN, _constants.ASSERT, _constants.ASSERT_NOT):
                walk(arg[-1])
            elif op == _constants.BRANCH:
                for branch in arg[1]:
                    walk(branch)

    walk(_parser.parse(pattern.pattern, pattern.flags))
    return found


def test_the_guard_cannot_backtrack_without_bound() -> None:
    # Linear time rests on this: with every repeat bounded, one match attempt costs at most
    # a constant, so a text costs at most a constant per character. The timings of the
    # adversarial texts below are in benchmarks/bench_phi.py.
    assert _unbounded_repeats(phi._PATTERN) == []
    assert _unbounded_repeats(re.compile(r"a\s+b")) == ["{1,}"]


def test_the_guard_reads_only_lines_near_a_trigger() -> None:
    text = "plain words about hand hygiene\n" * 1000 + "MRN 12345678\n" + "more words\n" * 1000
    windows = phi._windows(text)
    assert len(windows) == 1
    start, end = windows[0]
    assert end - start < 100


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_adversarial_text_is_read_without_a_finding(text: str) -> None:
    assert list(phi.findings(text)) == []


def test_validate_reports_patient_data(tracker: Path, run: Run) -> None:
    project = tracker / "projects" / "hh-spread.yaml"
    project.write_text(
        project.read_text().replace(
            "barriers: [gel dispensers on back order]",
            "barriers: [gel dispensers on back order, 'bed 4: MRN 12345678']",
        )
    )
    result = run("validate", cwd=tracker)
    assert result.exit_code == 1
    assert (
        "projects/hh-spread.yaml:38:54: error[patient-data] sites.nst.barriers.1: looks like "
        "a medical record number (MRN ******78)" in result.stdout
    )
    assert "12345678" not in result.stdout


def test_an_edit_that_would_write_patient_data_is_refused(tracker: Path, run: Run) -> None:
    project = tracker / "projects" / "hh-spread.yaml"
    before = project.read_bytes()
    result = run(
        "site", "hh-spread", "nor", "--note", "Fall of MRN 12345678", "--by", "cy", cwd=tracker
    )
    assert result.exit_code == 1
    assert "error[patient-data] sites.nor.note: looks like a medical record number" in (
        result.stderr
    )
    assert "the edit would leave the file invalid; nothing was written" in result.stderr
    assert project.read_bytes() == before


def test_the_mark_copied_as_it_stands_is_no_reason() -> None:
    copied = "pager: 'Page 123-45-6780'  # diffuse: not-patient-data (reason)\n"
    assert len(_problems(copied)) == 1
