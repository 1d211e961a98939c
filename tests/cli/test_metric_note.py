"""`diffuse metrics note`: a dated note on a metric, written as one more line of its
`notes:`, refused with the file untouched when anything is wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Run, git
from editing import changed, refused

PROJECT = Path("projects") / "hh-spread.yaml"
METRIC = """
metrics:
  # Audited monthly by infection prevention; this comment must survive every edit.
  - id: compliance
    name: Hand hygiene compliance
    level: process
    kind: proportion
    direction: higher
    values:
      - {date: 2026-03-01, site: nor, numerator: 70, denominator: 100}
      - {date: 2026-04-01, site: nor, numerator: 80, denominator: 100}
"""


@pytest.fixture
def noted(git_tracker: Path) -> Path:
    path = git_tracker / PROJECT
    path.write_text(path.read_text(encoding="utf-8") + METRIC, encoding="utf-8")
    git(git_tracker, "commit", "-qam", "Add the compliance metric")
    return git_tracker


def note(run: Run, root: Path, *args: str) -> list[str]:
    before = (root / PROJECT).read_text(encoding="utf-8")
    result = run("metrics", "note", "hh-spread", "compliance", *args, cwd=root)
    assert result.exit_code == 0, result.stdout + result.stderr
    return changed(before, (root / PROJECT).read_text(encoding="utf-8"))


def test_a_note_is_appended_and_nothing_else_changes(noted: Path, run: Run) -> None:
    lines = note(run, noted, "Dispensers moved to bedsides", "--date", "2026-03-20", "--by", "cy")
    assert lines == [
        "+    notes:",
        "+      - date: 2026-03-20",
        "+        text: Dispensers moved to bedsides",
        "+        by: cy",
    ]
    text = (noted / PROJECT).read_text(encoding="utf-8")
    assert "# Audited monthly by infection prevention; this comment must survive" in text
    # A second note joins the list; a site is recorded when given.
    lines = note(
        run, noted, "Audit by a new team", "--date", "2026-04-02", "--site", "nor", "--by", "ada"
    )
    assert lines == [
        "+      - date: 2026-04-02",
        "+        site: nor",
        "+        text: Audit by a new team",
        "+        by: ada",
    ]


def test_the_note_is_read_back_as_the_metric_holds_it(noted: Path, run: Run) -> None:
    note(run, noted, "Dispensers moved to bedsides", "--date", "2026-03-20", "--site", "nor")
    result = run("show", "hh-spread", "--format", "json", cwd=noted)
    [metric] = json.loads(result.stdout)["metrics"]
    assert metric["notes"] == [
        {"date": "2026-03-20", "site": "nor", "text": "Dispensers moved to bedsides", "by": "ada"}
    ]
    assert run("validate", cwd=noted).exit_code == 0


def test_dry_run_shows_the_lines_and_writes_nothing(noted: Path, run: Run) -> None:
    before = (noted / PROJECT).read_bytes()
    result = run(
        "metrics",
        "note",
        "hh-spread",
        "compliance",
        "Gel changed",
        "--date",
        "2026-03-20",
        "--by",
        "cy",
        "--dry-run",
        cwd=noted,
    )
    assert result.exit_code == 0, result.stderr
    assert (noted / PROJECT).read_bytes() == before
    head = result.lines[0]
    assert head.startswith("hh-spread: note on compliance for 2026-03-20 (dry run: ")
    assert head.endswith("projects/hh-spread.yaml was not changed)")
    assert "  +        text: Gel changed" in result.lines


def test_commit_commits_just_the_project_file(noted: Path, run: Run) -> None:
    (noted / "scratch.txt").write_text("not part of the note\n")
    result = run(
        "metrics",
        "note",
        "hh-spread",
        "compliance",
        "Gel changed",
        "--date",
        "2026-03-20",
        "--commit",
        cwd=noted,
    )
    assert result.exit_code == 0, result.stderr
    assert "committed" in result.stdout
    assert git(noted, "log", "-1", "--format=%s").strip() == (
        "hh-spread: note on compliance for 2026-03-20"
    )
    assert git(noted, "show", "--name-only", "--format=", "HEAD").split() == [str(PROJECT)]
    assert "?? scratch.txt" in git(noted, "status", "--porcelain")
    # git's identity (ada@example.org) names the recorder.
    assert "        by: ada" in (noted / PROJECT).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("nope", "compliance", "x"), "nope"),
        (("hh-spread", "nope", "x"), "has no metric 'nope'; its metrics: compliance"),
        (("hh-spread", "compliance", "x", "--site", "nowhere"), "no site 'nowhere'"),
        (("hh-spread", "compliance", "x", "--by", "nobody"), "nobody"),
        (("hh-spread", "compliance", "   "), "the note is empty"),
        (("hh-spread", "compliance", "red \x1b[31m alert"), "control character"),
        (("hh-spread", "compliance", "two\nlines"), "line break"),
        (("hh-spread", "compliance", "Patient MRN 12345678 fell"), "patient-data"),
    ],
    ids=["project", "metric", "site", "by", "empty", "control", "newline", "patient"],
)
def test_bad_input_is_refused_and_the_file_untouched(
    noted: Path, run: Run, args: tuple[str, ...], says: str
) -> None:
    # The defaults come first, so a case's own --by is the one that counts.
    message = refused(noted, run, "metrics", "note", "--date", "2026-03-20", "--by", "cy", *args)
    assert says in message
    assert "Traceback" not in message


def test_the_same_note_twice_is_refused(noted: Path, run: Run) -> None:
    note(run, noted, "Gel changed", "--date", "2026-03-20", "--by", "cy")
    message = refused(
        noted,
        run,
        "metrics",
        "note",
        "hh-spread",
        "compliance",
        "Gel changed",
        "--date",
        "2026-03-20",
        "--by",
        "cy",
    )
    assert "already has this note on 2026-03-20" in message


def test_a_bad_date_is_a_usage_error(noted: Path, run: Run) -> None:
    before = (noted / PROJECT).read_bytes()
    result = run(
        "metrics", "note", "hh-spread", "compliance", "x", "--date", "2026-02-30", cwd=noted
    )
    assert result.exit_code == 2
    assert (noted / PROJECT).read_bytes() == before
