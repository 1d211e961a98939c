"""Where a tracker's files live. Kept free of heavy imports: every command starts here."""

from __future__ import annotations

from pathlib import Path

from diffuse.errors import DiffuseError

ORGANISATION_FILE = "organisation.yaml"
PRACTICES_DIR = "practices"
PROJECTS_DIR = "projects"
SUFFIXES = (".yaml", ".yml")


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding the organisation file."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ORGANISATION_FILE).is_file():
            return folder
    raise DiffuseError(
        f"no {ORGANISATION_FILE} found in {start} or any folder above it; "
        "run 'diffuse init' to create a tracker, or pass --root"
    )


def tracker_files(root: Path, folder: str) -> list[Path]:
    directory = root / folder
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.suffix in SUFFIXES and p.is_file())


def tracker_paths(root: Path) -> list[Path]:
    """Every entry a tracker is read from, files or not, in a stable order."""
    found = [root / ORGANISATION_FILE]
    for folder in (PRACTICES_DIR, PROJECTS_DIR):
        directory = root / folder
        if directory.is_dir():
            found += sorted(p for p in directory.iterdir() if p.suffix in SUFFIXES)
    return found
