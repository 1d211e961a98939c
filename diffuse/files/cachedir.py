"""Where diffuse keeps what it can compute again: the user's cache folder.

`~/.cache/diffuse` (or `$XDG_CACHE_HOME/diffuse`, or `DIFFUSE_CACHE_DIR`); none at all with
`DIFFUSE_NO_CACHE=1`. Whatever is kept there is keyed by diffuse's own code too, so a new
version never reads what an old one wrote.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


def cache_dir() -> Path | None:
    if os.environ.get("DIFFUSE_NO_CACHE"):
        return None
    explicit = os.environ.get("DIFFUSE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "diffuse"


@functools.cache
def code_fingerprint() -> str:
    # Editable installs change code without changing the version, so the modules' own
    # sizes and modification times are part of the key.
    parts = [sys.version]
    for module in sorted(PACKAGE.rglob("*.py")):
        info = module.stat()
        parts.append(f"{module.relative_to(PACKAGE)}:{info.st_size}:{info.st_mtime_ns}")
    return "|".join(parts)
