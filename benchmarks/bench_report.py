"""How long `diffuse report`, its PDF board pack and `diffuse export sqlite` take, beside
`diffuse status`.

    python benchmarks/bench_report.py [--runs N] [--sizes 100,250,500,1000]

On the demo tracker each command runs as a fresh process, interleaved round by round
after one warm-up round, and the median is compared with `status` measured in the same
run: `report` should take at most 3x `status`, `export` at most 2x. `report --pdf` (the
board pack, printed by headless Chromium) is timed on the demo in the same rounds, when
chromium is installed. `status` is timed
both as a repeat run (its result cache warm) and with DIFFUSE_NO_CACHE=1; `report` and
`export` keep no cache, so the uncached `status` is the like-for-like baseline.

Then trackers of N generated projects (copies of the demo's projects under new ids, the
demo's organisation and practices) are timed three times per size, to show how each command
grows with the number of projects: time per project should stay roughly flat. CPU time
(user + system) is reported beside wall time because it barely moves when other work
shares the machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-22"


def diffuse() -> list[str]:
    return [sys.executable, "-m", "diffuse"]


def commands(root: Path, scratch: Path, pdf: bool = False) -> dict[str, list[str]]:
    base = [*diffuse()]
    where = ["--root", str(root)]
    found = {
        "status": [*base, "status", "--as-of", AS_OF, *where],
        "status (no cache)": [*base, "status", "--as-of", AS_OF, *where],
        "report": [*base, "report", "--out", str(scratch / "site"), "--as-of", AS_OF, *where],
        "export": [*base, "export", "sqlite", str(scratch / "t.db"), "--as-of", AS_OF, *where],
    }
    if pdf:
        found["report --pdf"] = [
            *base,
            "report",
            "--pdf",
            str(scratch / "pack.pdf"),
            "--as-of",
            AS_OF,
            *where,
        ]
    return found


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def once(key: str, argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run, in seconds."""
    run_env = dict(env)
    if key != "status":
        run_env["DIFFUSE_NO_CACHE"] = "1"
    start, cpu = time.perf_counter(), _cpu()
    done = subprocess.run(argv, env=run_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed, used = time.perf_counter() - start, _cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"{key} exited {done.returncode}: {done.stderr.decode()[-400:]}")
    return elapsed, used


def timed(
    root: Path, runs: int, env: dict[str, str], pdf: bool = False
) -> dict[str, tuple[float, float]]:
    """Median wall and CPU milliseconds per command (CPU time leaves out Chromium's own
    processes only where they outlive the command, which they do not)."""
    with tempfile.TemporaryDirectory() as scratch:
        cmds = commands(root, Path(scratch), pdf)
        times: dict[str, list[tuple[float, float]]] = {k: [] for k in cmds}
        for round_ in range(runs + 1):
            for key, argv in cmds.items():
                took = once(key, argv, env)
                if round_:  # the first round warms caches and is not counted
                    times[key].append(took)
    return {
        k: (statistics.median(w for w, _ in v) * 1000, statistics.median(c for _, c in v) * 1000)
        for k, v in times.items()
    }


def generate(root: Path, projects: int) -> None:
    shutil.copy(REPO / "organisation.yaml", root / "organisation.yaml")
    shutil.copytree(REPO / "practices", root / "practices")
    (root / "projects").mkdir()
    sources = sorted((REPO / "projects").glob("*.yaml"))
    for n in range(projects):
        source = sources[n % len(sources)]
        new_id = f"{source.stem}-{n:04d}"
        text = source.read_text().replace(f"id: {source.stem}\n", f"id: {new_id}\n", 1)
        (root / "projects" / f"{new_id}.yaml").write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="100,250,500,1000")
    args = parser.parse_args()
    env = {**os.environ, "COLUMNS": "200"}
    cache = tempfile.mkdtemp(prefix="diffuse-bench-cache-")
    env["DIFFUSE_CACHE_DIR"] = cache
    try:
        pdf = bool(shutil.which("chromium") or shutil.which("chromium-browser"))
        demo = timed(REPO, args.runs, env, pdf)
        wall, cpu = demo["status (no cache)"]
        print(f"demo tracker, median of {args.runs} runs: wall ms, CPU ms, ratios to")
        print("status (no cache) by wall and by CPU")
        for key, (w, c) in demo.items():
            print(f"  {key:18} {w:7.0f} {c:7.0f}  {w / wall:5.2f}x {c / cpu:5.2f}x")
        print("  targets: report <= 3x, export <= 2x")
        if not pdf:
            print("  report --pdf not timed: chromium is not installed")
        print("generated trackers, median of 3 runs: CPU ms (CPU ms per project)")
        for size in (int(s) for s in args.sizes.split(",")):
            with tempfile.TemporaryDirectory() as folder:
                root = Path(folder)
                generate(root, size)
                took = timed(root, 3, env)
            cells = "  ".join(
                f"{k} {c:7.0f} ({c / size:4.1f})" for k, (_, c) in took.items() if k != "status"
            )
            print(f"  {size:5} projects: {cells}")
    finally:
        shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
