"""A big tracker is read a part at a time, and a part ends at a number of files or of
bytes, whichever comes first: files grow with the sites a project lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from diffuse.rules import parallel


def _files(folder: Path, sizes: list[int]) -> list[Path]:
    paths = []
    for n, size in enumerate(sizes):
        path = folder / f"p{n:03d}.yaml"
        path.write_bytes(b"x" * size)
        paths.append(path)
    return paths


def test_parts_keep_every_file_in_order_within_both_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "PART", 4)
    monkeypatch.setattr(parallel, "PART_BYTES", 100)
    paths = _files(tmp_path, [10] * 6 + [60, 60, 250, 30, 30])
    found = list(parallel.parts(paths))
    assert [p for part in found for p in part] == paths
    assert [len(part) for part in found] == [4, 3, 1, 1, 2]
    for part in found:
        assert len(part) == 1 or sum(p.stat().st_size for p in part) <= 100


def test_a_file_that_cannot_be_read_still_gets_its_place(tmp_path: Path) -> None:
    paths = [*_files(tmp_path, [5]), tmp_path / "gone.yaml"]
    assert list(parallel.parts(paths)) == [paths]
