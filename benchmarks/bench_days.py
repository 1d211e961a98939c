"""How a warm cache fares on the next day: 1,000 projects checked against day D, then D+1.

    python benchmarks/bench_days.py [--runs N] [--projects N] [--before DIR]

Rows, each a fresh process, interleaved round by round after one warm-up round:

- `validate --as-of D` with the cache it filled on D (a repeat run);
- `validate --as-of D+1`, the first run of the next day: each time from a copy of the
  cache as D left it;
- `status` with the cache it filled today (a repeat run);
- `status`, the first run of a new day: each time from a copy of a cache filled by a
  `status` whose dates were checked against yesterday (the day is passed to the reading;
  `status` has no option for it), then run as a user runs it today.

With --before DIR, a copy of another version of the package's source (for instance
`git archive OLD diffuse | tar -x -C DIR`), every row is measured for it too, in the same
rounds (`PYTHONPATH=DIR`). Prints a Markdown table of medians, with the import floor
`python -c "import typer, rich, pydantic, yaml"` measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import FLOOR, run_child
from make_tracker import commit, make

DAY, NEXT = "2026-11-22", "2026-11-23"
AS_OF = "2026-11-22"
# A `status` whose dates are checked against yesterday: what yesterday's run left behind.
YESTERDAY = """
import datetime, sys
from diffuse.reports.status import source
from diffuse.rules import load
day = datetime.date.today() - datetime.timedelta(days=1)
read = load.read_catalog
load.read_catalog = lambda root, check=None, keep=True, today=None: read(root, check, keep, day)
source.date = type("Yesterday", (), {"today": staticmethod(lambda: day)})
sys.argv = ["diffuse", *sys.argv[1:]]
from diffuse.cli import main
main()
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--before", type=Path, help="another version's source, to compare")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="diffuse-days-"))
    try:
        root = scratch / "tracker"
        make(root, args.projects)
        commit(root)
        versions = {"this": None} | ({"before": args.before} if args.before else {})
        print(table(measure(root, scratch, versions, args.runs)))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def measure(
    root: Path, scratch: Path, versions: dict[str, Path | None], runs: int
) -> dict[str, list[float]]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DIFFUSE_")}
    base |= {"COLUMNS": "200", "GIT_CONFIG_GLOBAL": "/dev/null", "NO_COLOR": "1"}
    py = sys.executable
    validate = [py, "-m", "diffuse", "validate", "--root", str(root), "--as-of"]
    status = ["status", "--as-of", AS_OF, "--root", str(root)]
    times: dict[str, list[float]] = {f'python -c "{FLOOR}"': []}
    for round_no in range(runs + 1):
        seconds, _, _ = run_child([py, "-c", FLOOR], base, root)
        if round_no:
            times[f'python -c "{FLOOR}"'].append(seconds)
        for name, source in versions.items():
            env = dict(base)
            if source is not None:
                env["PYTHONPATH"] = str(source)
            caches = scratch / name
            day, today, yesterday = caches / "day", caches / "today", caches / "yesterday"
            rows = [
                (f"{name}: validate --as-of D, warm", [*validate, DAY], day, False),
                (f"{name}: validate --as-of D+1, first run", [*validate, NEXT], day, True),
                (f"{name}: status, warm", [py, "-m", "diffuse", *status], today, False),
                (
                    f"{name}: status, first run of a new day",
                    [py, "-m", "diffuse", *status],
                    yesterday,
                    True,
                ),
            ]
            if round_no == 0:  # the warm-up round fills each cache as its day leaves it
                for folder, argv in (
                    (day, [*validate, DAY]),
                    (yesterday, [py, "-c", YESTERDAY, *status]),
                ):
                    run_child(argv, env | {"DIFFUSE_CACHE_DIR": str(folder)}, root)
            for label, argv, folder, copy in rows:
                used = folder
                if copy:
                    used = scratch / "copy"
                    shutil.rmtree(used, ignore_errors=True)
                    shutil.copytree(folder, used)
                seconds, code, _ = run_child(argv, env | {"DIFFUSE_CACHE_DIR": str(used)}, root)
                if code not in (0, 1):
                    print(f"  {label} exited {code}", file=sys.stderr)
                if round_no:
                    times.setdefault(label, []).append(seconds)
        print(f"  round {round_no}/{runs} done", file=sys.stderr)
    return times


def table(times: dict[str, list[float]]) -> str:
    floor = statistics.median(next(iter(times.values())))
    lines = ["| command | median s | min s | x import floor |", "|---|---|---|---|"]
    for label, seconds in times.items():
        median = statistics.median(seconds)
        lines.append(f"| {label} | {median:.2f} | {min(seconds):.2f} | {median / floor:.2f}x |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
