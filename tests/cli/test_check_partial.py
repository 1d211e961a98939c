"""`check --base` reads in full only the files a change can affect, and reports exactly what
a full read (`--full`) reports for the same change, in real git repositories made from the
shipped demo: the attacks where a change to one file makes another file wrong included."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO_ROOT, Run, git
from prflow import commit_as, edit

from diffuse.pr.affected import plan


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run) -> Path:
    """The demo tracker on `main`, valid on any day, with the branch `change` checked out."""
    root = tmp_path / "demo"
    root.mkdir()
    shutil.copy(REPO_ROOT / "organisation.yaml", root)
    for folder in ("practices", "projects"):
        shutil.copytree(REPO_ROOT / folder, root / folder)
    # `check` reads dates against today: a window wide enough keeps the demo valid.
    edit(
        root / "organisation.yaml",
        "settings:\n",
        "settings:\n  dates:\n    past_years: 200\n    future_years: 100\n",
    )
    git(root, "init", "-q", "-b", "main")
    commit_as(root, "ada", "The demo")
    git(root, "checkout", "-q", "-b", "change")
    monkeypatch.chdir(root)
    base = run("check", "--base", "main", "--full", cwd=root)
    assert base.exit_code == 0, base.stdout
    return root


def same(root: Path, run: Run, *extra: str) -> dict[str, Any]:
    """The report of the check of the change, asserted the same with and without --full,
    in JSON and in text."""
    shown = {}
    for fmt in ("json", "text"):
        partial = run("check", "--base", "main", "--format", fmt, *extra, cwd=root)
        full = run("check", "--base", "main", "--format", fmt, "--full", *extra, cwd=root)
        assert "Traceback" not in partial.stderr
        assert (partial.exit_code, partial.stdout) == (full.exit_code, full.stdout)
        shown[fmt] = partial.stdout
    data: dict[str, Any] = json.loads(shown["json"])
    return data


def rules(report: dict[str, Any]) -> set[tuple[str, str]]:
    return {(p["file"], p["rule"]) for p in report["problems"]}


def note(path: Path) -> None:
    with path.open("a") as handle:
        handle.write("# Reviewed at the monthly meeting.\n")


def drop_entry(path: Path, item: str) -> None:
    """Remove the list entry `- id: item` (and its lines) from a YAML file."""
    text = path.read_text()
    entry = re.compile(rf"^(\s*)- id: {re.escape(item)}\n(?:\1  .*\n|\s*#.*\n)*", re.M)
    assert entry.search(text), item
    path.write_text(entry.sub("", text, count=1))


def test_an_edited_project_passes_as_a_full_read_does(demo: Path, run: Run) -> None:
    note(demo / "projects" / "readmissions-rollout.yaml")
    commit_as(demo, "cy", "A note")
    report = same(demo, run)
    assert report["passed"] is True
    assert report["files"] == 33
    assert [c["id"] for c in report["changes"]] == ["readmissions-rollout"]


def test_a_practice_withdrawn_while_a_project_uses_it(demo: Path, run: Run) -> None:
    (demo / "practices" / "readmissions-30-day.yaml").unlink()
    commit_as(demo, "cy", "Withdraw the readmissions bundle")
    report = same(demo, run)
    assert ("projects/readmissions-rollout.yaml", "unknown-reference") in rules(report)
    assert ("practices/readmissions-30-day.yaml", "record-deleted") in rules(report)


def test_a_practice_retired_while_its_project_executes(demo: Path, run: Run) -> None:
    practice = demo / "practices" / "readmissions-30-day.yaml"
    edit(practice, "status: diffusing", "status: retired")
    commit_as(demo, "cy", "Retire the readmissions bundle")
    report = same(demo, run)
    assert report["passed"] is False


def test_the_last_project_of_a_diffusing_practice_deleted(demo: Path, run: Run) -> None:
    (demo / "projects" / "bcma-rollout.yaml").unlink()
    commit_as(demo, "cy", "Drop the barcode roll-out")
    report = same(demo, run)
    assert ("practices/barcode-medication-administration.yaml", "no-project") in rules(report)


def test_a_project_moved_to_another_practice_leaves_its_own_without_one(
    demo: Path, run: Run
) -> None:
    project = demo / "projects" / "readmissions-rollout.yaml"
    edit(project, "practice: readmissions-30-day", "practice: barcode-medication-administration")
    commit_as(demo, "cy", "Move the project")
    report = same(demo, run)
    assert ("practices/readmissions-30-day.yaml", "no-project") in rules(report)


def test_a_project_spelling_its_practice_in_escapes_is_still_counted(demo: Path, run: Run) -> None:
    # On main, a second project of the barcode practice names it in escapes only.
    second = demo / "projects" / "bcma-second.yaml"
    text = (demo / "projects" / "bcma-rollout.yaml").read_text()
    text = text.replace("id: bcma-rollout", "id: bcma-second", 1)
    text = text.replace(
        "practice: barcode-medication-administration",
        'practice: "barcode\\x2dmedication\\x2dadministration"',
        1,
    )
    assert "barcode-medication-administration" not in text.split("title:")[0]
    second.write_text(text)
    git(demo, "checkout", "-q", "main")
    commit_as(demo, "cy", "A second barcode roll-out")
    git(demo, "checkout", "-q", "-B", "change")
    assert run("check", "--base", "main", "--full", cwd=demo).exit_code == 0
    (demo / "projects" / "bcma-rollout.yaml").unlink()
    commit_as(demo, "cy", "Drop the first barcode roll-out")
    report = same(demo, run)
    assert ("practices/barcode-medication-administration.yaml", "no-project") not in rules(report)


def test_a_phase_moved_makes_the_practice_status_wrong_in_one_commit_or_two(
    demo: Path, run: Run
) -> None:
    project = demo / "projects" / "readmissions-rollout.yaml"
    edit(project, "phase: execute", "phase: close")
    commit_as(demo, "cy", "Close early")
    once = same(demo, run)
    assert ("practices/readmissions-30-day.yaml", "practice-status") in rules(once)
    git(demo, "reset", "-q", "--hard", "main")
    edit(project, "phase: execute", "phase: close")
    edit(project, "target_months: 9", "target_months: 10")
    commit_as(demo, "cy", "Close early, first step")
    edit(project, "target_months: 10", "target_months: 9")
    commit_as(demo, "cy", "Close early, second step")
    twice = same(demo, run)
    assert rules(twice) == rules(once)
    assert same(demo, run, "--verify-signoff")["verified_signoff"] is True


def test_a_site_removed_that_projects_use(demo: Path, run: Run) -> None:
    drop_entry(demo / "organisation.yaml", "lmc")
    commit_as(demo, "cy", "Close the medical center")
    report = same(demo, run)
    assert any(f.startswith("projects/") and r == "unknown-reference" for f, r in rules(report))


def test_a_person_removed_who_holds_a_role_elsewhere(demo: Path, run: Run) -> None:
    drop_entry(demo / "organisation.yaml", "marcus-bell")
    commit_as(demo, "cy", "Marcus leaves")
    report = same(demo, run)
    assert ("projects/readmissions-rollout.yaml", "unknown-reference") in rules(report)


@pytest.mark.parametrize("name", ["readmissions-copy.yaml", "readmissions-rollout.yml"])
def test_a_duplicate_id_added(demo: Path, run: Run, name: str) -> None:
    source = demo / "projects" / "readmissions-rollout.yaml"
    shutil.copy(source, demo / "projects" / name)
    commit_as(demo, "cy", "Copy a project")
    report = same(demo, run)
    assert report["passed"] is False
    assert any(f == f"projects/{name}" for f, _ in rules(report))


def test_an_id_taken_from_a_file_that_sorts_before_it(demo: Path, run: Run) -> None:
    # Which of two files keeps an id depends on both: the unchanged one is read as well.
    text = (demo / "projects" / "unit-handoffs-rollout.yaml").read_text()
    (demo / "projects" / "zzz-handoffs.yaml").write_text(
        text.replace("id: unit-handoffs-rollout", "id: bcma-rollout", 1)
    )
    commit_as(demo, "cy", "Take an id")
    report = same(demo, run)
    assert ("projects/zzz-handoffs.yaml", "duplicate-id") in rules(report)


def test_a_project_renamed(demo: Path, run: Run) -> None:
    git(demo, "mv", "projects/delirium-rollout.yaml", "projects/delirium-spread.yaml")
    commit_as(demo, "cy", "Rename a project file")
    report = same(demo, run)
    assert ("projects/delirium-spread.yaml", "id-mismatch") in rules(report)
    edit(demo / "projects" / "delirium-spread.yaml", "id: delirium-rollout", "id: delirium-spread")
    commit_as(demo, "cy", "And its id")
    same(demo, run)


def test_a_problem_already_in_a_file_the_change_cannot_affect_is_left_to_validate(
    demo: Path, run: Run
) -> None:
    git(demo, "checkout", "-q", "main")
    edit(demo / "projects" / "delirium-rollout.yaml", "phase: plan", "phase: planning")
    commit_as(demo, "cy", "A typo on main")
    git(demo, "checkout", "-q", "-B", "change")
    note(demo / "projects" / "readmissions-rollout.yaml")
    commit_as(demo, "cy", "A note")
    partial = run("check", "--base", "main", cwd=demo)
    assert partial.exit_code == 0, partial.stdout
    full = run("check", "--base", "main", "--full", cwd=demo)
    assert full.exit_code == 1
    assert "projects/delirium-rollout.yaml" in full.stdout
    assert run("validate", cwd=demo).exit_code == 1


def test_a_project_file_that_is_a_link_is_read_through_it(demo: Path, run: Run) -> None:
    # The link's target lies outside projects/, where a change shows in no project path.
    git(demo, "checkout", "-q", "main")
    shared = demo / "shared"
    shared.mkdir()
    (demo / "projects" / "delirium-rollout.yaml").rename(shared / "delirium-rollout.yaml")
    (demo / "projects" / "delirium-rollout.yaml").symlink_to("../shared/delirium-rollout.yaml")
    commit_as(demo, "cy", "Keep one project elsewhere")
    git(demo, "checkout", "-q", "-B", "change")
    assert run("check", "--base", "main", "--full", cwd=demo).exit_code == 0
    edit(shared / "delirium-rollout.yaml", "phase: plan", "phase: planning")
    commit_as(demo, "cy", "A typo behind the link")
    report = same(demo, run)
    assert ("shared/delirium-rollout.yaml", "unknown-reference") in rules(report)


# -- a phase moved: the practice's other projects are read for their practice and phase ----

ROLLOUT = "projects/readmissions-rollout.yaml"


def others(demo: Path, *names: str, spell: dict[str, tuple[str, str]] | None = None) -> None:
    """On main, more projects of the readmissions practice, copies of its roll-out (in
    execute), some with a line spelt another way; then the branch `change` again."""
    git(demo, "checkout", "-q", "main")
    text = (demo / ROLLOUT).read_text()
    for name in names:
        copy = text.replace("id: readmissions-rollout", f"id: {name}", 1)
        old, new = (spell or {}).get(name, ("", ""))
        assert old in copy
        (demo / "projects" / f"{name}.yaml").write_text(copy.replace(old, new, 1))
    commit_as(demo, "cy", "More readmissions roll-outs")
    git(demo, "checkout", "-q", "-B", "change")


def close_early(demo: Path) -> None:
    edit(demo / ROLLOUT, "phase: execute", "phase: close")
    commit_as(demo, "cy", "Close early")


def test_a_phase_moved_reads_the_practices_other_projects_for_their_phase(
    demo: Path, run: Run
) -> None:
    others(demo, "readmissions-b", "readmissions-c", "readmissions-d")
    close_early(demo)
    report = same(demo, run)
    # The others still execute: the practice stays diffusing.
    assert ("practices/readmissions-30-day.yaml", "practice-status") not in rules(report)
    # Read in full: the changed file and the first of the others in each phase.
    old = git(demo, "show", f"main:{ROLLOUT}").encode()
    found = plan(demo, demo.resolve(), [ROLLOUT], {ROLLOUT: old})
    assert found is not None
    assert {p.name for p in found.part.projects} == {
        "readmissions-rollout.yaml",
        "readmissions-b.yaml",
    }
    maybe = found.maybe["readmissions-30-day"]
    assert [(c.id, c.phase) for c in maybe] == [
        ("readmissions-c", "execute"),
        ("readmissions-d", "execute"),
    ]


def test_other_projects_of_the_practice_invalid_at_the_base_do_not_count(
    demo: Path, run: Run
) -> None:
    bad = ("target_months: 9", "target_months: nine")
    others(
        demo,
        "readmissions-b",
        "readmissions-c",
        spell={"readmissions-b": bad, "readmissions-c": bad},
    )
    close_early(demo)
    report = same(demo, run)
    # Neither counts: with its one valid project closed, the practice is diffused.
    assert ("practices/readmissions-30-day.yaml", "practice-status") in rules(report)
    assert any(f == "projects/readmissions-c.yaml" for f, _ in rules(report))


def test_the_first_other_project_invalid_and_the_next_ones_valid(demo: Path, run: Run) -> None:
    # The first file of the phase, read in full, does not count: the next ones are read.
    bad = ("target_months: 9", "target_months: nine")
    names = [f"readmissions-{x}" for x in "bcdefghij"]
    others(demo, *names, spell={"readmissions-b": bad})
    close_early(demo)
    report = same(demo, run)
    assert ("practices/readmissions-30-day.yaml", "practice-status") not in rules(report)
    assert any(f == "projects/readmissions-b.yaml" for f, _ in rules(report))


def test_an_invalid_project_that_cannot_change_the_outcome_is_left_to_validate(
    demo: Path, run: Run
) -> None:
    bad = ("target_months: 9", "target_months: nine")
    others(demo, "readmissions-b", "readmissions-c", spell={"readmissions-c": bad})
    close_early(demo)
    partial = run("check", "--base", "main", "--format", "json", cwd=demo)
    full = run("check", "--base", "main", "--format", "json", "--full", cwd=demo)
    # readmissions-b executes, so the practice stays diffusing whether or not -c counts:
    # -c's own problem was there at the base, and is `validate`'s to report.
    left = {
        (f, r) for f, r in rules(json.loads(full.stdout)) if f != "projects/readmissions-c.yaml"
    }
    assert rules(json.loads(partial.stdout)) == left
    assert any(f == "projects/readmissions-c.yaml" for f, _ in rules(json.loads(full.stdout)))
    assert ("practices/readmissions-30-day.yaml", "practice-status") not in left


SPELLINGS = {
    "double quotes": ("phase: execute", 'phase: "execute"'),
    "single quotes": ("phase: execute", "phase: 'execute'"),
    "a comment": ("phase: execute", "phase: execute   # still running"),
    "a tag": ("phase: execute", "phase: !!str execute"),
    "on the next line": ("phase: execute", "phase:\n  execute"),
    "a quoted key": ("phase: execute", '"phase": execute'),
}


@pytest.mark.parametrize("name", sorted(SPELLINGS))
def test_other_projects_whose_phase_is_spelt_another_way(demo: Path, run: Run, name: str) -> None:
    way = SPELLINGS[name]
    others(
        demo,
        "readmissions-b",
        "readmissions-c",
        spell={"readmissions-b": way, "readmissions-c": way},
    )
    close_early(demo)
    report = same(demo, run)
    assert ("practices/readmissions-30-day.yaml", "practice-status") not in rules(report)


def test_other_projects_naming_the_practice_in_escapes_or_through_an_alias(
    demo: Path, run: Run
) -> None:
    others(
        demo,
        "readmissions-b",
        "readmissions-c",
        spell={
            "readmissions-b": (
                "practice: readmissions-30-day",
                'practice: "readmissions\\x2d30-day"',
            ),
            "readmissions-c": (
                "practice: readmissions-30-day\ntitle: 30-Day Readmissions Bundle Roll-out",
                "title: &p readmissions-30-day\npractice: *p",
            ),
        },
    )
    close_early(demo)
    report = same(demo, run)
    assert ("practices/readmissions-30-day.yaml", "practice-status") not in rules(report)


def test_a_phase_moved_and_its_practice_changed_in_one_pull_request(demo: Path, run: Run) -> None:
    others(demo, "readmissions-b", "readmissions-c", "readmissions-d")
    note(demo / "practices" / "readmissions-30-day.yaml")
    close_early(demo)
    report = same(demo, run)
    assert {c["id"] for c in report["changes"]} == {"readmissions-30-day", "readmissions-rollout"}


def test_the_same_move_in_one_commit_or_two_with_other_projects_invalid(
    demo: Path, run: Run
) -> None:
    bad = ("target_months: 9", "target_months: nine")
    names = ("readmissions-b", "readmissions-c", "readmissions-d")
    others(demo, *names, spell=dict.fromkeys(names, bad))
    close_early(demo)
    once = same(demo, run)
    assert ("practices/readmissions-30-day.yaml", "practice-status") in rules(once)
    git(demo, "reset", "-q", "--hard", "main")
    project = demo / ROLLOUT
    edit(project, "phase: execute", "phase: close")
    edit(project, "target_months: 9", "target_months: 10")
    commit_as(demo, "cy", "Close early, first step")
    edit(project, "target_months: 10", "target_months: 9")
    commit_as(demo, "cy", "Close early, second step")
    assert rules(same(demo, run)) == rules(once)


def test_another_project_of_the_practice_is_a_link(demo: Path, run: Run) -> None:
    others(demo, "readmissions-b", "readmissions-c")
    git(demo, "checkout", "-q", "main")
    shared = demo / "shared"
    shared.mkdir()
    (demo / "projects" / "readmissions-c.yaml").rename(shared / "readmissions-c.yaml")
    (demo / "projects" / "readmissions-c.yaml").symlink_to("../shared/readmissions-c.yaml")
    edit(shared / "readmissions-c.yaml", "target_months: 9", "target_months: nine")
    commit_as(demo, "cy", "Keep one roll-out elsewhere")
    git(demo, "checkout", "-q", "-B", "change")
    close_early(demo)
    report = same(demo, run)
    assert any(f == "shared/readmissions-c.yaml" for f, _ in rules(report))
