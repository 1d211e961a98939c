"""Hostile input and faults met through the command line: a YAML value that contains
itself, a file name that is not UTF-8, a reader killed by the system, cache entries that
are links, pipes or someone else's, a lock left by a killed git.

Each command that could hang or grow without bound runs in its own process, with a
timeout that fails the test only if it never returns and a cap on its memory, so a
regression stops here rather than stalling the suite or the machine.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_ROOT, Run, git

# Far more than any command needs, far less than a run that grows without bound reaches.
MEMORY_CAP = 2 * 1024**3
NEVER_RETURNS = 120


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def diffuse(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`diffuse ARGS --root ROOT` in a process of its own, as a CI job runs it."""
    return subprocess.run(
        [sys.executable, "-m", "diffuse", *args, "--root", str(root)],
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), "COLUMNS": "120", **(env or {})},
        cwd=root,
        capture_output=True,
        text=True,
        timeout=NEVER_RETURNS,
        preexec_fn=_capped,
        check=False,
    )


def _commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


# -- a value that contains itself ---------------------------------------------------------

LOOP = "x_loop: &loop [a, *loop]\n"


def _looped(git_tracker: Path, name: str) -> tuple[Path, int]:
    """The loop added at the end of `name`, committed; the line it is on."""
    path = git_tracker / name
    text = path.read_text()
    path.write_text(text + LOOP)
    _commit(git_tracker, "A value that contains itself")
    return path, text.count("\n") + 1


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],
        ["check", "--base", "HEAD~1"],
        ["show", "hh-spread"],
        ["site", "hh-spread", "nor", "--status", "implementing", "--date", "2026-03-01"],
        ["advance", "hh-spread", "--date", "2026-03-01"],
        ["project", "hh-spread", "--title", "Hands", "--date", "2026-03-01"],
    ],
    ids=lambda args: args[0],
)
def test_a_recursive_alias_is_refused_at_its_place(git_tracker: Path, args: list[str]) -> None:
    path, line = _looped(git_tracker, "projects/hh-spread.yaml")
    before = path.read_bytes()
    done = diffuse(git_tracker, *args)
    assert done.returncode == 1, done.stderr
    located = f"projects/hh-spread.yaml:{line}:19: error[recursive-alias]"
    assert located in done.stdout + done.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "args",
    [
        ["status", "--as-of", "2026-04-01"],
        ["status", "--as-of", "2026-04-01", "--format", "json"],
        ["export", "sqlite", "{out}"],
        ["risks"],
        ["review", "--as-of", "2026-04-01"],
    ],
    ids=lambda args: "-".join(args[:1] + args[-1:]),
)
def test_a_recursive_alias_ends_every_reading_command(
    git_tracker: Path, tmp_path: Path, args: list[str]
) -> None:
    _looped(git_tracker, "projects/hh-spread.yaml")
    done = diffuse(git_tracker, *(a.replace("{out}", str(tmp_path / "out.db")) for a in args))
    assert done.returncode == 1, done.stderr
    assert "run 'diffuse validate'" in done.stderr
    assert "internal error" not in done.stderr


def test_a_recursive_alias_in_the_organisation_file_is_placed(git_tracker: Path) -> None:
    _, line = _looped(git_tracker, "organisation.yaml")
    done = diffuse(git_tracker, "status", "--as-of", "2026-04-01")
    assert done.returncode == 1
    assert f"organisation.yaml:{line}:19: error[recursive-alias]" in done.stderr


def test_history_of_a_file_with_a_recursive_alias_ends(git_tracker: Path) -> None:
    _looped(git_tracker, "projects/hh-spread.yaml")
    done = diffuse(git_tracker, "history", "hh-spread")
    assert done.returncode == 0, done.stderr
    assert "hh-spread (project, projects/hh-spread.yaml)" in done.stdout


# -- a reader killed by the system --------------------------------------------------------

