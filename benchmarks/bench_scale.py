"""How diffuse copes with a big tracker: 1,000 projects (and 10,000 with --big).

    python benchmarks/bench_scale.py [--runs N] [--big] [--check-jsonschema PATH] [--keep DIR]

Each size gets a tracker made by `make_tracker.py` (the demo's organisation and practices,
N copies of its projects, one git commit, then a branch `change` that edits one project).
Every round runs each command once, in turn, as a fresh process (interleaved, so a busy
moment slows all of them alike), after one warm-up round that is not counted; the table
shows medians, minimums and peak resident memory (from os.wait4), and each row's ratio to
its baseline measured in the same run:

- check-jsonschema validating the same files against `diffuse schema`'s schemas, the
  baseline of cold `validate` (skipped when --check-jsonschema is not an executable);
- `python -c "import typer, rich, pydantic, yaml"`, the import floor, the baseline of the
  warm rows.

"Cold" runs get an empty cache folder each time; "warm" ones share one that the warm-up
round filled; "one file changed" appends a comment to a project file before each run, and
the warm row after it runs with nothing changed since.
Prints a Markdown table. Run it with the interpreter diffuse is installed in.
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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_tracker import DEMO, commit, make

AS_OF = "2026-11-22"
FLOOR = "import typer, rich, pydantic, yaml"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "PATH": "/usr/bin:/bin:/usr/local/bin",
}


@dataclass
class Command:
    label: str
    argv: list[str]
    baseline: str | None = None
    cache: str = "none"  # none (DIFFUSE_NO_CACHE), cold (a fresh folder), warm (shared)
    before: Callable[[], None] | None = None
    seconds: list[float] = field(default_factory=list)
    peak: list[int] = field(default_factory=list)
    codes: set[int] = field(default_factory=set)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def run_child(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, int, int]:
    """Seconds, exit code and peak RSS in bytes of one child (and its children)."""
    seconds, code, usage = child_usage(argv, env, cwd)
    return seconds, code, usage.ru_maxrss * 1024


def child_usage(
    argv: list[str], env: dict[str, str], cwd: Path
) -> tuple[float, int, resource.struct_rusage]:
    """Wall seconds, exit code and resource use of one child (with the children it waited for)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, os.waitstatus_to_exitcode(status), usage


def diffuse_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "diffuse", *args]


