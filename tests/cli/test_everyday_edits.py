"""Routine edits that needed a text editor before: a site's pause, a practice's own fields
and support elements, a duty of one project, and block lists written with comments. Each
is run through the CLI in a temporary tracker: the edit, comments kept, --dry-run and
refusals leave the file untouched, --commit commits in a real git repository."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Run, git
from editing import PRACTICE, PROJECT, edit, refused


def _review(run: Run, root: Path, as_of: str) -> dict[str, list[dict[str, str]]]:
    result = run("review", "--as-of", as_of, "--format", "json", cwd=root)
    assert result.exit_code == 0, result.stdout + result.stderr
    data: dict[str, list[dict[str, str]]] = json.loads(result.stdout)
    return data


def test_a_pause_stops_the_staleness_clock_until_resumed(git_tracker: Path, run: Run) -> None:
    site = ("site", "hh-spread", "nst")
    lines = edit(
        git_tracker, run, *site, "--pause", "ward closed", "--until", "2026-06-30",
        "--date", "2026-03-02",
    )  # fmt: skip
    assert lines == [
        "+    updated: 2026-03-02",
        "+    pause:",
        "+      reason: ward closed",
        "+      since: 2026-03-02",
        "+      until: 2026-06-30",
    ]
    paused = _review(run, git_tracker, "2026-05-01")["paused_sites"]
    assert [s["site"] for s in paused] == ["nst"]
    # Moving its end keeps the reason and the start.
    lines = edit(git_tracker, run, *site, "--until", "2026-07-31", "--date", "2026-03-03")
    assert lines == [
        "-    updated: 2026-03-02",
        "+    updated: 2026-03-03",
        "-      until: 2026-06-30",
        "+      until: 2026-07-31",
    ]
    lines = edit(git_tracker, run, *site, "--resume", "--date", "2026-04-01")
    assert "+      until: 2026-04-01" in lines
    assert "nst" in [s["site"] for s in _review(run, git_tracker, "2026-05-20")["stale_sites"]]
    assert "# Spread of hand hygiene." in (git_tracker / PROJECT).read_text()


def test_pause_refusals_leave_the_file_untouched(git_tracker: Path, run: Run) -> None:
    site = ("site", "hh-spread", "nst", "--date", "2026-03-02")
    assert "--pause needs --until" in refused(git_tracker, run, *site, "--pause", "closed")
    assert "before the pause starts" in refused(
        git_tracker, run, *site, "--pause", "closed", "--until", "2026-03-01"
    )
    assert "no pause is recorded" in refused(git_tracker, run, *site, "--resume")
    assert "none is recorded" in refused(git_tracker, run, *site, "--until", "2026-05-01")
    bad_day = run(*site, "--pause", "x", "--until", "someday", cwd=git_tracker)
    assert bad_day.exit_code == 2 and "--until" in bad_day.stderr
    edit(git_tracker, run, *site, "--pause", "closed", "--until", "2026-06-30")
    assert "not in force on 2026-07-02" in refused(
        git_tracker, run, "site", "hh-spread", "nst", "--resume", "--date", "2026-07-02"
    )


def test_pause_dry_run_writes_nothing_and_commit_commits(git_tracker: Path, run: Run) -> None:
    args = ("site", "hh-spread", "sou", "--pause", "staff leave", "--until", "2026-05-01")
    before = (git_tracker / PROJECT).read_bytes()
    result = run(*args, "--date", "2026-03-02", "--dry-run", cwd=git_tracker)
    assert result.exit_code == 0, result.stderr
    assert "+      reason: staff leave" in result.stdout
    assert (git_tracker / PROJECT).read_bytes() == before
    result = run(*args, "--date", "2026-03-02", "--commit", cwd=git_tracker)
    assert result.exit_code == 0, result.stderr
    assert git(git_tracker, "status", "--porcelain") == ""
    assert "pause reason=staff leave" in git(git_tracker, "log", "-1", "--format=%s")
    assert "# staffing crisis" in (git_tracker / PROJECT).read_text()


BLOCK_BARRIERS = (
    "    barriers:\n"
    "      # raised at the March huddle\n"
    "      - gel dispensers on back order   # supplier says May\n"
    "      - >-\n"
    "        night staff not yet trained\n"
    "        on the new audit\n"
    "      # keep this one until estates reply\n"
    "      - sinks blocked in bay 3\n"
)


def test_a_block_list_with_comments_keeps_them_through_adds_and_removes(
    git_tracker: Path, run: Run
) -> None:
    path = git_tracker / PROJECT
    path.write_text(
        path.read_text().replace("    barriers: [gel dispensers on back order]\n", BLOCK_BARRIERS)
    )
    site = ("site", "hh-spread", "nst", "--date", "2026-03-02")
    lines = edit(git_tracker, run, *site, "--barrier", "no soap at the door")
    assert lines == ["+      - no soap at the door", "+    updated: 2026-03-02"]
    text = path.read_text()
    assert BLOCK_BARRIERS + "      - no soap at the door\n" in text
    lines = edit(git_tracker, run, *site, "--resolve", "2")
    assert lines == [
        "-      - >-",
        "-        night staff not yet trained",
        "-        on the new audit",
    ]
    text = path.read_text()
    assert "# raised at the March huddle" in text and "# supplier says May" in text
    assert "# keep this one until estates reply\n      - sinks blocked in bay 3\n" in text
    # Removing one and adding another in one run.
    lines = edit(
        git_tracker, run, *site, "--resolve", "gel dispensers on back order",
        "--barrier", "audit app down",
    )  # fmt: skip
    assert lines == [
        "-      - gel dispensers on back order   # supplier says May",
        "+      - audit app down",
    ]
    shown = run("show", "hh-spread", "--format", "json", cwd=git_tracker)
    assert shown.exit_code == 0, shown.stderr
    assert "sinks blocked in bay 3" in shown.stdout and "audit app down" in shown.stdout


def test_a_block_list_edit_dry_run_and_refusal_leave_it_untouched(
    git_tracker: Path, run: Run
) -> None:
    path = git_tracker / PROJECT
    path.write_text(
        path.read_text().replace("    barriers: [gel dispensers on back order]\n", BLOCK_BARRIERS)
    )
    git(git_tracker, "commit", "-qam", "Barriers as a block list")
    before = path.read_bytes()
    site = ("site", "hh-spread", "nst", "--date", "2026-03-02")
    result = run(*site, "--resolve", "3", "--dry-run", cwd=git_tracker)
    assert result.exit_code == 0, result.stderr
    assert "-      - sinks blocked in bay 3" in result.stdout
    assert path.read_bytes() == before
    assert "no barrier '9'" in refused(git_tracker, run, *site, "--resolve", "9")
    result = run(*site, "--resolve", "3", "--commit", cwd=git_tracker)
    assert result.exit_code == 0, result.stderr
    assert git(git_tracker, "status", "--porcelain") == ""
    assert "# keep this one until estates reply" in path.read_text()


def test_practice_fields_origin_sites_and_a_support_element(git_tracker: Path, run: Run) -> None:
    path = git_tracker / PRACTICE
    path.write_text("# Owned by the CPC; edit with diffuse practice.\n" + path.read_text())
    practice = ("practice", "hand-hygiene", "--date", "2026-03-02")
    lines = edit(
        git_tracker, run, *practice, "--title", "Clean hands at the bedside",
        "--discovery", "alpha-beta", "--decision", "authority", file=PRACTICE,
    )  # fmt: skip
    assert lines == [
        "-title: Hand hygiene at the bedside",
        "+title: Clean hands at the bedside",
        "+discovery: alpha-beta",
        "+decision: authority",
    ]
    lines = edit(
        git_tracker, run, *practice, "--origin-site", "sou", "--origin-site", "nst",
        "--remove-origin-site", "nor", file=PRACTICE,
    )  # fmt: skip
    assert lines == ["-origin_sites: [nor]", "+origin_sites: [sou, nst]"]
    lines = edit(
        git_tracker, run, *practice, "--element", "Observation audit plan",
        "--element-status", "published", "--element-link", "https://intranet/audit",
        file=PRACTICE,
    )  # fmt: skip
    assert lines == [
        "-support_elements: [{kind: measurement, title: Observation audit plan}]",
        "+support_elements: [{kind: measurement, title: Observation audit plan, "
        "status: published, link: https://intranet/audit}]",
    ]
    assert path.read_text().startswith("# Owned by the CPC; edit with diffuse practice.\n")
    shown = run("show", "hand-hygiene", "--format", "json", cwd=git_tracker)
    assert shown.exit_code == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert (data["title"], data["discovery"], data["decision"]) == (
        "Clean hands at the bedside", "alpha-beta", "authority",
    )  # fmt: skip
    assert data["origin_sites"] == ["sou", "nst"]
    element = data["support_elements"][0]
    assert (element["status"], element["link"]) == ("published", "https://intranet/audit")


def test_practice_field_refusals_leave_the_file_untouched(git_tracker: Path, run: Run) -> None:
    practice = ("practice", "hand-hygiene", "--date", "2026-03-02")
    cases = {
        ("--discovery", "luck"): "--discovery: 'luck' is not one of: internal-collaborative",
        ("--decision", "vote"): "--decision: 'vote' is not one of: optional",
        ("--origin-site", "mars"): "no site 'mars' in the organisation",
        ("--remove-origin-site", "sou"): "'sou' is not an origin site of 'hand-hygiene'",
        ("--element", "9", "--element-status", "draft"): "no support element '9'",
        ("--element", "1", "--element-status", "done"): "--element-status: 'done' is not one",
        ("--element-status", "draft"): "need --element N|TITLE",
        ("--element", "1"): "--element needs --element-status or --element-link",
        ("--title", " "): "--title: give a value",
    }
    for args, message in cases.items():
        assert message in refused(git_tracker, run, *practice, *args, file=PRACTICE), args


def test_practice_edit_dry_run_and_commit(git_tracker: Path, run: Run) -> None:
    args = ("practice", "hand-hygiene", "--discovery", "grassroots", "--date", "2026-03-02")
    before = (git_tracker / PRACTICE).read_bytes()
    result = run(*args, "--dry-run", cwd=git_tracker)
    assert result.exit_code == 0, result.stderr
    assert "+discovery: grassroots" in result.stdout
    assert (git_tracker / PRACTICE).read_bytes() == before
    result = run(*args, "--commit", cwd=git_tracker)
    assert result.exit_code == 0, result.stderr
    assert git(git_tracker, "status", "--porcelain") == ""
    assert git(git_tracker, "log", "-1", "--format=%s").strip() == (
        "hand-hygiene: discovery=grassroots"
    )


NEW_DUTY = (
    "duty", "hh-spread", "dm-gel-stock", "--add", "--role", "diffusion-manager",
    "--due", "plan", "--title", "Check gel stock at every site",
)  # fmt: skip


def test_a_custom_duty_is_added_shown_and_judged_by_the_gate(git_tracker: Path, run: Run) -> None:
    lines = edit(git_tracker, run, *NEW_DUTY, "--date", "2026-03-02")
    assert lines == [
        "+custom_duties:",
        "+  - id: dm-gel-stock",
        "+    role: diffusion-manager",
        "+    due: plan",
        "+    title: Check gel stock at every site",
    ]
    assert "# Spread of hand hygiene." in (git_tracker / PROJECT).read_text()
    assert run("validate", cwd=git_tracker).exit_code == 0
    shown = run("show", "hh-spread", cwd=git_tracker, env={"COLUMNS": "200"})
    assert "dm-gel-stock" in shown.stdout and "Check gel stock at every site" in shown.stdout
    # The gate out of plan waits for it, like any duty due by plan.
    check = run("advance", "hh-spread", "--dry-run", "--date", "2026-03-03", cwd=git_tracker)
    assert "dm-gel-stock" in check.stdout + check.stderr
    # Only a holder of its role marks it done: ada does not hold diffusion-manager; cy does.
    duty = ("duty", "hh-spread", "dm-gel-stock", "--done", "--date", "2026-03-03")
    assert "does not hold" in refused(git_tracker, run, *duty, "--by", "ada")
    lines = edit(git_tracker, run, *duty, "--by", "cy")
    assert any(line.startswith("+  dm-gel-stock:") for line in lines), lines
    check = run("advance", "hh-spread", "--dry-run", "--date", "2026-03-04", cwd=git_tracker)
    assert "dm-gel-stock" not in check.stdout + check.stderr


def test_custom_duty_refusals_and_validation(git_tracker: Path, run: Run) -> None:
    base = ("duty", "hh-spread")
    cases = {
        ("sr-proven", "--add", "--role", "diffusion-manager", "--due", "plan", "--title", "x"):
            "'sr-proven' is already a duty of 'hh-spread'",
        ("new-one", "--add", "--role", "chef", "--due", "plan", "--title", "x"):
            "--role: 'chef' is not one of:",
        ("new-one", "--add", "--role", "diffusion-manager", "--due", "lunch", "--title", "x"):
            "--due: 'lunch' is not one of:",
        ("new-one", "--add", "--role", "diffusion-manager", "--due", "initiate",
         "--title", "x"): "has left that phase",
        ("New One", "--add", "--role", "diffusion-manager", "--due", "plan", "--title", "x"):
            "is not an id",
        ("new-one", "--add", "--role", "diffusion-manager", "--due", "plan"):
            "--add needs --title",
    }  # fmt: skip
    for args, message in cases.items():
        assert message in refused(git_tracker, run, *base, *args), args
    # A hand-written duty with an unknown role, a taken id or an unknown phase is reported.
    path = git_tracker / PROJECT
    path.write_text(
        path.read_text()
        + "custom_duties:\n"
        + "  - {id: sr-aim, role: diffusion-manager, due: plan, title: x}\n"
        + "  - {id: dm-extra, role: chef, due: lunch, title: y}\n"
    )
    result = run("validate", cwd=git_tracker)
    assert result.exit_code == 1
    out = result.stdout + result.stderr
    assert "custom_duties.0.id: duty 'sr-aim' is already a duty of the workflow" in out
    assert "custom_duties.1.role: no role 'chef'" in out
    assert "custom_duties.1.due: no phase 'lunch'" in out
    assert "projects/hh-spread.yaml:" in out


def test_custom_duty_dry_run_and_commit(git_tracker: Path, run: Run) -> None:
    before = (git_tracker / PROJECT).read_bytes()
    result = run(*NEW_DUTY, "--date", "2026-03-02", "--dry-run", cwd=git_tracker)
    assert result.exit_code == 0, result.stderr
    assert "+  - id: dm-gel-stock" in result.stdout
    assert (git_tracker / PROJECT).read_bytes() == before
    result = run(*NEW_DUTY, "--date", "2026-03-02", "--commit", cwd=git_tracker)
    assert result.exit_code == 0, result.stderr
    assert git(git_tracker, "status", "--porcelain") == ""
    assert git(git_tracker, "log", "-1", "--format=%s").strip() == (
        "hh-spread: duty dm-gel-stock added for diffusion-manager, due by plan"
    )
