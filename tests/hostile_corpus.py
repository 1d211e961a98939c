"""The hostile corpus: `tests/fixtures/hostile/` holds the cases git can store (its
`practices/` and `projects/`, see its README) and `expected.txt`, the exact lines
`diffuse validate` prints for the whole corpus; `make_cases` makes the cases git cannot
store (links, a folder, a pipe, a file over the size limit, odd names).

`python tests/hostile_corpus.py` rewrites expected.txt after a change to the messages;
read the difference before keeping it.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from conftest import FIXTURE, TESTS

HOSTILE = TESTS / "fixtures" / "hostile"
EXPECTED = HOSTILE / "expected.txt"
OUTSIDE = "{outside}"


def make_cases(root: Path, outside: Path) -> None:
    practices = root / "practices"
    outside.mkdir(exist_ok=True)
    (outside / "secret.yaml").write_text("id: secret\ntitle: Not part of the tracker\n")
    (practices / "outside-link.yaml").symlink_to(outside / "secret.yaml")
    (practices / "broken-link.yaml").symlink_to("nowhere.yaml")
    (practices / "loop-self.yaml").symlink_to("loop-self.yaml")
    (practices / "loop-a.yaml").symlink_to("loop-b.yaml")
    (practices / "loop-b.yaml").symlink_to("loop-a.yaml")
    (practices / "folder.yaml").mkdir()
    if hasattr(os, "mkfifo"):
        os.mkfifo(practices / "pipe.yaml")
    odd = ("Hand Hygiene.yaml", "..yaml", "evil\x1b[2J.yaml", "two\nlines.yaml", "upper.YAML")
    for name in (*odd, "con.yaml", "com1.yml", "lpt9.yaml"):
        (practices / name).write_text("id: hand-hygiene\ntitle: Odd file name\n")
    (practices / "too-big.yaml").write_bytes(b"id: too-big\nsummary: >\n" + b"  x\n" * 250_000)
    nested = "[" * 50_000 + "]" * 50_000
    (practices / "stack-deep.yaml").write_text(f"id: stack-deep\nsummary: {nested}\n")
    wide = ",".join(["a"] * 150_000)
    (practices / "wide.yaml").write_text(f"id: wide\nsummary: [{wide}]\n")


def build(tmp_path: Path) -> tuple[Path, Path]:
    root, outside = tmp_path / "tracker", tmp_path / "outside"
    shutil.copytree(FIXTURE, root)
    for folder in ("practices", "projects"):
        for case in (HOSTILE / folder).iterdir():
            shutil.copyfile(case, root / folder / case.name)
    make_cases(root, outside)
    return root, outside


def snapshot(root: Path) -> dict[str, object]:
    """Every entry's kind and bytes, without following links or opening the pipe."""
    found: dict[str, object] = {}
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            found[str(path)] = ("link", os.readlink(path))
        elif path.is_file():
            found[str(path)] = path.read_bytes()
        else:
            found[str(path)] = "other"
    return found


def expected_lines(outside: Path) -> list[str]:
    text = EXPECTED.read_text(encoding="utf-8").replace(OUTSIDE, str(outside.resolve()))
    return text.splitlines()


def regenerate() -> None:
    import tempfile

    from typer.testing import CliRunner

    from diffuse.cli import app

    with tempfile.TemporaryDirectory() as tmp:
        root, outside = build(Path(tmp))
        os.chdir(root)
        result = CliRunner().invoke(app, ["validate"], env={"COLUMNS": "120"})
        text = result.stdout.replace(str(outside.resolve()), OUTSIDE)
    EXPECTED.write_text(text, encoding="utf-8")
    print(f"wrote {EXPECTED} ({len(text.splitlines())} lines)")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    regenerate()
