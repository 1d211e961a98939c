"""`diffuse validate`: every problem, located, in one run; YAML types never surprise."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO_ROOT, Run


def _problems(result_stdout: str) -> list[str]:
    return [line for line in result_stdout.splitlines() if "error[" in line]


def test_clean_tracker_passes(tracker: Path, run: Run) -> None:
    result = run("validate", cwd=tracker)
    assert result.exit_code == 0
    assert "ok: 3 file(s) valid" in result.stderr + result.stdout


def test_shipped_demo_is_valid(run: Run) -> None:
    result = run("validate", "--root", str(REPO_ROOT))
    assert result.exit_code == 0, result.stdout


def test_all_problems_of_all_files_in_one_run(tracker: Path, run: Run, monkeypatch: object) -> None:
    practice = tracker / "practices" / "hand-hygiene.yaml"
    practice.write_text(
        practice.read_text()
        .replace("status: approved", "status: aproved\ntitel: typo")
        .replace("established: 2026-01-15", "established: 2025-02-30")
    )
    project = tracker / "projects" / "hh-spread.yaml"
    project.write_text(
        project.read_text()
        .replace("likelihood: 4", "likelihood: 7")
        .replace("phase: plan", "phase: plan\nphase: execute")
    )
    result = run("validate", str(tracker))
    assert result.exit_code == 1
    text = result.stdout
    assert (
        "practices/hand-hygiene.yaml:4:9: error[invalid-choice] status: expected "
        "'discovery', 'proposed', 'approved', 'diffusing', 'diffused', 'retired' or "
        "'superseded' (got 'aproved')" in text
    )
    assert (
        "practices/hand-hygiene.yaml:5:1: error[unknown-field] titel: unknown field "
        "'titel'; did you mean 'title'?" in text
    )
    assert (
        "practices/hand-hygiene.yaml:8:14: error[invalid-date] established: not a real "
        "calendar day (got '2025-02-30')" in text
    )
    assert (
        "projects/hh-spread.yaml:6:1: error[duplicate-key] duplicate key 'phase' "
        "(first given on line 5)" in text
    )
    assert (
        "projects/hh-spread.yaml:28:37: error[out-of-range] risks.0.likelihood: expected "
        "a value at most 5 (got '7')" in text
    )
    assert text.splitlines()[-1] == "5 problem(s) in 2 of 3 file(s)"


def test_yaml_implicit_types_do_not_leak_into_text_fields(tracker: Path, run: Run) -> None:
    practice = tracker / "practices" / "hand-hygiene.yaml"
    practice.write_text(
        practice.read_text()
        .replace("goal: Every site at 90% observed compliance.", "goal: no")
        .replace("summary: Clean hands before and after every patient contact.", "summary: 0123")
    )
    assert run("validate", cwd=tracker).exit_code == 0
    shown = run("show", "hand-hygiene", "--format", "json", cwd=tracker).stdout
    assert '"goal": "no"' in shown and '"summary": "0123"' in shown


def test_a_number_where_a_date_belongs_is_an_error(tracker: Path, run: Run) -> None:
    practice = tracker / "practices" / "hand-hygiene.yaml"
    practice.write_text(
        practice.read_text().replace("established: 2026-01-15", "established: 20260115")
    )
    result = run("validate", cwd=tracker)
    assert "error[invalid-date] established: expected a date as YYYY-MM-DD" in result.stdout


def test_cross_file_references_are_checked(tracker: Path, run: Run) -> None:
    project = tracker / "projects" / "hh-spread.yaml"
    project.write_text(
        project.read_text()
        .replace("owner: cy", "owner: zed")
        .replace("by: ben, date: 2026-02-01}", "by: cy, date: 2026-02-01}")
        .replace("  sea:\n", "  mars:\n")
    )
    lines = _problems(run("validate", cwd=tracker).stdout)
    assert any("risks.0.owner: no person 'zed' (known: ada, ben, cy)" in ln for ln in lines)
    assert any(
        "error[not-a-member] approvals.0.by: 'cy' is not a member of Clinical Practice "
        "Committee ('cpc')" in ln
        for ln in lines
    )
    assert any("sites.mars: no site 'mars'" in ln for ln in lines)


def test_id_must_match_file_name(tracker: Path, run: Run) -> None:
    (tracker / "practices" / "hand-hygiene.yaml").rename(tracker / "practices" / "hh.yaml")
    lines = _problems(run("validate", cwd=tracker).stdout)
    assert any("practices/hh.yaml:1:5: error[id-mismatch]" in ln for ln in lines)
    assert any(
        "error[unknown-reference] practice: no practice 'hand-hygiene'" in ln for ln in lines
    )


def test_hostile_files_are_located_problems(tracker: Path, run: Run) -> None:
    cases = {
        "tabs": "id: tabs\n\ttitle: x\n",
        "listy": "- id: listy\n",
        "twodocs": "id: twodocs\n---\nid: again\n",
        "conflict": "id: conflict\n<<<<<<< HEAD\ntitle: a\n=======\ntitle: b\n>>>>>>> x\n",
        "latin1": "id: latin1\ntitle: caf\xe9\n",
        "tagged": "id: tagged\ntitle: !!python/object/apply:os.system [ls]\n",
        "empty": "",
        "laughs": "a: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n"
            for i in range(8)
        ),
    }
    for name, text in cases.items():
        data = text.encode("latin-1") if name == "latin1" else text.encode()
        (tracker / "practices" / f"{name}.yaml").write_bytes(data)
    result = run("validate", cwd=tracker)
    assert result.exit_code == 1
    out = result.stdout
    assert "tabs.yaml:2:1: error[yaml-syntax]" in out and "tab character" in out
    assert "listy.yaml:1:1: error[not-a-mapping]" in out
    assert "twodocs.yaml:3:1: error[multiple-documents]" in out
    assert "conflict.yaml:2:1: error[merge-conflict]" in out
    assert "latin1.yaml:2:11: error[not-utf8] byte 0xe9 is not UTF-8 text" in out
    assert "tagged.yaml:2:8: error[unsafe-tag]" in out
    assert "empty.yaml: error[empty-file] file is empty" in out
    assert "laughs.yaml:1:1: error[too-large] the document expands to more than 100,000" in out
    assert "Traceback" not in out + result.stderr
