"""Whether diffuse's cost per cell stays flat as sites grow: 24 to 1,800 sites.

    python benchmarks/bench_sites.py [--projects N] [--sites 24,200,600,1800] [--runs N]
                                     [--warm-up N] [--commands validate,status,report]
                                     [--keep DIR] [--check]

Each size gets a tracker made by `make_tracker.py --sites N --projects P` (the demo's mix
of projects; the sustained project lists every site, the others the sites they started
at). `validate`, `status` and `report` run on each with DIFFUSE_NO_CACHE=1 (every file
read, every rule and cell worked out), each as a fresh process, every round running every
size and command once, in turn (interleaved), after `--warm-up` untimed rounds (default
1). Reported: median wall and CPU seconds (user and system, the command and its worker),
peak memory (the largest resident size of the command or its worker, from `os.wait4`),
and the CPU per cell (a cell is one project at one site: projects x sites), in
microseconds.

The cells grow 75 times from 24 to 1,800 sites, but most of them are sites a project has
not started, which cost a lookup; what a file holds grows far less. So a flat cost per
cell is an easy bar, and the table also gives `growth`: the CPU each step added per added
cell, over the step before's (about 1 or below when cost is linear in cells, above 1 when
some cost grows faster than the cells). A step that added under a tenth of the smallest
size's CPU is `flat`, too little to judge, and the step after it gets no growth. `--check`
exits 1 when the CPU per cell at any size is above the smallest size's, a growth is above
1.5, a command fails, or `validate` at the largest size peaks at 400 MB or more.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import AS_OF, child_usage, diffuse_argv
from make_tracker import make

GROWTH_LIMIT = 1.5
FLAT = 0.1  # a step that added less than this share of the smallest size's CPU: noise
MEMORY_LIMIT_MB = 400
COMMANDS = ("validate", "status", "report")


@dataclass
class Case:
    sites: int
    projects: int
    root: Path
    command: str
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    codes: set[int] = field(default_factory=set)

    @property
    def cells(self) -> int:
        return self.sites * self.projects

    def argv(self, scratch: Path) -> list[str]:
        if self.command == "status":
            return diffuse_argv("status", "--as-of", AS_OF)
        if self.command == "report":
            out = scratch / f"site-{self.sites}"
            shutil.rmtree(out, ignore_errors=True)
            return diffuse_argv("report", "--out", str(out), "--as-of", AS_OF)
        return diffuse_argv(self.command)

    def run(self, env: dict[str, str], scratch: Path, counted: bool) -> None:
        seconds, code, usage = child_usage(self.argv(scratch), env, self.root)
        self.codes.add(code)
        if counted:
            self.seconds.append(seconds)
            self.cpu.append(usage.ru_utime + usage.ru_stime)
            self.peak_mb.append(usage.ru_maxrss / 1024)

    def median(self, values: list[float]) -> float:
        return statistics.median(values)


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DIFFUSE_ROOT", "NO_COLOR")}
    env.update(DIFFUSE_NO_CACHE="1", COLUMNS="120", TZ="UTC")
    return env


def table(cases: list[Case]) -> tuple[str, bool]:
    lines = [
        "| command | sites | cells | median s | median CPU s | peak MB | CPU us per cell "
        "| growth | exit |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    missed = False
    for command in dict.fromkeys(c.command for c in cases):
        series = sorted((c for c in cases if c.command == command), key=lambda c: c.sites)
        first = series[0]
        base = first.median(first.cpu) / first.cells
        previous_rate: float | None = None
        for n, case in enumerate(series):
            cpu = case.median(case.cpu)
            per_cell = cpu / case.cells
            growth = ""
            if n:
                before = series[n - 1]
                added = cpu - before.median(before.cpu)
                rate = added / (case.cells - before.cells)
                if added < FLAT * first.median(first.cpu):
                    growth, rate = "flat", 0.0
                elif previous_rate:
                    ratio = rate / previous_rate
                    growth = f"{ratio:.2f}"
                    missed |= ratio > GROWTH_LIMIT
                previous_rate = rate
            missed |= per_cell > base * 1.05 or case.codes != {0}
            if command == "validate" and case is series[-1]:
                missed |= case.median(case.peak_mb) >= MEMORY_LIMIT_MB
            codes = ",".join(str(c) for c in sorted(case.codes))
            lines.append(
                f"| {command} | {case.sites:,} | {case.cells:,} | "
                f"{case.median(case.seconds):.2f} | {cpu:.2f} | "
                f"{case.median(case.peak_mb):.0f} | {per_cell * 1e6:.1f} | {growth} | {codes} |"
            )
    return "\n".join(lines), missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--sites", default="24,200,600,1800", help="sizes, comma-separated")
    parser.add_argument("--commands", default=",".join(COMMANDS))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warm-up", type=int, default=1, help="untimed rounds first")
    parser.add_argument("--keep", type=Path, help="make the trackers here and keep them")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="diffuse-sites-"))
    scratch = folder / "out"
    scratch.mkdir(parents=True, exist_ok=True)
    cases = []
    try:
        for sites in (int(s) for s in args.sites.split(",")):
            root = folder / f"sites-{sites}"
            if not root.exists():
                make(root, args.projects, sites)
            for command in args.commands.split(","):
                cases.append(Case(sites, args.projects, root, command))
        env = child_env()
        for round_number in range(args.warm_up + args.runs):
            for case in cases:
                case.run(env, scratch, counted=round_number >= args.warm_up)
        text, missed = table(cases)
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"{args.projects:,} projects, medians of {args.runs} rounds; load average {load}")
        print(text)
        return 1 if args.check and missed else 0
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
