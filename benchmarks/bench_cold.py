"""Cold `validate` of a big tracker against its floors: parsing alone, and check-jsonschema.

    python benchmarks/bench_cold.py [--projects N] [--runs N] [--tracker DIR]
                                    [--check-jsonschema PATH] [--check]

A cold run is the first run on a fresh machine: nothing in diffuse's cache. Each round runs,
in turn, as fresh processes (interleaved, so a busy moment slows all of them alike), after
an uncounted warm-up round (`--warmup`):

- the parse floor: one Python process that reads every file of the tracker and loads it
  with `yaml.load(text, Loader=yaml.CSafeLoader)`, PyYAML's fastest way to values;
- `diffuse validate` with `DIFFUSE_NO_CACHE=1`, and with an empty cache folder (the entries
  of every file are written, as on a CI runner whose cache is restored empty);
- `diffuse status` with an empty cache folder: the read that fills the cache, whose peak
  memory is bounded;
- check-jsonschema validating the same files against `diffuse schema`'s schemas (skipped
  when --check-jsonschema is not an executable).

Wall time and CPU time (user + system of the process and the children it waited for, from
`os.wait4`) are medians. Targets, judged by `--check` (exit 1 when one is missed): each cold
`validate`'s CPU at most 1.0 times the parse floor's, check-jsonschema's wall time at
least 15 times each cold `validate`'s, and the peak memory of each run that fills an empty
cache folder under 400 MB. See README.md, "Cold validate".
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
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import jsonschema_script
from make_tracker import DEMO, make

CPU_TARGET = 1.0  # cold validate's CPU over the parse floor's, at most
FASTER_TARGET = 15.0  # check-jsonschema's wall time over cold validate's, at least
PEAK_TARGET = 400_000_000  # bytes: a read that fills an empty cache folder, under
FLOOR_SCRIPT = """\
import sys
from pathlib import Path
import yaml
root = Path(sys.argv[1])
files = [root / "organisation.yaml", *sorted((root / "practices").glob("*.yaml"))]
for path in files + sorted((root / "projects").glob("*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""


@dataclass
class Row:
    label: str
    argv: list[str]
    cache: str = "none"  # none: DIFFUSE_NO_CACHE=1; empty: a fresh cache folder each run
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak: list[int] = field(default_factory=list)
    codes: set[int] = field(default_factory=set)

    @property
    def median_wall(self) -> float:
        return statistics.median(self.wall)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)


def run(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds, peak RSS in bytes and exit code of one child."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss * 1024, os.waitstatus_to_exitcode(status)


def rows(root: Path, cjs: str | None, schemas: Path) -> list[Row]:
    py = sys.executable
    validate = [py, "-m", "diffuse", "validate", "--root", str(root)]
    found = [
        Row("parse floor: yaml.load, CSafeLoader, every file", [py, "-c", FLOOR_SCRIPT, str(root)]),
        Row("validate, DIFFUSE_NO_CACHE=1", validate),
        Row("validate, empty cache folder", validate, "empty"),
        Row("status, empty cache folder", [*validate[:3], "status", *validate[4:]], "empty"),
    ]
    if cjs:
        script = jsonschema_script(root, schemas, cjs)
        found.append(Row("check-jsonschema (same files, same schemas)", ["/bin/sh", str(script)]))
    return found


def measure(table: list[Row], runs: int, warmup: int, root: Path, scratch: Path) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DIFFUSE_")}
    base |= {"COLUMNS": "200", "NO_COLOR": "1"}
    for round_no in range(1 - warmup, runs + 1):
        for row in table:
            env = dict(base)
            if row.cache == "empty":
                env["DIFFUSE_CACHE_DIR"] = tempfile.mkdtemp(dir=scratch)
            else:
                env["DIFFUSE_NO_CACHE"] = "1"
            wall, cpu, peak, code = run(row.argv, env, root)
            if row.cache == "empty":
                shutil.rmtree(env["DIFFUSE_CACHE_DIR"])
            row.codes.add(code)
            if round_no > 0:
                row.wall.append(wall)
                row.cpu.append(cpu)
                row.peak.append(peak)
        print(f"  round {round_no}/{runs} done, load {os.getloadavg()[0]:.1f}", file=sys.stderr)


def report(projects: int, table: list[Row]) -> tuple[str, list[str]]:
    floor = table[0]
    cjs = next((r for r in table if r.label.startswith("check-jsonschema")), None)
    lines = [
        f"{projects:,} projects, median of {len(floor.wall)} rounds",
        "",
        "| command | wall s | CPU s | peak MB | exit | CPU / parse floor | check-jsonschema |",
        "|---|---|---|---|---|---|---|",
    ]
    missed = []
    for row in table:
        ratio = row.median_cpu / floor.median_cpu
        faster = (
            "" if cjs is None or row is cjs else f"{cjs.median_wall / row.median_wall:.1f}x faster"
        )
        lines.append(
            f"| {row.label} | {row.median_wall:.2f} | {row.median_cpu:.2f} | "
            f"{max(row.peak) / 1e6:.0f} | {','.join(map(str, sorted(row.codes)))} | "
            f"{ratio:.2f}x | {faster} |"
        )
        if row.cache == "empty" and max(row.peak) >= PEAK_TARGET:
            missed.append(
                f"{row.label}: peak {max(row.peak) / 1e6:.0f} MB "
                f"(target < {PEAK_TARGET / 1e6:.0f} MB)"
            )
        if not row.label.startswith("validate"):
            continue
        if ratio > CPU_TARGET:
            missed.append(f"{row.label}: CPU {ratio:.2f}x the parse floor (target <= {CPU_TARGET})")
        if cjs is not None and cjs.median_wall / row.median_wall < FASTER_TARGET:
            missed.append(
                f"{row.label}: {cjs.median_wall / row.median_wall:.1f}x faster than "
                f"check-jsonschema (target >= {FASTER_TARGET:.0f}x)"
            )
    return "\n".join(lines), missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000, help="tracker size (10,000)")
    parser.add_argument("--runs", type=int, default=1, help="timed rounds (default 1)")
    parser.add_argument("--warmup", type=int, default=1, help="uncounted rounds (default 1)")
    parser.add_argument("--tracker", type=Path, help="an existing tracker (make_tracker.py)")
    parser.add_argument(
        "--check-jsonschema",
        metavar="PATH",
        default=shutil.which("check-jsonschema"),
        help="check-jsonschema executable; its row is skipped if absent",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    cjs = args.check_jsonschema
    cjs = cjs if cjs and os.access(cjs, os.X_OK) else None
    scratch = Path(tempfile.mkdtemp(prefix="diffuse-cold-"))
    print(
        f"diffuse cold validate, {time.strftime('%Y-%m-%d %H:%M %z')}, Python "
        f"{sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}, "
        f"{args.runs} timed round(s) after {args.warmup} warm-up"
    )
    try:
        root = args.tracker
        if root is None:
            root = scratch / "tracker"
            make(root, args.projects)
        projects = len(list((root / "projects").glob("*.yaml")))
        schemas = scratch / "schemas"
        subprocess.run(
            [sys.executable, "-m", "diffuse", "schema", "--out", str(schemas), "--root", str(DEMO)],
            check=True,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "DIFFUSE_NO_CACHE": "1"},
        )
        table = rows(root, cjs, schemas)
        measure(table, args.runs, args.warmup, root, scratch)
        text, missed = report(projects, table)
        print()
        print(text)
        if not cjs:
            print("\ncheck-jsonschema not found: its row is skipped (--check-jsonschema PATH)")
        for line in missed:
            print(f"MISSED {line}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
