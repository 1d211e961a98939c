"""Each project file's validated result is kept by its content: unchanged files are not
read again, and no change, deletion or rename is ever missed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import Run

import diffuse.rules.catalog
from diffuse.cache import perfile
from diffuse.cache.folder import seal

PROJECT = Path("projects") / "hh-spread.yaml"


def _entries() -> list[Path]:
    return sorted((Path(os.environ["DIFFUSE_CACHE_DIR"]) / "files").glob("*.json"))


def _forget_reports() -> None:
    """Drop the reports kept whole (`validate`'s, `status`'s), so the next run reads the
    tracker, through the file cache."""
    for entry in Path(os.environ["DIFFUSE_CACHE_DIR"]).glob("*.json"):
        entry.unlink()


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parsing a valid project file again fails the test (a broken one is read again, for
    what parses of it)."""
    real = diffuse.rules.catalog.parse_bytes

    def parse(doc: object, raw: bytes, limits: object) -> None:
        path = str(getattr(doc, "path", ""))
        if "projects" in path and "broken" not in path:
            raise AssertionError("a project file was parsed again")
        real(doc, raw, limits)  # type: ignore[arg-type]

    monkeypatch.setattr(diffuse.rules.catalog, "parse_bytes", parse)


def _broken(tracker: Path) -> None:
    """A project with a problem of its own, and one with a problem found across files."""
    path = tracker / PROJECT
    text = path.read_text()
    broken = text.replace("id: hh-spread", "id: b-broken").replace("phase: plan", "budget: 1", 1)
    (tracker / "projects" / "b-broken.yaml").write_text(broken)
    path.write_text(text.replace("owner: cy", "owner: zed", 1))


def _lines(tracker: Path, output: str) -> list[str]:
    return output.replace(f"{tracker}{os.sep}", "").splitlines()


