"""The README and the docs stay true: the command reference is each command's --help, the
README fits a first screen and links to pages that exist, and every test the docs name as
evidence exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import REPO_ROOT
from readme_help import (
    FILE_FORMAT,
    REFERENCE,
    commands,
    field_keys,
    fields,
    file_format,
    notes,
    rendered,
    section,
)

README = REPO_ROOT / "README.md"
DOCS = REPO_ROOT / "docs"


def test_command_reference_matches_help() -> None:
    text = REFERENCE.read_text()
    for command in commands():
        assert section(command) in text, (
            f"docs/reference.md is stale for 'diffuse {' '.join(command)}'; "
            "run python tests/readme_help.py"
        )
    assert rendered() == text


def test_the_file_format_page_lists_every_field_of_the_schema() -> None:
    text = FILE_FORMAT.read_text()
    assert file_format(text) == text, (
        "docs/file-format.md is stale; run python tests/readme_help.py"
    )
    tables = fields()
    for field in (
        "`go_live_actual`",
        "`signing_keys`",
        "`key_principles`",
        "`max_golives_per_month`",
    ):
        assert field in tables, field


def test_every_field_says_what_it_means() -> None:
    # A meaning comes from the model's description or from docs/fields.yaml; a note for a
    # field that is gone, and a field with no meaning, both fail.
    keys = field_keys()
    assert sorted(set(notes()) - keys) == []
    rows = re.findall(r"^\| `[^`]+` \|.*\| (.*) \|$", fields(), re.M)
    assert len(rows) == len(keys)
    assert [row for row in rows if not row.strip()] == []


def test_the_reference_has_every_command_of_the_cli() -> None:
    names = {" ".join(c) for c in commands()}
    for expected in ("", "status", "org add-site", "metrics import", "export sqlite"):
        assert expected in names
    headings = re.findall(r"^## `diffuse ?(.*)`$", REFERENCE.read_text(), re.M)
    assert headings == [" ".join(c) for c in commands()]


def test_quick_start_installs_the_distribution_not_the_unrelated_package() -> None:
    text = README.read_text()
    assert "pip install diffuse\n" not in text and "pip install diffuse " not in text
    assert ".venv/bin/pip install -q -c .ci/constraints.txt . && .venv/bin/diffuse status" in text


def test_the_readmes_test_command_is_the_one_ci_runs() -> None:
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    pytest_line = re.search(r'"\$venv/bin/python" -m pytest (.*)$', ci, re.M)
    assert pytest_line is not None
    assert f".venv/bin/python -m pytest {pytest_line.group(1)}\n" in README.read_text()


def test_the_readme_fits_a_first_screen_and_links_to_the_docs() -> None:
    text = README.read_text()
    assert len(text.splitlines()) < 300
    linked = set(re.findall(r"\]\((docs/[\w.-]+\.(?:md|png))(?:#[\w-]+)?\)", text))
    pages = {f"docs/{p.name}" for p in DOCS.glob("*.md")}
    assert pages <= linked, f"pages the README does not link to: {sorted(pages - linked)}"
    for link in linked:
        assert (REPO_ROOT / link).is_file(), link


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}


def test_every_test_the_docs_cite_exists() -> None:
    # `tests/test_x.py::test_name`, and `::test_other` after it in the same cell, name the
    # test that shows a guarantee; a renamed or removed test must not leave a dead claim.
    cited = 0
    for page in [README, *sorted(DOCS.glob("*.md"))]:
        for line in page.read_text().splitlines():
            current: str | None = None
            for file, name in re.findall(r"`(tests/[\w/]+\.py)?::(\w+)`", line):
                current = file or current
                assert current is not None, f"{page.name}: '::{name}' names no file: {line}"
                assert name in _tests_in(REPO_ROOT / current), f"{page.name}: {current}::{name}"
                cited += 1
    assert cited > 100


def test_every_problem_code_the_tests_see_is_documented() -> None:
    # Every code a test expects a user to see as `error[...]` or `warning[...]` is
    # explained in the validation page.
    page = (DOCS / "validation.md").read_text()
    seen: set[str] = set()
    for path in (REPO_ROOT / "tests").rglob("*"):
        if path.suffix in (".py", ".txt") and path.is_file():
            seen |= set(re.findall(r"(?:error|warning)\[([a-z][a-z0-9-]*)\]", path.read_text()))
    assert len(seen) > 60
    missing = sorted(code for code in seen if f"`{code}`" not in page)
    assert missing == []


def test_every_module_the_architecture_page_names_exists() -> None:
    # The map of rooms must match the package: a moved or renamed module fails here.
    page = (DOCS / "architecture.md").read_text()
    rooms = "cli|render|edits|pr|export|reports|rules|files|repo|cache|frameworks|models"
    named = set(re.findall(rf"`((?:{rooms})/[\w/]*?(?:\.py|/))`", page))
    tree = page.split("```text\n", 1)[1].split("```", 1)[0]
    named |= {f"{m}.py" for m in re.findall(r"\b(\w+)\.py\b", tree)}
    assert len(named) > 30
    package = REPO_ROOT / "diffuse"
    missing = sorted(
        n for n in named if not any(p.exists() for p in (package / n, *package.rglob(n)))
    )
    assert missing == []
