"""Whole-process start-up and worst-case timings of the diffuse command line.

    python benchmarks/bench.py [--runs N] [--json FILE] [--check] [--no-bytecode-cache]
                               [--no-worst]

Each command is run as a fresh process and timed from start to exit. The commands are
interleaved round by round, after two uncounted warm-up rounds, so machine noise hits every
command alike; each is compared with a baseline measured in the same run. See README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-22"
WARMUP_ROUNDS = 2
WORST_RUNS = 3
WORST_TIMEOUT_S = 60.0
WORST_LIMIT_MB = 200.0
WORST_LIMIT_S = 3.0
PACKAGES = ("diffuse-tracker", "typer", "rich", "pydantic", "pyyaml")
KIB = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux


@dataclass(frozen=True)
class Command:
    key: str
    label: str
    argv: list[str]
    baseline: str | None = None
    target: float | None = None
    ok_exits: frozenset[int] = frozenset({0})
    env: tuple[tuple[str, str], ...] = ()
    # Judged on the ratio of CPU times rather than of wall times.
    by_cpu: bool = False


@dataclass
class Result:
    key: str
    label: str
    median_ms: float
    min_ms: float
    exit_codes: list[int]
    baseline: str | None = None
    ratio: float | None = None
    target: float | None = None
    verdict: str = ""
    # CPU time (user + system, the child and what it waited for), and its ratio.
    cpu_ms: float = 0.0
    cpu_ratio: float | None = None
    by_cpu: bool = False


@dataclass
class WorstCase:
    name: str
    description: str
    size_bytes: int
    median_ms: float
    max_ms: float
    peak_rss_mb: float
    exit_codes: list[int]
    problem: str
    traceback: bool
    verdict: str = ""
    notes: list[str] = field(default_factory=list)


# --- commands ---------------------------------------------------------------------------------


def diffuse_exe() -> str:
    """The diffuse script of the running interpreter's environment, else the one on PATH."""
    bindir = Path(sys.executable).parent
    for name in ("diffuse", "diffuse.exe"):
        if (bindir / name).is_file():
            return str(bindir / name)
    found = shutil.which("diffuse")
    if found is None:
        sys.exit("bench: cannot find the 'diffuse' command; install the package first")
    return found


def child_env(scratch: Path, pycache: Path | None) -> dict[str, str]:
    """This environment, fixed width, no DIFFUSE_ROOT, diffuse's result cache in `scratch`.

    A pip-installed package ships compiled bytecode. Where PYTHONDONTWRITEBYTECODE is set, an
    editable install would recompile diffuse's modules on every start while the baselines'
    packages load theirs, so with `pycache` every child shares a throw-away cache instead.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DIFFUSE_ROOT", "DIFFUSE_NO_CACHE", "DIFFUSE_CACHE_DIR")
    }
    env["COLUMNS"] = "200"
    env["DIFFUSE_CACHE_DIR"] = str(scratch / "results")
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def commands(diffuse: str) -> list[Command]:
    """The timed commands; status and validate run with and without diffuse's result cache."""
    py = sys.executable
    deps = "import typer, rich, pydantic, yaml"
    status = [diffuse, "status", "--as-of", AS_OF]
    validate = [diffuse, "validate"]
    status_label = f"diffuse status --as-of {AS_OF}"
    either = frozenset({0, 1})
    cold = (("DIFFUSE_NO_CACHE", "1"),)
    return [
        Command("typer", 'python -c "import typer"', [py, "-c", "import typer"]),
        Command("help", "diffuse --help", [diffuse, "--help"], "typer", 1.3),
        Command("deps", f'python -c "{deps}"', [py, "-c", deps]),
        # What any command that validates pays before reading a file: pydantic's machinery
        # and diffuse's model classes, built as they are defined.
        Command(
            "models",
            f'python -c "{deps}, diffuse.models"',
            [py, "-c", f"{deps}, diffuse.models"],
            "deps",
        ),
        Command("status", status_label, status, "deps", 2.0, either),
        # A cold run validates every file: its floor is the models' import, not the deps'.
        Command(
            "status-cold",
            f"DIFFUSE_NO_CACHE=1 {status_label}",
            status,
            "models",
            1.3,
            either,
            cold,
            by_cpu=True,
        ),
        Command("validate", "diffuse validate", validate, "deps", 2.0, either),
        Command(
            "validate-cold",
            "DIFFUSE_NO_CACHE=1 diffuse validate",
            validate,
            "models",
            1.3,
            either,
            cold,
            by_cpu=True,
        ),
    ]


def run_child(cmd: Command, env: dict[str, str], stderr: int) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        cmd.argv,
        cwd=REPO,
        env=env | dict(cmd.env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        check=False,
    )