def test_a_second_run_reads_no_unchanged_project_and_reports_the_same(
    tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    _broken(tracker)
    first = run("validate", cwd=tracker)
    assert first.exit_code == 1 and len(_entries()) == 1
    problems = [line for line in _lines(tracker, first.stdout) if line.startswith("projects/")]
    assert [line.split(" ")[0] for line in problems] == [
        "projects/b-broken.yaml:2:1:",
        "projects/b-broken.yaml:5:1:",
        "projects/hh-spread.yaml:27:58:",
    ]
    _forget_reports()
    _no_parsing(monkeypatch)
    second = run("validate", cwd=tracker)
    assert (second.exit_code, second.stdout, second.stderr) == (1, first.stdout, first.stderr)


def test_an_edit_with_the_same_size_and_time_is_seen(tracker: Path, run: Run) -> None:
    path = tracker / PROJECT
    assert run("validate", cwd=tracker).exit_code == 0
    info = path.stat()
    text = path.read_text()
    edited = text.replace("owner: cy,", "owner: zz,")
    assert len(edited) == len(text) and edited != text
    path.write_text(edited)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    result = run("validate", cwd=tracker)
    assert result.exit_code == 1
    assert "no person 'zz'" in result.stdout


def test_a_deleted_or_renamed_file_is_seen(tracker: Path, run: Run) -> None:
    path = tracker / PROJECT
    assert run("validate", cwd=tracker).exit_code == 0
    renamed = path.with_name("hh-moved.yaml")
    path.rename(renamed)
    result = run("validate", cwd=tracker)
    assert result.exit_code == 1
    assert "projects/hh-moved.yaml:2:5: error[id-mismatch]" in result.stdout
    assert "projects/hh-spread.yaml:" not in result.stdout
    renamed.unlink()
    result = run("validate", cwd=tracker)
    fresh = run("validate", cwd=tracker, env={"DIFFUSE_NO_CACHE": "1"})
    assert (result.exit_code, result.stdout) == (fresh.exit_code, fresh.stdout)
    assert "hh-moved" not in result.stdout and "2 file(s)" in result.stdout + result.stderr


def test_a_damaged_entry_is_ignored(tracker: Path, run: Run) -> None:
    _broken(tracker)
    first = run("validate", cwd=tracker)
    for damage in (b"{not json", b'{"problems": 3}', b'{"problems": [], "item": {"id": 1}}'):
        for entry in _entries():
            entry.write_bytes(seal(entry.stem, damage))
        _forget_reports()
        again = run("validate", cwd=tracker)
        assert (again.exit_code, again.stdout) == (1, first.stdout)


def test_a_damaged_pack_of_headers_is_ignored(tracker: Path, run: Run) -> None:
    _broken(tracker)
    first = run("validate", cwd=tracker)
    packs = list((Path(os.environ["DIFFUSE_CACHE_DIR"]) / "files").glob("pack-*"))
    assert len(packs) == 1
    keys = list(json.loads(packs[0].read_bytes().partition(b"\n")[2]))
    for damage in (b"{not json", b"[]", json.dumps({k: {"problems": 3} for k in keys}).encode()):
        packs[0].write_bytes(seal(packs[0].name, damage))
        _forget_reports()
        again = run("validate", cwd=tracker)
        assert (again.exit_code, again.stdout) == (1, first.stdout)


def test_status_after_an_edit_uses_the_entries_of_unchanged_files(
    tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run("status", "--as-of", "2026-05-01", "--format", "csv", cwd=tracker)
    (tracker / "organisation.yaml").write_text(
        (tracker / "organisation.yaml").read_text() + "# a comment\n"
    )
    _no_parsing(monkeypatch)
    second = run("status", "--as-of", "2026-05-01", "--format", "csv", cwd=tracker)
    assert second.stdout == first.stdout


def test_the_folder_is_kept_under_its_bounds(tmp_path: Path) -> None:
    for n in range(10):
        entry = tmp_path / f"{n}.json"
        entry.write_bytes(b"x" * 100)
        os.utime(entry, ns=(n * 10**9, n * 10**9))
    perfile.prune(tmp_path, max_entries=8, max_bytes=10_000)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{n}.json" for n in range(4, 10)]
    perfile.prune(tmp_path, max_entries=100, max_bytes=400)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["7.json", "8.json", "9.json"]


def test_validate_builds_no_model_of_an_unchanged_project(
    tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    _broken(tracker)
    first = run("validate", cwd=tracker)

    def unreachable(self: object, key: str) -> None:
        raise AssertionError("a cached project's model was built")

    monkeypatch.setattr(perfile.FileCache, "model", unreachable)
    _forget_reports()
    second = run("validate", cwd=tracker)
    assert (second.exit_code, second.stdout) == (1, first.stdout)


def test_cross_file_rules_run_again_when_the_files_they_read_change(
    tracker: Path, run: Run
) -> None:
    _broken(tracker)
    assert "no person 'zed'" in run("validate", cwd=tracker).stdout
    org = tracker / "organisation.yaml"
    text = org.read_text()
    assert "  - {id: cy," in text
    org.write_text(text.replace("  - {id: cy,", "  - {id: zed, name: Zed}\n  - {id: cy,", 1))
    assert "no person 'zed'" not in run("validate", cwd=tracker).stdout
    org.write_text(text)
    assert "no person 'zed'" in run("validate", cwd=tracker).stdout


def test_a_model_whose_entry_went_away_is_read_from_the_text(
    tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("status", "--as-of", "2026-05-01", "--format", "json")
    first = run(*args, cwd=tracker)
    (tracker / "practices" / "hand-hygiene.yaml").write_text(
        (tracker / "practices" / "hand-hygiene.yaml").read_text() + "# changed\n"
    )
    monkeypatch.setattr(perfile.FileCache, "model", lambda self, key: None)
    second = run(*args, cwd=tracker)
    assert (second.exit_code, second.stdout) == (0, first.stdout)


def test_status_after_an_edit_works_out_only_the_changed_rows(
    tracker: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = (tracker / PROJECT).read_text()
    other = tracker / "projects" / "other.yaml"
    other.write_text(source.replace("id: hh-spread", "id: other"))
    args = ("status", "--as-of", "2026-05-01", "--format", "csv")
    run(*args, cwd=tracker)
    other.write_text(other.read_text().replace("health: off-track", "health: on-track", 1))

    def unreachable(self: object, key: str) -> None:
        raise AssertionError("an unchanged project's model was built")

    with monkeypatch.context() as patched:
        patched.setattr(perfile.FileCache, "model", unreachable)
        after = run(*args, cwd=tracker)
    fresh = run(*args, cwd=tracker, env={"DIFFUSE_NO_CACHE": "1"})
    assert after.exit_code == 0 and after.stdout == fresh.stdout
    assert "other,hand-hygiene,plan,at-risk,sou,planning,on-track" in after.stdout


@pytest.mark.parametrize("cache", [True, False])
def test_a_dropped_model_is_built_again_on_use(
    tracker: Path, cache: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from diffuse.rules.load import load_catalog

    if not cache:
        monkeypatch.setenv("DIFFUSE_NO_CACHE", "1")
    kept = load_catalog(tracker).projects["hh-spread"]
    dropped = load_catalog(tracker, keep_models=False)
    assert "hh-spread" in dropped.projects and len(dropped.projects) == 1
    assert dropped.projects["hh-spread"] == kept
