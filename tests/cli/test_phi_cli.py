"""The patient-data guard as a user meets it: `validate` refuses a file holding an
identifier and an edit whose argument holds one, in a real tracker, shows it masked, and lets
ordinary QI text and the organisation's own staff through."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Run

PROJECT = Path("projects") / "hh-spread.yaml"
BARRIER = "barriers: [gel dispensers on back order]"

# (text, what the message says it looks like, the identifier that must not be shown in full)
REFUSED = [
    pytest.param("Fell again, mrn#: 7712094", "a medical record number", "7712094", id="mrn-hash"),
    pytest.param(
        "Query on med rec no. 6610293", "a medical record number", "6610293", id="med-rec-no"
    ),
    pytest.param(
        "MRN 3308 7712 moved to ICU", "a medical record number", "3308 7712", id="mrn-grouped"
    ),
    pytest.param(
        "Form quoted M.R.N. 12345678", "a medical record number", "12345678", id="mrn-dotted"
    ),
    pytest.param("Lady, b. 1950-07-14, fell", "a date of birth", "1950-07-14", id="b-dot"),
    pytest.param(
        "Jones, Peter admitted 2026-03-04", "a patient's name", "Jones, Peter", id="name-then-date"
    ),
    pytest.param(
        "2026-03-04 Jones, Peter found on the floor",
        "a patient's name",
        "Jones, Peter",
        id="date-then-name",
    ),
    pytest.param("Mrs Okafor fell twice overnight", "a patient's name", "Okafor", id="mrs"),
    pytest.param("Mr Peter Jones refused the alarm", "a patient's name", "Peter Jones", id="mr"),
    pytest.param("patient: Ms J. Smith fell", "a patient's name", "Smith", id="ms-initial"),
    pytest.param("Copied 9434765919 from the PAS", "an NHS number", "9434765919", id="nhs-bare"),
    pytest.param(
        "Daughter asked to be called on 07700 900123",
        "a patient's phone number",
        "07700 900123",
        id="phone",
    ),
    pytest.param(
        "Pt's son can be reached on (415) 555-0132",
        "a patient's phone number",
        "555-0132",
        id="phone-us",
    ),
    pytest.param(
        "Patient lives at 14 Elm Street alone",
        "a patient's street address",
        "14 Elm Street",
        id="address",
    ),
    pytest.param(
        "Patient emailed from jane.doe1957@gmail.com",
        "a patient's e-mail address",
        "jane.doe1957",
        id="email",
    ),
    pytest.param(
        "Medicare number 1EG4-TE5-MK73 on the list",
        "a health plan or Medicare number",
        "1EG4-TE5-MK73",
        id="medicare",
    ),
    pytest.param(
        "Insurance member ID XJH300219874 on the form",
        "a health plan or Medicare number",
        "XJH300219874",
        id="insurance",
    ),
    pytest.param(
        "Encounter #: 55123908 had no screen",
        "an encounter or account number",
        "55123908",
        id="encounter",
    ),
    pytest.param(
        "CSN 300112984 - antibiotics late", "an encounter or account number", "300112984", id="csn"
    ),
    pytest.param(
        "patient account number 7781239904 billed twice",
        "an encounter or account number",
        "7781239904",
        id="account",
    ),
    pytest.param(
        "Driving licence DOYLE612304MJ9AB copied",
        "a driving licence number",
        "DOYLE612304MJ9AB",
        id="licence",
    ),
]

# Documented as not patient data (docs/security.md, "## Patient data").
LET_THROUGH = [
    pytest.param("CLABSI per 1,000 line-days fell from 1.28 to 0.90", id="rate"),
    pytest.param("Meeting moved from 2026-03-04 to 2026-03-11", id="meeting-dates"),
    pytest.param("Policy NUR-014 version 3 and policy number 2024-17", id="policy-numbers"),
    pytest.param("Simulation in room 14 Main Building, bed 12", id="room-numbers"),
    pytest.param("Ward 4B station 0113 496 0123, ext. 4471 for the charge nurse", id="ward-phone"),
    pytest.param("Questions: call the IPC helpline on 0161 496 0000", id="helpline"),
    pytest.param("Send audit sheets to qi.team@lakeland.example.org", id="team-email"),
    pytest.param("Supplier account number 55120934 for the wipes", id="supplier-account"),
    pytest.param("Mr Patel, consultant surgeon, agreed to champion it", id="titled-staff"),
    pytest.param("Training at the Education Centre, 100 Lakeshore Drive", id="venue-address"),
    pytest.param("Medicare readmission penalties rose 3% in 2025", id="medicare-topic"),
    pytest.param("Signed off by Jones, Ada 2026-03-02", id="signed-by"),
]


def _with_barrier(tracker: Path, text: str) -> None:
    project = tracker / PROJECT
    barrier = f"barriers: [gel dispensers on back order, {json.dumps(text)}]"
    project.write_text(project.read_text().replace(BARRIER, barrier))


@pytest.mark.parametrize(("text", "what", "raw"), REFUSED)
def test_validate_refuses_each_kind_masked(
    tracker: Path, run: Run, text: str, what: str, raw: str
) -> None:
    _with_barrier(tracker, text)
    result = run("validate", cwd=tracker)
    assert result.exit_code == 1
    found = [line for line in result.lines if "error[patient-data]" in line]
    assert len(found) == 1, result.stdout
    assert "projects/hh-spread.yaml:38:" in found[0]
    assert f"sites.nst.barriers.1: looks like {what} (" in found[0]
    assert raw not in result.stdout


@pytest.mark.parametrize(("text", "what", "raw"), REFUSED)
def test_an_edit_holding_each_kind_is_refused(
    tracker: Path, run: Run, text: str, what: str, raw: str
) -> None:
    project = tracker / PROJECT
    before = project.read_bytes()
    result = run("site", "hh-spread", "nor", "--note", text, "--by", "cy", cwd=tracker)
    assert result.exit_code == 1
    assert f"error[patient-data] sites.nor.note: looks like {what} (" in result.stderr
    assert "nothing was written" in result.stderr
    assert raw not in result.stderr + result.stdout
    assert project.read_bytes() == before


@pytest.mark.parametrize("text", LET_THROUGH)
def test_ordinary_qi_text_passes_validate_and_edits(tracker: Path, run: Run, text: str) -> None:
    _with_barrier(tracker, text)
    assert run("validate", cwd=tracker).exit_code == 0
    result = run("site", "hh-spread", "nor", "--note", text, "--by", "cy", cwd=tracker)
    assert result.exit_code == 0, result.stderr
    assert text in (tracker / PROJECT).read_text()


def _add_person(tracker: Path, entry: str) -> None:
    org = tracker / "organisation.yaml"
    anchor = "  - {id: cy, name: Cy Manager, email: cy@example.org}\n"
    org.write_text(org.read_text().replace(anchor, anchor + entry + "\n"))


STAFF_TEXTS = [
    "Harper, Gil 2026-03-02 agreed the revised plan",
    "Mrs Walsh walked the ward with the champions",
    "Patient feedback forwarded to dee.walsh@gmail.com",
    "Patient feedback forwarded to ben@example.org",
]


def test_the_organisations_staff_are_not_patients(tracker: Path, run: Run) -> None:
    _add_person(tracker, "  - {id: dee, name: Dr. Dee Walsh, email: dee.walsh@gmail.com}")
    _add_person(tracker, "  - {id: gil, name: 'Gil Harper, RN', email: gil@example.org}")
    project = tracker / PROJECT
    for text in STAFF_TEXTS:
        _with_barrier(tracker, text)
        assert run("validate", cwd=tracker).exit_code == 0, text
        project.write_text(project.read_text().replace(f", {json.dumps(text)}]", "]"))
        result = run("site", "hh-spread", "nor", "--note", text, "--by", "cy", cwd=tracker)
        assert result.exit_code == 0, (text, result.stderr)
    # A member of staff's address at a mail service does not make the service staff's.
    _with_barrier(tracker, "Patient emailed from jane.doe1957@gmail.com")
    assert run("validate", cwd=tracker).exit_code == 1


def test_the_same_names_are_patients_when_not_staff(tracker: Path, run: Run) -> None:
    for text in STAFF_TEXTS[:3]:
        _with_barrier(tracker, text)
        result = run("validate", cwd=tracker)
        assert result.exit_code == 1, text
        assert "error[patient-data]" in result.stdout
        project = tracker / PROJECT
        project.write_text(project.read_text().replace(f", {json.dumps(text)}]", "]"))


def test_a_person_added_to_the_organisation_changes_a_cached_verdict(
    tracker: Path, run: Run
) -> None:
    # The file cache keeps each project's problems by its bytes: the staff are part of the key.
    _with_barrier(tracker, "Mrs Walsh walked the ward with the champions")
    assert run("validate", cwd=tracker).exit_code == 1
    assert run("validate", cwd=tracker).exit_code == 1
    _add_person(tracker, "  - {id: dee, name: Dee Walsh, email: dee@example.org}")
    assert run("validate", cwd=tracker).exit_code == 0
