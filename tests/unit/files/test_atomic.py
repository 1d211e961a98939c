from __future__ import annotations

import hashlib
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from diffuse.files import atomic
from diffuse.files.atomic import FileChangedError, LockTimeout, lock, read_text, write_text_atomic

ORIGINAL = "\ufeff# kept by hand\r\nstatus: plan\r\n"


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "practice.yaml"
    path.write_bytes(ORIGINAL.encode("utf-8"))
    return path


@pytest.fixture
def held_elsewhere(target: Path) -> Iterator[None]:
    """The lock held by another thread, as another diffuse process would hold it."""
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        with lock(target):
            taken.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    assert taken.wait(5)
    try:
        yield
    finally:
        release.set()
        holder.join(5)


def test_read_text_keeps_bom_and_crlf(target: Path) -> None:
    text, (mtime_ns, size, digest) = read_text(target)

    data = target.read_bytes()
    assert text == ORIGINAL
    assert (mtime_ns, size) == (target.stat().st_mtime_ns, len(data))
    assert digest == hashlib.sha256(data).hexdigest()


def test_write_stores_exact_utf8_without_newline_translation(target: Path) -> None:
    _, fingerprint = read_text(target)

    write_text_atomic(target, "\ufeffstatus: live\r\nnote: é\n", fingerprint)

    assert target.read_bytes() == "\ufeffstatus: live\r\nnote: é\n".encode()


def test_permissions_are_kept(target: Path) -> None:
    target.chmod(0o640)
    _, fingerprint = read_text(target)

    write_text_atomic(target, "status: live\n", fingerprint)

    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_new_file_is_created_without_fingerprint(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"

    write_text_atomic(path, "a: 1\n", None)

    assert path.read_text() == "a: 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.yaml"]


def test_file_changed_since_read_is_not_overwritten(target: Path) -> None:
    _, fingerprint = read_text(target)
    target.write_bytes(b"status: edited by hand\n")

    with pytest.raises(FileChangedError, match="changed by someone else"):
        write_text_atomic(target, "status: live\n", fingerprint)

    assert target.read_bytes() == b"status: edited by hand\n"


def test_deleted_file_counts_as_changed(target: Path) -> None:
    _, fingerprint = read_text(target)
    target.unlink()

    with pytest.raises(FileChangedError):
        write_text_atomic(target, "status: live\n", fingerprint)

    assert not target.exists()


def test_failed_replace_leaves_original_and_no_temp_file(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, fingerprint = read_text(target)

    def fail(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_text_atomic(target, "status: live\n", fingerprint)

    assert target.read_bytes() == ORIGINAL.encode("utf-8")
    assert [p.name for p in target.parent.iterdir()] == [target.name]


@pytest.mark.usefixtures("held_elsewhere")
def test_lock_held_elsewhere_times_out(target: Path) -> None:
    lock_file = target.with_name("practice.yaml.lock")

    with pytest.raises(LockTimeout) as caught, lock(target, timeout=0.2):
        pass

    assert str(caught.value) == (
        f"{lock_file} has been held by process {os.getpid()} for more than 0.2 s while "
        "another diffuse writes this file; try again when it has finished"
    )


@pytest.mark.usefixtures("held_elsewhere")
def test_write_while_locked_elsewhere_does_not_touch_the_file(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(atomic, "lock", lambda path: lock(path, timeout=0.2))

    with pytest.raises(LockTimeout):
        write_text_atomic(target, "status: live\n", None)

    assert target.read_bytes() == ORIGINAL.encode("utf-8")


def test_a_lock_file_left_behind_blocks_nobody(target: Path) -> None:
    # A writer killed while holding the lock leaves the file; the kernel released its lock.
    lock_file = target.with_name("practice.yaml.lock")
    lock_file.write_text("999999\n")

    with lock(target, timeout=0.1):
        assert lock_file.read_text() == f"{os.getpid()}\n"

    assert not lock_file.exists()


def test_temporary_files_left_by_a_killed_writer_are_removed(target: Path) -> None:
    left = [target.with_name(f".practice.yaml.{tag}.tmp") for tag in ("abcd1234", "x_y_z_00")]
    unrelated = [target.with_name(".other.yaml.abcd1234.tmp"), target.with_name("notes.tmp")]
    for path in left + unrelated:
        path.write_text("half a fi")

    write_text_atomic(target, "status: live\n", None)

    assert sorted(p.name for p in target.parent.iterdir()) == sorted(
        [target.name, *(p.name for p in unrelated)]
    )


def test_lock_file_holds_pid_and_is_removed_even_on_error(target: Path) -> None:
    lock_file = target.with_name("practice.yaml.lock")

    with pytest.raises(RuntimeError), lock(target):
        assert lock_file.read_text() == f"{os.getpid()}\n"
        raise RuntimeError("command failed")

    assert not lock_file.exists()


def test_lock_can_be_held_across_read_and_write(target: Path) -> None:
    with lock(target, timeout=0.2):
        _, fingerprint = read_text(target)
        write_text_atomic(target, "status: live\n", fingerprint)
        assert target.with_name("practice.yaml.lock").exists()

    assert target.read_text() == "status: live\n"
    assert not target.with_name("practice.yaml.lock").exists()
