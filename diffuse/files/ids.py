"""The ids a tracker defines, read cheaply for shell completion: file names for practices
and projects, and one safe YAML read of the organisation file for sites, people and
bodies. Nothing is validated; a file that cannot be read gives no ids."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from diffuse.layout import (
    ID_PATTERN,
    ORGANISATION_FILE,
    PRACTICES_DIR,
    PROJECTS_DIR,
    tracker_entries,
)
from diffuse.limits import DEFAULT_LIMITS


def file_ids(root: Path, folder: str) -> list[str]:
    """The ids of the practice or project files in `folder`."""
    return [p.stem for p in tracker_entries(root, folder) if ID_PATTERN.fullmatch(p.stem)]


def organisation_ids(root: Path, section: str) -> list[str]:
    """The ids listed under `section` (sites, people or bodies) of the organisation file."""
    path = root / ORGANISATION_FILE
    try:
        if path.stat().st_size > DEFAULT_LIMITS.max_file_bytes:
            return []
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return []
    entries = data.get(section) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return []
    found = (e.get("id") for e in entries if isinstance(e, dict))
    return [str(i) for i in found if i is not None and ID_PATTERN.fullmatch(str(i))]


__all__ = ["PRACTICES_DIR", "PROJECTS_DIR", "file_ids", "organisation_ids"]
