"""What is refused before it is read: a name that is no id, a place outside the tracker, a
folder of records that is something else."""

from __future__ import annotations

import os
from pathlib import Path

from diffuse.errors import Location, Problem
from diffuse.files.nodes import shown
from diffuse.layout import ID_PATTERN, SUFFIXES, WINDOWS_RESERVED


def folder_problem(folder: Path) -> Problem | None:
    """A folder of records that is something else would otherwise read as no records."""
    if folder.is_dir():
        try:
            next(folder.iterdir(), None)
        except OSError as exc:
            why = f"cannot read this folder: {exc.strerror or exc}"
            return Problem(Location(folder), "unreadable", why)
        return None
    if folder.exists() or folder.is_symlink():
        kind = "a link that leads to no folder" if folder.is_symlink() else "a file"
        return Problem(
            Location(folder),
            "not-a-folder",
            f"this should be the folder of {folder.name.removesuffix('s')} files, but it "
            f"is {kind}; move it aside and make the folder",
        )
    return None


Folders = dict[str, tuple[Path, bool]]  # folder -> it resolved, and whether in the tracker


def _resolved(path: Path, base: Path, folders: Folders) -> Path:
    # Resolving each of thousands of files walks every folder above it again: a file that
    # is no link is where its resolved folder is (each folder resolved once per read).
    if path.is_symlink():
        return path.resolve()
    return _resolved_folder(path, base, folders)[0] / path.name


def _resolved_folder(path: Path, base: Path, folders: Folders) -> tuple[Path, bool]:
    # Keyed by text: hashing a path is slow enough to matter ten thousand times over.
    parent = os.path.dirname(path)
    if parent not in folders:
        real = path.parent.resolve()
        folders[parent] = (real, real.is_relative_to(base))
    return folders[parent]


def refusal_of(
    base: Path, path: Path, named: bool, folders: Folders | None = None
) -> Problem | None:
    """Why `path` is not read at all: a name that is no id, or a place outside the tracker."""
    name = name_problem(path) if named else None
    if name is not None:
        return name
    folders = {} if folders is None else folders
    try:
        if not path.is_symlink() and _resolved_folder(path, base, folders)[1]:
            return None  # each folder's place worked out once, not each file's
        real = _resolved(path, base, folders)
    except (RuntimeError, OSError):
        return Problem(
            Location(path),
            "link-loop",
            "a symbolic link that leads back to itself through a loop of links; point it "
            "at a file or delete it",
        )
    if real.is_relative_to(base):
        return None
    how = "is a symbolic link to" if path.is_symlink() else "resolves to"
    return Problem(
        Location(path),
        "outside-tracker",
        f"{how} {shown(str(real), 200)}, outside the tracker folder; refused",
    )


def name_problem(path: Path) -> Problem | None:
    raw = os.fsencode(path.name)
    if not path.name.isascii() and not _is_utf8(raw):
        return Problem(
            Location(path),
            "bad-file-name",
            "the file name is not UTF-8 text (bytes shown as \\xNN); rename the file to its "
            "id: lowercase letters, digits and '-'",
        )
    if not ID_PATTERN.fullmatch(path.stem):
        return Problem(
            Location(path),
            "bad-file-name",
            f"the file name {shown(path.name)} is not an id: use lowercase letters, digits "
            "and '-' (at most 64), and rename the file",
        )
    if path.suffix not in SUFFIXES:
        return Problem(
            Location(path),
            "bad-file-name",
            f"the file name {shown(path.name)} ends in {shown(path.suffix)}: only lowercase "
            f"'.yaml' and '.yml' files are read, so this one is not; rename it to "
            f"{path.stem}{path.suffix.lower()}",
        )
    if path.stem in WINDOWS_RESERVED:
        return Problem(
            Location(path),
            "reserved-file-name",
            f"the file name {shown(path.name)} is a device name on Windows, where the "
            "repository cannot be checked out with it; choose another id and rename the file",
        )
    return None


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
