"""`diffuse org edit-person | remove-person | remove-member | rename-site`: the organisation
changed without a text editor, every reference checked, comments kept, and the files left
untouched on refusal."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import Run, git
from editing import changed, edit, refused

ORG = Path("organisation.yaml")
PRACTICE = Path("practices") / "hand-hygiene.yaml"
PROJECT = Path("projects") / "hh-spread.yaml"


def test_edit_person_sets_only_the_fields_given(git_tracker: Path, run: Run) -> None:
    lines = edit(
        git_tracker, run, "org", "edit-person", "cy", "--email", "cy@lakeland.example",
        "--github", "cy-manager", file=ORG,
    )  # fmt: skip
    assert lines == [
        "-  - {id: cy, name: Cy Manager, email: cy@example.org}",
        "+  - {id: cy, name: Cy Manager, email: cy@lakeland.example, github: cy-manager}",
    ]
    assert run("validate", cwd=git_tracker).exit_code == 0


def test_edit_person_refuses_a_bad_login_a_taken_email_and_no_one(
    git_tracker: Path, run: Run
) -> None:
    bad = refused(git_tracker, run, "org", "edit-person", "cy", "--github", "@cy", file=ORG)
    assert "github" in bad and "GitHub login" in bad
    taken = refused(
        git_tracker, run, "org", "edit-person", "cy", "--email", "ADA@example.org", file=ORG
    )
    assert "already the email of 'ada'" in taken
    assert "no person 'zed'" in refused(
        git_tracker, run, "org", "edit-person", "zed", "--name", "Zed", file=ORG
    )
    assert "give at least one of" in refused(git_tracker, run, "org", "edit-person", "cy", file=ORG)


def test_a_person_still_named_is_not_removed_and_every_place_is_listed(
    git_tracker: Path, run: Run
) -> None:
    message = refused(git_tracker, run, "org", "remove-person", "ben", file=ORG)
    assert "'ben' is still named in 4 place(s)" in message
    for place in (
        "organisation.yaml:",
        "(bodies.0.members.1)",
        "practices/hand-hygiene.yaml:",
        "(leaders.administrative)",
        "projects/hh-spread.yaml:",
        "(roles.sponsor-oversight.1)",
        "(approvals.0.by)",
    ):
        assert place in message, place


def test_a_person_no_one_names_is_removed(git_tracker: Path, run: Run) -> None:
    run("org", "add-person", "dee", "--name", "Dee Owner", "--commit", cwd=git_tracker)
    run("org", "add-member", "cpc", "dee", "--commit", cwd=git_tracker)
    assert "still named in 1 place" in refused(
        git_tracker, run, "org", "remove-person", "dee", file=ORG
    )
    assert edit(git_tracker, run, "org", "remove-member", "cpc", "dee", file=ORG) == [
        "-    members: [ada, ben, dee]",
        "+    members: [ada, ben]",
    ]
    result = run("org", "remove-person", "dee", "--commit", cwd=git_tracker)
    assert result.exit_code == 0, result.stderr
    assert result.lines[0].startswith("organisation.yaml: person dee removed; committed ")
    assert "dee" not in (git_tracker / ORG).read_text()
    assert git(git_tracker, "status", "--porcelain") == ""
    assert git(git_tracker, "log", "-1", "--format=%s") == (
        "organisation.yaml: person dee removed\n"
    )


def test_remove_member_refusals(git_tracker: Path, run: Run) -> None:
    assert "'cy' is not a member of 'cpc' (members: ada, ben)" in refused(
        git_tracker, run, "org", "remove-member", "cpc", "cy", file=ORG
    )
    run("org", "remove-member", "cpc", "ben", cwd=git_tracker)
    assert "the only member of 'cpc'" in refused(
        git_tracker, run, "org", "remove-member", "cpc", "ada", file=ORG
    )


def test_remove_member_from_a_block_list_keeps_the_comments(git_tracker: Path, run: Run) -> None:
    path = git_tracker / ORG
    path.write_text(
        path.read_text().replace(
            "    members: [ada, ben]\n",
            "    members:\n      - ada   # chair\n      - ben   # until March\n",
        )
    )
    before = path.read_text()
    assert run("org", "remove-member", "cpc", "ben", cwd=git_tracker).exit_code == 0
    assert changed(before, path.read_text()) == ["-      - ben   # until March"]


def test_rename_site_rewrites_every_reference_keeping_comments(git_tracker: Path, run: Run) -> None:
    run(
        "site", "hh-spread", "nor", "--status", "planning", "--note", "Kick-off held",
        "--date", "2026-03-02", "--commit", cwd=git_tracker,
    )  # fmt: skip
    project = git_tracker / PROJECT
    project.write_text(project.read_text().replace("  nor:\n", "  nor:   # the pilot site\n"))
    git(git_tracker, "commit", "-qam", "note the pilot")
    before = {f: (git_tracker / f).read_text() for f in (ORG, PRACTICE, PROJECT)}
    result = run("org", "rename-site", "nor", "north", "--commit", cwd=git_tracker)
    assert result.exit_code == 0, result.stderr
    assert result.lines[0].startswith("site nor renamed north in 3 file(s); committed ")
    after = {f: (git_tracker / f).read_text() for f in before}
    assert changed(before[ORG], after[ORG]) == [
        "-  - {id: nor, name: North Hospital, region: North}",
        "+  - {id: north, name: North Hospital, region: North}",
    ]
    assert sorted(changed(before[PRACTICE], after[PRACTICE])) == [
        "+  - {site: north, summary: compliance rose from 60% to 92%}",
        "+origin_sites: [north]",
        "+vetted_by: [north, sou]",
        "-  - {site: nor, summary: compliance rose from 60% to 92%}",
        "-origin_sites: [nor]",
        "-vetted_by: [nor, sou]",
    ]
    assert "  north:   # the pilot site\n" in after[PROJECT]
    updates = yaml.safe_load(after[PROJECT])["updates"]
    assert [u["site"] for u in updates if u["text"] == "Kick-off held"] == ["north"]
    assert " nor" not in after[PROJECT].replace(" north", "")
    assert git(git_tracker, "status", "--porcelain") == ""
    assert run("validate", cwd=git_tracker).exit_code == 0
    status = run("status", "--format", "csv", "--as-of", "2026-04-01", cwd=git_tracker)
    assert ",north,planning," in status.stdout


def test_rename_site_dry_run_shows_every_file_and_writes_none(git_tracker: Path, run: Run) -> None:
    before = {f: (git_tracker / f).read_bytes() for f in (ORG, PRACTICE, PROJECT)}
    result = run("org", "rename-site", "nor", "north", "--dry-run", cwd=git_tracker)
    assert result.exit_code == 0
    for name in ("organisation.yaml:", "practices/hand-hygiene.yaml:", "projects/hh-spread.yaml:"):
        assert any(line.strip() == name for line in result.lines), name
    assert {f: (git_tracker / f).read_bytes() for f in before} == before


def test_rename_site_refusals_leave_every_file_untouched(git_tracker: Path, run: Run) -> None:
    before = {f: (git_tracker / f).read_bytes() for f in (ORG, PRACTICE, PROJECT)}
    assert "already has a site 'sou'" in refused(
        git_tracker, run, "org", "rename-site", "nor", "sou", file=ORG
    )
    assert "not a valid id" in refused(
        git_tracker, run, "org", "rename-site", "nor", "North", file=ORG
    )
    assert "no site 'xyz'" in refused(git_tracker, run, "org", "rename-site", "xyz", "x", file=ORG)
    assert {f: (git_tracker / f).read_bytes() for f in before} == before
