"""Where a tracker's files live. Kept free of heavy imports: every command starts here."""

from __future__ import annotations

import re
from pathlib import Path

from diffuse.errors import DiffuseError

ORGANISATION_FILE = "organisation.yaml"
PRACTICES_DIR = "practices"
PROJECTS_DIR = "projects"
SUFFIXES = (".yaml", ".yml")
# Ids name files and appear on command lines: a safe alphabet rules out path traversal.
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding the organisation file."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ORGANISATION_FILE).is_file():
            return _utf8_named(folder)
    raise DiffuseError(
        f"no {ORGANISATION_FILE} found in {start} or any folder above it; "
        "run 'diffuse init' to create a tracker, or pass --root"
    )


def _utf8_named(folder: Path) -> Path:
    # A name that is not UTF-8 reaches Python as lone surrogates, which no file name in a
    # message, cache key or JSON output can hold: refused once, here, for every command.
    try:
        str(folder).encode("utf-8")
    except UnicodeEncodeError:
        raise DiffuseError(
            f"the tracker folder {folder} has a name that is not UTF-8 text (its odd bytes "
            "are shown as \\xNN); rename that folder, or the folder above it that has such "
            "a name, and run the command again"
        ) from None
    return folder


def tracker_entries(root: Path, folder: str) -> list[Path]:
    """Every entry named like a YAML file, whatever the case of its suffix, folders and
    links included: none is skipped silently, so a file that cannot be read (or would be
    missed as `.YAML`) is reported rather than quietly left out."""
    try:
        entries = list((root / folder).iterdir())
    except OSError:
        return []  # no folder, or not one: the catalog says which
    # One folder's entries: ordered by name, as paths are, without comparing their parts.
    return sorted((p for p in entries if p.suffix.lower() in SUFFIXES), key=lambda p: p.name)


# Names Windows keeps for devices, whatever follows the dot: a file called con.yaml cannot be
# checked out there. https://learn.microsoft.com/windows/win32/fileio/naming-a-file
WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{d}{n}" for d in ("com", "lpt") for n in range(10)]
)


def tracker_paths(root: Path) -> list[Path]:
    """Every entry a tracker is read from, in a stable order."""
    return [
        root / ORGANISATION_FILE,
        *tracker_entries(root, PRACTICES_DIR),
        *tracker_entries(root, PROJECTS_DIR),
    ]


def resolved(path: Path) -> Path:
    """`path` with every link followed; a loop of links (which has no end to follow to) is
    left as its own name in its resolved folder, so it can be reported rather than crash."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        return path.parent.resolve() / path.name


def relative(path: Path, base: Path | None = None) -> Path:
    """`path` as the user would type it from `base` (default: the current folder)."""
    base = base or Path.cwd()
    # The folder is resolved, not the name: a link is shown as itself, not as its target.
    try:
        return (path.parent.resolve() / path.name).relative_to(base.resolve())
    except ValueError:
        return path
