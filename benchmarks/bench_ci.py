"""`check --base` on a fresh CI runner: a one-file pull request, no cache.

    python benchmarks/bench_ci.py [--projects N] [--runs N] [--full] [--advance] [--check]
                                  [--keep DIR]

The tracker is made by `make_tracker.py` (10,000 projects by default), committed on
`main`, with a branch `change` that edits one project's note (the goal's pull request) and
a branch `advance` that moves one project to another phase (so its practice's rules run,
reading the practice and phase of every project that could name that practice; the move
closes a project whose sites are not all live, so that check fails, exit 1, as a full read
does). Every round runs each row once as a fresh process, in turn, after one warm-up round
that is not counted; the table shows medians, minimums, peak resident memory (os.wait4) and
each row's ratio to the import floor measured in the same run. `--advance` adds the branch
`advance` (without it, only `change` is timed); `--full` adds `check --base main --full`,
the whole tracker read as before (minutes at 10,000 projects on a busy machine).

With `--check` (which times `advance` too), exit 1 unless both one-file pull requests with
no cache, the edit and the phase move, take under 3 s (median) and 200 MB (largest peak)
at 10,000 projects, and each ends with a verdict (exit 0 or 1), not an error.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import FLOOR, GIT_ENV, Command, diffuse_argv, make_tree, run_child

GOAL_SECONDS = 3.0
GOAL_BYTES = 200_000_000


def advance_tree(root: Path) -> Path:
    """A second working tree of `root` on the branch `advance`, which moves one project
    to another phase."""
    other = root.parent / f"{root.name}-advance"
    if other.is_dir():
        return other
    git = ["git", "-C", str(root)]
    subprocess.run([*git, "worktree", "add", "-qb", "advance", str(other), "main"], check=True)
    for path in sorted((other / "projects").glob("*.yaml")):
        text = path.read_text()
        if "\nphase: execute\n" in text:
            path.write_text(text.replace("\nphase: execute\n", "\nphase: close\n", 1))
            break
    subprocess.run(
        ["git", "-C", str(other), "commit", "-qam", "Close one project"], env=GIT_ENV, check=True
    )
    return other


def commands(root: Path, advanced: Path | None, full: bool) -> list[Command]:
    floor = Command(f'python -c "{FLOOR}"', [sys.executable, "-c", FLOOR])
    check = ("check", "--base", "main", "--root", str(root))
    cmds = [
        floor,
        Command("check --base main, one file changed, no cache", diffuse_argv(*check), floor.label),
        Command(
            "check --base main, one file changed, empty cache folder",
            diffuse_argv(*check),
            floor.label,
            "cold",
        ),
    ]
    if advanced is not None:
        cmds.append(
            Command(
                "check --base main, one phase moved, no cache",
                diffuse_argv("check", "--base", "main", "--root", str(advanced)),
                floor.label,
            )
        )
    if full:
        cmds.append(
            Command(
                "check --base main --full, one file changed, no cache",
                diffuse_argv(*check, "--full"),
                floor.label,
            )
        )
    return cmds


def measure(cmds: list[Command], runs: int, scratch: Path, root: Path) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DIFFUSE_")}
    base |= {"COLUMNS": "200", "GIT_CONFIG_GLOBAL": "/dev/null", "NO_COLOR": "1", "CI": "1"}
    for round_no in range(runs + 1):
        for cmd in cmds:
            env = dict(base)
            if cmd.cache == "cold":
                env["DIFFUSE_CACHE_DIR"] = tempfile.mkdtemp(dir=scratch)
            else:
                env["DIFFUSE_NO_CACHE"] = "1"
            seconds, code, peak = run_child(cmd.argv, env, root)
            if cmd.cache == "cold":
                shutil.rmtree(env["DIFFUSE_CACHE_DIR"])
            if round_no:
                cmd.seconds.append(seconds)
                cmd.peak.append(peak)
            cmd.codes.add(code)
        print(f"  round {round_no}/{runs} done", file=sys.stderr)


def table(size: int, cmds: list[Command]) -> str:
    lines = [
        f"{size:,} projects",
        "",
        "| command | median s | min s | peak MB | exit | ratio to import floor |",
        "|---|---|---|---|---|---|",
    ]
    floor = cmds[0]
    for cmd in cmds:
        ratio = "(baseline)" if cmd is floor else f"{cmd.median / floor.median:.2f}x"
        lines.append(
            f"| {cmd.label} | {cmd.median:.2f} | {min(cmd.seconds):.2f} | "
            f"{max(cmd.peak) / 1e6:.0f} | {','.join(map(str, sorted(cmd.codes)))} | {ratio} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000, help="default 10,000")
    parser.add_argument("--runs", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("--full", action="store_true", help="also time check --full")
    parser.add_argument(
        "--advance", action="store_true", help="also time a branch that moves a project's phase"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when the goal is missed")
    parser.add_argument("--keep", type=Path, help="build the tracker here and keep it")
    args = parser.parse_args(argv)
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="diffuse-ci-"))
    scratch.mkdir(parents=True, exist_ok=True)
    print(
        f"diffuse CI check benchmark, {time.strftime('%Y-%m-%d %H:%M %z')}, Python "
        f"{sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}, "
        f"{args.runs} timed rounds after 1 warm-up"
    )
    try:
        root = scratch / f"t{args.projects}"
        if not (root / ".git").is_dir():
            root = make_tree(scratch, args.projects)
        advance = args.advance or args.check
        cmds = commands(root, advance_tree(root) if advance else None, args.full)
        measure(cmds, args.runs, scratch, root)
        print()
        print(table(args.projects, cmds))
        print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")
    finally:
        if args.keep is None:
            shutil.rmtree(scratch, ignore_errors=True)
    goals = [(cmds[1], {0})] + [(c, {0, 1}) for c in cmds if "phase moved" in c.label]
    missed = [
        cmd
        for cmd, verdicts in goals
        if cmd.median >= GOAL_SECONDS or max(cmd.peak) >= GOAL_BYTES or not cmd.codes <= verdicts
    ]
    if args.check and args.projects >= 10_000 and missed:
        for cmd in missed:
            print(f"goal missed: {cmd.label} must take under 3 s and 200 MB", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