# Runs `diffuse validate` in a process whose second reader SIGKILLs itself once it starts,
# as the out-of-memory killer would.
KILLED_WORKER = """
import os, signal, sys
from diffuse.rules import parallel

main = os.getpid()
read_each = parallel._read_each

def _read_each(jobs, read):
    if os.getpid() != main:
        os.kill(os.getpid(), signal.SIGKILL)
    return read_each(jobs, read)

_read_each.__module__, _read_each.__qualname__ = parallel.__name__, "_read_each"
parallel._read_each = _read_each
from diffuse.cli import main as run
sys.argv = ["diffuse", "validate", "--root", sys.argv[1]]
run()
"""


def _many_projects(root: Path, count: int = 6) -> None:
    good = (root / "projects" / "hh-spread.yaml").read_text()
    for n in range(count):
        (root / "projects" / f"hh-copy-{n}.yaml").write_text(
            good.replace("hh-spread", f"hh-copy-{n}")
        )
    (root / "projects" / "not-yaml.yaml").write_text("id: not-yaml\npractice: [unclosed\n")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize("cache", ["", "1"], ids=["cache", "no-cache"])
def test_a_killed_reader_leaves_the_work_to_this_process(
    tracker: Path, tmp_path: Path, cache: str
) -> None:
    _many_projects(tracker)
    alone = diffuse(tracker, "validate", env={"DIFFUSE_PARALLEL_MIN": "1000"})
    # An empty cache: every file is read, half of them by the reader that is killed.
    env = {"DIFFUSE_PARALLEL_MIN": "2", "DIFFUSE_NO_CACHE": cache}
    env["DIFFUSE_CACHE_DIR"] = str(tmp_path / "empty-cache")
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_WORKER, str(tracker)],
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), "COLUMNS": "120", **env},
        cwd=tracker,
        capture_output=True,
        text=True,
        timeout=NEVER_RETURNS,
        preexec_fn=_capped,
        check=False,
    )
    assert "not-yaml.yaml:3:1" in alone.stdout
    assert (killed.returncode, killed.stdout) == (alone.returncode, alone.stdout), killed.stderr


# -- cache entries that are not what they seem -------------------------------------------

READERS = [
    ["validate"],
    ["status", "--as-of", "2026-04-01", "--format", "json"],
    ["history", "hh-spread"],
]


def _cache() -> Path:
    return Path(os.environ["DIFFUSE_CACHE_DIR"])


def _entries() -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(_cache().rglob("*")) if p.is_file()}


def _outputs(root: Path, env: dict[str, str] | None = None) -> list[tuple[int, str]]:
    found = []
    for args in READERS:
        done = diffuse(root, *args, env=env)
        assert "internal error" not in done.stderr
        found.append((done.returncode, done.stdout))
    return found


def _replace_with(entry: Path, kind: str) -> None:
    entry.unlink()
    if kind == "link to /dev/zero":
        entry.symlink_to("/dev/zero")
    elif kind == "pipe":
        os.mkfifo(entry)
    else:
        entry.write_bytes(b"")


@pytest.mark.parametrize("kind", ["link to /dev/zero", "pipe"])
def test_a_cache_entry_that_is_no_regular_file_is_a_miss(git_tracker: Path, kind: str) -> None:
    if kind == "pipe" and not hasattr(os, "mkfifo"):
        pytest.skip("needs named pipes")
    fresh = _outputs(git_tracker, env={"DIFFUSE_NO_CACHE": "1"})
    assert _outputs(git_tracker) == fresh
    entries = _entries()
    assert any(p.parent.name == "files" for p in entries)
    assert any(p.parent.name == "history" for p in entries)
    for entry in entries:
        _replace_with(entry, kind)
    assert _outputs(git_tracker) == fresh


def test_a_cache_entry_moved_under_another_key_is_a_miss(git_tracker: Path) -> None:
    project = git_tracker / "projects" / "hh-spread.yaml"
    before = _outputs(git_tracker)
    old = _entries()
    project.write_text(
        project.read_text().replace(
            "  sou:\n    status: planning", "  sou:\n    status: implementing"
        )
    )
    _commit(git_tracker, "South is implementing")
    fresh = _outputs(git_tracker, env={"DIFFUSE_NO_CACHE": "1"})
    assert fresh[1] != before[1] and fresh[2] != before[2]
    assert _outputs(git_tracker) == fresh
    new = {p: b for p, b in _entries().items() if old.get(p) != b}
    moved = 0
    for entry in new:
        # Each new entry swapped for an old, well-formed one of the same cache.
        donor = next((p for p in old if p.parent == entry.parent and p not in new), None)
        if donor is not None:
            entry.write_bytes(old[donor])
            moved += 1
    assert moved >= 2
    assert _outputs(git_tracker) == fresh


