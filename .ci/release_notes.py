"""Print the CHANGELOG.md section of one version, as the notes of its GitHub release.

Usage: python .ci/release_notes.py 0.2.0 [CHANGELOG.md]

Exits 1, naming the version, when the changelog has no `## [VERSION]` section or the
section is empty, so a tag cannot be released without notes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path


def section(changelog: str, version: str) -> str | None:
    heading = re.compile(r"^## \[(?P<name>[^\]]+)\]", re.MULTILINE)
    found = list(heading.finditer(changelog))
    for index, match in enumerate(found):
        if match.group("name") == version:
            end = found[index + 1].start() if index + 1 < len(found) else len(changelog)
            body = changelog[match.end() : end]
            # Drop the rest of the heading line (the date) and the link references.
            body = body.split("\n", 1)[1] if "\n" in body else ""
            body = re.sub(r"^\[[^\]]+\]: \S+\n?", "", body, flags=re.MULTILINE)
            return body.strip() or None
    return None


def main(argv: list[str]) -> int:
    if not 1 <= len(argv) <= 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    version = argv[0].removeprefix("v")
    path = Path(argv[1] if len(argv) > 1 else "CHANGELOG.md")
    notes = section(path.read_text(encoding="utf-8"), version)
    if notes is None:
        print(f"{path}: no notes under '## [{version}]'; add them before tagging", file=sys.stderr)
        return 1
    print(notes)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
