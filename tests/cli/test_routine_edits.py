"""The routine edit commands: site, duty, role, risk, practice, org, metrics add and
disseminate. Each changes only its lines, takes --dry-run, --commit, --by and --date, and
leaves the file untouched when it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Run, git
from editing import PRACTICE, PROJECT, edit, refused


def test_going_live_records_the_go_live_date(git_tracker: Path, run: Run) -> None:
    lines = edit(
        git_tracker, run, "site", "hh-spread", "sou", "--status", "live", "--date", "2026-05-04"
    )
    assert lines == [
        "-    status: planning",
        "+    status: live",
        "+    go_live_actual: 2026-05-04",
        "+    updated: 2026-05-04",
    ]
    # A site already live keeps the date it went live.
    lines = edit(
        git_tracker,
        run,
        "site",
        "hh-spread",
        "nor",
        "--status",
        "sustained",
        "--date",
        "2026-09-01",
    )
    assert "+    go_live_actual: 2026-09-01" not in lines


def test_site_plan_leader_and_barriers(git_tracker: Path, run: Run) -> None:
    lines = edit(
        git_tracker,
        run,
        "site",
        "hh-spread",
        "nst",
        "--go-live",
        "2026-06-01",
        "--leader",
        "cy",
        "--barrier",
        "no trainer",
        "--resolve",
        "1",
        "--date",
        "2026-04-02",
    )
    assert lines == [
        "-    barriers: [gel dispensers on back order]",
        "+    barriers: [no trainer]",
        "+    go_live_planned: 2026-06-01",
        "+    leader: cy",
        "+    updated: 2026-04-02",
    ]
    message = refused(git_tracker, run, "site", "hh-spread", "nst", "--resolve", "staffing")
    assert message == (
        "diffuse: --resolve: no barrier 'staffing' at this site; recorded: 1. no trainer"
    )


def test_local_adaptation_is_requested_then_approved_by_oversight(
    git_tracker: Path, run: Run
) -> None:
    lines = edit(
        git_tracker,
        run,
        "site",
        "hh-spread",
        "sou",
        "--adaptation",
        "Gel at the door",
        "--date",
        "2026-04-01",
        "--by",
        "cy",
    )
    assert lines[-3:] == [
        "+    adaptations:",
        "+      - description: Gel at the door",
        "+        requested: 2026-04-01",
    ]
    message = refused(
        git_tracker, run, "site", "hh-spread", "sou", "--approve-adaptation", "1", "--by", "cy"
    )
    assert message == (
        "diffuse: --approve-adaptation: 'cy' is not diffusion oversight for 'hh-spread': "
        "local adaptations are approved by the 'sponsor-oversight' role or a member of "
        "Clinical Practice Committee"
    )
    lines = edit(
        git_tracker,
        run,
        "site",
        "hh-spread",
        "sou",
        "--approve-adaptation",
        "Gel at the door",
        "--by",
        "ben",
        "--date",
        "2026-04-03",
    )
    assert "+        approved_by: ben" in lines and "+        date: 2026-04-03" in lines
    message = refused(
        git_tracker, run, "site", "hh-spread", "sou", "--approve-adaptation", "2", "--by", "ben"
    )
    assert message == (
        "diffuse: --approve-adaptation: no adaptation '2' at this site; recorded: "
        "1. Gel at the door"
    )


def test_duty_done_na_and_refusals(git_tracker: Path, run: Run) -> None:
    lines = edit(
        git_tracker,
        run,
        "duty",
        "hh-spread",
        "dm-timeline",
        "--done",
        "--evidence",
        "https://intranet/plan",
        "--by",
        "cy",
        "--date",
        "2026-03-03",
    )
    assert lines == [
        "+  dm-timeline:",
        "+    status: done",
        "+    date: 2026-03-03",
        "+    by: cy",
        "+    evidence: https://intranet/plan",
    ]
    lines = edit(
        git_tracker, run, "duty", "hh-spread", "sr-proven", "--na", "--reason", "proven elsewhere"
    )
    assert lines == [
        "-  sr-proven: {status: done, date: 2026-01-20}",
        "+  sr-proven: {status: na, date: 2026-01-20, reason: proven elsewhere, by: ada}",
    ]
    assert refused(git_tracker, run, "duty", "hh-spread", "it-approval", "--na") == (
        "diffuse: --na needs --reason TEXT saying why the duty does not apply"
    )
    assert refused(git_tracker, run, "duty", "hh-spread", "nope", "--done").startswith(
        "diffuse: no duty 'nope' in the workflow; known: sr-proven,"
    )


def test_role_assign_and_remove(git_tracker: Path, run: Run) -> None:
    assert edit(git_tracker, run, "role", "hh-spread", "it-liaison", "cy", "ada") == [
        "+  it-liaison: [cy, ada]"
    ]
    assert edit(git_tracker, run, "role", "hh-spread", "sponsor-oversight", "ben", "--remove") == [
        "-  sponsor-oversight: [ada, ben]",
        "+  sponsor-oversight: [ada]",
    ]
    assert edit(git_tracker, run, "role", "hh-spread", "diffusion-manager", "ada") == [
        "-  diffusion-manager: cy   # the enterprise diffusion manager",
        "+  diffusion-manager: [cy, ada]   # the enterprise diffusion manager",
    ]
    assert refused(git_tracker, run, "role", "hh-spread", "it-liaison", "zed") == (
        "diffuse: PERSON: no person 'zed' in organisation.yaml; known: ada, ben, cy"
    )


def test_risk_is_scored_added_and_unassessed_risks_show_no_score(
    git_tracker: Path, run: Run
) -> None:
    assert edit(
        git_tracker, run, "risk", "hh-spread", "2", "--owner", "ben", "--status", "mitigated"
    ) == [
        "-  - {category: it-changes, likelihood: 2, impact: 3}",
        "+  - {category: it-changes, likelihood: 2, impact: 3, owner: ben, status: mitigated}",
    ]
    assert edit(
        git_tracker, run, "risk", "hh-spread", "ownership", "--description", "no owner yet"
    ) == [
        "+  - category: ownership",
        "+    description: no owner yet",
        "+    status: unassessed",
    ]
    assert edit(
        git_tracker, run, "risk", "hh-spread", "ownership", "--likelihood", "2", "--impact", "5"
    ) == [
        "-    status: unassessed",
        "+    status: open",
        "+    likelihood: 2",
        "+    impact: 5",
    ]
    message = refused(git_tracker, run, "risk", "hh-spread", "culture", "--impact", "7")
    assert message == "diffuse: --impact: expected 1 to 5, got 7"


def test_new_project_risks_start_unassessed_and_count_as_none_open(
    git_tracker: Path, run: Run
) -> None:
    assert (
        run("new", "project", "hh-two", "--practice", "hand-hygiene", cwd=git_tracker).exit_code
        == 0
    )
    shown = run("show", "hh-two", "--format", "json", cwd=git_tracker)
    risks = __import__("json").loads(shown.stdout)["risks"]
    assert {r["status"] for r in risks} == {"unassessed"} and len(risks) == 8
    card = run("scorecard", "--format", "json", "--as-of", "2026-06-01", cwd=git_tracker)
    assert card.exit_code == 0


def test_dry_run_shows_the_change_and_writes_nothing(git_tracker: Path, run: Run) -> None:
    before = (git_tracker / PROJECT).read_bytes()
    result = run(
        "site",
        "hh-spread",
        "sou",
        "--status",
        "live",
        "--date",
        "2026-05-04",
        "--dry-run",
        cwd=git_tracker,
    )
    assert result.exit_code == 0
    assert result.lines == [
        "hh-spread: site sou updated (status=live, go_live_actual=2026-05-04) (dry run: "
        f"{git_tracker / PROJECT} was not changed)",
        "  @@ -40 +40 @@",
        "  -    status: planning",
        "  +    status: live",
        "  @@ -41,0 +42,2 @@",
        "  +    go_live_actual: 2026-05-04",
        "  +    updated: 2026-05-04",
    ]
    assert (git_tracker / PROJECT).read_bytes() == before


def test_commit_commits_just_that_file(git_tracker: Path, run: Run) -> None:
    (git_tracker / "notes.txt").write_text("unrelated\n")
    result = run(
        "duty",
        "hh-spread",
        "sr-announce",
        "--done",
        "--date",
        "2026-03-03",
        "--commit",
        cwd=git_tracker,
    )
    assert result.exit_code == 0, result.stderr
    done = "hh-spread: duty sr-announce done on 2026-03-03 by ada"
    assert result.stdout.startswith(f"{done}; committed ")
    shown = git(git_tracker, "show", "--name-only", "--format=%an <%ae>%n%s", "HEAD")
    assert shown.splitlines()[:3] == ["Ada Chair <ada@example.org>", done, ""]
    assert shown.splitlines()[3] == "projects/hh-spread.yaml"
    # Recorded as git's author identity, mapped to a person: ada.
    assert "    date: 2026-03-03\n    by: ada\n" in (git_tracker / PROJECT).read_text()


def test_practice_readiness_then_approval_then_diffused_and_review(
    git_tracker: Path, run: Run
) -> None:
    assert (
        run("new", "practice", "falls", "--title", "Falls prevention", cwd=git_tracker).exit_code
        == 0
    )
    falls = Path("practices") / "falls.yaml"
    message = refused(git_tracker, run, "practice", "falls", "--status", "approved", file=falls)
    assert message.startswith(
        "diffuse: 'falls' is not ready to be approved: no evidence that the practice worked "
        "at a site (add an 'evidence' entry: {site: ID, summary: what improved}); "
    )
    lines = edit(
        git_tracker,
        run,
        "practice",
        "falls",
        "--goal",
        "Fewer falls",
        "--owner",
        "ada",
        "--evidence",
        "nor=Falls down 20%",
        "--vetted-by",
        "nor",
        "--principle",
        "Risk score on admission",
        "--champion",
        "ada",
        "--administrative",
        "ben",
        "--physician",
        "cy",
        "--support",
        "measurement=Falls audit",
        "--status",
        "approved",
        "--date",
        "2026-03-01",
        file=falls,
    )
    assert "-    - State each fixed principle here." in lines
    assert "+    - Risk score on admission" in lines
    assert "+status: approved" in lines
    assert "+  - site: nor" in lines and "+    date: 2026-03-01" in lines
    assert refused(git_tracker, run, "practice", "falls", "--status", "diffused", file=falls) == (
        "diffuse: 'falls' cannot go from approved to diffused in one step; it must pass "
        "through diffusing first"
    )
    assert refused(git_tracker, run, "practice", "falls", "--status", "proposed", file=falls) == (
        "diffuse: moving 'falls' back from approved to proposed is a decision of its "
        "approving body: a member first runs 'diffuse approve falls --reason TEXT'"
    )
    edit(git_tracker, run, "practice", "falls", "--status", "diffusing", file=falls)
    lines = edit(
        git_tracker,
        run,
        "practice",
        "falls",
        "--status",
        "diffused",
        "--date",
        "2026-09-01",
        file=falls,
    )
    assert lines == [
        "-status: diffusing",
        "+status: diffused",
        "-established: null           # date it was established as a best practice, YYYY-MM-DD",
        "+established: 2026-09-01           # date it was established as a best practice, "
        "YYYY-MM-DD",
    ]
    lines = edit(
        git_tracker,
        run,
        "practice",
        "falls",
        "--reviewed",
        "--outcome",
        "Still current",
        "--date",
        "2027-09-01",
        file=falls,
    )
    assert "+  last: 2027-09-01                # date of the last periodic review" in lines
    assert "+  outcome: Still current" in lines
    shown = run("show", "falls", "--as-of", "2027-09-02", cwd=git_tracker)
    assert (
        "review          last 2027-09-01; next due 2028-09-01; found: Still current" in shown.lines
    )


def test_org_additions(git_tracker: Path, run: Run) -> None:
    org = Path("organisation.yaml")
    assert edit(
        git_tracker,
        run,
        "org",
        "add-site",
        "lkw",
        "--name",
        "Lake Hospital",
        "--region",
        "West",
        file=org,
    ) == [
        "+  - id: lkw",
        "+    name: Lake Hospital",
        "+    region: West",
    ]
    assert edit(
        git_tracker,
        run,
        "org",
        "add-person",
        "dee",
        "--name",
        "Dee Owner",
        "--email",
        "dee@example.org",
        file=org,
    ) == [
        "+  - id: dee",
        "+    name: Dee Owner",
        "+    email: dee@example.org",
    ]
    assert edit(
        git_tracker,
        run,
        "org",
        "add-body",
        "ortho",
        "--name",
        "Ortho Council",
        "--member",
        "dee",
        file=org,
    ) == [
        "+  - id: ortho",
        "+    name: Ortho Council",
        "+    kind: specialty-council",
        "+    members: [dee]",
    ]
    assert edit(git_tracker, run, "org", "add-member", "cpc", "dee", file=org) == [
        "-    members: [ada, ben]",
        "+    members: [ada, ben, dee]",
    ]
    assert refused(git_tracker, run, "org", "add-site", "nor", "--name", "Again", file=org) == (
        "diffuse: organisation.yaml already has a site 'nor'"
    )
    # A new site is in scope of every project: the grid counts it.
    status = run("status", "--format", "csv", "--as-of", "2026-04-01", cwd=git_tracker)
    assert "hh-spread,hand-hygiene,plan,off-track,lkw,not-started,on-track" in status.stdout


def test_metric_add_and_dissemination_plan_with_its_warning(git_tracker: Path, run: Run) -> None:
    lines = edit(
        git_tracker,
        run,
        "metrics",
        "add",
        "hh-spread",
        "compliance",
        "--name",
        "Compliance",
        "--level",
        "process",
        "--kind",
        "proportion",
        "--direction",
        "higher",
        "--target",
        "95",
    )
    assert lines[:3] == ["+metrics:", "+  - id: compliance", "+    name: Compliance"]
    edit(git_tracker, run, "disseminate", "hh-spread", "written-materials", "--audience", "staff")
    shown = run("show", "hh-spread", "--as-of", "2026-04-01", cwd=git_tracker)
    assert (
        "  written-materials: large amount, good quality evidence · for staff · ○ not yet"
        in shown.lines
    )
    warning = "! warning: the plan leans only on approaches with weak evidence of changing"
    assert warning in shown.stdout
    edit(
        git_tracker,
        run,
        "disseminate",
        "hh-spread",
        "change-champions",
        "--owner",
        "cy",
        "--start",
        "2026-04-01",
    )
    lines = edit(
        git_tracker,
        run,
        "disseminate",
        "hh-spread",
        "change-champions",
        "--done",
        "--date",
        "2026-06-01",
    )
    assert lines == ["+    done: 2026-06-01"]
    shown = run("show", "hh-spread", "--as-of", "2026-07-01", cwd=git_tracker)
    assert warning not in shown.stdout
    assert any(
        line.startswith("  change-champions: large amount, medium quality") for line in shown.lines
    )
    data = __import__("json").loads(
        run("show", "hh-spread", "--format", "json", cwd=git_tracker).stdout
    )
    assert data["dissemination"][1]["evidence"] == "large amount, medium quality"
    assert data["dissemination_warnings"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("site", "hh-spread", "xyz", "--status", "live"),
            "diffuse: no site 'xyz' in the organisation; known: nor, nst, sou, sea",
        ),
        (
            ("site", "hh-spread", "sou", "--status", "done"),
            "diffuse: --status: 'done' is not one of: not-started, planning, implementing, live, "
            "sustained, not-applicable",
        ),
        (
            ("duty", "hh-spread", "dm-timeline", "--done", "--by", "zed"),
            "diffuse: --by: no person 'zed' in organisation.yaml; known: ada, ben, cy",
        ),
        (
            ("risk", "hh-spread", "weather", "--impact", "2"),
            "diffuse: RISK: 'weather' is not one of: documentation, ownership, measurement, "
            "it-approval, it-changes, physician-time, competing-priorities, culture, other",
        ),
        (
            ("role", "hh-spread", "it-liaison", "ada", "--remove"),
            "diffuse: ada not in role 'it-liaison' (held by nobody)",
        ),
    ],
)
def test_refusals_are_clear_and_leave_the_file_untouched(
    git_tracker: Path, run: Run, args: tuple[str, ...], message: str
) -> None:
    assert refused(git_tracker, run, *args) == message


def test_a_practice_status_follows_its_projects(git_tracker: Path, run: Run) -> None:
    assert refused(
        git_tracker, run, "practice", "hand-hygiene", "--status", "diffusing", file=PRACTICE
    ) == (
        "diffuse: 'hand-hygiene' cannot be diffusing: its projects make it approved (a "
        "practice is diffusing while a project is in execute and diffused once its projects "
        "have closed; 'diffuse advance' moves it)"
    )


def test_a_site_leaves_the_close_gate_with_a_reason_or_an_exception(
    git_tracker: Path, run: Run
) -> None:
    assert refused(git_tracker, run, "site", "hh-spread", "sou", "--status", "not-applicable") == (
        "diffuse: --status not-applicable needs --reason TEXT saying why"
    )
    lines = edit(
        git_tracker,
        run,
        "site",
        "hh-spread",
        "sou",
        "--status",
        "not-applicable",
        "--reason",
        "no inpatient beds",
        "--date",
        "2026-04-02",
    )
    assert lines[:3] == [
        "-    status: planning",
        "+    status: not-applicable",
        "+    reason: no inpatient beds",
    ]
    message = refused(
        git_tracker, run, "site", "hh-spread", "nst", "--except", "rebuild", "--by", "cy"
    )
    assert message == (
        "diffuse: --except: 'cy' is not a member of Clinical Practice Committee, whose "
        "members approve an exception to the close gate"
    )
    lines = edit(
        git_tracker,
        run,
        "site",
        "hh-spread",
        "nst",
        "--except",
        "ward closed for a rebuild",
        "--by",
        "ben",
        "--date",
        "2026-06-15",
    )
    assert lines[-4:] == [
        "+    exception:",
        "+      reason: ward closed for a rebuild",
        "+      approved_by: ben",
        "+      date: 2026-06-15",
    ]