# -- a file name that is not UTF-8 --------------------------------------------------------


def _badly_named(root: Path) -> None:
    folder = os.fsencode(root / "practices")
    try:
        with open(folder + b"/h-bad\xffname.yaml", "wb") as out:
            out.write(b"id: h-bad\ntitle: A name git and Linux allow\n")
    except (OSError, ValueError):
        pytest.skip("this file system takes UTF-8 names only")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["validate"],
            "practices/h-bad\\xffname.yaml: error[bad-file-name] the file name is not UTF-8",
        ),
        (["validate", "--format", "github"], "::error file=practices/h-bad\\xffname.yaml,"),
        (["validate", "--format", "junit"], 'name="practices/h-bad\\xffname.yaml"'),
        (["validate", "--format", "json"], '"rule": "bad-file-name"'),
        (["check", "--base", "HEAD~1"], "practices/h-bad\\xffname.yaml: error[bad-file-name]"),
        (["status", "--as-of", "2026-04-01"], "run 'diffuse validate'"),
        (["export", "sqlite", "out.db"], "run 'diffuse validate'"),
    ],
    ids=lambda value: "-".join(value) if isinstance(value, list) else "",
)
def test_a_file_name_that_is_not_utf8_is_a_problem_not_a_crash(
    git_tracker: Path, args: list[str], expected: str
) -> None:
    _badly_named(git_tracker)
    _commit(git_tracker, "A file whose name is not UTF-8")
    done = diffuse(git_tracker, *args)
    assert done.returncode == 1 or args[-1] in ("github", "junit"), done.stderr
    assert expected in done.stdout + done.stderr
    assert "internal error" not in done.stderr


# -- a lock left by a git command that was killed -----------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["site", "hh-spread", "sou", "--status", "implementing", "--commit"],
        ["duty", "hh-spread", "dm-stakeholders", "--done", "--by", "cy", "--commit"],
        ["project", "hh-spread", "--title", "Clean hands everywhere", "--commit"],
        ["approve", "hh-spread", "--substance"],
    ],
    ids=lambda args: args[0],
)
@pytest.mark.parametrize("lock", ["index.lock", "HEAD.lock", "refs/heads/main.lock"])
def test_a_stale_git_lock_is_reported_before_anything_is_written(
    git_tracker: Path, run: Run, args: list[str], lock: str
) -> None:
    stale = git_tracker / ".git" / lock
    stale.write_text("")  # what a git killed in the middle of a commit leaves
    before = {p: p.read_bytes() for p in git_tracker.rglob("*.yaml")}
    result = run(*args, "--date", "2026-03-01", cwd=git_tracker)
    assert result.exit_code == 1
    said = " ".join(result.stderr.split())
    assert f"{stale} exists" in said and "delete that file and run this again" in said
    assert "nothing was changed" in said
    assert {p: p.read_bytes() for p in git_tracker.rglob("*.yaml")} == before
    assert stale.exists()
    stale.unlink()
    assert git(git_tracker, "status", "--porcelain") == ""
    again = run(*args, "--date", "2026-03-01", cwd=git_tracker)
    assert again.exit_code == 0, again.stderr
    assert git(git_tracker, "status", "--porcelain") == ""


# -- files whose lines end in CR alone ----------------------------------------------------

