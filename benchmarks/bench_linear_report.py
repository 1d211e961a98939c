"""Whether `diffuse report` and `diffuse export sqlite` grow linearly and stay bounded.

    python benchmarks/bench_linear_report.py [--sizes 1000,10000] [--runs 3] [--check]
                                             [--cache] [--keep DIR]

Trackers of each size are made by `make_tracker.py` (the demo's projects copied under new
ids). Each round runs every command at every size, the smaller sizes both before and after
the largest (1,000, 10,000, 1,000), so a busy spell during the long run at the largest size
shows in the smaller runs beside it too. For each command the CPU time (user + system of
the child) and its peak resident memory come from `os.wait4`, with the load average when
the run ended; the tables show medians over every run of a size. Runs use no cache
(DIFFUSE_NO_CACHE=1), the cost after any edit; with `--cache`, one cache folder per size,
warmed by a first round that is not counted, as a user meets it who reports twice.

Goal: time per project is flat, so the CPU time at the largest size is at most 11 times
the median at the size a tenth of it; and the peak memory at the largest size stays under
400 MB. `--check` exits 1 when either is missed. Each round's own ratio (the largest run
against the runs of the smaller size just before and after it) is printed too: ratios that
disagree between rounds, or loads that moved, say the machine was busy.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from make_tracker import make

AS_OF = "2026-11-22"
MAX_RATIO = 11.0
MAX_PEAK_MB = 400.0


Run = tuple[float, float, float]  # CPU seconds, peak MB, one-minute load average at the end


def run_once(argv: list[str], env: dict[str, str]) -> Run:
    """CPU seconds (user + system) and peak resident MB of one run, and the load after it."""
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {code}: {err.decode()[-400:]}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, os.getloadavg()[0]


def order(sizes: list[int]) -> list[int]:
    """The sizes of one round: up to the largest, then back down (1000, 10000, 1000)."""
    up = sorted(set(sizes))
    return up + up[-2::-1]


def commands(root: Path, scratch: Path) -> dict[str, list[str]]:
    base = [sys.executable, "-m", "diffuse"]
    where = ["--as-of", AS_OF, "--root", str(root)]
    return {
        "report": [*base, "report", "--out", str(scratch / "site"), *where],
        "export": [*base, "export", "sqlite", str(scratch / "t.db"), *where],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument("--cache", action="store_true", help="a warm cache per size")
    parser.add_argument("--keep", type=Path, help="make (or reuse) the trackers in DIR")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="diffuse-linear-report-"))
    trees = args.keep or work
    try:
        roots = {}
        for size in sizes:
            root = trees / f"t{size}"
            if not root.exists():
                make(root, size)
            roots[size] = root
        env = {**os.environ, "COLUMNS": "200"}
        caches = {size: work / f"cache{size}" for size in sizes}
        took: dict[tuple[str, int], list[Run]] = {}
        rounds: list[list[tuple[str, int, Run]]] = []
        for round_ in range(args.runs + (1 if args.cache else 0)):
            counted = bool(round_ or not args.cache)
            runs: list[tuple[str, int, Run]] = []
            for size in order(sizes):
                for key, argv in commands(roots[size], work).items():
                    run_env = dict(env)
                    if args.cache:
                        run_env["DIFFUSE_CACHE_DIR"] = str(caches[size])
                    else:
                        run_env["DIFFUSE_NO_CACHE"] = "1"
                    result = run_once(argv, run_env)
                    if counted:
                        took.setdefault((key, size), []).append(result)
                        runs.append((key, size, result))
                    # Each run as it ends: a run at 10,000 projects on a busy machine is long.
                    print(
                        f"round {round_} {key} {size}: {result[0]:.1f} s CPU, "
                        f"{result[1]:.0f} MB peak, load {result[2]:.2f}"
                        f"{'' if counted else ' (warming, not counted)'}",
                        file=sys.stderr,
                        flush=True,
                    )
            if counted:
                rounds.append(runs)
        return report(took, rounds, sizes, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(
    took: dict[tuple[str, int], list[Run]],
    rounds: list[list[tuple[str, int, Run]]],
    sizes: list[int],
    args: argparse.Namespace,
) -> int:
    loads = [load for values in took.values() for _, _, load in values]
    now = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"{args.runs} rounds, {'warm cache' if args.cache else 'no cache'}, one-minute load "
        f"{min(loads):.2f} to {max(loads):.2f} at the end of the runs, {now} now"
    )
    print("command  projects  runs  CPU s (median)  ms per project  peak MB (median)")
    medians = {}
    for (key, size), values in sorted(took.items()):
        cpu = statistics.median(c for c, _, _ in values)
        peak = statistics.median(m for _, m, _ in values)
        medians[key, size] = (cpu, peak)
        print(
            f"{key:8} {size:8}  {len(values):4}  {cpu:14.1f}  {cpu / size * 1000:14.1f}"
            f"  {peak:16.0f}"
        )
    missed = False
    largest = max(sizes)
    smaller = largest // 10
    for key in ("report", "export"):
        if smaller in sizes:
            for n, runs in enumerate(rounds):
                print(f"{key}: round {n}: {round_ratio(runs, key, largest, smaller)}")
            ratio = medians[key, largest][0] / medians[key, smaller][0]
            verdict = "PASS" if ratio <= MAX_RATIO else "FAIL"
            missed |= verdict == "FAIL"
            print(
                f"{key}: CPU {largest} / median of {smaller} = {ratio:.1f}x (<= {MAX_RATIO}) "
                f"{verdict}"
            )
        peak = medians[key, largest][1]
        verdict = "PASS" if peak < MAX_PEAK_MB else "FAIL"
        missed |= verdict == "FAIL"
        print(f"{key}: peak at {largest} = {peak:.0f} MB (< {MAX_PEAK_MB:.0f}) {verdict}")
    return 1 if missed and args.check else 0


def round_ratio(runs: list[tuple[str, int, Run]], key: str, largest: int, smaller: int) -> str:
    """The largest run of one round against the smaller size's runs before and after it."""
    big = [r for k, size, r in runs if k == key and size == largest]
    small = [r for k, size, r in runs if k == key and size == smaller]
    if not big or not small:
        return "not run"
    beside = ", ".join(f"{big[0][0] / r[0]:.1f}x (load {r[2]:.2f})" for r in small)
    return f"{largest} (load {big[0][2]:.2f}) against each {smaller}: {beside}"


if __name__ == "__main__":
    raise SystemExit(main())
