"""A read that fills an empty cache writes each project's entry as soon as the project is
checked, holding none until the end; a file changed during the read, or a read killed half
way, leaves no entry a later run trusts wrongly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Run

import diffuse.rules.tracker.reading
from diffuse.files.loading import Document
from diffuse.limits import Limits
from diffuse.models import Project
from diffuse.rules.load import load_catalog
from diffuse.rules.parallel import MIN_FILES_VAR
from diffuse.rules.tracker.model import Tracker

COPIES = 5
# Killed while checking the third project: two entries are written, three are not.
KILLED_READ = """\
import os, sys
from pathlib import Path
from diffuse.rules.load import load_catalog
seen = []
def visit(catalog, project):
    seen.append(project.id)
    if len(seen) == 3:
        os._exit(9)
load_catalog(Path(sys.argv[1]), keep_models=False, visit=visit)
"""


def _copies(tracker: Path) -> list[str]:
    source = (tracker / "projects" / "hh-spread.yaml").read_text()
    ids = [f"hh-copy-{n}" for n in range(COPIES)]
    for project_id in ids:
        (tracker / "projects" / f"{project_id}.yaml").write_text(
            source.replace("id: hh-spread", f"id: {project_id}")
        )
    return ids


def _entries() -> int:
    folder = Path(os.environ["DIFFUSE_CACHE_DIR"]) / "files"
    return len(list(folder.glob("*.json"))) if folder.is_dir() else 0


def _forget_reports() -> None:
    for entry in Path(os.environ["DIFFUSE_CACHE_DIR"]).glob("*.json"):
        entry.unlink()


def test_each_entry_is_written_as_soon_as_its_project_is_checked(tracker: Path) -> None:
    _copies(tracker)
    written: list[int] = []

    def visit(catalog: Tracker, project: Project) -> None:
        written.append(_entries())

    catalog = load_catalog(tracker, keep_models=False, visit=visit)
    # Each project is visited right after its checks, before its own entry is written.
    assert written == list(range(COPIES + 1))
    assert _entries() == COPIES + 1
    assert catalog.cache is not None and not catalog.cache.pending


def test_a_file_changed_after_it_was_read_is_not_kept_with_the_old_result(
    tracker: Path, run: Run
) -> None:
    _copies(tracker)
    changed = tracker / "projects" / "hh-copy-2.yaml"

    def visit(catalog: Tracker, project: Project) -> None:
        if project.id == "hh-copy-2":  # read and checked, its entry not yet written
            changed.write_text(changed.read_text().replace("phase: plan", "budget: 1", 1))

    load_catalog(tracker, keep_models=False, visit=visit)
    _forget_reports()
    cached = run("validate", "--as-of", "2026-05-01", cwd=tracker)
    fresh = run("validate", "--as-of", "2026-05-01", cwd=tracker, env={"DIFFUSE_NO_CACHE": "1"})
    assert cached.exit_code == 1 and "projects/hh-copy-2.yaml" in cached.stdout
    assert (cached.exit_code, cached.stdout) == (fresh.exit_code, fresh.stdout)


def test_a_read_killed_half_way_leaves_entries_a_later_run_may_trust(
    tracker: Path, run: Run
) -> None:
    _copies(tracker)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    killed = subprocess.run([sys.executable, "-c", KILLED_READ, str(tracker)], env=env)
    assert killed.returncode == 9 and _entries() == 2
    # What the written entries were checked against changes: a person they name leaves.
    org = tracker / "organisation.yaml"
    org.write_text(
        org.read_text().replace("  - {id: cy, name: Cy Manager, email: cy@example.org}\n", "")
    )
    cached = run("validate", "--as-of", "2026-05-01", cwd=tracker)
    fresh = run("validate", "--as-of", "2026-05-01", cwd=tracker, env={"DIFFUSE_NO_CACHE": "1"})
    assert cached.exit_code == 1 and "hh-copy-0.yaml" in cached.stdout
    assert (cached.exit_code, cached.stdout) == (fresh.exit_code, fresh.stdout)


def test_entries_written_by_two_processes_serve_a_later_run_alike(
    tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`validate` in two processes checks each project where it is parsed and writes its
    entry from what came back; a later run reads those entries instead of the files."""
    ids = _copies(tracker)
    first = tracker / "projects" / f"{ids[0]}.yaml"
    first.write_text(first.read_text().replace("owner: cy", "owner: zed", 1))
    (tracker / "projects" / "taken.yaml").write_text(
        first.read_text().replace(f"id: {ids[0]}", f"id: {ids[1]}")
    )
    args = ("validate", "--as-of", "2026-05-01")
    fresh = run(*args, cwd=tracker, env={"DIFFUSE_NO_CACHE": "1"})
    filled = run(*args, cwd=tracker, env={MIN_FILES_VAR: "2"})
    assert fresh.exit_code == 1 and "projects/hh-copy-0.yaml:27:58:" in fresh.stdout
    assert "duplicate-id" in fresh.stdout
    assert (filled.exit_code, filled.stdout) == (fresh.exit_code, fresh.stdout)
    assert _entries() == COPIES + 2
    _forget_reports()

    real = diffuse.rules.tracker.reading.parse_bytes

    def parse(doc: Document, raw: bytes, limits: Limits) -> None:
        if doc.path.parent.name == "projects":
            raise AssertionError("a project file was parsed again")
        real(doc, raw, limits)

    monkeypatch.setattr(diffuse.rules.tracker.reading, "parse_bytes", parse)
    again = run(*args, cwd=tracker)
    assert (again.exit_code, again.stdout) == (fresh.exit_code, fresh.stdout)
    status = ("status", "--as-of", "2026-05-01", "--format", "json")
    monkeypatch.undo()
    expected = run(*status, cwd=tracker, env={"DIFFUSE_NO_CACHE": "1"})
    assert run(*status, cwd=tracker).stdout == expected.stdout