CR_EDITS = [
    ["site", "hh-spread", "nor", "--status", "sustained"],
    ["site", "hh-spread", "sou", "--status", "implementing", "--health", "at-risk"],
    ["site", "hh-spread", "sea", "--barrier", "No sinks in bay 3", "--go-live", "2026-07-01"],
    ["site", "hh-spread", "nst", "--adkar", "knowledge", "--note", "Gel arrived"],
    ["site", "hh-spread", "sou", "--leader", "cy"],
    [
        "duty",
        "hh-spread",
        "dm-stakeholders",
        "--done",
        "--by",
        "cy",
        "--evidence",
        "https://intranet/sa",
    ],
    ["duty", "hh-spread", "dm-comms-plan", "--na", "--by", "cy", "--reason", "No comms needed"],
    ["duty", "hh-spread", "dm-timeline", "--done", "--by", "cy"],
    ["role", "hh-spread", "it-liaison", "ben"],
    ["role", "hh-spread", "sponsor-oversight", "ben", "--remove"],
    ["risk", "hh-spread", "physician-time", "--likelihood", "4", "--impact", "3", "--owner", "cy"],
    ["risk", "hh-spread", "culture", "--mitigation", "Ward champions"],
    ["project", "hh-spread", "--title", "Clean hands everywhere"],
    ["project", "hh-spread", "--target-months", "9"],
    ["practice", "hand-hygiene", "--goal", "95% compliance at every site"],
    ["practice", "hand-hygiene", "--reviewed", "--outcome", "No change needed"],
    ["disseminate", "hh-spread", "change-champions", "--audience", "ward nurses", "--owner", "cy"],
    ["org", "add-site", "lkw", "--name", "Lakewood Hospital", "--region", "West"],
    ["org", "add-person", "dee", "--name", "Dee Owner", "--email", "dee@example.org"],
    ["org", "add-member", "cpc", "cy"],
    [
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
    ],
]


def _tracker_files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*.yaml"))
        if ".git" not in p.parts
    }


