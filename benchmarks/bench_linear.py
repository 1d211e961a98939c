"""Whether diffuse's cost grows linearly: in files, in sites and in problems.

    python benchmarks/bench_linear.py [--runs N] [--check] [--keep DIR]

Three series of trackers made by `make_tracker.py`, each doubling one dimension twice:

- files: 250, 500 and 1,000 projects of the demo's 24 sites;
- sites: 1,000 projects in an organisation of 450, 900 and 1,800 sites;
- problems: the demo with one more project file holding 6,000, 12,000 or 24,000 site rows
  that name no site of the organisation (one problem each).

Each tracker gets `validate` and `status` with DIFFUSE_NO_CACHE=1 (the first run after an
edit: every file read, every rule and row worked out). Every round runs each command once,
in turn (interleaved), after one warm-up round; medians are reported, of the wall time and
of the CPU time (user and system, the command and its worker), which other work on the
machine disturbs less. Linear cost means a constant cost per added unit, so the table
gives the added CPU cost per unit of each doubling and their ratio, `growth`: about 1.0
when cost is linear (start-up and noise aside), 2.0 when it is quadratic. Where the added
cost is under a tenth of the smallest tracker's, the dimension costs next to nothing and
its growth, a ratio of two small differences, is noise: it is shown as `flat`. `x4` is the
largest tracker's CPU time over the smallest's: at most 4 when cost is linear. `--check`
exits 1 when a growth is above 1.5 or an `x4` above 4.4.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import AS_OF, child_usage, diffuse_argv
from make_tracker import make

GROWTH_LIMIT = 1.5
X4_LIMIT = 4.4
FLAT = 0.1  # added cost under this share of the smallest tracker's: no growth to judge
PROBLEM_FILE = "projects/many-rows.yaml"


@dataclass
class Case:
    series: str
    size: int
    root: Path
    command: str
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    codes: set[int] = field(default_factory=set)

    @property
    def argv(self) -> list[str]:
        extra = ("--as-of", AS_OF) if self.command == "status" else ()
        return diffuse_argv(self.command, *extra, "--root", str(self.root))


def many_rows(rows: int) -> str:
    """A project of the demo's practice with `rows` site rows, each naming an unknown site."""
    lines = [
        "id: many-rows",
        "practice: blood-utilization",
        "title: Many rows",
        "phase: initiate",
        "roles:",
        "  diffusion-manager: lena-morales",
        "sites:",
    ]
    lines += [f"  nowhere-{n:05d}:\n    status: planning" for n in range(rows)]
    return "\n".join(lines) + "\n"


def build(scratch: Path) -> list[Case]:
    plans = [
        ("files", [(250, 250, 24), (500, 500, 24), (1000, 1000, 24)]),
        ("sites", [(450, 1000, 450), (900, 1000, 900), (1800, 1000, 1800)]),
        ("problems", [(6000, 7, 24), (12000, 7, 24), (24000, 7, 24)]),
    ]
    cases = []
    for series, sizes in plans:
        for size, projects, sites in sizes:
            root = scratch / f"{series}-{size}"
            make(root, projects, sites)
            if series == "problems":
                (root / PROBLEM_FILE).write_text(many_rows(size))
            cases += [Case(series, size, root, cmd) for cmd in ("validate", "status")]
    return cases


def measure(cases: list[Case], runs: int) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIFFUSE_")}
    env |= {"COLUMNS": "200", "NO_COLOR": "1", "DIFFUSE_NO_CACHE": "1"}
    for round_no in range(runs + 1):
        for case in cases:
            seconds, code, usage = child_usage(case.argv, env, case.root)
            if round_no:
                case.seconds.append(seconds)
                case.cpu.append(usage.ru_utime + usage.ru_stime)
            case.codes.add(code)
        print(f"  round {round_no}/{runs} done", file=sys.stderr)


def table(cases: list[Case]) -> tuple[str, float]:
    lines = [
        "| series | command | sizes | median s | median CPU s | added CPU ms per unit "
        "| growth | x4 | exit |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    worst = 0.0
    keys = dict.fromkeys((c.series, c.command) for c in cases)
    for series, command in keys:
        row = [c for c in cases if (c.series, c.command) == (series, command)]
        sizes = [c.size for c in row]
        medians = [statistics.median(c.seconds) for c in row]
        cpu = [statistics.median(c.cpu) for c in row]
        added = [(cpu[i + 1] - cpu[i]) / (sizes[i + 1] - sizes[i]) for i in range(len(row) - 1)]
        x4 = cpu[-1] / cpu[0]
        flat = cpu[-1] - cpu[0] < FLAT * cpu[0]
        growth = added[1] / added[0] if added[0] > 0 else float("inf")
        if not flat:
            worst = max(worst, growth / GROWTH_LIMIT)
        worst = max(worst, x4 / X4_LIMIT)
        lines.append(
            f"| {series} | {command} | {' / '.join(f'{s:,}' for s in sizes)} | "
            f"{' / '.join(f'{m:.2f}' for m in medians)} | "
            f"{' / '.join(f'{m:.2f}' for m in cpu)} | "
            f"{' / '.join(f'{a * 1000:.3f}' for a in added)} | "
            f"{'flat' if flat else f'{growth:.2f}'} | {x4:.2f} | "
            f"{','.join(str(code) for c in row for code in sorted(c.codes))} |"
        )
    return "\n".join(lines), worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed rounds (default 3)")
    parser.add_argument("--check", action="store_true", help="exit 1 if growth is not linear")
    parser.add_argument("--keep", type=Path, help="build the trackers here and keep them")
    args = parser.parse_args(argv)
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="diffuse-linear-"))
    print(
        f"diffuse growth benchmark, {time.strftime('%Y-%m-%d %H:%M %z')}, Python "
        f"{sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}, "
        f"{args.runs} timed rounds after 1 warm-up"
    )
    try:
        cases = build(scratch)
        measure(cases, args.runs)
        text, worst = table(cases)
        print()
        print(text)
    finally:
        if args.keep is None:
            shutil.rmtree(scratch, ignore_errors=True)
    return 1 if args.check and worst > 1 else 0


if __name__ == "__main__":
    raise SystemExit(main())