def make_tree(folder: Path, projects: int) -> Path:
    root = folder / f"t{projects}"
    make(root, projects)
    commit(root)
    one = sorted((root / "projects").glob("*.yaml"))[projects // 2]
    git = ["git", "-C", str(root)]
    subprocess.run([*git, "checkout", "-qb", "change"], env=GIT_ENV, check=True)
    one.write_text(one.read_text().replace("note: ", "note: Reviewed. ", 1))
    subprocess.run([*git, "commit", "-qam", "Change one project"], env=GIT_ENV, check=True)
    return root


def jsonschema_script(root: Path, schemas: Path, exe: str) -> Path:
    """One shell script validating every file against its schema, as CI would."""
    script = root.parent / f"{root.name}-check-jsonschema.sh"
    lines = [
        "#!/bin/sh",
        f'cd "{root}"',
        f'"{exe}" --schemafile "{schemas}/organisation.schema.json" organisation.yaml',
        f'"{exe}" --schemafile "{schemas}/practice.schema.json" practices/*.yaml',
        f'"{exe}" --schemafile "{schemas}/project.schema.json" projects/*.yaml',
        "",
    ]
    script.write_text("\n".join(lines))
    script.chmod(0o755)
    return script


def commands(root: Path, cjs: str | None, schemas: Path) -> list[Command]:
    changed = sorted((root / "projects").glob("*.yaml"))[0]
    counter = iter(range(1_000_000))

    def touch() -> None:
        with changed.open("a") as out:
            out.write(f"# round {next(counter)}\n")

    status = ("status", "--as-of", AS_OF, "--root", str(root))
    cmds = [Command(f'python -c "{FLOOR}"', [sys.executable, "-c", FLOOR])]
    if cjs:
        script = jsonschema_script(root, schemas, cjs)
        cmds.append(
            Command("check-jsonschema (same files, same schemas)", ["/bin/sh", str(script)])
        )
    baseline = cmds[-1].label
    validate = diffuse_argv("validate", "--root", str(root))
    cmds += [
        Command("validate, cold", validate, baseline, "cold"),
        Command("status, cold", diffuse_argv(*status), baseline, "cold"),
        # Each "one file changed" row is followed by its warm row: nothing changed since.
        Command("status, one file changed", diffuse_argv(*status), cmds[0].label, "warm", touch),
        Command("status, warm", diffuse_argv(*status), cmds[0].label, "warm"),
        Command("validate, one file changed", validate, cmds[0].label, "warm", touch),
        Command("validate, warm", validate, cmds[0].label, "warm"),
        Command(
            "check --base main (1 file changed)",
            diffuse_argv("check", "--base", "main", "--root", str(root)),
            cmds[0].label,
            "warm",
        ),
    ]
    return cmds


def measure(cmds: list[Command], runs: int, scratch: Path, root: Path) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DIFFUSE_")}
    base |= {"COLUMNS": "200", "GIT_CONFIG_GLOBAL": "/dev/null", "NO_COLOR": "1"}
    warm = scratch / "warm-cache"
    for round_no in range(runs + 1):
        for cmd in cmds:
            env = dict(base)
            if cmd.cache == "warm":
                env["DIFFUSE_CACHE_DIR"] = str(warm)
            elif cmd.cache == "cold":
                env["DIFFUSE_CACHE_DIR"] = tempfile.mkdtemp(dir=scratch)
            else:
                env["DIFFUSE_NO_CACHE"] = "1"
            if cmd.before:
                cmd.before()
            seconds, code, peak = run_child(cmd.argv, env, root)
            if cmd.cache == "cold":
                shutil.rmtree(env["DIFFUSE_CACHE_DIR"])
            if round_no:
                cmd.seconds.append(seconds)
                cmd.peak.append(peak)
            cmd.codes.add(code)
        print(f"  round {round_no}/{runs} done", file=sys.stderr)


def table(size: int, cmds: list[Command]) -> str:
    by_label = {c.label: c for c in cmds}
    lines = [
        f"{size:,} projects",
        "",
        "| command | median s | min s | peak MB | exit | baseline | ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for cmd in cmds:
        ref = by_label.get(cmd.baseline or "")
        ratio = "-"
        if ref is not None:
            if ref.label.startswith("check-jsonschema"):
                ratio = f"{ref.median / cmd.median:.1f}x faster"
            else:
                ratio = f"{cmd.median / ref.median:.2f}x"
        lines.append(
            f"| {cmd.label} | {cmd.median:.2f} | {min(cmd.seconds):.2f} | "
            f"{max(cmd.peak) / 1e6:.0f} | {','.join(map(str, sorted(cmd.codes)))} | "
            f"{_short(ref.label) if ref else '(baseline)'} | {ratio} |"
        )
    return "\n".join(lines)


def _short(label: str) -> str:
    return "check-jsonschema" if label.startswith("check-jsonschema") else "import floor"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed rounds (default 3)")
    parser.add_argument("--big", action="store_true", help="also 10,000 projects")
    parser.add_argument("--projects", type=int, default=1000, help="the smaller size")
    parser.add_argument(
        "--check-jsonschema",
        metavar="PATH",
        default=shutil.which("check-jsonschema"),
        help="check-jsonschema executable (best in its own venv); its row is skipped if absent",
    )
    parser.add_argument("--keep", type=Path, help="build the trackers here and keep them")
    args = parser.parse_args(argv)
    cjs = (
        args.check_jsonschema
        if args.check_jsonschema and os.access(args.check_jsonschema, os.X_OK)
        else None
    )
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="diffuse-scale-"))
    scratch.mkdir(parents=True, exist_ok=True)
    print(
        f"diffuse scale benchmark, {time.strftime('%Y-%m-%d %H:%M %z')}, Python "
        f"{sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}, "
        f"{args.runs} timed rounds after 1 warm-up"
    )
    try:
        schemas = scratch / "schemas"
        subprocess.run(
            diffuse_argv("schema", "--out", str(schemas), "--root", str(DEMO)),
            check=True,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "DIFFUSE_NO_CACHE": "1"},
        )
        for size in [args.projects, *([10_000] if args.big else [])]:
            root = make_tree(scratch, size)
            cmds = commands(root, cjs, schemas)
            measure(cmds, args.runs, scratch, root)
            print()
            print(table(size, cmds))
        if not cjs:
            print("\ncheck-jsonschema not found: its row is skipped (--check-jsonschema PATH)")
    finally:
        if args.keep is None:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