@pytest.mark.parametrize("args", CR_EDITS, ids=lambda args: "-".join(args[:3]))
def test_a_file_with_cr_line_ends_is_edited_and_keeps_them(
    tracker: Path, tmp_path: Path, run: Run, args: list[str]
) -> None:
    lf = tmp_path / "lf"
    shutil.copytree(tracker, lf)
    for path in tracker.rglob("*.yaml"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    assert run("validate", cwd=tracker).exit_code == 0
    expected = run(*args, "--date", "2026-03-01", cwd=lf)
    assert expected.exit_code == 0, expected.stderr
    done = run(*args, "--date", "2026-03-01", cwd=tracker)
    assert (done.exit_code, done.stderr) == (0, "")
    assert done.stdout == expected.stdout
    with_cr = {name: data.replace(b"\n", b"\r") for name, data in _tracker_files(lf).items()}
    assert _tracker_files(tracker) == with_cr
    assert run("validate", cwd=tracker).exit_code == 0


def test_a_file_that_mixes_cr_and_lf_line_ends_is_refused_before_the_edit(
    tracker: Path, run: Run
) -> None:
    project = tracker / "projects" / "hh-spread.yaml"
    mixed = project.read_bytes().replace(b"phase: plan\n", b"phase: plan\r", 1)
    project.write_bytes(mixed)
    assert run("validate", cwd=tracker).exit_code == 0
    done = run("site", "hh-spread", "sou", "--status", "implementing", cwd=tracker)
    assert done.exit_code == 1
    said = " ".join(done.stderr.split())
    assert "the file mixes line ends (a carriage return alone on line 5" in said
    assert "internal" not in said
    assert project.read_bytes() == mixed


# -- control and reordering characters in a command's own arguments -----------------------

TRICKS = {
    "right-to-left override": "\u202e",
    "isolate": "\u2066",
    "right-to-left mark": "\u200f",
    "escape sequence": "\x1b[2J",
}
RAW = ("\u202e", "\u2066", "\u2069", "\u200f", "\x1b")


@pytest.mark.parametrize(
    ("args", "file"),
    [
        (["project", "hh-spread", "--title", "Hands{}everywhere"], "projects/hh-spread.yaml"),
        (["site", "hh-spread", "sou", "--note", "gel{}ordered"], "projects/hh-spread.yaml"),
        (
            ["duty", "hh-spread", "dm-comms-plan", "--na", "--by", "cy", "--reason", "none{}"],
            "projects/hh-spread.yaml",
        ),
        (["org", "add-site", "lkw", "--name", "Lake{}wood"], "organisation.yaml"),
        (
            ["practice", "hand-hygiene", "--goal", "95%{} at every site"],
            "practices/hand-hygiene.yaml",
        ),
    ],
    ids=lambda value: value[0] if isinstance(value, list) else "",
)
@pytest.mark.parametrize("trick", TRICKS)
def test_control_characters_in_arguments_are_shown_and_written_escaped(
    tracker: Path, run: Run, args: list[str], file: str, trick: str
) -> None:
    argv = [a.replace("{}", TRICKS[trick]) for a in args] + ["--date", "2026-03-01"]
    before = (tracker / file).read_bytes()
    dry = run(*argv, "--dry-run", cwd=tracker)
    assert dry.exit_code == 0, dry.stderr
    assert not any(char in dry.stdout for char in RAW)
    assert (tracker / file).read_bytes() == before
    done = run(*argv, cwd=tracker)
    assert done.exit_code == 0, done.stderr
    assert not any(char in done.stdout for char in RAW)
    written = (tracker / file).read_text(encoding="utf-8")
    assert not any(char in written for char in RAW)
    assert "\\u" in written
    assert run("validate", cwd=tracker).exit_code == 0


# -- the project's own title, and its practice's ------------------------------------------

PROJECT_TITLE = "Hand hygiene everywhere"
PRACTICE_TITLE = "Hand hygiene at the bedside"


def test_export_holds_the_project_title_and_the_practice_title_apart(
    tracker: Path, run: Run
) -> None:
    out = tracker.parent / "tracker.db"
    done = run("export", "sqlite", str(out), "--as-of", "2026-04-01", cwd=tracker)
    assert done.exit_code == 0, done.stderr
    with sqlite3.connect(out) as db:
        rows = db.execute("SELECT id, title, practice_title FROM projects").fetchall()
    assert rows == [("hh-spread", PROJECT_TITLE, PRACTICE_TITLE)]


def test_status_json_holds_the_project_title_and_the_practice_title_apart(
    tracker: Path, run: Run
) -> None:
    done = run("status", "--as-of", "2026-04-01", "--format", "json", cwd=tracker)
    data = json.loads(done.stdout)
    assert data["schema_version"] == 2  # `title` changed meaning: the contract changed
    [project] = data["projects"]
    assert (project["title"], project["practice_title"]) == (PROJECT_TITLE, PRACTICE_TITLE)


@pytest.mark.parametrize(
    "args",
    [
        ["status", "--format", "json{}"],
        ["new", "practice", "falls", "Fall{}prevention"],
        ["site", "hh-spread", "nor", "--status", "li{}ve"],
    ],
    ids=lambda args: args[0],
)
def test_a_refused_argument_is_repeated_escaped(tracker: Path, run: Run, args: list[str]) -> None:
    done = run(*(a.replace("{}", "\u202e\x1b[2J") for a in args), cwd=tracker)
    assert done.exit_code in (1, 2)
    said = done.stdout + done.stderr
    assert "\\u202e\\x1b[2J" in said
    assert not any(char in said for char in RAW)


@pytest.mark.parametrize(
    "args", [["validate"], ["status"], ["site", "hh-spread", "sou", "--status", "live"]]
)
def test_a_tracker_in_a_folder_whose_name_is_not_utf8_is_refused_clearly(
    tracker: Path, tmp_path: Path, args: list[str]
) -> None:
    odd = os.fsencode(tmp_path) + b"/dir\xff"
    try:
        os.mkdir(odd)
    except (OSError, ValueError):
        pytest.skip("this file system takes UTF-8 names only")
    shutil.copytree(tracker, os.fsdecode(odd + b"/tracker"))
    done = subprocess.run(
        [sys.executable, "-m", "diffuse", *args],
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), "COLUMNS": "120"},
        cwd=odd + b"/tracker",
        capture_output=True,
        text=True,
        timeout=NEVER_RETURNS,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    said = " ".join(done.stderr.split())
    assert "/dir\\xff/tracker has a name that is not UTF-8 text" in said
    assert "rename that folder" in said
