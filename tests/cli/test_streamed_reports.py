"""A report or export of a big tracker holds one project at a time: projects dated for a
report are built when asked for and not kept, and a valid project's text is kept compressed
once its model is built, read back whole when it is needed again."""

from __future__ import annotations

import gc
import pickle
import shutil
import sqlite3
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO_ROOT, Run

from diffuse.export.sqlite import export
from diffuse.files.loading import Document, document_from_text
from diffuse.render.html import write_report
from diffuse.reports.asof import tracker_on
from diffuse.rules.load import load_tracker
from diffuse.rules.tracker import reading

AS_OF = date(2026, 11, 22)


def test_a_tracker_dated_for_a_report_keeps_no_project() -> None:
    loaded = load_tracker(REPO_ROOT, keep_models=False)
    stood = tracker_on(loaded, AS_OF).catalog.projects
    assert sorted(stood) == sorted(loaded.catalog.projects)
    for project_id in stood:
        first, again = stood[project_id], stood[project_id]
        assert first == again and first is not again
    # Those approved after the day are left out, as before.
    assert "bcma-rollout" not in tracker_on(loaded, date(2026, 1, 19)).catalog.projects


def test_a_released_project_keeps_its_text_compressed_and_whole() -> None:
    path = REPO_ROOT / "projects" / "bcma-rollout.yaml"
    text = path.read_text(encoding="utf-8")
    doc = document_from_text(path, text)
    doc.release(data=True)
    assert doc.text == text
    assert len(pickle.dumps(doc)) < len(text) / 2
    # A problem found later is still placed: the tree is composed again from the text.
    assert doc.locate(("phase",)).line == text.splitlines().index("phase: execute") + 1


def test_report_and_export_of_the_demo_are_unchanged_by_a_cache(run: Run, tmp_path: Path) -> None:
    """Built from the cache or from the text, a project gives the same pages and rows."""
    outputs = []
    for n, env in enumerate(({"DIFFUSE_NO_CACHE": "1"}, {}, {})):
        out, db = tmp_path / f"site{n}", tmp_path / f"t{n}.db"
        where = ("--as-of", AS_OF.isoformat(), "--root", str(REPO_ROOT))
        assert run("report", "--out", str(out), *where, env=env).exit_code == 0
        assert run("export", "sqlite", str(db), *where, env=env).exit_code == 0
        pages = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
        with sqlite3.connect(db) as con:
            rows = [
                con.execute(f"SELECT * FROM {t}").fetchall() for t in ("projects", "spc_points")
            ]
        outputs.append((pages, rows))
    assert outputs[0] == outputs[1] == outputs[2]


def _counting(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Count, per project file, how often the tracker's reading parses it: when the tracker
    is read (`parse_bytes`) and when a model it let go is built again from the text."""
    parsed: Counter[str] = Counter()
    parse_bytes, from_text = reading.parse_bytes, reading.document_from_text

    def counted_parse(doc: Document, raw: bytes, *args: Any) -> None:
        parsed[doc.path.name] += 1
        parse_bytes(doc, raw, *args)

    def counted_text(path: Path, text: str, *args: Any) -> Document:
        parsed[path.name] += 1
        return from_text(path, text, *args)

    monkeypatch.setattr(reading, "parse_bytes", counted_parse)
    monkeypatch.setattr(reading, "document_from_text", counted_text)
    return parsed


@pytest.mark.parametrize("command", ["report", "export"])
def test_a_report_or_export_parses_each_project_file_once(
    command: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Read with the file cache, each project file is parsed once for the whole command:
    the report's one pass builds each model from the cache. Without a cache, the pass
    builds each model once more from the file's text, and no consumer reads it again."""
    files = sorted(p.name for p in (REPO_ROOT / "projects").glob("*.yaml"))
    for cache, builds in ((True, 1), (False, 2)):
        if cache:
            monkeypatch.delenv("DIFFUSE_NO_CACHE", raising=False)
            monkeypatch.setenv("DIFFUSE_CACHE_DIR", str(tmp_path / "cache"))
        else:
            monkeypatch.setenv("DIFFUSE_NO_CACHE", "1")
        parsed = _counting(monkeypatch)
        loaded = load_tracker(REPO_ROOT, keep_models=False)
        if command == "report":
            write_report(loaded, AS_OF, tmp_path / f"site-{cache}")
        else:
            export(loaded, AS_OF, tmp_path / f"t-{cache}.db")
        projects = {name: n for name, n in parsed.items() if name in files}
        assert projects == dict.fromkeys(files, builds), (cache, projects)
        monkeypatch.undo()
        shutil.rmtree(tmp_path / "cache", ignore_errors=True)


@pytest.mark.parametrize("command", ["report", "export"])
def test_a_report_or_export_runs_no_full_collection(command: str, tmp_path: Path) -> None:
    """What a report keeps grows with the tracker, and the garbage collector's full
    collections walk all of it: the pass makes no cycles, so it runs none of them, and the
    collector runs again once the report is written. The collector is made eager, so that
    the demo's seven projects would be enough to start a full collection."""
    full: list[str] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(command)

    loaded = load_tracker(REPO_ROOT, keep_models=False)
    thresholds = gc.get_threshold()
    gc.set_threshold(50, 1, 1)
    gc.callbacks.append(count)
    try:
        if command == "report":
            write_report(loaded, AS_OF, tmp_path / "site")
        else:
            export(loaded, AS_OF, tmp_path / "t.db")
    finally:
        gc.callbacks.remove(count)
        gc.set_threshold(*thresholds)
    assert full == []
    assert gc.isenabled()
