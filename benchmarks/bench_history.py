"""`diffuse history` and `diffuse check --base` on a tracker repository of 10,000 commits.

    python benchmarks/bench_history.py [--commits N] [--runs N] [--keep DIR] [--check]

The repository is written with `git fast-import` in a few seconds: an organisation of 24
sites, 30 practices and 30 projects, then N commits by six authors, each changing one file
the way a diffusion manager does (a site's status and health; now and then an approval or
a phase change). One project, `hot`, gets every fifth commit; the others share the rest.
The data is valid: every duty a gate needs is done and every role it needs is held, so
`diffuse validate` and `check --base` pass (their rows must exit 0).

Each command runs as a fresh process. Every round runs the baseline and every row once, in
turn, so all feel the machine's load alike; medians of --runs rounds, after one warm-up
round, are reported, with each command's CPU (its git processes included, from `os.wait4`),
which a busy machine moves far less than the time. The baseline is what any Python command
that reads a file's history from git must pay: `python -c "import typer"` plus a raw `git
log --format=%H -- PATH` of the 2,000-commit file, the sum of the two medians. Target:
`history` at most 1.5 times the baseline on a repeat run (its cache of each commit's events,
in the user's cache folder, is warm). A first run on a file (an empty cache folder each
time) reads every version from git; its floor is `import typer` plus git alone naming and
reading every version (`git log --raw | git cat-file --batch`, no Python), and its target is
at most 1.5 times that floor for the 2,000-commit file.

The children share a throw-away bytecode cache (PYTHONPYCACHEPREFIX in the bench folder,
warmed by the warm-up round), as a pip-installed package ships compiled bytecode, and a
throw-away DIFFUSE_CACHE_DIR.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from diffuse.frameworks.mayo import DUTIES

SITES = [f"s{n:02d}" for n in range(1, 25)]
AUTHORS = [(f"Person {n}", f"p{n}@example.org") for n in range(1, 7)]
PHASES = ["initiate", "plan", "execute", "close", "sustain"]
STATES = ["planning", "implementing", "live", "sustained"]
HEALTH = ["on-track", "at-risk", "off-track"]
TARGET = 1.5  # history: a repeat run over the baseline, a first run over its floor
# Every duty due before execute done on the first day, so the plan and execute gates are
# met when the projects pass them.
CHECKLIST = "".join(
    f"  {duty}: {{status: done, date: 2020-01-01}}\n"
    for duty, _, due, _ in DUTIES
    if due in ("initiate", "plan")
)
HOT = "projects/hot.yaml"
START = datetime(2020, 1, 1, tzinfo=UTC)


def organisation() -> str:
    sites = "".join(f"  - {{id: {s}, name: Site {s}, region: R{s[-1]}}}\n" for s in SITES)
    people = "".join(
        f"  - {{id: p{n}, name: Person {n}, email: p{n}@example.org}}\n" for n in range(1, 7)
    )
    return (
        f"name: Bench Health\nsites:\n{sites}people:\n{people}"
        "bodies:\n  - {id: cpc, name: Clinical Practice Committee, "
        "kind: clinical-practice-committee, members: [p1, p2, p3]}\n"
    )


def practice(n: int, status: str = "approved") -> str:
    """A practice ready to diffuse: approved, or diffusing once a project is in execute."""
    return (
        f"id: pr{n:02d}\ntitle: Practice {n}\nsummary: A practice.\nstatus: {status}\n"
        "approving_body: cpc\nowner: p1\n"
        "leaders: {champion: p1, administrative: p2, physician: p3}\n"
        "evidence:\n  - {site: s01, summary: it worked}\n"
        "vetted_by: [s01, s02]\ngoal: Better care.\nkey_principles:\n  fixed: [Do it]\n"
        "support_elements:\n  - {kind: measurement, title: Compliance report, status: published}\n"
        "approvals:\n  - {body: cpc, by: p1, date: 2020-01-01}\n"
    )


class Project:
    def __init__(self, name: str, practice_id: str) -> None:
        self.name, self.practice = name, practice_id
        self.phase = 1
        self.sites = {s: [0, 0, date(2020, 1, 1)] for s in SITES}
        self.approvals = ["  - {gate: plan, body: cpc, by: p2, date: 2020-01-01}"]
        self.history = ["  - {from: initiate, to: plan, date: 2020-01-01, by: p4}"]

    def change(self, step: int, day: date) -> bool:
        """One update; True when it moved the project into execute."""
        site = SITES[(step * 7) % len(SITES)]
        row = self.sites[site]
        row[0], row[1], row[2] = (row[0] + 1) % len(STATES), step % len(HEALTH), day
        if step % 50 == 0:
            gate = PHASES[min(self.phase + 1, len(PHASES) - 1)]
            self.approvals.append(f"  - {{gate: {gate}, body: cpc, by: p3, date: {day}}}")
        # Into execute once, and no further: closing needs every site live.
        if step % 500 == 0 and PHASES[self.phase] == "plan":
            old, self.phase = PHASES[self.phase], self.phase + 1
            new = PHASES[self.phase]
            self.history.append(f"  - {{from: {old}, to: {new}, date: {day}, by: p4}}")
            return True
        return False

    def text(self) -> str:
        sites = "".join(
            f"  {s}:\n    status: {STATES[st]}\n    health: {HEALTH[h]}\n    updated: {d}\n"
            for s, (st, h, d) in self.sites.items()
        )
        return (
            f"# Diffusion of {self.practice}.\nid: {self.name}\npractice: {self.practice}\n"
            f"title: Diffusion {self.name}\nphase: {PHASES[self.phase]}\napproved: 2020-01-01\n"
            "roles:\n  sponsor-readiness: p1\n  sponsor-oversight: [p1, p2]\n"
            "  diffusion-manager: p4\n  diffusion-team: [p4]\n  it-liaison: p5\n"
            "  measurement: p6\n  operational-owner: [p5]\n"
            f"checklist:\n{CHECKLIST}"
            f"sites:\n{sites}approvals:\n"
            + "\n".join(self.approvals)
            + "\nhistory:\n"
            + "\n".join(self.history)
            + "\n"
        )


def fast_import_stream(commits: int) -> bytes:
    out: list[bytes] = []
    files = {"organisation.yaml": organisation()}
    files.update({f"practices/pr{n:02d}.yaml": practice(n) for n in range(30)})
    projects = {f"pj{n:02d}": Project(f"pj{n:02d}", f"pr{n:02d}") for n in range(29)}
    projects["hot"] = Project("hot", "pr29")
    files.update({f"projects/{k}.yaml": p.text() for k, p in projects.items()})
    _commit(out, 1, AUTHORS[0], START, "Start the tracker", files)
    others = sorted(k for k in projects if k != "hot")
    for step in range(1, commits):
        when = START + timedelta(hours=step)
        name = "hot" if step % 5 == 0 else others[step % len(others)]
        executing = projects[name].change(step, when.date())
        author = AUTHORS[step % len(AUTHORS)]
        files = {f"projects/{name}.yaml": projects[name].text()}
        if executing:
            # The practice follows its project into diffusion, in the same commit.
            number = int(projects[name].practice[2:])
            files[f"practices/{projects[name].practice}.yaml"] = practice(number, "diffusing")
        _commit(out, step + 1, author, when, f"Update {name} ({step})", files)
    return b"".join(out)


def _commit(
    out: list[bytes],
    mark: int,
    author: tuple[str, str],
    when: datetime,
    message: str,
    files: dict[str, str],
) -> None:
    stamp = f"{int(when.timestamp())} +0000"
    who = f"{author[0]} <{author[1]}> {stamp}"
    msg = message.encode()
    lines = [
        b"commit refs/heads/main\n",
        f"mark :{mark}\nauthor {who}\ncommitter {who}\n".encode(),
        f"data {len(msg)}\n".encode() + msg + b"\n",
    ]
    if mark > 1:
        lines.append(f"from :{mark - 1}\n".encode())
    for path, text in files.items():
        data = text.encode()
        lines.append(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")
    out.append(b"".join(lines) + b"\n")


def build(repo: Path, commits: int) -> float:
    started = time.perf_counter()
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    subprocess.run(
        ["git", "fast-import", "--quiet"], cwd=repo, input=fast_import_stream(commits), check=True
    )
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=repo, check=True)
    subprocess.run(["git", "branch", "-q", "base", "HEAD~20"], cwd=repo, check=True)
    return time.perf_counter() - started


def diffuse_command() -> str:
    beside = Path(sys.executable).with_name("diffuse")
    return str(beside) if beside.exists() else shutil.which("diffuse") or "diffuse"


def child_env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DIFFUSE_NO_CACHE", "DIFFUSE_ROOT")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    env["DIFFUSE_CACHE_DIR"] = str(folder / "cache")
    env["COLUMNS"] = "120"
    return env


class Row:
    """One timed command. `first`: each run gets an empty cache folder of its own."""

    def __init__(
        self, label: str, argv: list[str], kind: str, first: bool = False, path: str = ""
    ) -> None:
        self.label, self.argv, self.kind, self.first = label, argv, kind, first
        self.path = path  # PYTHONPATH: another version of the package
        self.times: list[float] = []
        self.cpu: list[float] = []
        self.codes: set[int] = set()

    def run(self, repo: Path, env: dict[str, str], scratch: Path, counted: bool) -> None:
        if self.first:
            env = {**env, "DIFFUSE_CACHE_DIR": tempfile.mkdtemp(dir=scratch)}
        if self.path:
            env = {**env, "PYTHONPATH": self.path}
        started = time.perf_counter()
        child = subprocess.Popen(
            self.argv, cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        assert child.stderr is not None
        said = child.stderr.read()
        # The child's CPU, its git processes included (a shell's pipeline too).
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            sys.stderr.write(said.decode(errors="replace"))
        self.codes.add(code)
        if counted:
            self.times.append(elapsed)
            self.cpu.append(usage.ru_utime + usage.ru_stime)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--commits", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument(
        "--before",
        type=Path,
        help="a folder holding another version's diffuse/ package: its first run of hot is "
        "timed in the same rounds (git archive REV diffuse | tar -x -C DIR)",
    )
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="diffuse-bench-"))
    repo = folder / "tracker"
    try:
        seconds = build(repo, args.commits)
        print(f"built {args.commits:,} commits with git fast-import in {seconds:.1f} s: {repo}")
        return report(repo, folder, args.runs, args.check, args.before)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


# What a first run cannot do without: git naming every version of the file, and reading each.
READ_EVERY_VERSION = "git log --format= --raw --no-abbrev"
CAT_FILE = "git cat-file --batch >/dev/null"


def rows(exe: str, hot: int) -> list[Row]:
    py = sys.executable
    return [
        Row('python -c "import typer"', [py, "-c", "import typer"], "baseline"),
        Row(f"git log --format=%H -- {HOT}", ["git", "log", "--format=%H", "--", HOT], "baseline"),
        Row(
            "git log --raw | git cat-file --batch (hot)",
            ["sh", "-c", f"{READ_EVERY_VERSION} -- {HOT} | cut -d' ' -f4 | {CAT_FILE}"],
            "git",
        ),
        Row(f"history hot ({hot:,} commits), first run", [exe, "history", "hot"], "first", True),
        Row(f"history hot ({hot:,} commits), repeat", [exe, "history", "hot"], "history"),
        Row(
            "history hot --format json, repeat",
            [exe, "history", "hot", "--format", "json"],
            "history",
        ),
        Row("history pj07 (a typical file), first run", [exe, "history", "pj07"], "first", True),
        Row("history pj07 (a typical file), repeat", [exe, "history", "pj07"], "history"),
        Row("check --base base (20 commits)", [exe, "check", "--base", "base"], "check"),
        Row(
            "check --base base --verify-signoff",
            [exe, "check", "--base", "base", "--verify-signoff"],
            "check",
        ),
        Row("validate (for comparison)", [exe, "validate"], "check"),
    ]


def report(repo: Path, folder: Path, runs: int, check: bool, before: Path | None = None) -> int:
    hot = int(
        subprocess.run(
            ["git", "rev-list", "--count", "HEAD", "--", HOT],
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    env = child_env(folder)
    scratch = Path(tempfile.mkdtemp(prefix="first-", dir=folder))
    table = rows(diffuse_command(), hot)
    if before is not None:
        argv = [sys.executable, "-m", "diffuse", "history", "hot"]
        table.append(Row("history hot, first run, --before", argv, "before", True, str(before)))
    try:
        for round_number in range(runs + 1):  # the first round warms disk and caches
            for row in table:
                row.run(repo, env, scratch, counted=round_number > 0)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    baseline = sum(row.median for row in table if row.kind == "baseline")
    print(f"median of {runs} interleaved rounds; baseline = the sum of the first two medians")
    print(f"{'command':<44} {'median':>8} {'min':>8} {'ratio':>6} {'CPU':>7}  exit")
    missed = False
    for row in table:
        ratio = row.median / baseline
        flag = ""
        if row.kind == "history" and ratio > TARGET:
            flag, missed = f"  over the {TARGET}x target", True
        if row.kind == "check" and row.codes != {0}:
            flag, missed = "  should exit 0", True
        codes = ",".join(str(c) for c in sorted(row.codes))
        shown = f"{ratio:5.2f}x" if row.kind in ("history", "first", "git", "before") else ""
        print(
            f"{row.label:<44} {row.median * 1000:>6.0f}ms {min(row.times) * 1000:>6.0f}ms "
            f"{shown:>6} {row.cpu_median * 1000:>5.0f}ms  {codes}{flag}"
        )
    print(
        f"{'baseline':<44} {baseline * 1000:>6.0f}ms; target for history repeat runs: "
        f"{TARGET}x = {TARGET * baseline * 1000:.0f}ms"
    )
    floor = table[0].median + sum(row.median for row in table if row.kind == "git")
    print(
        f"{'floor of a first run':<44} {floor * 1000:>6.0f}ms = {floor / baseline:.2f}x: "
        "the first line plus git reading every version, before any Python reads one"
    )
    first = next(row for row in table if row.kind == "first")
    flag = ""
    if first.median / floor > TARGET:
        flag, missed = f"  over the {TARGET}x target", True
    # CPU (the command's and its git processes') moves far less with the machine's load.
    floor_cpu = table[0].cpu_median + sum(row.cpu_median for row in table if row.kind == "git")
    print(
        f"{'first run of hot over its floor':<44} {first.median / floor:>6.2f}x{flag}; "
        f"CPU {first.cpu_median / floor_cpu:.2f}x ({floor_cpu * 1000:.0f}ms)"
    )
    for row in table:
        if row.kind == "before":
            print(
                f"{'the same, --before':<44} {row.median / floor:>6.2f}x; "
                f"CPU {row.cpu_median / floor_cpu:.2f}x"
            )
    return 1 if check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