def time_once(cmd: Command, env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (from wait4) and exit code of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd.argv,
        cwd=REPO,
        env=env | dict(cmd.env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    return seconds, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def crashed(stderr: str) -> bool:
    return "Traceback" in stderr or "internal error" in stderr


def warm_up(cmds: list[Command], env: dict[str, str]) -> list[str]:
    """The uncounted rounds, with stderr kept to warn about a command that crashes."""
    crashes = set()
    for _ in range(WARMUP_ROUNDS):
        for cmd in cmds:
            proc = run_child(cmd, env, subprocess.PIPE)
            if crashed(proc.stderr.decode(errors="replace")):
                crashes.add(f"warning: '{cmd.label}' printed a traceback or an internal error")
    return sorted(crashes)


Samples = dict[str, tuple[list[float], list[float], list[int]]]


def measure(cmds: list[Command], runs: int, env: dict[str, str]) -> Samples:
    """Seconds, CPU seconds and exit codes per command, interleaved A, B, C, A, B, C, ..."""
    samples: Samples = {c.key: ([], [], []) for c in cmds}
    for _ in range(runs):
        for cmd in cmds:
            seconds, cpu, code = time_once(cmd, env)
            samples[cmd.key][0].append(seconds)
            samples[cmd.key][1].append(cpu)
            samples[cmd.key][2].append(code)
    return samples


def summarise(cmds: list[Command], samples: Samples) -> list[Result]:
    results = {}
    for cmd in cmds:
        times, cpu, codes = samples[cmd.key]
        results[cmd.key] = Result(
            cmd.key,
            cmd.label,
            statistics.median(times) * 1000,
            min(times) * 1000,
            sorted(set(codes)),
            cmd.baseline,
            target=cmd.target,
            cpu_ms=statistics.median(cpu) * 1000,
            by_cpu=cmd.by_cpu,
        )
    for res in results.values():
        if res.baseline is not None:
            base = results[res.baseline]
            res.ratio = res.median_ms / base.median_ms
            res.cpu_ratio = res.cpu_ms / base.cpu_ms if base.cpu_ms else None
            judged = res.cpu_ratio if res.by_cpu else res.ratio
            res.verdict = judge(judged if judged is not None else res.ratio, res.target)
    return list(results.values())


def judge(ratio: float, target: float | None) -> str:
    if target is None:
        return "info"
    return "PASS" if ratio <= target else "FAIL"


def exit_warnings(cmds: list[Command], results: list[Result]) -> list[str]:
    allowed = {c.key: c.ok_exits for c in cmds}
    return [
        f"warning: '{r.label}' exited with {code}; expected "
        f"{' or '.join(map(str, sorted(allowed[r.key])))}"
        for r in results
        for code in r.exit_codes
        if code not in allowed[r.key]
    ]


# --- worst-case inputs ------------------------------------------------------------------------


def billion_laughs() -> str:
    lines = ["id: laughs", 'lol0: &l0 "lol"']
    for level in range(1, 10):
        aliases = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"lol{level}: &l{level} [{aliases}]")
    return "\n".join(lines) + "\n"


def five_megabytes() -> str:
    line = "  " + "x" * 97 + "\n"
    return "id: huge\nsummary: >-\n" + line * (5_000_000 // len(line) + 1)


def deeply_nested() -> str:
    return "id: deep\nsummary: " + "[" * 10_000 + "]" * 10_000 + "\n"


PRACTICE_HEAD = """\
id: many-principles
title: Bedside Checks
summary: A long routine of bedside checks, one principle per step.
status: approved
approving_body: cpc
owner: chair
decision: hybrid
established: 2026-10-01
key_principles:
  fixed:
"""


def many_items(item: str = "Step {i:05d} - check the patient's chart.") -> str:
    """About 900 KB: 20,000 principles, the last one a list, so its error is placed by line."""
    items = [f"    - {item.format(i=i)}\n" for i in range(19_999)]
    items.append("    - [not, a, sentence]\n")
    approvals = "approvals:\n  - {body: cpc, by: chair, date: 2026-10-01}\n"
    return PRACTICE_HEAD + "".join(items) + approvals


def many_errors() -> str:
    """The same size, but every item reads as a mapping ('Step n: ...'), so 20,000 problems."""
    return many_items("Step {i:05d}: check the patient's chart.")


def stack_deep() -> str:
    """Deeper than libyaml's recursive composer goes on an 8 MB stack (about 20,000)."""
    return "id: stack-deep\nsummary: " + "[" * 50_000 + "]" * 50_000 + "\n"


def wide_list() -> str:
    """Under the size limit, but 490,000 values: built whole, over 200 MB of nodes."""
    return "id: wide\nsummary: [" + ",".join(["a"] * 490_000) + "]\n"


def long_line() -> str:
    """900 KB on one line: an invalid value whose message must stay short."""
    return PRACTICE_HEAD.replace("status: approved", "status: " + "approved-" * 100_000)


def patient_data() -> str:
    """900 KB practice whose 20,000 principles each look like a medical record number."""
    return many_items("Bed {i:05d} - MRN 1{i:07d} fell twice")


WORST_INPUTS: list[tuple[str, str, Callable[[], str]]] = [
    ("billion-laughs", "9 levels of 9 aliases (9^9 values if expanded)", billion_laughs),
    ("5mb-file", "5 MB file, over the 1,000,000-byte limit", five_megabytes),
    ("deep-nesting", "10,000 nested '['", deeply_nested),
    ("stack-deep", "50,000 nested '[' (past libyaml's C stack)", stack_deep),
    ("wide-list", "980 KB flow list of 490,000 values", wide_list),
    ("long-line", "900 KB value on one line", long_line),
    ("20k-items", "900 KB practice, 20,000 list items, last one malformed", many_items),
    ("20k-errors", "900 KB practice, 20,000 list items, each one malformed", many_errors),
    ("patient-data", "900 KB practice, 20,000 record numbers", patient_data),
]


def run_with_rusage(argv: list[str], env: dict[str, str]) -> tuple[float, int, int, str, str]:
    """Seconds, exit code, peak RSS in bytes, stdout and stderr of one child process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        status, usage = wait_rusage(proc)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        return (
            seconds,
            status,
            usage.ru_maxrss * KIB,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
        )


def wait_rusage(proc: subprocess.Popen[bytes]) -> tuple[int, resource.struct_rusage]:
    """Reap the child with wait4 for its own resource usage; kill it past the timeout.

    The kill goes through os.kill: Popen.kill polls first, which would reap the child and
    lose its usage.
    """
    deadline = time.perf_counter() + WORST_TIMEOUT_S
    killed = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return proc.returncode, usage
        if not killed and time.perf_counter() > deadline:
            os.kill(proc.pid, signal.SIGKILL)
            killed = True
        time.sleep(0.0005)


def first_problem(output: str) -> str:
    match = re.search(r"error\[([a-z0-9-]+)\]", output)
    return match.group(1) if match else "-"


def run_case(
    diffuse: str, env: dict[str, str], root: Path, name: str, description: str, text: str | None
) -> WorstCase:
    """Time `diffuse validate` with `text` as the only practice file (None: no practice)."""
    for old in (root / "practices").glob("*.yaml"):
        old.unlink()
    target = root / ("organisation.yaml" if text is None else f"practices/{name}.yaml")
    if text is not None:
        target.write_text(text, encoding="utf-8")
    cold = env | {"DIFFUSE_NO_CACHE": "1"}
    runs = [
        run_with_rusage([diffuse, "validate", "--root", str(root)], cold) for _ in range(WORST_RUNS)
    ]
    times = [r[0] * 1000 for r in runs]
    case = WorstCase(
        name,
        description,
        target.stat().st_size,
        statistics.median(times),
        max(times),
        max(r[2] for r in runs) / 2**20,
        sorted({r[1] for r in runs}),
        first_problem(runs[0][3] + runs[0][4]),
        any(crashed(r[4]) for r in runs),
    )
    case.notes = worst_notes(case, text is not None)
    case.verdict = "OK" if not case.notes else "CHECK"
    return case


def worst_notes(case: WorstCase, hostile: bool) -> list[str]:
    notes = []
    if case.traceback:
        notes.append("stderr shows a traceback or an internal error")
    if case.exit_codes != ([1] if hostile else [0]):
        notes.append(f"exit code(s) {case.exit_codes}")
    if case.peak_rss_mb > WORST_LIMIT_MB:
        notes.append(f"peak RSS {case.peak_rss_mb:.0f} MB over {WORST_LIMIT_MB:.0f} MB")
    if case.median_ms > WORST_LIMIT_S * 1000:
        notes.append(f"median {case.median_ms / 1000:.1f} s over {WORST_LIMIT_S:.0f} s")
    return notes


def worst_cases(diffuse: str, env: dict[str, str]) -> list[WorstCase]:
    with tempfile.TemporaryDirectory(prefix="diffuse-bench-") as tmp:
        root = Path(tmp) / "tracker"
        init = subprocess.run(
            [diffuse, "init", str(root)],
            env=env,
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        if init.returncode != 0:
            sys.exit(f"bench: 'diffuse init' failed with exit {init.returncode}:\n{init.stderr}")
        reference = "fresh 'diffuse init' tracker (reference; size is organisation.yaml)"
        cases = [run_case(diffuse, env, root, "clean", reference, None)]
        for name, description, make in WORST_INPUTS:
            cases.append(run_case(diffuse, env, root, name, description, make()))
        return cases


# --- report -----------------------------------------------------------------------------------


def versions() -> dict[str, str]:
    found = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def machine() -> dict[str, Any]:
    affinity = getattr(os, "sched_getaffinity", None)
    uname = os.uname()
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "python": sys.version.split()[0],
        "implementation": sys.implementation.name,
        "cpu_count": os.cpu_count(),
        "usable_cpus": len(affinity(0)) if affinity else os.cpu_count(),
        "system": f"{uname.sysname} {uname.release} {uname.machine}",
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "packages": versions(),
    }


def table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def timing_table(results: list[Result]) -> str:
    labels = {r.key: r.label.removeprefix('python -c "').removesuffix('"') for r in results}
    head = ["command", "median ms", "min ms", "CPU ms", "baseline", "ratio", "CPU ratio"]
    rows = [[*head, "target", "result"]]
    for r in results:
        rows.append(
            [
                r.label,
                f"{r.median_ms:.1f}",
                f"{r.min_ms:.1f}",
                f"{r.cpu_ms:.1f}",
                labels[r.baseline] if r.baseline else "(baseline)",
                f"{r.ratio:.2f}" if r.ratio is not None else "-",
                f"{r.cpu_ratio:.2f}" if r.cpu_ratio is not None else "-",
                "-" if r.target is None else f"<= {r.target}" + (" CPU" if r.by_cpu else ""),
                r.verdict or "-",
            ]
        )
    return table(rows)


def worst_table(cases: list[WorstCase]) -> str:
    rows = [
        [
            "diffuse validate on",
            "size",
            "median ms",
            "max ms",
            "peak RSS MB",
            "exit",
            "first problem",
            "traceback",
            "result",
        ]
    ]
    for c in cases:
        rows.append(
            [
                c.name,
                f"{c.size_bytes:,}",
                f"{c.median_ms:.1f}",
                f"{c.max_ms:.1f}",
                f"{c.peak_rss_mb:.1f}",
                ",".join(map(str, c.exit_codes)),
                c.problem,
                "yes" if c.traceback else "no",
                c.verdict,
            ]
        )
    return table(rows)


def report(
    info: dict[str, Any], results: list[Result], cases: list[WorstCase], warnings: list[str]
) -> str:
    parts = [
        f"diffuse start-up benchmark, {info['date']}",
        f"Python {info['python']} ({info['implementation']}), {info['cpu_count']} CPUs "
        f"({info['usable_cpus']} usable), {info['system']}, load average {info['load']}",
        "Packages: " + ", ".join(f"{k} {v}" for k, v in info["packages"].items()),
        f"{info['runs']} timed rounds after {WARMUP_ROUNDS} warm-up rounds, commands "
        f"interleaved; cwd {REPO}, COLUMNS=200, bytecode: {info['bytecode']}",
        "",
        timing_table(results),
    ]
    if cases:
        parts += [
            "",
            f"Worst-case inputs ({WORST_RUNS} runs each; limits: {WORST_LIMIT_MB:.0f} MB peak "
            f"RSS, median under {WORST_LIMIT_S:.0f} s, exit 1, no traceback):",
            "",
            worst_table(cases),
        ]
    parts += [f"  {c.name}: {c.description}" for c in cases]
    parts += [f"{c.name}: {note}" for c in cases for note in c.notes]
    if warnings:
        parts += ["", *warnings]
    return "\n".join(parts)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed rounds (default 15)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the numbers here")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target ratio is missed")
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="leave PYTHONDONTWRITEBYTECODE/PYTHONPYCACHEPREFIX as they are",
    )
    parser.add_argument(
        "--no-worst", action="store_true", help="time the commands only, not the worst-case inputs"
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def run(args: argparse.Namespace, scratch: Path) -> int:
    pycache = None if args.no_bytecode_cache else scratch / "pycache"
    env = child_env(scratch, pycache)
    diffuse = diffuse_exe()
    cmds = commands(diffuse)
    info = machine() | {
        "runs": args.runs,
        "diffuse": diffuse,
        "bytecode": "environment as is"
        if pycache is None
        else "cached in a temporary PYTHONPYCACHEPREFIX",
    }
    crashes = warm_up(cmds, env)
    results = summarise(cmds, measure(cmds, args.runs, env))
    warnings = crashes + exit_warnings(cmds, results)
    cases = [] if args.no_worst else worst_cases(diffuse, env)
    print(report(info, results, cases, warnings))
    if args.json:
        payload = {
            "machine": info,
            "warmup_rounds": WARMUP_ROUNDS,
            "commands": [asdict(r) for r in results],
            "worst_cases": [asdict(c) for c in cases],
            "warnings": warnings,
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    missed = [r for r in results if r.verdict == "FAIL"]
    return 1 if args.check and missed else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="diffuse-bench-") as scratch:
        return run(args, Path(scratch))


if __name__ == "__main__":
    sys.exit(main())
